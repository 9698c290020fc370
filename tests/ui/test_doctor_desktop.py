""" "Check connection…" from the window's menu runs the real read-only doctor for the
profile in use, and "Copy diagnostics" carries its report.

Real parts: the simulator on loopback, a signed-in session, the desktop's widgets
offscreen, the real doctor. The keychain is keyring's "fail" backend.
"""

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from PySide6.QtWidgets import QMenu, QToolButton
from pytestqt.qtbot import QtBot

from agent_toolbar.config.keychain import Keychain
from agent_toolbar.config.settings import Config, Profile, Secrets
from agent_toolbar.doctor.report import render_text
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.desktop import Desktop, Place
from agent_toolbar.ui.signin.dialog import SignInDialog
from agent_toolbar.ui.signin.doctor_dialog import DoctorDialog
from agent_toolbar.ui.startup import start
from agent_toolbar.ui.toolbar.window import ToolbarWindow
from tests.helpers.desktop import signed_in
from tests.helpers.kazoo import FAST, PASSWORDS, backend, sim
from tests.helpers.places import private_places
from tests.helpers.signin import fill_kazoo
from tests.helpers.waiting import until
from tests.helpers.widgets import click, shown

pytestmark = pytest.mark.asyncio
__all__ = ["private_places", "sim"]  # the fixtures this file uses


def ada(sim: Simulator) -> tuple[Profile, Secrets]:
    login = next(each for each in sim.logins if each.username == "ada")
    profile = Profile(api_url=sim.api_url, account_name=login.account_name, username="ada")
    return profile, Secrets(password=PASSWORDS["ada"])


@pytest_asyncio.fixture
async def desktop(qtbot: QtBot, sim: Simulator) -> AsyncIterator[Desktop]:
    async with signed_in(sim, ada(sim)[0], ada(sim)) as made:
        yield made


@pytest_asyncio.fixture
async def no_profile(qtbot: QtBot, sim: Simulator) -> AsyncIterator[Desktop]:
    async with signed_in(sim, None) as made:
        yield made


def menu_actions(desktop: Desktop) -> list[str]:
    menus = [
        each.menu()
        for each in desktop.window.findChildren(QToolButton)
        if each.accessibleName() == "Menu"
    ]
    assert len(menus) == 1
    assert isinstance(menus[0], QMenu)
    return [each.text() for each in menus[0].actions()]


async def test_the_menu_offers_the_check(desktop: Desktop) -> None:
    assert "&Check connection…" in menu_actions(desktop)
    assert desktop.actions.check_connection.isEnabled()


async def test_without_a_profile_the_check_is_not_offered(no_profile: Desktop) -> None:
    assert not no_profile.actions.check_connection.isEnabled()
    no_profile.actions.check_connection.trigger()
    await asyncio.sleep(0.1)
    assert no_profile.doctor is None


async def test_diagnostics_say_no_check_was_run(desktop: Desktop) -> None:
    assert "Connection check: none run\n" in desktop._diagnostics()


async def test_the_menu_runs_the_doctor_and_diagnostics_carry_its_report(
    desktop: Desktop,
) -> None:
    desktop.actions.check_connection.trigger()
    doctor = desktop.doctor
    assert isinstance(doctor, DoctorDialog)
    assert doctor.isVisible()
    assert doctor.progress.isVisible()
    await until(lambda: desktop.latest_check is not None, timeout=20)
    report = desktop.latest_check
    assert report is not None
    assert doctor.report is report
    assert report.backend == "kazoo"
    assert report.problem is None
    assert report.exit_code == 0, render_text(report)
    assert doctor.table.rowCount() == len(report.rows)
    assert doctor.summary.text() == "Nothing differs from what the toolbar assumes."
    desktop.actions.check_connection.trigger()  # one dialog at a time
    assert desktop.doctor is doctor
    text = desktop._diagnostics()
    assert f"--- the latest connection check ---\n{render_text(report)}" in text
    assert PASSWORDS["ada"] not in text
    doctor.reject()
    await until(lambda: desktop.doctor is None)


async def test_quitting_during_a_check_stops_it(qtbot: QtBot, sim: Simulator) -> None:
    """The check's sign-in waits on a server that does not answer: quitting closes the
    dialog, cancels the check and shuts down at once, not after the server's wait."""
    profile, secrets = ada(sim)
    session = Session(backend(sim), FAST)
    await session.sign_in()
    place = Place(
        config=Config(profiles={"work": profile}),
        profile_name="work",
        save=None,
        keychain=Keychain(),
        log_file=None,
        signed_in_with=(profile, secrets),
    )
    made = Desktop(session, place)
    running = asyncio.create_task(made.run())
    await until(made.window.isVisible)
    sim.faults.hang_rest(30)
    made.actions.check_connection.trigger()
    doctor = made.doctor
    assert isinstance(doctor, DoctorDialog)
    await until(doctor.is_running)
    await asyncio.sleep(0.3)  # the check's first request now waits on the server
    made.actions.quit.trigger()
    assert await asyncio.wait_for(running, 5) == 0
    assert not doctor.is_running()
    assert made.latest_check is None


async def test_a_profile_signed_in_at_the_start_can_be_checked(
    qtbot: QtBot, sim: Simulator
) -> None:
    """The sign-in at the start hands the profile and secrets it used to the desktop."""
    running = asyncio.create_task(start(None))
    await until(lambda: shown(SignInDialog) is not None)
    dialog = shown(SignInDialog)
    assert isinstance(dialog, SignInDialog)
    fill_kazoo(dialog, sim, "ada", PASSWORDS["ada"])
    click(dialog.sign_in_button)
    await until(lambda: shown(ToolbarWindow) is not None)
    window = shown(ToolbarWindow)
    assert isinstance(window, ToolbarWindow)
    assert window.toolbar_actions.check_connection.isEnabled()
    window.toolbar_actions.check_connection.trigger()
    await until(lambda: shown(DoctorDialog) is not None)
    doctor = shown(DoctorDialog)
    assert isinstance(doctor, DoctorDialog)
    await until(lambda: doctor.report is not None, timeout=20)
    assert doctor.report is not None
    assert doctor.report.exit_code == 0, render_text(doctor.report)
    doctor.reject()
    window.toolbar_actions.quit.trigger()
    assert await asyncio.wait_for(running, 10) == 0
