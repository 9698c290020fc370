"""The real window against the real simulator: real widgets, websockets and HTTP.

Waits poll the widgets briefly (never a nested event loop, which qasync forbids).
"""

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QProgressBar, QWidget
from pytestqt.qtbot import QtBot

from agent_toolbar.domain.commands import Dial, Login
from agent_toolbar.domain.countdowns import COUNTDOWN_REDRAW
from agent_toolbar.simulator import Simulator
from agent_toolbar.simulator.demo_phone import DemoPhone
from agent_toolbar.ui.actions import ToolbarActions
from agent_toolbar.ui.presenter import Presenter
from agent_toolbar.ui.toolbar.window import ToolbarWindow
from tests.helpers.kazoo import FAST, backend, queue_id, scenario
from tests.helpers.toolbar import Toolbar, open_toolbar

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def toolbar(qtbot: QtBot, tmp_path: Path) -> AsyncIterator[Toolbar]:
    async with (
        Simulator(scenario()) as sim,
        open_toolbar(qtbot, tmp_path, sim, backend(sim), _phone) as shown,
    ):
        yield shown


def _phone(sim: Simulator, me: str) -> DemoPhone:
    return DemoPhone(sim.engine, me, ("Sales", "Support"))


async def test_the_strip_reads_status_time_and_connection(toolbar: Toolbar) -> None:
    strip = toolbar.window.strip
    assert strip.pill.text() == "Logged out"
    assert strip.hint.text() == "Log in to take calls"
    assert not toolbar.actions.ready.isEnabled()
    QTest.mouseClick(_button(toolbar.window, "Log in or out"), Qt.MouseButton.LeftButton)
    await toolbar.shows(lambda: strip.pill.text() == "Away")
    assert toolbar.actions.login.text() == "Log &out"
    assert toolbar.window.queues_button.text() == "Taking calls"
    QTest.mouseClick(_button(toolbar.window, "Ready"), Qt.MouseButton.LeftButton)
    await toolbar.shows(lambda: strip.pill.text() == "Ready")
    assert strip.since.text().startswith("for 0:0")
    assert strip.link.text() == "● Online"


async def test_the_demo_phone_picks_up_a_call_the_agent_placed_and_hangs_it_up(
    toolbar: Toolbar,
) -> None:
    await toolbar.ready()
    actions, window = toolbar.actions, toolbar.window
    assert not actions.answer.isEnabled()
    placed = asyncio.create_task(toolbar.session.execute(Dial(number="+15550100")))
    await toolbar.shows(actions.answer.isEnabled)  # the phone rings for the placed call
    actions.panel.trigger()
    await toolbar.shows(window.panel_area.isVisible)
    QTest.mouseClick(_button(window, "Answer the ringing call (demo)"), Qt.MouseButton.LeftButton)
    assert (await placed).phase == "confirmed"
    await toolbar.shows(actions.hang_up.isEnabled)
    actions.hang_up.trigger()
    await toolbar.shows(
        lambda: toolbar.session.state is not None and toolbar.session.state.external_call is None
    )
    assert not actions.hang_up.isEnabled()


async def test_an_offer_counts_down_is_answered_and_wraps_up(toolbar: Toolbar) -> None:
    await toolbar.ready()
    window = toolbar.window
    toolbar.sim.engine.add_caller("Sales", "Marie Curie", "+33123456789", talk_seconds=0.5)
    await toolbar.shows(window.offer_card.isVisible)
    assert window.panel_area.isVisible()  # a ringing call opens the panel
    assert window.offer_card.caller.text() == "Marie Curie"
    assert window.offer_card.cost.text() == "Missing it sets you Away"
    first = window.offer_card.bar.bar.value()
    await toolbar.shows(lambda: window.offer_card.bar.bar.value() < first - 50)  # it counts down
    assert window.offer_card.bar.words.text().endswith(" to answer")
    QTest.mouseClick(_button(window, "Answer the ringing call (demo)"), Qt.MouseButton.LeftButton)
    await toolbar.shows(window.call_card.isVisible)
    assert not window.offer_card.isVisible()
    assert window.call_card.caller.text() == "Marie Curie"
    await toolbar.shows(window.wrapup_card.isVisible)
    assert window.strip.pill.text() == "Wrap-up"
    assert window.wrapup_card.bar.words.text() == "Wrap-up ends in 1 s"  # 1 s: warned at once
    assert window.wrapup_card.warning.isVisible()
    await toolbar.shows(lambda: not window.wrapup_card.isVisible())
    assert window.strip.pill.text() == "Ready"
    await toolbar.shows(lambda: not window.panel_area.isVisible())  # it closes itself again
    assert window.stats_line.text().startswith("Calls taken 1")


