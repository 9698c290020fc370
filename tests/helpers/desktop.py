"""The whole desktop toolbar signed in to the simulator, in places of the test's own."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest_asyncio
from msgspec.structs import replace
from pytestqt.qtbot import QtBot

from agent_toolbar.config import settings_file as config_file
from agent_toolbar.config.keychain import Keychain
from agent_toolbar.config.settings import Config, Profile, Secrets
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
    async with running(session, place) as made:
        yield made


@asynccontextmanager
async def running(session: Session, place: Place) -> AsyncIterator[Desktop]:
    """The desktop shown for `session`; quit (and checked to end well) after the test."""
    made = Desktop(session, place)
    task = asyncio.create_task(made.run())
    await until(made.window.isVisible)
    try:
        yield made
    finally:
        made.actions.quit.trigger()
        assert await asyncio.wait_for(task, 10) == 0


@asynccontextmanager
async def signed_in(
    sim: Simulator,
    profile: Profile | None,
    signed_in_with: tuple[Profile, Secrets] | None = None,
) -> AsyncIterator[Desktop]:
    """The desktop signed in to the simulator as ada; with `profile`, as the file's profile
    "work" (its history, its screen pop), else without one (as the demo)."""
    session = Session(backend(sim), FAST)
    await session.sign_in()
    config = Config(
        preferences=replace(Config().preferences, quit_while_ready="stay"),
        profiles={"work": profile} if profile is not None else {},
    )
    place = Place(
        config=config,
        profile_name="work" if profile is not None else None,
        save=None,
        keychain=Keychain(),
        log_file=None,
        signed_in_with=signed_in_with,
    )
    async with running(session, place) as made:
        yield made
