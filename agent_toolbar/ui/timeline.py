"""The timeline: every change of status, activity, pause or monitoring, newest first,
with when it happened, who caused it and why (the "why am I Away?" answer)."""

from collections.abc import Callable

from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.state import Change
from agent_toolbar.ui import text
from agent_toolbar.ui.cards import Card


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

    def show_history(self, state: AgentState, clock: Callable[[float], str]) -> None:
        if state.history == self._shown:
            return
        self._shown = state.history
        self.tree.clear()
        for change in reversed(state.history):
            item = QTreeWidgetItem(list(text.timeline_row(state, change, clock)))
            for column in range(item.columnCount()):
                item.setToolTip(column, item.text(column))
            self.tree.addTopLevelItem(item)
        for column in range(3):
            self.tree.resizeColumnToContents(column)
