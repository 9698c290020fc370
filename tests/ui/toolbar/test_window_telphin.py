"""The window on Telphin: what the server cannot do (away, pause) is hidden, not faked."""

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.actions import ToolbarActions
from agent_toolbar.ui.presenter import Presenter
from agent_toolbar.ui.toolbar.window import ToolbarWindow
from tests.helpers.kazoo import FAST, scenario
from tests.helpers.telphin import telphin

pytestmark = pytest.mark.asyncio


async def test_only_logging_in_and_out_is_offered(qtbot: QtBot, tmp_path: Path) -> None:
    async with Simulator(scenario()) as sim:
        session = Session(telphin(sim), FAST)
        await session.sign_in()
        settings = QSettings(str(tmp_path / "toolbar.ini"), QSettings.Format.IniFormat)
        presenter = Presenter(session)
        window = ToolbarWindow(presenter, ToolbarActions(presenter), settings)
        qtbot.addWidget(window)
        window.show()
        running = asyncio.create_task(session.run())
        try:
            async with asyncio.timeout(8):
                while window.strip.link.text() != "● Online":
                    await asyncio.sleep(0.02)
            window.toolbar_actions.login.trigger()
            async with asyncio.timeout(8):
                while window.strip.pill.text() != "Ready":
                    await asyncio.sleep(0.02)
            assert not window.toolbar_actions.ready.isVisible()
            assert not window.toolbar_actions.away.isVisible()
            # Hidden, not greyed: a disabled button would say it may work some day.
            assert window.ready_button.isHidden()
            assert window.away_button.isHidden()
            assert not window.toolbar_actions.defer_away.isVisible()
            assert not window.queues_button.isVisible()
            assert window.queues_view.isHidden()
            assert window.toolbar_actions.login.text() == "Log &out"
        finally:
            window.close()
            session.stop()
            await running
            await session.close()
