"""The timeline: every change of status, activity, pause or monitoring, newest first,
with when it happened, who caused it and why (the "why am I Away?" answer).

The state's history only grows at its end and loses entries at its start, so new
entries are added as rows at the top and fallen-off ones removed at the bottom:
rebuilding 200 rows on every change cost a quarter of the toolbar's time during an
event burst. Rows name queues, so a change of queue names (not of their pressure,
which changes all the time) rebuilds them all.
"""

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.state import Change
from agent_toolbar.ui import text
from agent_toolbar.ui.toolbar.cards import Card

_SIZED_COLUMNS = 3
"""Time, change and source fit their text; the cause takes the rest of the width."""
_COLUMN_PADDING = 16


class TimelineView(Card):
    def __init__(self) -> None:
        super().__init__(self.tr("Timeline"), [])
        self.setVisible(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [self.tr("Time"), self.tr("Change"), self.tr("By"), self.tr("Why")]
        )
        self.tree.setRootIsDecorated(False)
        self.tree.setAccessibleName(self.tr("Timeline of changes"))
        self.tree.setMinimumHeight(120)
        self.body.addWidget(self.tree)
        self._shown: tuple[Change, ...] = ()
        self._names: tuple[tuple[str, str | None], ...] = ()

    def show_history(self, state: AgentState, clock: Callable[[float], str]) -> None:
        history = state.history
        names = tuple((queue.queue_id, queue.name) for queue in state.queues)
        if history == self._shown and names == self._names:
            return
        kept = self._kept(history) if names == self._names else 0
        self._shown, self._names = history, names
        if kept == 0:
            self.tree.clear()
        else:
            for _ in range(self.tree.topLevelItemCount() - kept):
                self.tree.takeTopLevelItem(self.tree.topLevelItemCount() - 1)
        added = [self._row(state, change, clock) for change in reversed(history[kept:])]
        self.tree.insertTopLevelItems(0, added)
        if kept == 0:
            for column in range(_SIZED_COLUMNS):
                self.tree.resizeColumnToContents(column)
        elif added:
            self._widen(added)

    def _kept(self, history: tuple[Change, ...]) -> int:
        """How many of the shown entries `history` still starts with (0: rebuild)."""
        shown = self._shown
        if not history:
            return 0
        first = next((n for n, change in enumerate(shown) if change is history[0]), None)
        if first is None:
            return 0
        kept = len(shown) - first
        if kept > len(history) or history[kept - 1] is not shown[-1]:
            return 0
        return kept

    @staticmethod
    def _row(state: AgentState, change: Change, clock: Callable[[float], str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem(list(text.timeline_row(state, change, clock)))
        for column in range(item.columnCount()):
            item.setToolTip(column, item.text(column))
        return item

    def _widen(self, added: Sequence[QTreeWidgetItem]) -> None:
        """Widen a column for a new row's text, as a full resize would, without measuring all."""
        metrics = self.tree.fontMetrics()
        for column in range(_SIZED_COLUMNS):
            needed = max(metrics.horizontalAdvance(item.text(column)) for item in added)
            if needed + _COLUMN_PADDING > self.tree.columnWidth(column):
                self.tree.setColumnWidth(column, needed + _COLUMN_PADDING)
