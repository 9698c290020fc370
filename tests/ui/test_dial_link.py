"""`agent-toolbar dial tel:…`, a real separate process, reaching a real toolbar (issue 18).

The first test runs the whole desktop, signed in to the real Kazoo simulator and holding
its profile's single-instance claim as `agent-toolbar` does, and the installed command
as a click on a link runs it: the toolbar asks, the agent accepts, the simulator's phone
rings for the number and the call shows. The second starts no toolbar itself: the
command finds none and starts one (the real toolbar, waiting at its sign-in dialog).
"""

import asyncio
import logging
import os
import re
import signal
import subprocess
from pathlib import Path

import pytest
from msgspec.structs import replace
from pytestqt.qtbot import QtBot

from agent_toolbar.config.keychain import Keychain
from agent_toolbar.config.settings import Config
from agent_toolbar.domain.commands import Dial, Login
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.desktop import Place
from agent_toolbar.ui.lifecycle.single_instance import DEFAULT_INSTANCE, claim
from tests.helpers.cli import COMMAND
from tests.helpers.desktop import running
from tests.helpers.kazoo import FAST, backend, sim, user_id
from tests.helpers.places import private_places
from tests.helpers.waiting import until
from tests.helpers.widgets import click

__all__ = ["private_places", "sim"]  # the fixtures this file uses

pytestmark = pytest.mark.asyncio


async def dial(*args: str) -> subprocess.CompletedProcess[str]:
    """`agent-toolbar dial ARGS` as the desktop runs it for a link (off the loop, which
    keeps serving the toolbar's channel meanwhile)."""
    return await asyncio.to_thread(
        subprocess.run,
        [COMMAND, "dial", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_a_clicked_link_reaches_the_running_toolbar_which_asks_then_dials(
    qtbot: QtBot, sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="agent_toolbar.simulator.engine")
    instance = claim(DEFAULT_INSTANCE)  # a settings file with no profile yet, as here
    assert instance is not None
    session = Session(backend(sim), FAST)
    await session.sign_in()
    place = Place(
        config=Config(preferences=replace(Config().preferences, quit_while_ready="stay")),
        profile_name=None,
        save=None,
        keychain=Keychain(),
        log_file=None,
        instance=instance,
    )
    try:
        async with running(session, place) as desktop:
            await desktop._session.execute(Login())  # Qubicle tells a logged-in agent's calls
            await until(lambda: desktop.dialer.refusal() is None)
            done = await dial("tel:+1-555-0100")
            assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
            await until(lambda: desktop.dialer.question is not None)
            box = desktop.dialer.question
            assert box is not None
            assert box.text() == "Call +15550100 from your phone?"
            click(next(each for each in box.buttons() if each.text() == "&Call"))
            await until(lambda: "ada's phone rings to call +15550100" in caplog.messages)
            sim.engine.answer(user_id(sim, "ada"))  # ada picks up her phone
            await until(lambda: sim.engine.agent(user_id(sim, "ada")).external_call_id)

            def placed() -> list[str]:
                state = desktop.presenter.state
                commands = state.commands if state is not None else ()
                return [each.phase for each in commands if isinstance(each.command, Dial)]

            await until(lambda: placed() == ["confirmed"])
            state = desktop.presenter.state
            assert state is not None
            assert state.external_call is not None
            call_id = sim.engine.agent(user_id(sim, "ada")).external_call_id
            assert state.external_call.call_id == call_id
    finally:
        instance.close()


async def test_with_no_toolbar_running_one_is_started_and_takes_the_number(
    tmp_path: Path,
) -> None:
    """The started toolbar claims its profile before signing in, so its channel answers
    while the sign-in dialog is up (no profile here); it keeps the number for its window."""
    done = await dial("callto:+1 555 0100")
    started = re.fullmatch(
        r"agent-toolbar dial: no toolbar ran for profile default; started one "
        r"\(process (\d+)\)\n",
        done.stdout,
    )
    assert started is not None, done.stdout + done.stderr
    pid = int(started.group(1))
    try:
        assert (done.returncode, done.stderr) == (0, "")
        again = await dial("tel:+15550111")  # it runs now: nothing more is started
        assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
        log = tmp_path / "logs" / "agent-toolbar.log"
        await until(
            lambda: log.is_file() and log.read_text().count("a link asked to dial a number") == 2,
            timeout=20,
        )
    finally:
        os.kill(pid, signal.SIGTERM)


async def test_a_link_clicked_during_sign_in_is_asked_about_once_the_window_is_up(
    qtbot: QtBot, sim: Simulator
) -> None:
    """A link clicked while the toolbar signs in and connects is kept by its channel and
    asked about once the window is online, not refused as "not connected"."""
    sim.engine.set_status(user_id(sim, "ada"), "login")  # logged in, so she may dial
    instance = claim(DEFAULT_INSTANCE)
    assert instance is not None
    try:
        done = await dial("tel:+1-555-0100")
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
        session = Session(backend(sim), FAST)
        await session.sign_in()
        place = Place(
            config=Config(preferences=replace(Config().preferences, quit_while_ready="stay")),
            profile_name=None,
            save=None,
            keychain=Keychain(),
            log_file=None,
            instance=instance,
        )
        async with running(session, place) as desktop:
            await until(lambda: desktop.dialer.question is not None)
            box = desktop.dialer.question
            assert box is not None
            assert box.text() == "Call +15550100 from your phone?"
            assert desktop.dialer.message is None  # never "not connected"
            box.reject()  # no box is left behind for the tests after this one
            await until(lambda: desktop.dialer.question is None)
    finally:
        instance.close()
