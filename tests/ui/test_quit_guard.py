"""Quitting safely: the real window and message box offscreen, against the real simulator.

What the server did is read from the simulator's engine. Only the OS session manager
cannot run here: its `commitDataRequest` is stood in for by calling the slot with an
object that records the restart hint, as a QSessionManager would take it.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from PySide6.QtCore import SIGNAL, QSettings, Qt
from PySide6.QtGui import QSessionManager
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from agent_toolbar.backends.base import Backend
from agent_toolbar.domain.commands import Away, Login, Ready
from agent_toolbar.quitting import QUIT_AWAY_REASON
from agent_toolbar.session import Session
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.presenter import Presenter
from agent_toolbar.ui.quit_guard import QuitGuard
from agent_toolbar.ui.window import ToolbarWindow
from tests.integration.kazoo import FAST, scenario, user_id
from tests.integration.kazoo import backend as kazoo
from tests.integration.test_telphin_session import telphin

pytestmark = pytest.mark.asyncio

LIMIT = 1.0


@dataclass
class Running:
    sim: Simulator
    session: Session
    window: ToolbarWindow
    guard: QuitGuard
    me: str

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

    async def question(self) -> QMessageBox:
        async with asyncio.timeout(5):
            while (box := self.window.findChild(QMessageBox)) is None or not box.isVisible():
                await asyncio.sleep(0.02)
        return box


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def guarded(
    qtbot: QtBot, tmp_path: Path, sim: Simulator, backend: Backend
) -> AsyncIterator[tuple[Session, ToolbarWindow, QuitGuard]]:
    """The window and its quit guard for a session on `backend`, online."""
    session = Session(backend, FAST)
    await session.sign_in()
    settings = QSettings(str(tmp_path / "toolbar.ini"), QSettings.Format.IniFormat)
    window = ToolbarWindow(Presenter(session), settings)
    qtbot.addWidget(window)
    window.show()
    guard = QuitGuard(session, "ask", window, limit=LIMIT)
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
        yield Running(sim, session, window, guard, user_id(sim, "ada"))


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
    deciding = asyncio.create_task(running.guard.may_quit())
    box = await running.question()
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
    deciding = asyncio.create_task(running.guard.may_quit())
    box = await running.question()
    QTest.keyClick(box, Qt.Key.Key_Escape)
    assert await asyncio.wait_for(deciding, 5) is False
    await until(lambda: running.window.findChild(QMessageBox) is None)  # gone, not hidden
    again = asyncio.create_task(running.guard.may_quit())
    box = await running.question()
    QTest.mouseClick(button(box, "Log out and quit"), Qt.MouseButton.LeftButton)
    assert await asyncio.wait_for(again, 5) is True
    assert running.server_status() == ("logged_out", None)


# The second request raises the open question; offscreen Qt cannot raise windows.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
async def test_a_second_quit_while_asking_does_not_ask_twice(running: Running) -> None:
    await running.ready()
    first = asyncio.create_task(running.guard.may_quit())
    box = await running.question()
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
    deciding = asyncio.create_task(running.guard.may_quit())
    box = await running.question()
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


async def test_with_the_server_gone_it_quits_within_the_limit(running: Running) -> None:
    await running.ready()
    running.guard.preference = "log_out"
    running.sim.faults.hang_rest(30, times=10)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await asyncio.wait_for(running.guard.may_quit(), LIMIT + 3)
    took = loop.time() - started
    assert LIMIT - 0.1 <= took < LIMIT + 1.0  # timers are not exact to the millisecond
    assert running.server_status() == ("ready", None)  # the logout never reached it


class RecordingManager:
    """Stands in for the QSessionManager Qt passes (no session manager runs here)."""

    def __init__(self) -> None:
        self.hints: list[QSessionManager.RestartHint] = []

    def setRestartHint(self, hint: QSessionManager.RestartHint) -> None:  # noqa: N802 (Qt's)
        self.hints.append(hint)


async def test_the_os_ending_the_session_logs_out_without_asking(running: Running) -> None:
    await running.ready()
    ended = asyncio.Event()
    running.guard.session_ended.connect(ended.set)
    manager = RecordingManager()
    # What Qt's commitDataRequest passes, stood in for: no session manager runs here.
    running.guard.on_commit_data_request(manager)  # type: ignore[arg-type]
    assert manager.hints == [QSessionManager.RestartHint.RestartNever]
    await asyncio.wait_for(ended.wait(), 5)
    assert running.window.findChild(QMessageBox) is None
    assert running.server_status() == ("logged_out", None)


async def test_the_os_ending_the_session_takes_over_an_open_question(running: Running) -> None:
    await running.ready()
    ended = asyncio.Event()
    running.guard.session_ended.connect(ended.set)
    asking = asyncio.create_task(running.guard.may_quit())
    await running.question()
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
    ended = asyncio.Event()
    running.guard.session_ended.connect(ended.set)
    asking = asyncio.create_task(running.guard.may_quit())
    await running.question()
    running.sim.faults.hang_rest(30, times=10)  # the OS path's logout takes its whole limit
    running.guard.end_session()
    assert await asyncio.wait_for(asking, 5) is False
    assert await asyncio.wait_for(running.guard.may_quit(), 1) is False  # and no new question
    assert not any(box.isVisible() for box in running.window.findChildren(QMessageBox))
    await asyncio.wait_for(ended.wait(), LIMIT + 3)
    assert await running.guard.may_quit() is True


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
        QTest.mouseClick(button(box, "Log out and quit"), Qt.MouseButton.LeftButton)
        assert await asyncio.wait_for(deciding, 5) is True
        assert session.state is not None
        assert session.state.status == "logged_out"