async def test_away_with_a_reason_reaches_the_server(toolbar: Toolbar) -> None:
    await toolbar.ready()
    lunch = next(item for item in toolbar.actions.away_menu.actions() if item.text() == "Lunch")
    lunch.trigger()
    await toolbar.shows(lambda: toolbar.window.strip.status_text() == "Away · Lunch")
    agent = toolbar.sim.engine.agent(toolbar.me)
    assert (agent.status, agent.away_reason) == ("away", "Lunch")
    top = toolbar.window.timeline.tree.topLevelItem(0)
    assert top is not None
    assert (top.text(1), top.text(2)) == ("Ready → Away (Lunch)", "You")


async def test_a_queue_pauses_with_a_timed_resume_and_resumes(toolbar: Toolbar) -> None:
    await toolbar.ready()
    toolbar.actions.panel.trigger()
    view = toolbar.window.queues_view
    sales = queue_id(toolbar.sim, "Sales")
    await toolbar.shows(lambda: sales in view._rows)
    row = view._rows[sales]
    fifteen = next(item for item in row.pause.menu().actions() if item.text() == "Pause for 15 min")
    fifteen.trigger()
    await toolbar.shows(lambda: row.paused.text().startswith("Paused until "))
    assert toolbar.sim.engine.agent(toolbar.me).paused_queues == (sales,)
    assert toolbar.window.queues_button.text() == "1 of 2 paused"
    assert row.resume.isVisible()
    QTest.mouseClick(row.resume, Qt.MouseButton.LeftButton)
    await toolbar.shows(lambda: row.paused.text() == "Taking calls")
    assert toolbar.sim.engine.agent(toolbar.me).paused_queues == ()
    assert "in queue" in row.pressure.text()


async def test_a_server_drop_shows_reconnecting_then_reconciles(toolbar: Toolbar) -> None:
    await toolbar.ready()
    strip = toolbar.window.strip
    await toolbar.sim.faults.refuse_connections(1.0)
    await toolbar.sim.faults.drop_sockets()
    await toolbar.shows(lambda: strip.link.full_text().startswith("● Reconnecting, stale since"))
    assert "stale since" in strip.link.text()
    assert strip.pill.text() == "Ready?"  # not confirmed while the link is down
    toolbar.sim.engine.set_status(toolbar.me, "away", "supervisor")
    await toolbar.shows(lambda: strip.link.text() == "● Online")
    assert strip.pill.text() == "Away"
    top = toolbar.window.timeline.tree.topLevelItem(0)
    assert top is not None
    assert top.text(2) == "Reconnect"


async def test_a_failed_change_shows_its_reason_and_can_be_retried(toolbar: Toolbar) -> None:
    await toolbar.session.execute(Login())
    window, line = toolbar.window, toolbar.window.command_line
    await toolbar.shows(lambda: bool(window.queues_view._rows))  # the after-login check is done
    toolbar.sim.faults.fail_rest(status=503, times=FAST.command_attempts)
    window.toolbar_actions.ready.trigger()
    await toolbar.shows(lambda: "failed" in line.message.text(), timeout=15)
    assert line.message.text().startswith("Ready failed: the change could not be sent")
    assert "503" in line.message.text()
    assert window.panel_area.isVisible()
    window.toolbar_actions.retry.trigger()  # the server works again
    await toolbar.shows(lambda: window.strip.pill.text() == "Ready")
    await toolbar.shows(lambda: not line.isVisible())


