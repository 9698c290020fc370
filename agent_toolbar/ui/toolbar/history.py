"""The call history in the panel: today's calls by default, newest first, searchable by
number or name and filtered by outcome and queue, with the day's own summary, export to
CSV and "Clear history".

Rows are read from the history's writer thread (never the GUI thread), after whatever
it was already writing; the view reads again when the agent's activity changes (a call
began or ended), when it opens, and when the period changes. Dialogs are opened without
a nested event loop and kept as attributes while open.
"""

import asyncio
import csv
import datetime
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
)

from agent_toolbar.config.history import History, HistoryFile, HistoryRow
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.history import OUTCOMES
from agent_toolbar.support.log import history as log
from agent_toolbar.ui import text
from agent_toolbar.ui.actions import on_trigger
from agent_toolbar.ui.dialing import Dialer, dialable
from agent_toolbar.ui.operations import Operations
from agent_toolbar.ui.screen_pop import ScreenPop
from agent_toolbar.ui.toolbar.cards import Card

PERIODS = (1, 7, None)
"""Today, the last 7 days, everything kept."""


@dataclass(frozen=True)
class Summary:
    """The shown calls' own figures (the server's stats are beside them, in the panel)."""

    answered: int
    missed: int
    talk: float
    average_handle: float | None
    """Talk plus wrap-up per answered call."""


def matching(
    rows: Iterable[HistoryRow], search: str, outcome: str | None, queue: str | None
) -> list[HistoryRow]:
    """The rows whose caller's number or name holds `search`, of `outcome` and `queue`
    (None: any); a number is searched by its digits, so "+1 555" finds "15550100"."""
    words = search.strip().casefold()
    digits = "".join(filter(str.isdigit, words))
    found = []
    for row in rows:
        if outcome is not None and row.outcome != outcome:
            continue
        if queue is not None and _queue(row) != queue:
            continue
        name = (row.caller_name or "").casefold()
        number = "".join(filter(str.isdigit, row.caller_number or ""))
        if words and words not in name and not (digits and digits in number):
            continue
        found.append(row)
    return found


def summary(rows: Sequence[HistoryRow]) -> Summary:
    answered = [row for row in rows if row.outcome == "answered"]
    talk = sum(row.talk_seconds or 0.0 for row in answered)
    handle = talk + sum(row.wrapup_seconds or 0.0 for row in answered)
    return Summary(
        answered=len(answered),
        missed=sum(row.outcome in ("missed", "declined") for row in rows),
        talk=talk,
        average_handle=handle / len(answered) if answered else None,
    )


def write_csv(path: Path, rows: Sequence[HistoryRow]) -> None:
    """Every column of `rows`, times as ISO 8601 in local time (blocking)."""
    names = [each.name for each in fields(HistoryRow)]
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(names)
        for row in rows:
            writer.writerow([_cell(name, getattr(row, name)) for name in names])


def _cell(name: str, value: object) -> object:
    if name in ("seen_at", "started_at", "answered_at") and isinstance(value, float):
        return datetime.datetime.fromtimestamp(value).isoformat(timespec="seconds")
    return "" if value is None else value


def _queue(row: HistoryRow) -> str | None:
    return row.queue_name or row.queue_id


def _day_start(days: int) -> float:
    """Local midnight `days - 1` days ago."""
    today = datetime.date.today() - datetime.timedelta(days=days - 1)
    return time.mktime(today.timetuple())


