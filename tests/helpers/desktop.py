"""The whole desktop toolbar signed in to the simulator, in places of the test's own."""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio
from msgspec.structs import replace
from pytestqt.qtbot import QtBot

from agent_toolbar.config import settings_file as config_file
from agent_toolbar.config.keychain import Keychain
from agent_toolbar.config.settings import Config
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.desktop import Desktop, Place
from tests.helpers.kazoo import FAST, backend
from tests.helpers.waiting import until


@pytest_asyncio.fixture
async def desktop(qtbot: QtBot, sim: Simulator, tmp_path: Path) -> AsyncIterator[Desktop]:
    session = Session(backend(sim), FAST)
    await session.sign_in()
    path = tmp_path / "toolbar.toml"
    config = Config(preferences=replace(Config().preferences, quit_while_ready="stay"))
    place = Place(
        config=config,
        profile_name=None,
        save=lambda changed: config_file.save(path, changed),
        keychain=Keychain(),
        log_file=None,
    )
    made = Desktop(session, place)
    running = asyncio.create_task(made.run())
    await until(made.window.isVisible)
    yield made
    made.actions.quit.trigger()
    assert await asyncio.wait_for(running, 10) == 0
