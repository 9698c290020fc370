"""Screen pop on the whole desktop against the real simulator: a call rings and is
answered, and the profile's CRM address is opened exactly once, on ring or on answer as
the profile says, with the call's values encoded. The browser is the one part replaced:
a handler registered with QDesktopServices.setUrlHandler receives what openUrl would
hand it, on the same path the desktop uses. A command template runs a real program."""

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QToolButton, QWidget
from pytestqt.qtbot import QtBot

from agent_toolbar.config.settings import Profile
from agent_toolbar.domain.commands import Login, Ready
from agent_toolbar.domain.screen_pop import PopWhen
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.profile_form import ProfileForm
from agent_toolbar.ui.screen_pop import ScreenPop
from tests.helpers.desktop import signed_in
from tests.helpers.kazoo import queue_id, sim, user_id
from tests.helpers.places import private_places
from tests.helpers.waiting import until

__all__ = ["private_places", "sim"]  # the fixtures this file uses

TEMPLATE = (
    "https://crm.example.com/pop?n={caller_id_number}&who={caller_id_name}"
    "&q={queue_name}&qid={queue_id}&s={session_id}&a={agent}"
)


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


def profile(template: str, when: PopWhen) -> Profile:
    return Profile(api_url="https://pbx.example.com", screen_pop=template, screen_pop_on=when)


def crm_buttons(card: QWidget) -> list[QToolButton]:
    return [
        each
        for each in card.findChildren(QToolButton)
        if each.accessibleName() == "Open the caller in the CRM"
    ]


@pytest.mark.asyncio
@pytest.mark.parametrize("when", ["ring", "answer"])
async def test_a_call_pops_the_crm_once(
    qtbot: QtBot, sim: Simulator, browser: Browser, when: PopWhen
) -> None:
    async with signed_in(sim, profile(TEMPLATE, when)) as desktop:
        session = desktop._session
        await session.execute(Login())
        await session.execute(Ready())
        me = user_id(sim, "ada")
        await until(lambda: sim.engine.agent(me).status == "ready")
        call = sim.engine.add_caller("Sales", "Marie Curie", "+33 1 23 45 67 89")
        await until(lambda: desktop.presenter.state is not None and desktop.presenter.state.offer)
        await asyncio.sleep(0.2)
        assert len(browser.opened) == (1 if when == "ring" else 0)
        sim.engine.answer(me)
        await until(lambda: desktop.presenter.state is not None and desktop.presenter.state.call)
        await until(lambda: len(browser.opened) == 1)
        links: list[str] = []
        stop = session.subscribe(lambda state: links.append(state.connection))
        session.reconnect_now("the test drops the link")
        await until(
            lambda: "online" in links[links.index("stale") :] if "stale" in links else False
        )
        stop()
        await asyncio.sleep(0.2)
    assert browser.opened == [
        "https://crm.example.com/pop?n=%2B33%201%2023%2045%2067%2089&who=Marie%20Curie"
        f"&q=Sales&qid={queue_id(sim, 'Sales')}&s={call}&a={me}"
    ]


@pytest.mark.asyncio
async def test_a_command_runs_without_a_shell_and_gets_the_values(
    qtbot: QtBot, sim: Simulator, tmp_path: Path
) -> None:
    out = tmp_path / "popped.txt"
    script = "import sys; open(sys.argv[1], 'w').write(sys.argv[2])"
    template = f"'{sys.executable}' -c \"{script}\" '{out}' '{{caller_id_name}}'"
    async with signed_in(sim, profile(template, "ring")) as desktop:
        await desktop._session.execute(Login())
        await desktop._session.execute(Ready())
        sim.engine.add_caller("Sales", "Bobby'; touch pwned; '", "+1 555 0100")
        await until(out.exists)
        await until(lambda: out.read_text() == "Bobby'; touch pwned; '")
    assert not (Path.cwd() / "pwned").exists()


@pytest.mark.asyncio
async def test_open_in_crm_opens_the_call_again_when_the_agent_asks(
    qtbot: QtBot, sim: Simulator, browser: Browser
) -> None:
    async with signed_in(sim, profile(TEMPLATE, "answer")) as desktop:
        action = desktop.actions.open_in_crm
        assert action.isVisible()
        assert not action.isEnabled()
        await desktop._session.execute(Login())
        await desktop._session.execute(Ready())
        sim.engine.add_caller("Sales", "Marie Curie", "+33 1 23 45 67 89")
        await until(action.isEnabled)
        assert [each.isVisible() for each in crm_buttons(desktop.window.offer_card)] == [True]
        action.trigger()
        await until(lambda: len(browser.opened) == 1)
        assert "who=Marie%20Curie" in browser.opened[0]


@pytest.mark.asyncio
async def test_a_template_that_cannot_run_is_told_once_per_call_never_raised(
    qtbot: QtBot, sim: Simulator
) -> None:
    told: list[str] = []
    pop = ScreenPop(profile("no-such-crm-client {caller_id_number}", "ring"), told.append)
    async with signed_in(sim, Profile(api_url="https://pbx.example.com")) as desktop:
        assert not desktop.actions.open_in_crm.isVisible()
        card = desktop.window.offer_card  # without a template the button is hidden, not grey
        assert [each.isVisibleTo(card) for each in crm_buttons(card)] == [False]
        desktop.presenter.changed.connect(pop.follow)
        await desktop._session.execute(Login())
        await desktop._session.execute(Ready())
        me = user_id(sim, "ada")
        sim.engine.add_caller("Sales", "Marie Curie", "+33 1 23 45 67 89")
        await until(lambda: desktop.presenter.state is not None and desktop.presenter.state.offer)
        sim.engine.answer(me)
        await until(lambda: desktop.presenter.state is not None and desktop.presenter.state.call)
        await asyncio.sleep(0.2)
    assert told == ["The CRM was not opened: no command no-such-crm-client was found"]


def test_the_form_refuses_a_bad_template_with_its_reason(qtbot: QtBot, browser: Browser) -> None:
    form = ProfileForm(Profile(api_url="https://pbx.example.com"), None)
    qtbot.addWidget(form)
    form.show()
    assert not form.advanced.isVisible()
    for template, reason in (
        ("https://crm.example.com/{caller}", "unknown placeholder {caller}"),
        ("ftp://crm.example.com/{caller_id_number}", "only http and https addresses"),
        ("no-such-crm-client {caller_id_number}", "no command no-such-crm-client was found"),
    ):
        form.screen_pop.setText(template)
        form.test_screen_pop.click()
        row = form.rows["screen_pop"]
        assert row.problem.isVisible()
        assert f"This template is refused: {reason}" in row.problem.text()
        assert form.screen_pop_problem() is not None
    assert browser.opened == []


def test_the_form_tests_a_template_with_sample_values_and_keeps_it(
    qtbot: QtBot, browser: Browser
) -> None:
    kept = Profile(
        api_url="https://pbx.example.com",
        screen_pop="https://crm.example.com/?n={caller_id_number}",
        screen_pop_on="answer",
    )
    form = ProfileForm(kept, None)
    qtbot.addWidget(form)
    form.show()
    assert form.advanced.isVisible()
    form.test_screen_pop.click()
    assert browser.opened == ["https://crm.example.com/?n=%2B33%201%2023%2045%2067%2089"]
    assert not form.rows["screen_pop"].problem.isVisible()
    made = form.profile()
    assert made.screen_pop == kept.screen_pop
    assert made.screen_pop_on == "answer"
