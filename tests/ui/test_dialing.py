"""Dialing in the window (issue 18): the dial box, a `tel:` link asked about once, "Call
back" on the missed-call card and in the history, hidden where the server cannot place
calls and off while the phone is busy. The whole desktop runs against the real Kazoo
simulator (Telphin's, for an agent whose extension is no phone); the browser a screen pop
opens is the one part replaced (a URL handler)."""

import asyncio
import logging
from collections.abc import Iterator

import pytest
from msgspec.structs import replace
from PySide6.QtCore import QObject, QPoint, Qt, QUrl, Slot
from PySide6.QtGui import QContextMenuEvent, QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from agent_toolbar.config.keychain import Keychain
from agent_toolbar.config.settings import Config, Profile
from agent_toolbar.domain.commands import Dial, Login, Ready
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Simulator, TelphinSettings
from agent_toolbar.ui.desktop import Desktop, Place
from agent_toolbar.ui.dialing import DialBox
from agent_toolbar.ui.toolbar.history import HistoryView
from tests.helpers.desktop import running, signed_in
from tests.helpers.kazoo import FAST, scenario, sim, user_id
from tests.helpers.places import private_places
from tests.helpers.telphin import telphin
from tests.helpers.waiting import until
from tests.helpers.widgets import click, type_into

__all__ = ["private_places", "sim"]  # the fixtures this file uses

NUMBER = "+33 1 23 45 67 89"
DIALED = "+33123456789"


