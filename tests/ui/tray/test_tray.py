"""The tray's menu and close behaviour with the real window against the real simulator.

Offscreen there is no system tray: the `Tray` then makes nothing, and the menu and the
close-to-tray filter are tested on their own (test_tray_x11.py shows them in a real tray).
"""

from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from agent_toolbar.domain.commands import Login, Ready
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.tray.menu import CloseToTray, Tray, TrayMenu
from tests.helpers.kazoo import queue_id, scenario
from tests.helpers.telphin import telphin
from tests.helpers.toolbar import Toolbar, open_toolbar, toolbar

pytestmark = pytest.mark.asyncio
__all__ = ["toolbar"]  # the fixture this file uses


def item(menu: TrayMenu, words: str) -> QAction:
    found = [each for each in menu.queues.actions() if each.text().startswith(words)]
    assert len(found) == 1, [each.text() for each in menu.queues.actions()]
    return found[0]


async def test_without_a_tray_nothing_is_made_and_closing_the_window_quits(
    toolbar: Toolbar,
) -> None:
    tray = Tray(toolbar.window, toolbar.actions, toolbar.presenter)
    assert not tray.available  # offscreen has no system tray
    assert (tray.icon, tray.menu, tray.close_to_tray) == (None, None, None)
    tray.show_message("Agent toolbar", "nothing to show it on", False)
    closed: list[None] = []
    toolbar.window.closed.connect(lambda: closed.append(None))
    toolbar.window.close()
    assert closed == [None]
    tray.close()


async def test_the_menu_follows_the_state_and_pauses_queues_on_the_server(
    toolbar: Toolbar,
) -> None:
    menu = TrayMenu(toolbar.window, toolbar.actions, toolbar.presenter)
    window = toolbar.window
    assert menu.status.text() == "Logged out (Online)"
    assert not menu.status.isEnabled()
    assert window.toolbar_actions.ready in menu.actions()
    assert not window.toolbar_actions.ready.isEnabled()
    assert not menu.away.isEnabled()
    assert not menu.queues.menuAction().isVisible()
    await toolbar.session.execute(Login())
    await toolbar.shows(lambda: menu.status.text() == "Away (Online)")
    assert window.toolbar_actions.ready.isEnabled()
    assert menu.away.isEnabled()
    await toolbar.shows(lambda: menu.queues.menuAction().isVisible())
    sales = item(menu, "Sales")
    assert sales.text() == "Sales: Taking calls when you are Ready"  # Away, so not yet
    assert item(menu, "Support").text() == "Support: Taking calls when you are Ready"
    assert sales.isCheckable()
    assert not sales.isChecked()
    sales.trigger()
    assert not sales.isChecked()  # not until the server shows it
    await toolbar.shows(lambda: item(menu, "Sales").isChecked())
    assert toolbar.sim.engine.agent(toolbar.me).paused_queues == (queue_id(toolbar.sim, "Sales"),)
    assert item(menu, "Sales").text() == "Sales: Paused"
    item(menu, "Sales").trigger()
    await toolbar.shows(lambda: not item(menu, "Sales").isChecked())
    assert toolbar.sim.engine.agent(toolbar.me).paused_queues == ()


async def test_away_with_a_reason_from_the_menu_reaches_the_server(toolbar: Toolbar) -> None:
    menu = TrayMenu(toolbar.window, toolbar.actions, toolbar.presenter)
    await toolbar.session.execute(Login())
    await toolbar.session.execute(Ready())
    await toolbar.shows(lambda: menu.status.text() == "Ready (Online)")
    assert not toolbar.actions.ready.isEnabled()
    lunch = next(each for each in menu.away.actions() if each.text() == "Lunch")
    lunch.trigger()
    await toolbar.shows(lambda: menu.status.text() == "Away · Lunch (Online)")
    agent = toolbar.sim.engine.agent(toolbar.me)
    assert (agent.status, agent.away_reason) == ("away", "Lunch")


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no stacking
async def test_show_hide_reconnect_and_quit(toolbar: Toolbar) -> None:
    menu = TrayMenu(toolbar.window, toolbar.actions, toolbar.presenter)
    window = toolbar.window
    assert window.toolbar_actions.reconnect in menu.actions()
    assert window.toolbar_actions.quit in menu.actions()
    assert menu.show_hide.text() == "Hide window"
    menu.show_hide.trigger()
    assert not window.isVisible()
    assert menu.show_hide.text() == "Show window"
    menu.show_hide.trigger()
    assert window.isVisible()
    assert menu.show_hide.text() == "Hide window"
    links: list[str] = []
    toolbar.presenter.changed.connect(lambda state: links.append(state.connection))
    menu.actions()[menu.actions().index(window.toolbar_actions.reconnect)].trigger()
    await toolbar.shows(lambda: links[-2:] == ["stale", "online"])


async def test_a_close_from_the_window_system_hides_but_quit_still_quits(
    toolbar: Toolbar,
) -> None:
    """Offscreen, Qt's own closes are never spontaneous: this shows Quit and Ctrl+Q get
    through the filter (test_tray_x11.py closes from the window system for real)."""
    window = toolbar.window
    keeper = CloseToTray(window)
    hidden: list[None] = []
    keeper.hidden.connect(lambda: hidden.append(None))
    closed: list[None] = []
    window.closed.connect(lambda: closed.append(None))
    window.toolbar_actions.quit.trigger()
    assert (closed, hidden) == ([None], [])
    assert not window.isVisible()
    keeper.remove()


async def test_on_telphin_the_menu_offers_neither_away_nor_pause(
    qtbot: QtBot, tmp_path: Path
) -> None:
    async with (
        Simulator(scenario()) as sim,
        open_toolbar(qtbot, tmp_path, sim, telphin(sim)) as toolbar,
    ):
        menu = TrayMenu(toolbar.window, toolbar.actions, toolbar.presenter)
        toolbar.actions.login.trigger()
        await toolbar.shows(lambda: menu.status.text() == "Ready (Online)")
        assert not toolbar.actions.ready.isVisible()
        assert not menu.away.menuAction().isVisible()
        assert not menu.queues.menuAction().isVisible()
