"""The session as widgets see it: one signal per event-loop turn, and the agent's actions.

A burst of events becomes one repaint: the state is kept and a zero-delay timer
emits the latest one. Actions run as operations on qasync's loop, so a click
never blocks the window, and a failure is logged, never raised into Qt.
"""

import time

from PySide6.QtCore import QObject, QTimer, Signal

from agent_toolbar.backends.base import Capabilities
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Command
from agent_toolbar.domain.state import After
from agent_toolbar.session.core import Session
from agent_toolbar.support.log import ui as log
from agent_toolbar.ui.operations import Operations


class Presenter(QObject):
    """Signals:
    changed(AgentState): the state to show; bursts are coalesced into one.
    """

    changed = Signal(object)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._latest = session.state
        self._queued = False
        self._operations = Operations("an action failed")
        self._unsubscribe = session.subscribe(self._on_state)

    @property
    def state(self) -> AgentState | None:
        return self._latest

    @property
    def capabilities(self) -> Capabilities:
        return self._session.capabilities

    def now(self) -> float:
        """The server's time now: countdowns run to the server's deadlines."""
        return self._session.server_now()

    def clock(self, server_time: float, *, seconds: bool = False) -> str:
        """A server time as local wall-clock text (`10:42`), corrected for clock skew."""
        local = server_time - (self._session.server_now() - time.time())
        return time.strftime("%H:%M:%S" if seconds else "%H:%M", time.localtime(local))

    def execute(self, command: Command) -> None:
        self._operations.run(self._session.execute(command))

    def defer(self, command: Command, after: After) -> None:
        refused = self._session.defer(command, after)
        if refused is not None:
            log.info("not deferred: %s", refused)

    def cancel_deferred(self) -> None:
        self._session.cancel_deferred()

    def reconnect(self) -> None:
        self._session.reconnect_now("the agent asked to reconnect")

    def close(self) -> None:
        self._unsubscribe()
        self._operations.cancel()

    def _on_state(self, state: AgentState) -> None:
        self._latest = state
        if not self._queued:
            self._queued = True
            QTimer.singleShot(0, self._flush)

    def _flush(self) -> None:
        self._queued = False
        self.changed.emit(self._latest)
