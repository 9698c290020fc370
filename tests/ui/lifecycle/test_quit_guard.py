"""Quitting safely: the real window and message box offscreen, against the real simulator.

What the server did is read from the simulator's engine; a server that fails is the
simulator's fault switches (503 answers, hangs). Only the OS session manager cannot run
here: its `commitDataRequest` is stood in for by calling the slot with an object that
records the restart hint, as a QSessionManager would take it. A stop signal is stood in
for by calling what the signal handler calls (`stop_signalled`).
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import pytest_asyncio
from PySide6.QtCore import SIGNAL, QSettings, Qt
from PySide6.QtGui import QSessionManager
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from agent_toolbar.backends.base import Backend
from agent_toolbar.config.quit_record import LeftTakingCalls, QuitRecord
from agent_toolbar.domain.commands import Away, Login, Ready
from agent_toolbar.domain.quitting import QUIT_AWAY_REASON
from agent_toolbar.session.core import Session, SessionSettings
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.actions import ToolbarActions
from agent_toolbar.ui.lifecycle.quit_guard import QuitGuard
from agent_toolbar.ui.presenter import Presenter
from agent_toolbar.ui.toolbar.window import ToolbarWindow
from tests.helpers.kazoo import FAST, recover, scenario, user_id
from tests.helpers.kazoo import backend as kazoo
from tests.helpers.telphin import telphin
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio

ASK_AFTER = 1.5
"""With one send per try (ONE_SEND), two tries fit in this: at once, and after
`FIRST_WAIT` less the time the first took."""
OS_TIME = 2.5
ONE_SEND = replace(FAST, command_attempts=1)
"""The session sends each try once: the guard's tries are the server's requests."""
SERVER = "https://pbx.example"


@dataclass
class Running:
    sim: Simulator
    session: Session
    window: ToolbarWindow
    guard: QuitGuard
    me: str
    record: QuitRecord

    def server_status(self) -> tuple[str, str | None]:
        agent = self.sim.engine.agent(self.me)
        return agent.status, agent.away_reason

    async def ready(self) -> None:
        await self.session.execute(Login())
        await self.session.execute(Ready())
        assert self.server_status() == ("ready", None)

    def activity(self) -> str | None:
        state = self.session.state
        return None if state is None else state.activity

    async def asked(self) -> tuple[asyncio.Task[bool], QMessageBox]:
        """Quitting begun, as far as the question it asks: the decision still to come."""
        deciding = asyncio.create_task(self.guard.may_quit())
        return deciding, await self.question()

    async def log_out_failing(
        self, status: int = 503, times: int = 100
    ) -> tuple[asyncio.Task[bool], QMessageBox]:
        """Ready, then quitting with a log-out the server answers `status` (`times` over):
        the question that says the agent is still Ready, the decision still to come."""
        await self.ready()
        self.guard.preference = "log_out"
        self.sim.faults.fail_rest(status, times=times)
        deciding, box = await self.asked()
        assert still_ready(box)
        return deciding, box

    def session_ends(self) -> asyncio.Event:
        """Set when the guard lets the session end."""
        ended = asyncio.Event()
        self.guard.session_ended.connect(ended.set)
        return ended

    def left_record(self) -> LeftTakingCalls:
        """The record the quit left (it must have left one), taken."""
        last = self.record.take()
        assert last is not None
        return last

    async def question(self) -> QMessageBox:
        async with asyncio.timeout(5):
            while (box := self.window.findChild(QMessageBox)) is None or not box.isVisible():
                await asyncio.sleep(0.02)
        return box


@contextlib.asynccontextmanager
async def guarded(
    qtbot: QtBot,
    tmp_path: Path,
    sim: Simulator,
    backend: Backend,
    *,
    settings: SessionSettings = ONE_SEND,
    stop_signal_time: float = OS_TIME,
) -> AsyncIterator[tuple[Session, ToolbarWindow, QuitGuard]]:
    """The window and its quit guard for a session on `backend`, online."""
    session = Session(backend, settings)
    await session.sign_in()
    qt_settings = QSettings(str(tmp_path / "toolbar.ini"), QSettings.Format.IniFormat)
    presenter = Presenter(session)
    window = ToolbarWindow(presenter, ToolbarActions(presenter), qt_settings)
    qtbot.addWidget(window)
    window.show()
    guard = QuitGuard(
        session,
        "ask",
        window,
        record=QuitRecord("work", SERVER, tmp_path / "quit-record.json"),
        ask_after=ASK_AFTER,
        session_end_time=OS_TIME,
        stop_signal_time=stop_signal_time,
    )
    link = asyncio.create_task(session.run())
    try:
        await until(lambda: session.state is not None and session.state.connection == "online")
        yield session, window, guard
    finally:
        session.stop()
        await link
        await session.close()


@pytest_asyncio.fixture
async def running(qtbot: QtBot, tmp_path: Path) -> AsyncIterator[Running]:
    async with (
        Simulator(scenario()) as sim,
        guarded(qtbot, tmp_path, sim, kazoo(sim)) as (session, window, guard),
    ):
        record = QuitRecord("work", SERVER, tmp_path / "quit-record.json")
        yield Running(sim, session, window, guard, user_id(sim, "ada"), record)


def button(box: QMessageBox, text: str) -> QAbstractButton:
    return next(each for each in box.buttons() if each.text() == text)


async def test_quitting_while_ready_logs_out_first(running: Running) -> None:
    await running.ready()
    running.guard.preference = "log_out"
    assert await running.guard.may_quit()
    assert running.server_status() == ("logged_out", None)
    assert running.window.findChild(QMessageBox) is None


async def test_quitting_while_ready_goes_away_first(running: Running) -> None:
    await running.ready()
    running.guard.preference = "away"
    assert await running.guard.may_quit()
    assert running.server_status() == ("away", QUIT_AWAY_REASON)


async def test_staying_ready_quits_without_a_change(running: Running) -> None:
    await running.ready()
    running.guard.preference = "stay"
    assert await running.guard.may_quit()
    assert running.server_status() == ("ready", None)


@pytest.mark.parametrize(
    ("choice", "quits", "status"),
    [
        ("Log out and quit", True, ("logged_out", None)),
        ("Go away and quit", True, ("away", QUIT_AWAY_REASON)),
        ("Quit and stay ready", True, ("ready", None)),
        ("Cancel", False, ("ready", None)),
    ],
)
async def test_asked_each_button_does_what_it_says(
    running: Running, choice: str, quits: bool, status: tuple[str, str | None]
) -> None:
    await running.ready()
    deciding, box = await running.asked()
    assert box.text() == "You are Ready: calls keep ringing here."
    assert box.windowModality() == Qt.WindowModality.WindowModal  # open(), not exec()
    shown = [each.text() for each in box.buttons() if each.isVisible()]
    assert sorted(shown) == sorted(
        ["Log out and quit", "Go away and quit", "Quit and stay ready", "Cancel"]
    )
    assert box.defaultButton() is button(box, "Log out and quit")
    QTest.mouseClick(button(box, choice), Qt.MouseButton.LeftButton)
    assert await asyncio.wait_for(deciding, 5) is quits
    assert running.server_status() == status
    assert running.window.isVisible()  # closing is the application's move, not the guard's


async def test_escape_cancels_and_the_next_quit_asks_again(running: Running) -> None:
    await running.ready()
    deciding, box = await running.asked()
    QTest.keyClick(box, Qt.Key.Key_Escape)
    assert await asyncio.wait_for(deciding, 5) is False
    await until(lambda: running.window.findChild(QMessageBox) is None)  # gone, not hidden
    again, box = await running.asked()
    QTest.mouseClick(button(box, "Log out and quit"), Qt.MouseButton.LeftButton)
    assert await asyncio.wait_for(again, 5) is True
    assert running.server_status() == ("logged_out", None)


# The second request raises the open question; offscreen Qt cannot raise windows.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
async def test_a_second_quit_while_asking_does_not_ask_twice(running: Running) -> None:
    await running.ready()
    first, box = await running.asked()
    assert await running.guard.may_quit() is False  # the open question answers for both
    assert len(running.window.findChildren(QMessageBox)) == 1
    QTest.mouseClick(button(box, "Quit and stay ready"), Qt.MouseButton.LeftButton)
    assert await asyncio.wait_for(first, 5) is True
    assert await running.guard.may_quit() is True  # decided: quitting goes on without asking


async def test_on_a_call_the_question_says_so(running: Running) -> None:
    await running.ready()
    running.sim.engine.add_caller("Sales", "Marie Curie", "+33123456789", talk_seconds=30)
    await until(lambda: running.activity() == "offered")
    running.sim.engine.answer(running.me)
    await until(lambda: running.activity() == "on_call")
    deciding, box = await running.asked()
    assert box.text() == "You are on a call, and Ready for the next one."
    QTest.mouseClick(button(box, "Cancel"), Qt.MouseButton.LeftButton)
    assert await asyncio.wait_for(deciding, 5) is False


@pytest.mark.parametrize("status", ["logged_out", "away"])
async def test_an_agent_taking_no_calls_is_not_asked(running: Running, status: str) -> None:
    if status == "away":
        await running.session.execute(Login())
        await running.session.execute(Away(reason="Lunch"))
    before = running.server_status()
    assert await running.guard.may_quit()
    assert running.window.findChild(QMessageBox) is None
    assert running.server_status() == before


def still_ready(box: QMessageBox) -> bool:
    return box.text() == "You are still Ready on the server: calls will ring here."


async def test_a_log_out_the_server_fails_asks_and_does_not_quit_by_itself(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    deciding, box = await running.log_out_failing()
    assert "The toolbar could not log you out: " in box.informativeText()
    assert "503" in box.informativeText()  # the server's own answer
    shown = [each.text() for each in box.buttons() if each.isVisible()]
    assert sorted(shown) == ["Quit anyway", "Stay", "Try again"]
    assert box.defaultButton() is button(box, "Try again")
    assert box.escapeButton() is button(box, "Stay")
    await asyncio.sleep(3 * ASK_AFTER)
    assert not deciding.done()  # nothing quits while the server may ring the seat
    assert box.isVisible()
    assert running.server_status() == ("ready", None)
    QTest.keyClick(box, Qt.Key.Key_Escape)
    assert await asyncio.wait_for(deciding, 5) is False
    assert running.window.isVisible()
    assert running.record.take() is None  # staying is no quit: nothing to tell
    assert "asking the agent" in caplog.text


async def test_the_log_out_is_tried_again_before_asking(running: Running) -> None:
    await running.ready()
    running.guard.preference = "log_out"
    running.sim.faults.fail_rest(503, times=1)
    assert await asyncio.wait_for(running.guard.may_quit(), 5) is True
    assert running.window.findChild(QMessageBox) is None
    assert running.server_status() == ("logged_out", None)


async def test_a_refused_log_out_is_not_tried_again_blindly(running: Running) -> None:
    deciding, box = await running.log_out_failing(403, times=1)  # a second try would get through
    assert "The toolbar could not log you out: the server refused" in box.informativeText()
    assert running.server_status() == ("ready", None)
    QTest.mouseClick(button(box, "Try again"), Qt.MouseButton.LeftButton)  # the agent may
    assert await asyncio.wait_for(deciding, 5) is True
    assert running.server_status() == ("logged_out", None)


async def test_the_session_tells_a_refusal_from_a_failure(running: Running) -> None:
    await running.session.execute(Login())
    running.sim.faults.fail_rest(403, times=1)
    refused = await running.session.execute(Ready())
    assert refused.phase == "failed"
    assert running.session.refused(refused)
    running.sim.faults.fail_rest(503, times=1)
    failed = await running.session.execute(Ready())
    assert failed.phase == "failed"
    assert not running.session.refused(failed)


async def test_a_stop_signal_stops_trying_once_the_server_refuses(running: Running) -> None:
    await running.ready()
    running.sim.faults.fail_rest(403, times=1)
    ended = running.session_ends()
    running.guard.stop_signalled()
    await asyncio.wait_for(ended.wait(), OS_TIME / 2)  # at once, not at the end of its time
    assert running.server_status() == ("ready", None)
    last = running.left_record()
    assert "refused" in last.reason


async def test_try_again_after_the_server_recovers_logs_out_and_quits(running: Running) -> None:
    deciding, box = await running.log_out_failing(times=1000)
    assert running.server_status() == ("ready", None)
    await recover(running.sim)
    QTest.mouseClick(button(box, "Try again"), Qt.MouseButton.LeftButton)
    assert await asyncio.wait_for(deciding, 5) is True
    assert running.server_status() == ("logged_out", None)
    assert running.record.take() is None


async def test_quit_anyway_quits_ready_and_leaves_a_record(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    await running.ready()
    running.guard.preference = "away"
    running.sim.faults.fail_rest(503, times=100)
    deciding, box = await running.asked()
    assert "The toolbar could not set you Away: " in box.informativeText()
    QTest.mouseClick(button(box, "Quit anyway"), Qt.MouseButton.LeftButton)
    assert await asyncio.wait_for(deciding, 5) is True
    assert running.server_status() == ("ready", None)
    last = running.left_record()
    assert (last.server, last.change) == (SERVER, "away")
    assert "503" in last.reason
    assert "the agent chose to quit anyway" in caplog.text


async def test_a_change_that_lands_while_asking_closes_the_question_and_quits(
    running: Running,
) -> None:
    deciding, _ = await running.log_out_failing()
    # A supervisor (or an earlier try that landed late) logs the agent out: the question
    # would now be untrue.
    running.sim.engine.set_status(running.me, "logout")
    assert await asyncio.wait_for(deciding, 5) is True
    assert running.server_status() == ("logged_out", None)
    await until(lambda: running.window.findChild(QMessageBox) is None)


async def test_a_stop_signal_keeps_trying_then_quits_and_leaves_a_record(
    running: Running, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "agent_toolbar.ui")
    await running.ready()
    running.sim.faults.fail_rest(503, times=100)
    ended = running.session_ends()
    loop = asyncio.get_running_loop()
    started = loop.time()
    running.guard.stop_signalled()  # what SIGTERM's handler calls
    await asyncio.wait_for(ended.wait(), OS_TIME + 3)
    assert loop.time() - started >= OS_TIME - 1  # the time is used, less the last short try
    assert caplog.text.count("trying again in") >= 1
    assert running.window.findChild(QMessageBox) is None  # nobody to ask
    assert running.server_status() == ("ready", None)
    last = running.left_record()
    assert (last.server, last.change) == (SERVER, "log_out")
    assert "503" in last.reason
    assert "the session is ending" in caplog.text


async def test_a_stop_signal_logs_out_once_the_server_recovers(running: Running) -> None:
    await running.ready()
    running.sim.faults.fail_rest(503, times=1)
    ended = running.session_ends()
    running.guard.stop_signalled()
    await asyncio.wait_for(ended.wait(), OS_TIME + 3)
    assert running.server_status() == ("logged_out", None)
    assert running.record.take() is None


async def test_a_second_stop_signal_quits_at_once(qtbot: QtBot, tmp_path: Path) -> None:
    async with (
        Simulator(scenario()) as sim,
        # A service manager's long stop: the second signal, not the time, ends it.
        guarded(qtbot, tmp_path, sim, kazoo(sim), stop_signal_time=60) as (session, _, guard),
    ):
        await session.execute(Login())
        await session.execute(Ready())
        sim.faults.fail_rest(503, times=1000)
        ended = asyncio.Event()
        guard.session_ended.connect(ended.set)
        guard.stop_signalled()
        await asyncio.sleep(1.0)
        assert not ended.is_set()  # still trying, as the first signal allows
        guard.stop_signalled()
        await asyncio.wait_for(ended.wait(), 2)
        last = QuitRecord("work", SERVER, tmp_path / "quit-record.json").take()
        assert last is not None


class RecordingManager:
    """Stands in for the QSessionManager Qt passes (no session manager runs here)."""

    def __init__(self) -> None:
        self.hints: list[QSessionManager.RestartHint] = []

    def setRestartHint(self, hint: QSessionManager.RestartHint) -> None:  # noqa: N802 (Qt's)
        self.hints.append(hint)


async def test_the_os_ending_the_session_logs_out_without_asking(running: Running) -> None:
    await running.ready()
    ended = running.session_ends()
    manager = RecordingManager()
    # What Qt's commitDataRequest passes, stood in for: no session manager runs here.
    running.guard.on_commit_data_request(manager)  # type: ignore[arg-type]
    assert manager.hints == [QSessionManager.RestartHint.RestartNever]
    await asyncio.wait_for(ended.wait(), 5)
    assert running.window.findChild(QMessageBox) is None
    assert running.server_status() == ("logged_out", None)


async def test_the_os_ending_the_session_takes_over_an_open_question(running: Running) -> None:
    await running.ready()
    ended = running.session_ends()
    asking, _ = await running.asked()
    running.guard.end_session()
    running.guard.end_session()  # Qt may ask more than once: one plan runs
    await asyncio.wait_for(ended.wait(), 5)
    assert await asking is False  # the question went unanswered; the OS path quits
    await until(lambda: running.window.findChild(QMessageBox) is None)
    assert running.server_status() == ("logged_out", None)


async def test_quitting_while_the_os_path_runs_leaves_the_decision_to_it(
    running: Running,
) -> None:
    await running.ready()
    ended = running.session_ends()
    asking, _ = await running.asked()
    running.sim.faults.hang_rest(30, times=10)  # the OS path's logout takes its whole limit
    running.guard.end_session()
    assert await asyncio.wait_for(asking, 5) is False
    assert await asyncio.wait_for(running.guard.may_quit(), 1) is False  # and no new question
    assert not any(box.isVisible() for box in running.window.findChildren(QMessageBox))
    await asyncio.wait_for(ended.wait(), OS_TIME + 3)
    assert await running.guard.may_quit() is True


async def test_the_os_ending_the_session_with_the_server_failing_leaves_a_record(
    running: Running,
) -> None:
    await running.ready()
    running.sim.faults.fail_rest(503, times=100)
    ended = running.session_ends()
    running.guard.on_commit_data_request(RecordingManager())  # type: ignore[arg-type]
    await asyncio.wait_for(ended.wait(), OS_TIME + 3)
    assert running.window.findChild(QMessageBox) is None
    last = running.left_record()
    assert "503" in last.reason


async def test_the_os_ending_the_session_takes_over_the_still_ready_question(
    running: Running,
) -> None:
    ended = running.session_ends()
    asking, _ = await running.log_out_failing()
    running.guard.end_session()
    assert await asyncio.wait_for(asking, 5) is False  # the OS path decides now
    await asyncio.wait_for(ended.wait(), OS_TIME + 3)
    await until(lambda: running.window.findChild(QMessageBox) is None)
    assert running.record.take() is not None


async def test_following_the_session_end_connects_to_qt(running: Running) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    signal = SIGNAL("commitDataRequest(QSessionManager&)")
    before = app.receivers(signal)
    running.guard.follow_session_end(app)
    assert app.receivers(signal) == before + 1


async def test_without_away_on_the_server_the_away_button_is_hidden(
    qtbot: QtBot, tmp_path: Path
) -> None:
    async with (
        Simulator(scenario()) as sim,
        guarded(qtbot, tmp_path, sim, telphin(sim)) as (session, window, guard),
    ):
        await session.execute(Login())
        deciding = asyncio.create_task(guard.may_quit())
        async with asyncio.timeout(5):
            while (box := window.findChild(QMessageBox)) is None or not box.isVisible():
                await asyncio.sleep(0.02)
        assert not button(box, "Go away and quit").isVisible()
        # Telphin has no away: the question offers only logging out (or staying Ready).
        assert "away" not in box.informativeText().lower()
        assert box.informativeText() == "Log out first, so that calls do not ring at an empty seat."
        QTest.mouseClick(button(box, "Log out and quit"), Qt.MouseButton.LeftButton)
        assert await asyncio.wait_for(deciding, 5) is True
        assert session.state is not None
        assert session.state.status == "logged_out"
