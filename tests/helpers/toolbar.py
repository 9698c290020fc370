"""The real window on a real session against the real simulator, for the UI tests."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest_asyncio
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from agent_toolbar.backends.base import Backend
from agent_toolbar.domain.commands import Login, Ready
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Simulator
from agent_toolbar.simulator.demo_phone import DemoPhone
from agent_toolbar.ui.actions import ToolbarActions
from agent_toolbar.ui.presenter import Presenter
from agent_toolbar.ui.toolbar.window import ToolbarWindow
from tests.helpers.kazoo import FAST, backend, scenario, user_id


@dataclass
class Toolbar:
    sim: Simulator
    session: Session
    presenter: Presenter
    window: ToolbarWindow
    me: str

    @property
    def actions(self) -> ToolbarActions:
        return self.window.toolbar_actions

    async def shows(self, condition: Callable[[], bool], timeout: float = 8.0) -> None:
        async with asyncio.timeout(timeout):
            while not condition():
                await asyncio.sleep(0.02)

    async def ready(self) -> None:
        await self.session.execute(Login())
        await self.session.execute(Ready())
        await self.shows(lambda: self.window.strip.pill.text() == "Ready")


@asynccontextmanager
async def open_toolbar(
    qtbot: QtBot | None,
    tmp_path: Path,
    sim: Simulator,
    made: Backend,
    phone: Callable[[Simulator, str], DemoPhone] | None = None,
) -> AsyncIterator[Toolbar]:
    """The window shown and online for ada (with the demo phone, if `phone` makes one);
    `qtbot` None in a test's child process, where pytest-qt does not run."""
    session = Session(made, FAST)
    await session.sign_in()
    me = user_id(sim, "ada")
    settings = QSettings(str(tmp_path / "toolbar.ini"), QSettings.Format.IniFormat)
    presenter = Presenter(session)
    actions = ToolbarActions(presenter, demo=phone(sim, me) if phone else None)
    window = ToolbarWindow(presenter, actions, settings)
    if qtbot is not None:
        qtbot.addWidget(window)
    window.show()
    running = asyncio.create_task(session.run())
    shown = Toolbar(sim, session, presenter, window, me)
    try:
        await shown.shows(lambda: "Online" in window.strip.link.full_text())
        yield shown
    finally:
        window.close()
        session.stop()
        await running
        await session.close()


@pytest_asyncio.fixture
async def toolbar(qtbot: QtBot, tmp_path: Path) -> AsyncIterator[Toolbar]:
    """The window online for ada against the integration call center (Kazoo)."""
    async with (
        Simulator(scenario()) as sim,
        open_toolbar(qtbot, tmp_path, sim, backend(sim)) as shown,
    ):
        yield shown