class HistoryView(Card):
    """The profile's calls from `history`; reads go through its writer thread."""

    def __init__(self, history: History, profile: str) -> None:
        super().__init__(self.tr("Call history"), [])
        self._history = history
        self._profile = profile
        self._operations = Operations("the call history could not be read")
        self._rows: list[HistoryRow] = []
        self._shown: list[HistoryRow] = []
        self._activity: str | None = None
        self.file_dialog: QFileDialog | None = None
        self.question: QMessageBox | None = None
        self.row_menu: QMenu | None = None
        self._dialer: Dialer | None = None
        self._screen_pop: ScreenPop | None = None
        self._outcome_words = {
            "answered": self.tr("answered"),
            "missed": self.tr("missed"),
            "declined": self.tr("declined"),
            "abandoned": self.tr("caller left while ringing"),
            "withdrawn": self.tr("withdrawn"),
            "ringing": self.tr("ringing"),
        }
        self._filters()
        self.summary = self.line(self.tr("Summary of the shown calls"))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [
                self.tr("Time"),
                self.tr("Caller"),
                self.tr("Queue"),
                self.tr("Outcome"),
                self.tr("Ring"),
                self.tr("Talk"),
                self.tr("Wrap-up"),
            ]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName(self.tr("Calls"))
        self.tree.setMinimumHeight(120)
        self.body.addWidget(self.tree)
        buttons = QHBoxLayout()
        self.call_back_button = QPushButton(self.tr("Call back"))
        self.call_back_button.clicked.connect(self.call_back)
        self.crm_button = QPushButton(self.tr("Open in CRM"))
        self.crm_button.clicked.connect(self.open_in_crm)
        for row_button in (self.call_back_button, self.crm_button):
            row_button.setVisible(False)
            buttons.addWidget(row_button)
        self.export_button = QPushButton(self.tr("Export to CSV…"))
        self.export_button.clicked.connect(self.export)
        self.clear_button = QPushButton(self.tr("Clear history…"))
        self.clear_button.clicked.connect(self.ask_to_clear)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.setVisible(True)

    def _filters(self) -> None:
        row = QHBoxLayout()
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Period"))
        for label in (self.tr("Today"), self.tr("Last 7 days"), self.tr("All kept")):
            self.period.addItem(label)
        self.period.currentIndexChanged.connect(self.refresh)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search by number or name"))
        self.search.setAccessibleName(self.tr("Search the calls"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._show)
        self.outcome = QComboBox()
        self.outcome.setAccessibleName(self.tr("Outcome"))
        self.outcome.addItem(self.tr("Every outcome"), None)
        for outcome in OUTCOMES:
            self.outcome.addItem(self._outcome_words[outcome], outcome)
        self.outcome.currentIndexChanged.connect(self._show)
        self.queue = QComboBox()
        self.queue.setAccessibleName(self.tr("Queue"))
        self.queue.addItem(self.tr("Every queue"), None)
        self.queue.currentIndexChanged.connect(self._show)
        for widget in (self.period, self.search, self.outcome, self.queue):
            row.addWidget(widget)
        row.setStretch(1, 1)
        self.body.addLayout(row)

    # --- reading ------------------------------------------------------------

    def show_state(self, state: AgentState) -> None:
        """Read again when a call begins or ends (its row changed)."""
        self._follow_selection()
        if state.activity != self._activity:
            self._activity = state.activity
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        days = PERIODS[max(0, self.period.currentIndex())]
        since = None if days is None else _day_start(days)
        self._operations.run(
            self._history.run(lambda file: file.rows(since)),
            success=self._loaded,
            failure=self._not_read,
        )

    def _not_read(self, error: Exception) -> None:
        log.warning("the call history could not be read: %s", error)
        self.summary.setText(
            self.tr("The call history cannot be read: {reason}").format(
                reason=getattr(error, "strerror", None) or str(error) or type(error).__name__
            )
        )

    def _loaded(self, rows: list[HistoryRow]) -> None:
        self._rows = [row for row in rows if row.profile == self._profile]
        queues = sorted({name for name in map(_queue, self._rows) if name is not None})
        chosen = self.queue.currentData()
        self.queue.blockSignals(True)
        self.queue.clear()
        self.queue.addItem(self.tr("Every queue"), None)
        for name in queues:
            self.queue.addItem(name, name)
        self.queue.setCurrentIndex(max(0, self.queue.findData(chosen)))
        self.queue.blockSignals(False)
        self._show()

    def _show(self) -> None:
        chosen = self.selected()
        self._shown = matching(
            self._rows, self.search.text(), self.outcome.currentData(), self.queue.currentData()
        )
        figures = summary(self._shown)
        average = figures.average_handle
        self.summary.setText(
            self.tr(
                "{answered} answered · {missed} missed · talk {talk} · average handle {aht}"
            ).format(
                answered=figures.answered,
                missed=figures.missed,
                talk=text.duration(figures.talk),
                aht="—" if average is None else text.duration(average),
            )
        )
        self.tree.clear()
        self.tree.addTopLevelItems([self._item(row) for row in self._shown])
        keys = [row.key for row in self._shown]
        if chosen is not None and chosen.key in keys:  # a call ending keeps the agent's choice
            again = self.tree.topLevelItem(keys.index(chosen.key))
            if again is not None:
                self.tree.setCurrentItem(again)
        for column in range(self.tree.columnCount()):
            self.tree.resizeColumnToContents(column)
        self._follow_selection()

    def _item(self, row: HistoryRow) -> QTreeWidgetItem:
        when = row.started_at if row.started_at is not None else row.seen_at
        caller, number = text.caller(row.caller_name, row.caller_number)
        cells = [
            time.strftime("%d.%m %H:%M", time.localtime(when)),
            caller if not number else f"{caller} {number}",
            _queue(row) or "",
            self._outcome_words.get(row.outcome or "", row.outcome or ""),
            *("" if seconds is None else text.duration(seconds) for seconds in _times(row)),
        ]
        item = QTreeWidgetItem(cells)
        for column, cell in enumerate(cells):
            item.setToolTip(column, cell)
        return item

    # --- a call's own actions ------------------------------------------------

    def add_row_actions(self, dialer: Dialer, screen_pop: ScreenPop) -> None:
        """Offer "Call back" and "Open in CRM" for the selected call, as buttons and in
        its context menu (right click, or the Menu key); each is hidden where the server
        cannot dial or the profile has no screen pop."""
        self._dialer = dialer
        self._screen_pop = screen_pop
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._open_row_menu)
        self.tree.itemSelectionChanged.connect(self._follow_selection)
        self._follow_selection()

    def selected(self) -> HistoryRow | None:
        chosen = self.tree.selectedItems()
        index = self.tree.indexOfTopLevelItem(chosen[0]) if chosen else -1
        return self._shown[index] if 0 <= index < len(self._shown) else None

    def _follow_selection(self) -> None:
        row = self.selected()
        dialer, pop = self._dialer, self._screen_pop
        refused = dialer.refusal() if dialer is not None else None
        number = dialable(row.caller_number) if row is not None else None
        self.call_back_button.setVisible(dialer is not None and dialer.available)
        self.call_back_button.setEnabled(number is not None and refused is None)
        self.call_back_button.setToolTip(
            self.tr("Not now: {reason}").format(reason=refused) if refused else ""
        )
        self.crm_button.setVisible(pop is not None and pop.available)
        self.crm_button.setEnabled(row is not None)

    def _open_row_menu(self, where: QPoint) -> None:
        self._follow_selection()
        menu = QMenu(self)
        for row_button, act in (
            (self.call_back_button, self.call_back),
            (self.crm_button, self.open_in_crm),
        ):
            if row_button.isVisibleTo(self):
                item = menu.addAction(row_button.text())
                item.setEnabled(row_button.isEnabled())
                on_trigger(item, act)
        menu.aboutToHide.connect(menu.deleteLater)
        if menu.isEmpty():
            menu.deleteLater()
            return
        self.row_menu = menu
        menu.popup(self.tree.viewport().mapToGlobal(where))

    def call_back(self) -> None:
        row, dialer = self.selected(), self._dialer
        if row is not None and row.caller_number and dialer is not None:
            dialer.dial(row.caller_number)

    def open_in_crm(self) -> None:
        row, pop = self.selected(), self._screen_pop
        if row is not None and pop is not None:
            pop.open_past(row)

    # --- export and clear ---------------------------------------------------

    def export(self) -> None:
        dialog = QFileDialog(self, self.tr("Export the call history"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.setNameFilters([self.tr("CSV files (*.csv)"), self.tr("All files (*)")])
        dialog.selectFile("call-history.csv")
        dialog.fileSelected.connect(self._export_to)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.file_dialog = dialog
        dialog.open()

    def _export_to(self, path: str) -> None:
        self.file_dialog = None
        shown = list(self._shown)
        self._operations.run(
            asyncio.to_thread(write_csv, Path(path), shown),
            failure=lambda error: self.summary.setText(
                self.tr("The calls could not be exported: {reason}").format(
                    reason=getattr(error, "strerror", None) or str(error)
                )
            ),
        )

    def ask_to_clear(self) -> None:
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Clear history"))
        box.setText(self.tr("Remove every call from the history on this computer?"))
        clear = box.addButton(self.tr("Clear history"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda _result: self._answered(box.clickedButton() is clear))
        self.question = box
        box.open()

    def _answered(self, clear: bool) -> None:
        if self.question is not None:
            self.question.deleteLater()
        self.question = None
        if clear:
            self._operations.run(self._history.run(HistoryFile.clear), success=self._cleared)

    def _cleared(self, _result: None) -> None:
        self.refresh()

    def close_view(self) -> None:
        self._operations.cancel()


def _times(row: HistoryRow) -> tuple[float | None, float | None, float | None]:
    return row.ring_seconds, row.talk_seconds, row.wrapup_seconds
