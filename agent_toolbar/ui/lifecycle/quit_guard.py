"""Quitting without leaving calls to ring at an empty seat.

Before the application stops the session, `may_quit` follows the quit plan
(`quitting.py`): it asks a Ready agent what to do, or logs out or goes Away first,
as the preference says. Questions are message boxes opened with `open()` and awaited
through a future (a nested event loop would break qasync).

A change that does not land is tried again (`quitting.judge`, `next_wait`) for
`ASK_AFTER` seconds; then the agent, still Ready on the server, is told why and
chooses: try again, stay, or quit anyway. Nothing quits by itself while the server
may still ring the seat.

When the operating system ends the session (Qt's `commitDataRequest`: X11 session
managers, Windows logoff, macOS logout) or a stop signal comes, nobody is there to
answer: the change is made without a question, tried again for as long as the OS
gives (`SESSION_END_TIME`, `STOP_SIGNAL_TIME`; a second signal means now), and
`session_ended` tells the application to close. A quit that leaves the agent taking
calls is logged and recorded (`quit_record.py`); the next start of the profile tells
the agent, in a note that does not block the toolbar.
"""

import asyncio
import time
from collections.abc import Callable
from typing import Any, Literal, assert_never

from PySide6.QtCore import QDateTime, QLocale, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QSessionManager
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from agent_toolbar.config.quit_record import Change, LeftTakingCalls, QuitRecord
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Away, Logout, describe
from agent_toolbar.domain.quitting import (
    ASK_AFTER,
    SESSION_END_TIME,
    STOP_SIGNAL_TIME,
    Answer,
    QuitWhileReady,
    Verdict,
    command_for,
    judge,
    next_wait,
    quit_plan,
    taking_calls,
)
from agent_toolbar.domain.state import CommandProgress
from agent_toolbar.session.core import Session
from agent_toolbar.support.log import ui as log

StillReadyChoice = Literal["retry", "stay", "quit"]
"""What an agent still Ready on the server chose: try again, stay, or quit anyway."""


