"""The agent's queues: whether each takes calls, how busy it is, pause and resume.

Each row shows the queue's pressure (calls in it, the longest wait, agents free) so
that the agent sees what pausing costs before doing it.
"""

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QGridLayout, QLabel, QMenu, QToolButton, QWidget

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.state import QueueInfo
from agent_toolbar.ui import text, theme
from agent_toolbar.ui.i18n import translate
from agent_toolbar.ui.toolbar.cards import Card, Line


def pause_lengths() -> list[tuple[float | None, str]]:
    """The pauses offered: untimed, or resuming by itself after a while."""
    return [
        (None, translate("QueuesView", "Pause")),
        (300.0, translate("QueuesView", "Pause for 5 min")),
        (900.0, translate("QueuesView", "Pause for 15 min")),
        (1800.0, translate("QueuesView", "Pause for 30 min")),
        (3600.0, translate("QueuesView", "Pause for 1 hour")),
    ]


class QueuesView(Card):
    """Signals:
    pause(str, object): pause a queue, resuming by itself after the seconds given (or None).
    resume(str): take a queue's calls again.
    """

    pause = Signal(str, object)
    resume = Signal(str)

    def __init__(self, shortcut_for: Callable[[int], str]) -> None:
        super().__init__(self.tr("Your queues"), [])
        self.setVisible(True)
        self._shortcut_for = shortcut_for
        self._grid = QGridLayout()
        self.body.addLayout(self._grid)
        self._empty = self.line(self.tr("Queues"))
        self._rows: dict[str, _Row] = {}

    def show_state(self, state: AgentState, clock: Callable[[float], str]) -> None:
        members = [queue for queue in state.queues if queue.member]
        if [row.queue_id for row in self._rows.values()] != [q.queue_id for q in members]:
            self._rebuild(members)
        logged_in = state.status != "logged_out"
        self._empty.setVisible(not members)
        self._empty.setText(
            self.tr("Log in to see your queues.")
            if not logged_in
            else self.tr("Your queues are not known yet.")
        )
        for queue in members:
            self._rows[queue.queue_id].show_state(state, queue, clock, logged_in)

    def _rebuild(self, members: list[QueueInfo]) -> None:
        for row in self._rows.values():
            row.remove(self._grid)
        self._rows = {
            queue.queue_id: _Row(self, queue.queue_id, number, self._shortcut_for(number))
            for number, queue in enumerate(members, start=1)
        }
        for position, row in enumerate(self._rows.values()):
            row.place(self._grid, position)
        self._chain_rows()

    def _chain_rows(self) -> None:
        """New rows would join the end of the window's Tab order, after the timeline below
        them: put their buttons after the last stop above the queues instead."""
        before = self.previousInFocusChain()
        while before is not None and not before.focusPolicy() & Qt.FocusPolicy.TabFocus:
            before = None if before is self.window() else before.previousInFocusChain()
        for row in self._rows.values():
            for button in (row.pause, row.resume):
                if before is not None:
                    QWidget.setTabOrder(before, button)
                before = button


class _Row:
    """One queue: name, pause state, pressure, and its buttons."""

    def __init__(self, view: QueuesView, queue_id: str, number: int, keys: str) -> None:
        self.queue_id = queue_id
        self.name = QLabel()
        self.name.setObjectName("title")
        self.paused = QLabel()
        self.pressure = Line()
        self.pressure.setAccessibleName(translate("QueuesView", "Queue pressure"))
        self.pause = QToolButton()
        self.pause.setText(translate("QueuesView", "Pause"))
        self.pause.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.pause)
        for seconds, words in pause_lengths():
            choice = QAction(words, menu)
            choice.triggered.connect(
                lambda _checked=False, length=seconds: view.pause.emit(queue_id, length)
            )
            menu.addAction(choice)
        self.pause.setMenu(menu)
        self.resume = QToolButton()
        self.resume.setText(translate("QueuesView", "Resume"))
        self.resume.clicked.connect(lambda: view.resume.emit(queue_id))
        self._keys = keys
        self._number = number

    def place(self, grid: QGridLayout, position: int) -> None:
        widgets: list[QWidget] = [self.name, self.paused, self.pressure, self.pause, self.resume]
        for column, widget in enumerate(widgets):
            grid.addWidget(widget, position, column)
        grid.setColumnStretch(2, 1)

    def remove(self, grid: QGridLayout) -> None:
        for widget in (self.name, self.paused, self.pressure, self.pause, self.resume):
            grid.removeWidget(widget)
            widget.deleteLater()

    def show_state(
        self, state: AgentState, queue: QueueInfo, clock: Callable[[float], str], logged_in: bool
    ) -> None:
        name = queue.name or translate("QueuesView", "Queue {n}").format(n=self._number)
        is_paused = queue.queue_id in state.paused_queues
        self.name.setText(name)
        words = text.pause_text(state, queue, clock)
        self.paused.setText(words)
        self.paused.setStyleSheet(theme.ink("away" if is_paused else "ready"))
        self.paused.setAccessibleName(f"{name}: {words}")
        self.pressure.setText(text.pressure(queue))
        pause = translate("QueuesView", "Pause {queue}").format(queue=name)
        resume = translate("QueuesView", "Resume {queue}").format(queue=name)
        refused = state.refusal("pause_queues")
        for button, words in ((self.pause, pause), (self.resume, resume)):
            button.setAccessibleName(words)
            tip = f"{words} ({self._keys})" if self._keys else words
            if refused:
                tip = translate("QueuesView", "{change}: off, the server refused it ({why})")
                tip = tip.format(change=words, why=refused)
            button.setToolTip(tip)
            button.setEnabled(logged_in and refused is None)
        self.pause.setVisible(not is_paused)
        self.resume.setVisible(is_paused)
