"""`agent-toolbar demo` as a process: it connects to its simulator and quits cleanly on Ctrl-C."""

import asyncio
import os
import signal

import pytest

from tests.helpers.cli import COMMAND

pytestmark = pytest.mark.asyncio


async def test_the_demo_runs_and_quits_cleanly_on_ctrl_c() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    demo = await asyncio.create_subprocess_exec(
        COMMAND, "demo", "--log-level", "info", stderr=asyncio.subprocess.PIPE, env=env
    )
    assert demo.stderr is not None
    log = ""
    async with asyncio.timeout(30):
        while "subscribed to qubicle.recipient" not in log:
            log += (await demo.stderr.readline()).decode()
    demo.send_signal(signal.SIGINT)
    async with asyncio.timeout(15):
        log += (await demo.stderr.read()).decode()
        assert await demo.wait() == 0
    assert "event link lost: closed by the toolbar" in log
    assert "simulator closed" in log
    assert "Traceback" not in log


async def test_without_a_display_the_window_says_so_in_one_line() -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    demo = await asyncio.create_subprocess_exec(
        COMMAND, "demo", stderr=asyncio.subprocess.PIPE, env=env
    )
    async with asyncio.timeout(30):
        _, err = await demo.communicate()
    assert demo.returncode == 1
    assert err.decode().startswith("agent-toolbar: there is no display")
