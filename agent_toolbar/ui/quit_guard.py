"""Quitting without leaving calls to ring at an empty seat.

Before the application stops the session, `may_quit` follows the quit plan
(`quitting.py`): it asks a Ready agent what to do, or logs out or goes Away first,
as the preference says. The question is a message box opened with `open()` and
awaited through a future (a nested event loop would break qasync). The change is
waited for only a few seconds: with the server gone, quitting must not hang, so it
quits anyway and says so in the log.

When the operating system ends the session (Qt's `commitDataRequest`: X11 session
managers, Windows logoff, macOS logout) nobody is there to answer: the plan's change
is made without a question, and `session_ended` tells the application to close.
"""

import asyncio
import logging
from typing import assert_never

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QSessionManager
from PySide6.QtWidgets import QMessageBox, QWidget

from agent_toolbar.config import QuitWhileReady
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Away, Logout, describe
from agent_toolbar.quitting import Answer, command_for, quit_plan
from agent_toolbar.session import Session

log = logging.getLogger("agent_toolbar.ui")

QUIT_LIMIT = 4.0
"""Seconds to wait for the server to confirm the change made before quitting."""


class QuitGuard(QObject):
    """Signals:
    session_ended(): the OS is ending the session and the plan's change was made (or ran
    out of time): close now, without asking.
    """

    session_ended = Signal()

    def __init__(
        self,
        session: Session,
        preference: QuitWhileReady,
        window: QWidget,
        *,
        limit: float = QUIT_LIMIT,
    ) -> None:
        super().__init__(window)
        self.preference = preference
        """What quitting while Ready does; the settings may change it at any time."""
        self._session = session
        self._window = window
        self._limit = limit
        self._approved = False
        self._deciding = 0
        """Requests being decided: a user's and the OS's may overlap."""
        self._question: QMessageBox | None = None
        self._ending: asyncio.Task[None] | None = None

    def follow_session_end(self, app: QGuiApplication) -> None:
        """Make the plan's change when the OS asks the application to commit its data."""
        app.commitDataRequest.connect(
            self.on_commit_data_request, Qt.ConnectionType.DirectConnection
        )

    @Slot(QSessionManager)
    def on_commit_data_request(self, manager: QSessionManager) -> None:
        # Start at login is the way back; a restored session would start a second toolbar,
        # with arguments (`-session ID`) its command line does not know.
        manager.setRestartHint(QSessionManager.RestartHint.RestartNever)
        self.end_session()

    def end_session(self) -> None:
        """The session is ending (also SIGTERM): make the change without asking, then emit
        `session_ended`. Returns at once: Qt's handler must not block."""
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end_session())

    async def may_quit(self, os_session_ending: bool = False) -> bool:
        """Whether the application may stop now; False when the agent cancelled, or while
        an earlier request is still being decided (that one answers)."""
        if self._approved:
            return True
        if os_session_ending:
            self._drop_question()
        elif self._deciding > 0:
            if self._question is not None:
                self._question.raise_()
            return False
        self._deciding += 1
        try:
            quitting, command = await self._decide(os_session_ending)
            if not quitting:
                return False
            if command is not None:
                await self._carry_out(command)
            self._approved = True
            return True
        finally:
            self._deciding -= 1

    async def _end_session(self) -> None:
        await self.may_quit(os_session_ending=True)
        self.session_ended.emit()

    async def _decide(self, os_session_ending: bool) -> tuple[bool, Logout | Away | None]:
        """Whether to quit, and the change to make first."""
        state = self._session.state
        can_go_away = self._session.capabilities.away
        plan = quit_plan(
            state, self.preference, os_session_ending=os_session_ending, can_go_away=can_go_away
        )
        if not plan.ask or state is None:
            return True, plan.command
        answer = await self._ask(state, can_go_away=can_go_away)
        if answer is None:
            log.info("the agent chose not to quit")
            return False, None
        return True, command_for(answer, can_go_away=can_go_away)

    async def _ask(self, state: AgentState, *, can_go_away: bool) -> Answer | None:
        """The agent's answer, or None for Cancel (or the box closed)."""
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Quit the toolbar?"))
        box.setText(self._situation(state))
        box.setInformativeText(
            self.tr("Log out or go Away first, so that calls do not ring at an empty seat.")
        )
        log_out = box.addButton(self.tr("Log out and quit"), QMessageBox.ButtonRole.AcceptRole)
        away = box.addButton(self.tr("Go away and quit"), QMessageBox.ButtonRole.AcceptRole)
        away.setVisible(can_go_away)
        stay = box.addButton(self.tr("Quit and stay ready"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(log_out)
        box.setEscapeButton(cancel)
        answered: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def finished(_result: int) -> None:
            if not answered.done():
                answered.set_result(None)

        box.finished.connect(finished)
        self._question = box
        box.open()
        try:
            await answered
            clicked = box.clickedButton()
        finally:
            self._question = None
            box.close()
            box.deleteLater()
        choices: list[tuple[QWidget, Answer]] = [
            (log_out, "log_out"),
            (away, "away"),
            (stay, "stay"),
        ]
        return next((answer for button, answer in choices if button == clicked), None)

    def _situation(self, state: AgentState) -> str:
        match state.activity:
            case "offered":
                return self.tr("A call is ringing for you, and you are Ready.")
            case "on_call" | "external_call":
                return self.tr("You are on a call, and Ready for the next one.")
            case "wrapup":
                return self.tr("You are in wrap-up: calls ring again when it ends.")
            case "idle":
                return self.tr("You are Ready: calls keep ringing here.")
        assert_never(state.activity)

    def _drop_question(self) -> None:
        """No one answers while the OS ends the session: the open question goes."""
        if self._question is not None:
            self._question.reject()

    async def _carry_out(self, command: Logout | Away) -> None:
        """Make the change before quitting, waiting a few seconds at most for the server."""
        change = describe(command)
        try:
            async with asyncio.timeout(self._limit):
                progress = await self._session.execute(command)
        except TimeoutError:
            log.warning(
                "quitting without the server's word on %s: no answer within %g s",
                change,
                self._limit,
            )
            return
        if progress.phase == "confirmed":
            log.info("%s before quitting: confirmed by the server", change)
        else:
            log.warning("quitting although %s %s: %s", change, progress.phase, progress.reason)
