""" "Check connection…": the doctor's read-only examination in a window.

The menu and the sign-in dialog's failure view run the same examination as
`agent-toolbar doctor` (read-only, listening briefly) while this dialog says what it
is doing; Cancel stops it and closes the dialog. The report shows one row per wire
fact, the fix under the table for each difference, and the notes; Copy puts the
report's text on the clipboard, as the command prints it, for an administrator or
support.
"""

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPlainTextEdit,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.doctor.report import Report, Row, Verdict, render_text
from agent_toolbar.doctor.run import Options, Say, examine
from agent_toolbar.support.log import ui as log
from agent_toolbar.support.redaction import redact
from agent_toolbar.ui.forms import fit_to_screen, note

LISTEN_SECONDS = 3.0
"""How long the window's check listens for events: long enough for a ping, short
enough that an agent waits for it."""

Examination = Callable[[Say], Awaitable[Report]]
"""An examination that says what it is doing as it goes, and returns its report."""


def examination(profile: Profile, secrets: Secrets, name: str | None) -> Examination:
    """The read-only doctor for this profile and its secrets; `name` names the fixes."""
    options = Options(listen=LISTEN_SECONDS)
    return lambda say: examine(profile, secrets, name, options, say)


class DoctorDialog(QDialog):
    """Signals:
    reported(Report): an examination finished and its report is shown.
    """

    reported = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Check connection"))
        self.report: Report | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        column = QVBoxLayout(self)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Checking the connection"))
        self.doing = note()
        self.doing.setAccessibleName(self.tr("What the check is doing"))
        self.problem = note(problem=True)
        self.summary = note()
        self.summary.setObjectName("title")
        self.table = self._table()
        self.fixes = QPlainTextEdit()
        self.fixes.setReadOnly(True)
        self.fixes.setAccessibleName(self.tr("What to change"))
        self.fixes.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.notes = note()
        self.notes.setAccessibleName(self.tr("What the check did"))
        for part in (self.progress, self.doing, self.problem, self.summary):
            column.addWidget(part)
        column.addWidget(self.table, 2)
        column.addWidget(self.fixes, 1)
        column.addWidget(self.notes)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.copy_button = self.buttons.addButton(
            self.tr("&Copy the report"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.clicked.connect(self.copy)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        self._show_running(True)  # from the start: the examination starts on the loop's next turn
        for shown_later in (self.problem, self.summary, self.table, self.fixes, self.notes):
            shown_later.setVisible(False)
        fit_to_screen(self, 760, 560)

    def _table(self) -> QTableWidget:
        table = QTableWidget(0, 3)
        table.setHorizontalHeaderLabels(
            [self.tr("Fact"), self.tr("Verdict"), self.tr("What the server showed")]
        )
        table.setAccessibleName(self.tr("What the server showed, fact by fact"))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        return table

    def is_running(self) -> bool:
        return self._task is not None and not self._task.done()

    # --- running ------------------------------------------------------------

    async def run(self, work: Examination) -> None:
        """Run the examination and show its report; Cancel or closing the dialog cancels
        it (the examination then puts back what it changed before it returns)."""
        if self._stopping:  # closed before it started
            return
        self._task = asyncio.current_task()
        self._show_running(True)
        try:
            report = await work(self._say)
        except Exception as error:
            log.warning("the connection check failed unexpectedly: %s", redact(repr(error)))
            if not self._stopping:
                self._show_running(False)
                self.problem.setText(
                    self.tr(
                        "The check failed unexpectedly ({reason}). Try again; if it keeps "
                        "failing, send the diagnostics to support."
                    ).format(reason=type(error).__name__)
                )
                self.problem.setVisible(True)
            return
        finally:
            self._task = None
        if not self._stopping:
            self.show_report(report)

    def _say(self, words: str) -> None:
        """Progress as it comes; none once stopped, when the dialog may be gone while the
        examination puts back what it changed."""
        if not self._stopping:
            self.doing.setText(words)

    def _show_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.doing.setVisible(running)
        self.copy_button.setEnabled(not running and self.report is not None)
        self.close_button.setText(self.tr("Cancel") if running else self.tr("Close"))
        self.close_button.setAccessibleName(
            self.tr("Cancel the check") if running else self.tr("Close")
        )
        if running:
            self.doing.setText(self.tr("Checking the connection…"))

    def reject(self) -> None:
        """Cancel (or Escape, or Close) stops a running check and closes the dialog."""
        self._stop()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self._stop()
        super().closeEvent(event)

    def _stop(self) -> None:
        self._stopping = True
        if self._task is not None and not self._task.done():
            self._task.cancel()

    # --- showing ------------------------------------------------------------

    def show_report(self, report: Report) -> None:
        """The table, the fixes, the notes, and why it stopped early if it did."""
        self.report = report
        self._show_running(False)
        self.problem.setVisible(report.problem is not None)
        if report.problem is not None:
            self.problem.setText(
                self.tr("The check stopped: {reason}").format(reason=report.problem.message)
            )
        self.summary.setText(self._summary(report))
        self.summary.setVisible(True)
        self.table.setRowCount(len(report.rows))
        bold = QFont(self.table.font())
        bold.setBold(True)
        for number, row in enumerate(report.rows):
            fact, found = row.fact, row.finding
            name = QTableWidgetItem(fact.name)
            name.setToolTip(
                self.tr("The toolbar assumes: {says} ({standing})").format(
                    says=fact.says, standing=fact.standing
                )
            )
            verdict = QTableWidgetItem(self._verdict(found.verdict))
            if found.verdict == "differs":
                verdict.setFont(bold)
            seen = QTableWidgetItem(found.seen)
            seen.setToolTip(found.seen)
            for place, item in enumerate((name, verdict, seen)):
                self.table.setItem(number, place, item)
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(report.rows))
        fixes = [self._fix(row) for row in report.differences]
        self.fixes.setPlainText("\n\n".join(fixes))
        self.fixes.setVisible(bool(fixes))
        self.notes.setText("\n".join(f"• {each}" for each in report.notes))
        self.notes.setVisible(bool(report.notes))
        self.copy_button.setEnabled(True)
        self.copy_button.setFocus()
        self.reported.emit(report)

    def _summary(self, report: Report) -> str:
        if report.problem is not None:
            return self.tr("The check did not finish.")
        count = len(report.differences)
        if count:
            return self.tr(
                "Facts that differ: {count} of {total}. See what to change below."
            ).format(count=count, total=len(report.rows))
        return self.tr("Nothing differs from what the toolbar assumes.")

    def _verdict(self, verdict: Verdict) -> str:
        return {
            "matches": self.tr("matches"),
            "differs": self.tr("DIFFERS"),
            "not_seen": self.tr("not seen"),
        }[verdict]

    def _fix(self, row: Row) -> str:
        lines = [
            self.tr("{fact}: the toolbar assumes {says}").format(
                fact=row.fact.name, says=row.fact.says
            ),
            self.tr("The server showed: {seen}").format(seen=row.finding.seen),
            self.tr("Fix:"),
            *(f"    {line}" for line in (row.finding.fix or "").splitlines()),
        ]
        return "\n".join(lines)

    def copy(self) -> None:
        """The report's text, as `agent-toolbar doctor` prints it, on the clipboard."""
        if self.report is None:
            return
        QGuiApplication.clipboard().setText(render_text(self.report))
        self.doing.setText(self.tr("Copied the report to the clipboard."))
        self.doing.setVisible(True)