class QuitGuard(QObject):
    """Signals:
    session_ended(): the OS (or a stop signal) is ending the session, and the plan's change
    was made or ran out of time: close now, without asking.
    """

    session_ended = Signal()

    def __init__(
        self,
        session: Session,
        preference: QuitWhileReady,
        window: QWidget,
        *,
        record: QuitRecord | None = None,
        ask_after: float = ASK_AFTER,
        session_end_time: float = SESSION_END_TIME,
        stop_signal_time: float = STOP_SIGNAL_TIME,
    ) -> None:
        super().__init__(window)
        self.preference = preference
        """What quitting while Ready does; the settings may change it at any time."""
        self._session = session
        self._window = window
        self._record = record
        self._ask_after = ask_after
        self._session_end_time = session_end_time
        self._stop_signal_time = stop_signal_time
        self._approved = False
        self._deciding = 0
        """Requests being decided: a user's and the OS's may overlap."""
        self._question: QMessageBox | None = None
        self._ending: asyncio.Task[None] | None = None
        self._deadline = 0.0
        """While the OS ends the session: the loop time by which to have quit."""
        self._os_ending = asyncio.Event()
        """Set once the OS path decides: a quit the agent asked for then gives way."""
        self._hurry = asyncio.Event()
        """A second stop signal: stop trying, quit now."""
        self._signals = 0
        self._attempt: asyncio.Task[CommandProgress] | None = None
        self._attempt_started = 0.0

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
        """The OS is ending the session: make the change without asking, trying for up to
        `session_end_time`, then emit `session_ended`. Returns at once: Qt's handler must
        not block."""
        self._end(self._session_end_time)

    def stop_signalled(self) -> None:
        """SIGTERM (a service manager's stop, also at log-off) or Ctrl-C: as the end of the
        session, trying for up to `stop_signal_time`; a second signal quits now."""
        self._signals += 1
        if self._signals > 1:
            log.warning("a second stop signal: quitting now, without waiting for the server")
            self._hurry.set()
            return
        self._end(self._stop_signal_time)

    def _end(self, seconds: float) -> None:
        self._deadline = max(self._deadline, asyncio.get_running_loop().time() + seconds)
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end_session())

    def approve_restart(self) -> None:
        """A restart (a changed policy, an upgrade) quits WITHOUT the plan's change and
        without asking, on purpose: the agent's status stays on the server, and the new
        process signs in again at once and takes it over. An open question goes."""
        log.info("restarting: the agent's status stays on the server as it is")
        self._approved = True
        self._drop_question()

    async def may_quit(self, os_session_ending: bool = False) -> bool:
        """Whether the application may stop now; False when the agent cancelled or chose to
        stay, or while an earlier request is still being decided (that one answers)."""
        if self._approved:
            return True
        if os_session_ending:
            self._os_ending.set()
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
            if os_session_ending and command is not None:
                await self._carry_out_unasked(command)
            elif command is not None and not await self._carry_out_asking(command):
                return False
            self._approved = True
            return True
        finally:
            self._deciding -= 1

    async def tell_last_quit(self) -> None:
        """At the start of a profile: say once, without blocking the toolbar, that the last
        quit left the agent taking calls."""
        if self._record is None:
            return
        last = await asyncio.to_thread(self._record.take)
        if last is None:
            return
        log.warning(
            "the last quit (%s) left the agent taking calls on %s: %s",
            time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(last.at)),
            last.server,
            last.reason,
        )
        self._note_last_quit(last)

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
            if can_go_away
            else self.tr("Log out first, so that calls do not ring at an empty seat.")
        )
        log_out = box.addButton(self.tr("Log out and quit"), QMessageBox.ButtonRole.AcceptRole)
        away = box.addButton(self.tr("Go away and quit"), QMessageBox.ButtonRole.AcceptRole)
        away.setVisible(can_go_away)
        stay = box.addButton(self.tr("Quit and stay ready"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(log_out)
        box.setEscapeButton(cancel)
        clicked = await self._answer(box)
        choices: list[tuple[QAbstractButton, Answer]] = [
            (log_out, "log_out"),
            (away, "away"),
            (stay, "stay"),
        ]
        return next((answer for button, answer in choices if button == clicked), None)

    async def _answer(
        self, box: QMessageBox, settled: Callable[[AgentState], bool] | None = None
    ) -> QAbstractButton | None:
        """Open `box` and wait for the button clicked; None when it closed without one (the
        OS took over), or when the state `settled` the question."""
        answered: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        """True when the state settled the question, False when the box closed."""

        def finished(_result: int) -> None:
            if not answered.done():
                answered.set_result(False)

        def changed(state: AgentState) -> None:
            if settled is not None and settled(state) and not answered.done():
                answered.set_result(True)
                box.reject()

        box.finished.connect(finished)
        stop_listening = self._session.subscribe(changed)
        self._question = box
        box.open()
        try:
            return None if await answered else box.clickedButton()
        finally:
            stop_listening()
            self._question = None
            box.close()
            box.deleteLater()

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

    # --- making the change --------------------------------------------------

    async def _carry_out_asking(self, command: Logout | Away) -> bool:
        """Make the change the agent wants before quitting; whether to quit. While it does
        not land, the agent is told they are still Ready and chooses."""
        loop = asyncio.get_running_loop()
        while True:
            ends = loop.time() + self._ask_after
            verdict, reason = await self._persist(command, self._os_ending, until=ends)
            if verdict == "done":
                log.info("%s before quitting: done", describe(command))
                return True
            if self._os_ending.is_set():
                return False
            log.warning(
                "%s before quitting did not land (%s): asking the agent", describe(command), reason
            )
            choice = await self._ask_still_ready(command, reason)
            if choice == "retry":
                continue
            if choice == "quit":
                await self._left_taking_calls(command, reason, "the agent chose to quit anyway")
                return True
            if self._os_ending.is_set():
                return False
            if choice is None and self._verdict(None) == "done":  # it landed meanwhile
                log.info("%s before quitting: done", describe(command))
                return True
            log.info("the agent chose to stay: still taking calls")
            return False

    async def _carry_out_unasked(self, command: Logout | Away) -> None:
        """The OS is ending the session: try until its time is up, then quit regardless,
        leaving a record if the agent may still be taking calls."""
        verdict, reason = await self._persist(command, self._hurry)
        if verdict == "done":
            log.info("%s before the session ends: done", describe(command))
            return
        await self._left_taking_calls(command, reason, "the session is ending")

    async def _persist(
        self, command: Logout | Away, interrupt: asyncio.Event, until: float | None = None
    ) -> tuple[Verdict, str]:
        """Try `command` until it lands, the server refuses it, `until` (loop time; None:
        the OS's deadline, which a stop signal may extend) passes, or `interrupt` is set;
        the verdict, and the reason it did not land."""
        loop = asyncio.get_running_loop()

        def left() -> float:
            return (self._deadline if until is None else until) - loop.time()

        tries = 0
        while True:
            if self._attempt is None or self._attempt.done():
                self._attempt = asyncio.ensure_future(self._session.execute(command))
                self._attempt_started = loop.time()
                tries += 1
            await self._wait_for(self._attempt, left(), interrupt)
            progress = self._attempt.result() if self._attempt.done() else None
            verdict = self._verdict(progress)
            wait = next_wait(verdict, tries, left())
            if wait is None or interrupt.is_set():
                return verdict, self._why(progress, loop.time())
            log.info("%s before quitting: trying again in %.1f s", describe(command), wait)
            await self._wait_for(None, wait, interrupt)

    def _verdict(self, progress: CommandProgress | None) -> Verdict:
        session = self._session
        refused = progress is not None and session.refused(progress)
        return judge(
            session.state, progress, refused=refused, can_go_away=session.capabilities.away
        )

    def _why(self, progress: CommandProgress | None, now: float) -> str:
        """The outcome's reason; while there is none yet, what keeps the server from
        answering, if the link knows."""
        if progress is not None and progress.reason:
            return progress.reason
        state = self._session.state
        if state is not None and state.connection != "online" and state.connection_problem:
            return state.connection_problem
        return f"the server has not answered for {now - self._attempt_started:.0f} s"

    @staticmethod
    async def _wait_for(
        task: "asyncio.Task[CommandProgress] | None", seconds: float, interrupt: asyncio.Event
    ) -> None:
        """Wait up to `seconds` for `task` (None: only the time) or `interrupt`."""
        stop: asyncio.Task[Any] = asyncio.ensure_future(interrupt.wait())
        waits: set[asyncio.Future[Any]] = {stop} if task is None else {stop, task}
        try:
            await asyncio.wait(
                waits, timeout=max(0.0, seconds), return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            stop.cancel()

    async def _left_taking_calls(self, command: Logout | Away, reason: str, why: str) -> None:
        """Quitting although the change did not land: say so in the log, and keep a record
        for the next start to tell the agent."""
        log.error(
            "quitting although %s did not land (%s): %s; the server may still ring this seat",
            describe(command),
            reason,
            why,
        )
        if self._record is not None:
            change: Change = "away" if isinstance(command, Away) else "log_out"
            await asyncio.to_thread(self._record.keep, change, reason, time.time())

    async def _ask_still_ready(
        self, command: Logout | Away, reason: str
    ) -> StillReadyChoice | None:
        """The agent's choice once the change did not land; None when the question closed
        without one (the change landed meanwhile, or the OS took over)."""
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Still Ready on the server"))
        box.setText(self.tr("You are still Ready on the server: calls will ring here."))
        if isinstance(command, Away):
            failed = self.tr("The toolbar could not set you Away: {reason}.")
        else:
            failed = self.tr("The toolbar could not log you out: {reason}.")
        box.setInformativeText(
            failed.format(reason=reason)
            + "\n\n"
            + self.tr("Try again, stay, or quit anyway and leave calls ringing at an empty seat.")
        )
        retry = box.addButton(self.tr("Try again"), QMessageBox.ButtonRole.AcceptRole)
        stay = box.addButton(self.tr("Stay"), QMessageBox.ButtonRole.RejectRole)
        quit_anyway = box.addButton(self.tr("Quit anyway"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(retry)
        box.setEscapeButton(stay)
        can_go_away = self._session.capabilities.away
        clicked = await self._answer(
            box, lambda state: not taking_calls(state, can_go_away=can_go_away)
        )
        choices: list[tuple[QAbstractButton, StillReadyChoice]] = [
            (retry, "retry"),
            (stay, "stay"),
            (quit_anyway, "quit"),
        ]
        return next((choice for button, choice in choices if button == clicked), None)

    def _note_last_quit(self, last: LeftTakingCalls) -> None:
        """The note at start: non-modal, so the agent can go Ready (or check) with it open."""
        when = QLocale().toString(
            QDateTime.fromSecsSinceEpoch(round(last.at)), QLocale.FormatType.ShortFormat
        )
        if last.change == "away":
            text = self.tr("Last time the toolbar could not set you Away ({time}, {reason}).")
        else:
            text = self.tr("Last time the toolbar could not log you out ({time}, {reason}).")
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("The last quit left you Ready"))
        box.setText(text.format(time=when, reason=last.reason))
        box.setInformativeText(
            self.tr(
                "Calls may have rung here after you left. Check your status: the toolbar "
                "now shows what the server says."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