class Browser(QObject):
    """Stands in for the system's browser: records each address it is asked to open."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString(QUrl.ComponentFormattingOption.FullyEncoded))


@pytest.fixture
def browser() -> Iterator[Browser]:
    made = Browser()
    # PySide6 takes the slot by name as text; its stub says bytes.
    QDesktopServices.setUrlHandler("https", made, "open")  # type: ignore[arg-type]
    yield made
    QDesktopServices.unsetUrlHandler("https")


def dials(desktop: Desktop) -> list[Dial]:
    """The calls the session was asked to place."""
    state = desktop.presenter.state
    commands = state.commands if state is not None else ()
    return [each.command for each in commands if isinstance(each.command, Dial)]


def buttons_named(parent: QWidget, name: str) -> list[QToolButton]:
    return [each for each in parent.findChildren(QToolButton) if each.accessibleName() == name]


async def ready(desktop: Desktop) -> None:
    await desktop._session.execute(Login())
    await desktop._session.execute(Ready())


async def declined(desktop: Desktop, sim: Simulator) -> str:
    """A caller from NUMBER rang and the agent declined (Sales then sets them Away, so
    the missed-call card stays): the card shows."""
    await ready(desktop)
    call = sim.engine.add_caller("Sales", "Marie Curie", NUMBER)
    await until(lambda: desktop.presenter.state is not None and desktop.presenter.state.offer)
    sim.engine.decline(user_id(sim, "ada"))
    await until(desktop.window.missed_card.isVisible)
    return call


# --- the dial box -------------------------------------------------------------


def test_the_dial_box_calls_only_a_number_and_says_why_not(qtbot: QtBot) -> None:
    box = DialBox()
    qtbot.addWidget(box)
    box.show()
    assert not box.call.isEnabled()
    assert box.problem.isHidden()  # nothing typed is no mistake yet
    type_into(box.field, "555-CALL")
    assert not box.call.isEnabled()
    assert box.problem.isVisible()
    assert box.problem.text() == (
        "'555-CALL' is not a phone number: "
        "it may hold digits, spaces, dashes, brackets and a leading +"
    )
    QTest.keyClick(box.field, Qt.Key.Key_Return)
    assert box.isVisible()  # Enter calls nothing that is not a number
    box.field.clear()
    type_into(box.field, "+1 (555) 010-0")
    assert box.call.isEnabled()
    assert box.problem.isHidden()
    assert box.number == "+15550100"
    QTest.keyClick(box.field, Qt.Key.Key_Return)
    assert not box.isVisible()
    assert box.result() == QDialog.DialogCode.Accepted


def test_escape_closes_the_dial_box_without_calling(qtbot: QtBot) -> None:
    box = DialBox()
    qtbot.addWidget(box)
    box.show()
    type_into(box.field, "+15550100")
    QTest.keyClick(box.field, Qt.Key.Key_Escape)
    assert not box.isVisible()
    assert box.result() == QDialog.DialogCode.Rejected


# --- links from outside the window ---------------------------------------------


@pytest.mark.asyncio
async def test_a_link_that_is_no_number_is_refused_with_the_reason(
    qtbot: QtBot, sim: Simulator
) -> None:
    async with signed_in(sim, None) as desktop:
        desktop.dialer.ask("mailto:ada@example.com")
        message = desktop.dialer.message
        assert message is not None
        assert message.isVisible()
        assert message.text() == "Not called: a mailto: link is not a phone number"
        assert desktop.dialer.question is None
        assert dials(desktop) == []


@pytest.mark.asyncio
async def test_a_link_is_asked_about_once_and_cancel_dials_nothing(
    qtbot: QtBot, sim: Simulator
) -> None:
    async with signed_in(sim, None) as desktop:
        await ready(desktop)
        await until(lambda: desktop.dialer.refusal() is None)
        desktop.dialer.ask("tel:+1-555-0100")
        box = desktop.dialer.question
        assert box is not None
        assert box.isVisible()
        assert box.text() == "Call +15550100 from your phone?"
        assert box.parent() is desktop.window
        assert box.windowModality() == Qt.WindowModality.WindowModal
        assert [each.text() for each in box.buttons()] == ["&Call", "Cancel"]
        cancel = box.defaultButton()
        assert cancel is not None
        assert cancel.text() == "Cancel"
        assert box.escapeButton() is cancel
        QTest.keyClick(box, Qt.Key.Key_Escape)
        await until(lambda: desktop.dialer.question is None)
        await asyncio.sleep(0.2)
        assert dials(desktop) == []
        assert sim.engine.agent(user_id(sim, "ada")).external_call_id is None


@pytest.mark.asyncio
async def test_a_link_accepted_is_dialed(qtbot: QtBot, sim: Simulator) -> None:
    async with signed_in(sim, None) as desktop:
        await ready(desktop)
        await until(lambda: desktop.dialer.refusal() is None)
        desktop.dialer.ask("callto://+1 555 0100")
        box = desktop.dialer.question
        assert box is not None
        click(next(each for each in box.buttons() if each.text() == "&Call"))
        await until(lambda: dials(desktop) == [Dial(number="+15550100")])
        assert desktop.dialer.question is None


@pytest.mark.asyncio
async def test_a_busy_phone_is_told_not_asked_and_dialing_is_off(
    qtbot: QtBot, sim: Simulator
) -> None:
    async with signed_in(sim, None) as desktop:
        await ready(desktop)
        dial = desktop.actions.dial
        await until(dial.isEnabled)
        assert dial.toolTip() == "Dial… (Ctrl+K)"
        sim.engine.add_caller("Sales", "Marie Curie", NUMBER)
        await until(lambda: not dial.isEnabled())
        assert dial.toolTip() == "Dial… (Ctrl+K): not now, a call is ringing"
        desktop.dialer.ask("tel:+15550100")
        message = desktop.dialer.message
        assert message is not None
        assert message.isVisible()
        assert message.text() == "Not called: a call is ringing"
        assert desktop.dialer.question is None
        sim.engine.answer(user_id(sim, "ada"))
        await until(lambda: "on a call" in dial.toolTip())
        assert not dial.isEnabled()
        assert dials(desktop) == []


@pytest.mark.asyncio
async def test_dialing_waits_for_a_log_in(qtbot: QtBot, sim: Simulator) -> None:
    # A logged-out agent's calls are followed by nobody: the call could never be confirmed.
    async with signed_in(sim, None) as desktop:
        dial = desktop.actions.dial
        await until(lambda: "log in first" in dial.toolTip())
        assert not dial.isEnabled()
        await ready(desktop)
        await until(dial.isEnabled)


# --- the window's actions --------------------------------------------------------


@pytest.mark.asyncio
async def test_ctrl_k_opens_the_dial_box_and_its_call_dials(qtbot: QtBot, sim: Simulator) -> None:
    async with signed_in(sim, None) as desktop:
        await ready(desktop)
        await until(desktop.actions.dial.isEnabled)
        desktop.window.activateWindow()
        QTest.keySequence(desktop.window, "Ctrl+K")
        box = desktop.dialer.box
        assert box is not None
        assert box.isVisible()
        type_into(box.field, "555 0100")
        QTest.keyClick(box.field, Qt.Key.Key_Return)
        await until(lambda: dials(desktop) == [Dial(number="5550100")])
        assert desktop.dialer.box is None


@pytest.mark.asyncio
async def test_call_back_on_the_missed_call_card(qtbot: QtBot, sim: Simulator) -> None:
    async with signed_in(sim, None) as desktop:
        await declined(desktop, sim)
        card = desktop.window.missed_card
        [shown] = buttons_named(card, "Call the missed caller back")
        assert shown.isVisible()
        await until(shown.isEnabled)
        assert shown.toolTip() == "Call back (Ctrl+B)"
        click(shown)
        await until(lambda: dials(desktop) == [Dial(number=DIALED)])


@pytest.mark.asyncio
async def test_dialing_is_hidden_on_telphin_without_a_phone_extension(qtbot: QtBot) -> None:
    world = replace(scenario(), telphin=TelphinSettings(agent_extension_type="fax"))
    async with Simulator(world) as sim:
        session = Session(telphin(sim), FAST)
        await session.sign_in()
        config = Config(
            preferences=replace(Config().preferences, quit_while_ready="stay"),
            profiles={"work": Profile(api_url="https://pbx.example.com")},
        )
        place = Place(
            config=config, profile_name="work", save=None, keychain=Keychain(), log_file=None
        )
        async with running(session, place) as desktop:
            assert not session.capabilities.dial
            assert not desktop.actions.dial.isVisible()
            assert not desktop.actions.call_back.isVisible()
            card = desktop.window.missed_card
            [shown] = buttons_named(card, "Call the missed caller back")
            assert not shown.isVisibleTo(card)  # hidden, not greyed
            [view] = desktop.window.findChildren(HistoryView)
            assert not view.call_back_button.isVisibleTo(view)
            assert not view.crm_button.isVisibleTo(view)  # no screen pop in this profile
            desktop.dialer.ask("tel:+15550100")
            message = desktop.dialer.message
            assert message is not None
            assert message.text() == "Not called: this server cannot place calls from the toolbar"
            assert desktop.dialer.question is None


# --- the history --------------------------------------------------------------


@pytest.mark.qt_log_ignore(
    # The offscreen platform cannot do what a popup menu asks of it.
    "This plugin does not support grabbing the keyboard",
)
@pytest.mark.asyncio
async def test_a_history_row_calls_back_and_opens_in_the_crm(
    qtbot: QtBot, sim: Simulator, browser: Browser
) -> None:
    profile = Profile(
        api_url="https://pbx.example.com",
        screen_pop="https://crm.example.com/?n={caller_id_number}&s={session_id}&a={agent}",
    )
    async with signed_in(sim, profile) as desktop:
        call = await declined(desktop, sim)
        browser.opened.clear()  # the pop on ring
        [view] = desktop.window.findChildren(HistoryView)
        await until(lambda: view.tree.topLevelItemCount() == 1)
        assert not view.call_back_button.isEnabled()  # no row chosen yet
        assert not view.crm_button.isEnabled()
        view.tree.topLevelItem(0).setSelected(True)  # type: ignore[union-attr]
        chosen = view.selected()
        assert chosen is not None
        view.refresh()  # as when a call begins or ends: the agent's choice stays
        await asyncio.sleep(0.3)
        again = view.selected()
        assert again is not None
        assert again.key == chosen.key
        assert view.call_back_button.isVisibleTo(view)
        await until(view.call_back_button.isEnabled)
        assert view.crm_button.isVisibleTo(view)
        assert view.crm_button.isEnabled()
        viewport, where = view.tree.viewport(), QPoint(4, 4)
        menu_key = QContextMenuEvent(
            QContextMenuEvent.Reason.Keyboard, where, viewport.mapToGlobal(where)
        )
        QApplication.sendEvent(viewport, menu_key)
        menu = view.row_menu
        assert menu is not None
        assert menu.isVisible()
        assert [(each.text(), each.isEnabled()) for each in menu.actions()] == [
            ("Call back", True),
            ("Open in CRM", True),
        ]
        menu.actions()[1].trigger()
        menu.close()
        me = user_id(sim, "ada")
        popped = f"https://crm.example.com/?n=%2B33%201%2023%2045%2067%2089&s={call}&a={me}"
        await until(lambda: browser.opened == [popped])
        click(view.call_back_button)
        await until(lambda: dials(desktop) == [Dial(number=DIALED)])


# --- end to end -----------------------------------------------------------------


@pytest.mark.asyncio
async def test_calling_a_missed_caller_back_rings_the_phone_and_shows_the_call(
    qtbot: QtBot, sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Call back on the missed card: the simulator's quickcall rings ada's phone for the
    number; she picks up, and the panel shows the call placed and her external call."""
    caplog.set_level(logging.INFO, logger="agent_toolbar.simulator.engine")
    async with signed_in(sim, None) as desktop:
        await declined(desktop, sim)
        window = desktop.window
        [shown] = buttons_named(window.missed_card, "Call the missed caller back")
        await until(shown.isEnabled)
        click(shown)
        await until(window.command_line.isVisible)
        await until(lambda: f"ada's phone rings to call {DIALED}" in caplog.messages)
        answer = f"Call {DIALED}: answer your phone to place the call…"
        await until(lambda: window.command_line.message.text() == answer)
        assert not desktop.actions.dial.isEnabled()  # a call is being placed
        sim.engine.answer(user_id(sim, "ada"))  # ada picks up her phone
        await until(lambda: window.strip.status_text().endswith("On another call"))
        state = desktop.presenter.state
        assert state is not None
        assert state.external_call is not None
        assert state.external_call.call_id == sim.engine.agent(user_id(sim, "ada")).external_call_id
        [placed] = [each for each in state.commands if isinstance(each.command, Dial)]
        assert placed.phase == "confirmed"
        assert not window.command_line.isVisible()
        assert "on a call" in desktop.actions.call_back.toolTip()
