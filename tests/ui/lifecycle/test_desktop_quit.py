"""Quitting the whole desktop while the server fails, and the next start's notice.

Real parts: the simulator on loopback (its fault switch makes the REST API answer 503),
the desktop with its window, guard and tray, Qt's widgets offscreen, and the record in a
temporary folder (`$AGENT_TOOLBAR_CONFIG_DIR`). The guard keeps its real timings.
"""

import asyncio
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QMessageBox
from pytestqt.qtbot import QtBot

from agent_toolbar.config.keychain import Keychain
from agent_toolbar.config.quit_record import record_path
from agent_toolbar.config.settings import Config, Profile
from agent_toolbar.domain.commands import Login, Ready
from agent_toolbar.domain.quitting import ASK_AFTER
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.desktop import Desktop, Place
from tests.helpers.kazoo import FAST, backend, recover, sim, user_id
from tests.helpers.places import private_places
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio
__all__ = ["private_places", "sim"]  # the fixtures this file uses

READY = "You are Ready: calls keep ringing here."
STILL_READY = "You are still Ready on the server: calls will ring here."
LAST_TIME = "Last time"


async def start(sim: Simulator) -> tuple[Desktop, Session, "asyncio.Task[int]"]:
    """The desktop of the profile "work" (asking before quitting while Ready), running."""
    session = Session(backend(sim), replace(FAST, command_attempts=1))
    await session.sign_in()
    config = Config(profiles={"work": Profile(api_url=sim.api_url, username="ada")})
    place = Place(config=config, profile_name="work", save=None, keychain=Keychain(), log_file=None)
    desktop = Desktop(session, place)
    running = asyncio.create_task(desktop.run())
    await until(lambda: session.state is not None and session.state.connection == "online")
    return desktop, session, running


def shown(desktop: Desktop, starts: str) -> list[QMessageBox]:
    return [
        box
        for box in desktop.window.findChildren(QMessageBox)
        if box.isVisible() and box.text().startswith(starts)
    ]


async def question(desktop: Desktop, starts: str, timeout: float = 5.0) -> QMessageBox:
    async with asyncio.timeout(timeout):
        while not shown(desktop, starts):
            await asyncio.sleep(0.05)
    return shown(desktop, starts)[0]


def button(box: QMessageBox, text: str) -> QAbstractButton:
    return next(each for each in box.buttons() if each.text() == text)


async def quit_staying_ready(desktop: Desktop, running: "asyncio.Task[int]") -> None:
    desktop.actions.quit.trigger()
    box = await question(desktop, READY)
    QTest.mouseClick(button(box, "Quit and stay ready"), Qt.MouseButton.LeftButton)
    assert await asyncio.wait_for(running, 10) == 0


async def test_ctrl_q_with_a_failing_log_out_asks_and_the_next_start_tells_once(
    qtbot: QtBot, sim: Simulator
) -> None:
    desktop, session, running = await start(sim)
    await session.execute(Login())
    await session.execute(Ready())
    me = user_id(sim, "ada")
    sim.faults.fail_rest(503, times=1000)
    desktop.actions.quit.trigger()  # what Ctrl+Q triggers
    box = await question(desktop, READY)
    QTest.keyClick(box, Qt.Key.Key_Return)  # the default: log out and quit
    still = await question(desktop, STILL_READY, timeout=ASK_AFTER + 5)
    await asyncio.sleep(5)
    assert not running.done()  # it does not quit by itself
    assert desktop.window.isVisible()
    assert sim.engine.agent(me).status == "ready"
    QTest.mouseClick(button(still, "Quit anyway"), Qt.MouseButton.LeftButton)
    assert await asyncio.wait_for(running, 10) == 0
    assert record_path().exists()
    await recover(sim)

    again, _, running = await start(sim)
    notice = await question(again, LAST_TIME)
    assert notice.text().startswith("Last time the toolbar could not log you out (")
    assert "503" in notice.text()
    assert "Check your status" in notice.informativeText()
    assert notice.windowModality() == Qt.WindowModality.NonModal  # the toolbar stays usable
    assert not record_path().exists()  # told once
    notice.accept()
    await quit_staying_ready(again, running)

    third, _, running = await start(sim)
    await asyncio.sleep(1)
    assert not shown(third, LAST_TIME)
    await quit_staying_ready(third, running)
