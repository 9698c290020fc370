"""One toolbar per profile: real local sockets, a real stale socket file, a real second process."""

import asyncio
import os
import socket
import sys

import pytest
from PySide6.QtCore import QDir, Qt
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from agent_toolbar.ui.lifecycle.single_instance import (
    SingleInstance,
    already_running,
    bring_forward,
    claim,
    server_name,
)
from tests.helpers.instances import claims, first_claim, profile

pytestmark = pytest.mark.asyncio
__all__ = ["claims"]  # the fixture this file uses


def raised(running: SingleInstance) -> asyncio.Future[None]:
    future: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def asked() -> None:
        if not future.done():
            future.set_result(None)

    running.raise_requested.connect(asked)
    return future


async def test_a_second_claim_gets_none_and_raises_the_first(
    claims: list[SingleInstance],
) -> None:
    name = profile()
    running = first_claim(name, claims)
    asked = raised(running)
    assert claim(name) is None
    await asyncio.wait_for(asked, 5)


async def test_different_profiles_run_side_by_side(claims: list[SingleInstance]) -> None:
    sales, support = first_claim(profile(), claims), first_claim(profile(), claims)
    assert sales.server_name != support.server_name


async def test_a_socket_left_by_a_crash_is_taken_over(claims: list[SingleInstance]) -> None:
    name = profile()
    path = os.path.join(QDir.tempPath(), server_name(name))
    crashed = socket.socket(socket.AF_UNIX)
    crashed.bind(path)  # bound, then closed without removing the file: what a crash leaves
    crashed.close()
    assert os.path.exists(path)
    running = first_claim(name, claims)
    asked = raised(running)
    assert claim(name) is None  # the new owner answers on the same name
    await asyncio.wait_for(asked, 5)


async def test_a_closed_claim_lets_the_next_start_run(claims: list[SingleInstance]) -> None:
    name = profile()
    first_claim(name, claims).close()
    first_claim(name, claims)


async def test_a_second_process_ends_and_brings_the_first_forward(
    claims: list[SingleInstance],
) -> None:
    name = profile()
    running = first_claim(name, claims)
    asked = raised(running)
    second = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from agent_toolbar.ui.lifecycle.single_instance import already_running, claim\n"
        "app = QApplication([])\n"
        f"if claim({name!r}) is None:\n"
        f"    print(already_running({name!r}))\n"
        "    sys.exit(0)\n"
        "sys.exit(9)\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        second,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert (process.returncode, err.decode()) == (0, "")
    assert out.decode().strip() == already_running(name)
    assert out.decode().strip() == (
        f"agent-toolbar: already running for profile {name}; brought its window forward"
    )
    await asyncio.wait_for(asked, 5)


async def test_a_stranger_on_the_socket_raises_nothing(claims: list[SingleInstance]) -> None:
    name = profile()
    running = first_claim(name, claims)
    asked = raised(running)
    stranger = QLocalSocket()
    stranger.connectToServer(server_name(name))
    assert stranger.waitForConnected(1000)
    stranger.write(b"GET / HTTP/1.1\r\n" + b"x" * 100)
    assert stranger.waitForBytesWritten(1000)
    await asyncio.sleep(0.3)
    assert not asked.done()
    assert stranger.state() == QLocalSocket.LocalSocketState.UnconnectedState  # cut off
    stranger.abort()


async def test_the_name_is_short_and_plain() -> None:
    name = server_name("Night shift / Sales")
    assert name == server_name("Night shift / Sales")
    assert name != server_name("Night shift / Support")
    assert len(name) <= 40
    assert " " not in name
    assert "/" not in name


# Offscreen Qt has no window stacking to raise a window in; a desktop does.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
async def test_bringing_forward_shows_a_minimized_window(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    window.showMinimized()
    assert window.windowState() & Qt.WindowState.WindowMinimized
    bring_forward(window)
    assert not window.windowState() & Qt.WindowState.WindowMinimized
    assert window.isVisible()