async def test_missed_call_card_offers_one_click_back_to_ready(toolbar: Toolbar) -> None:
    await toolbar.ready()
    window = toolbar.window
    toolbar.sim.engine.add_caller("Sales", "Alan Turing", "+442071234567")
    await toolbar.shows(window.offer_card.isVisible)
    QTest.mouseClick(_button(window, "Decline the ringing call (demo)"), Qt.MouseButton.LeftButton)
    await toolbar.shows(window.missed_card.isVisible)
    assert "Alan Turing" in window.missed_card.message.text()
    assert "set you Away" in window.missed_card.message.text()
    assert window.strip.status_text() == "Away · missed call"
    QTest.mouseClick(_button(window, "Ready again"), Qt.MouseButton.LeftButton)
    await toolbar.shows(lambda: window.strip.pill.text() in ("Ready", "Ringing"))
    assert not window.missed_card.isVisible()


async def test_away_after_this_call_is_planned_visible_and_made(toolbar: Toolbar) -> None:
    await toolbar.ready()
    window = toolbar.window
    toolbar.sim.engine.add_caller("Support", "Grace Hopper", "+12025550143", talk_seconds=30)
    await toolbar.shows(window.offer_card.isVisible)
    toolbar.sim.engine.answer(toolbar.me)
    await toolbar.shows(window.call_card.isVisible)
    assert window.toolbar_actions.defer_away.text() == "Away after this call"
    window.toolbar_actions.defer_menu.actions()[0].trigger()  # the first reason
    await toolbar.shows(window.deferral_line.isVisible)
    assert window.deferral_line.message.text() == "Planned: Away (Break) after this call"
    toolbar.sim.engine.hang_up(toolbar.me)
    await toolbar.shows(lambda: window.strip.pill.text().startswith("Away"), timeout=5)
    assert not window.deferral_line.isVisible()


async def test_every_control_has_a_name_and_its_shortcut_in_the_tooltip(toolbar: Toolbar) -> None:
    window = toolbar.window
    nameless = [
        type(widget).__name__
        for widget in window.findChildren(QWidget)
        if isinstance(widget, QAbstractButton | QProgressBar) and not widget.accessibleName()
    ]
    assert nameless == []
    for item, keys in (
        (window.toolbar_actions.ready, "Ctrl+R"),
        (window.toolbar_actions.away, "Ctrl+A"),
        (window.toolbar_actions.login, "Ctrl+L"),
        (window.toolbar_actions.extend, "Ctrl+E"),
        (window.toolbar_actions.finish, "Ctrl+F"),
        (window.toolbar_actions.panel, "Ctrl+P"),
        (window.toolbar_actions.on_top, "Ctrl+T"),
        (window.toolbar_actions.quit, "Ctrl+Q"),
    ):
        assert item.toolTip().endswith(f"({keys})"), item.toolTip()


async def test_keyboard_shortcuts_act(toolbar: Toolbar) -> None:
    window = toolbar.window
    window.activateWindow()
    await toolbar.shows(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    await toolbar.shows(lambda: window.strip.pill.text() == "Away")
    QTest.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    await toolbar.shows(lambda: window.strip.pill.text() == "Ready")
    QTest.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.panel_area.isVisible()


async def test_the_redraw_timer_waits_for_the_next_second_or_a_quarter_while_ringing(
    toolbar: Toolbar,
) -> None:
    await toolbar.ready()
    ticker = toolbar.window._ticker
    assert ticker.isActive()
    assert ticker.interval() <= 1010  # idle: until the time in status (m:ss) next changes
    toolbar.sim.engine.add_caller("Sales", "Marie Curie", "+33123456789")
    await toolbar.shows(toolbar.window.offer_card.isVisible)
    assert ticker.isActive()
    assert ticker.interval() == round(COUNTDOWN_REDRAW * 1000)


async def test_stay_on_top_and_the_place_are_remembered(
    toolbar: Toolbar, qtbot: QtBot, tmp_path: Path
) -> None:
    window = toolbar.window
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    window.toolbar_actions.on_top.trigger()
    assert not window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    window.resize(700, window.height())
    window.close()
    settings = QSettings(str(tmp_path / "toolbar.ini"), QSettings.Format.IniFormat)
    presenter = Presenter(toolbar.session)
    again = ToolbarWindow(presenter, ToolbarActions(presenter), settings)
    qtbot.addWidget(again)
    assert not again.toolbar_actions.on_top.isChecked()
    assert again.width() == 700


def _button(window: ToolbarWindow, name: str) -> QAbstractButton:
    return next(
        widget
        for widget in window.findChildren(QAbstractButton)
        if widget.accessibleName() == name and widget.isVisible()
    )
