"""The strip reads at a glance and stays still; the panel opens compact and keeps the
caller in view. Real window, real simulator."""

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from agent_toolbar.domain.commands import Away, Login
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui import theme
from agent_toolbar.ui.actions import ToolbarActions
from agent_toolbar.ui.toolbar.window import COMPACT_LINES, ToolbarWindow
from tests.helpers.kazoo import backend, scenario
from tests.helpers.toolbar import Toolbar, open_toolbar, toolbar

pytestmark = pytest.mark.asyncio
__all__ = ["toolbar"]  # the fixture this file uses

LONG_NAME = "Maximilian Alexander von Hohenzollern-Sigmaringen der Dritte"


def _controls(window: ToolbarWindow) -> list[int]:
    """Where the strip's controls are, from the window's left edge."""
    controls: list[QWidget] = [window.ready_button, window.away_button, window.queues_button]
    return [control.mapTo(window, control.rect().topLeft()).x() for control in controls]


async def test_the_strip_names_the_caller_and_the_queue_while_ringing(toolbar: Toolbar) -> None:
    await toolbar.ready()
    strip = toolbar.window.strip
    assert not strip.caller.isVisible()
    toolbar.sim.engine.add_caller("Sales", "Marie Curie", "+33123456789")
    await toolbar.shows(strip.caller.isVisible)
    assert strip.caller.text() == "Marie Curie · Sales"  # whole, on the strip alone


async def test_the_strip_keeps_its_width_and_its_controls_in_place(toolbar: Toolbar) -> None:
    window, strip = toolbar.window, toolbar.window.strip
    width, places = window.width(), _controls(window)
    await toolbar.ready()
    seen = [(window.width(), _controls(window))]
    toolbar.sim.engine.add_caller("Sales", LONG_NAME, "+33123456789")
    await toolbar.shows(strip.caller.isVisible)
    seen.append((window.width(), _controls(window)))
    assert strip.caller.toolTip() == f"{LONG_NAME} · Sales"  # elided on the strip, whole here
    toolbar.sim.engine.decline(toolbar.me)
    await toolbar.shows(lambda: strip.pill.full_text() == "Away")
    await toolbar.session.execute(Away(reason="A reason far longer than any slot would hold"))
    seen.append((window.width(), _controls(window)))
    await toolbar.sim.faults.refuse_connections(30)
    await toolbar.sim.faults.drop_sockets()
    await toolbar.shows(lambda: "Reconnecting" in strip.link.full_text())
    seen.append((window.width(), _controls(window)))
    assert seen == [(width, places)] * len(seen)


async def test_the_caller_stays_in_view_whatever_the_panel_scrolled_to(toolbar: Toolbar) -> None:
    await toolbar.ready()
    window = toolbar.window
    window.toolbar_actions.panel.trigger()
    window.timeline.tree.setFocus()  # as after a click that moved the focus into the timeline
    bar = window.panel_scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    toolbar.sim.engine.add_caller("Sales", "Marie Curie", "+33123456789")
    await toolbar.shows(window.offer_card.isVisible)
    await asyncio.sleep(0.1)  # let the layout settle
    assert not window.offer_card.visibleRegion().isEmpty()
    top_left = window.offer_card.mapTo(window, window.offer_card.rect().topLeft())
    assert 0 <= top_left.y() < window.height()


async def test_the_panel_opens_compact_and_then_as_the_agent_sized_it(toolbar: Toolbar) -> None:
    window = toolbar.window
    await toolbar.session.execute(Login())
    window.toolbar_actions.panel.trigger()
    compact = window.height()
    lines = window.fontMetrics().height() * COMPACT_LINES
    assert compact <= window.strip.height() + lines + window.fontMetrics().height() * 2
    window.resize(window.width(), compact + 120)  # the agent drags the window's edge
    window.toolbar_actions.panel.trigger()
    assert window.height() < compact
    window.toolbar_actions.panel.trigger()
    assert window.height() == compact + 120


async def test_the_queue_summary_opens_the_panel_and_never_closes_it(toolbar: Toolbar) -> None:
    window = toolbar.window
    await toolbar.session.execute(Login())
    await toolbar.shows(window.queues_button.isVisible)
    window.queues_button.click()
    assert window.panel_area.isVisible()
    window.queues_button.click()
    assert window.panel_area.isVisible()


async def test_the_panel_command_says_what_it_does_without_a_tick(toolbar: Toolbar) -> None:
    window = toolbar.window
    assert not window.toolbar_actions.panel.isCheckable()  # "Hide panel ✓" said it twice
    assert window.toolbar_actions.panel.text() == "Show &panel"
    window.toolbar_actions.panel.trigger()
    assert window.toolbar_actions.panel.text() == "Hide &panel"


async def test_a_log_out_by_someone_else_opens_the_panel_and_says_who(toolbar: Toolbar) -> None:
    window = toolbar.window
    await toolbar.ready()
    assert not window.panel_area.isVisible()
    toolbar.sim.engine.set_status(toolbar.me, "logout")
    await toolbar.shows(window.logged_out_card.isVisible)
    assert window.panel_area.isVisible()
    message = window.logged_out_card.message.text()
    assert message.startswith("By: Server, at ")
    assert "No call can ring until you log in again." in message
    window.toolbar_actions.dismiss.trigger()
    await toolbar.shows(lambda: not window.logged_out_card.isVisible())
    await toolbar.shows(lambda: not window.panel_area.isVisible())


async def test_a_rings_last_seconds_turn_red_and_bold(qtbot: QtBot, tmp_path: Path) -> None:
    async with (
        Simulator(scenario()) as sim,
        open_toolbar(qtbot, tmp_path, sim, backend(sim)) as toolbar,
    ):
        await toolbar.ready()
        window = toolbar.window
        toolbar.sim.engine.add_caller("Sales", "Marie Curie", "+33123456789")  # rings 3 s
        await toolbar.shows(window.offer_card.isVisible)
        urgent = theme.ink("problem") + " font-weight: 700;"
        await toolbar.shows(lambda: window.offer_card.bar.words.styleSheet() == urgent)
        assert window.strip.since.styleSheet() == urgent
    assert theme.ring_urgent(theme.RING_URGENT_SECONDS)
    assert not theme.ring_urgent(theme.RING_URGENT_SECONDS + 0.5)
    assert not theme.ring_urgent(None)


async def test_a_second_window_opens_beside_the_first(toolbar: Toolbar, qtbot: QtBot) -> None:
    first = toolbar.window
    settings = QSettings(first._settings.fileName(), QSettings.Format.IniFormat)
    second = ToolbarWindow(toolbar.presenter, ToolbarActions(toolbar.presenter), settings)
    qtbot.addWidget(second)
    step = second.strip.sizeHint().height()
    assert (second.x(), second.y()) == (first.x() + step, first.y() + step)
    second.close()
    third = ToolbarWindow(toolbar.presenter, ToolbarActions(toolbar.presenter), settings)
    qtbot.addWidget(third)
    assert (third.x(), third.y()) == (second.x(), second.y())  # the freed slot again
    third.close()
