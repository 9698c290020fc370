"""The sign-in dialog against the real simulator, through the real `signin.sign_in`.

The form is filled with keys and clicks as an agent would. Waits poll briefly or
await a future: never a nested event loop, which qasync forbids.
"""

import asyncio
import gc

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.signin.dialog import SignInDialog
from tests.helpers.kazoo import PASSWORDS, sim
from tests.helpers.signin import fill_kazoo, opened
from tests.helpers.telphin import ada
from tests.helpers.waiting import until
from tests.helpers.widgets import click, type_into

pytestmark = pytest.mark.asyncio
__all__ = ["sim"]  # the fixture this file uses

SignedIn = tuple[str, Profile, Secrets, Session]


def fill_telphin(dialog: SignInDialog, sim: Simulator) -> None:
    form = dialog.form
    QTest.keyClick(form.backend, Qt.Key.Key_Down)
    login = ada(sim)
    type_into(form.name, "cloud")
    type_into(form.api_url, sim.telphin_api_url)
    type_into(form.app_id, login.app_id)
    type_into(form.app_secret, login.app_secret)
    type_into(form.username, login.username)
    type_into(form.password, PASSWORDS["ada"])


def watch_sign_in(dialog: SignInDialog) -> "asyncio.Future[SignedIn]":
    done: asyncio.Future[SignedIn] = asyncio.get_running_loop().create_future()

    def signed_in(name: str, profile: Profile, secrets: Secrets, session: Session) -> None:
        if not done.done():
            done.set_result((name, profile, secrets, session))

    dialog.signed_in.connect(signed_in)
    return done


async def test_a_kazoo_agent_signs_in(qtbot: QtBot, sim: Simulator) -> None:
    dialog = opened(qtbot)
    fill_kazoo(dialog, sim, "ada", PASSWORDS["ada"])
    signed_in = watch_sign_in(dialog)
    click(dialog.sign_in_button)
    assert not dialog.form.isEnabled()
    assert dialog.status.text() == "Checking the connection…"
    assert dialog.checking.isVisible()
    name, profile, secrets, session = await asyncio.wait_for(signed_in, 8)
    try:
        assert name == "work"
        account = next(each.account_name for each in sim.logins if each.username == "ada")
        assert profile == Profile(api_url=sim.api_url, account_name=account, username="ada")
        assert secrets == Secrets(password=PASSWORDS["ada"])
        assert session.identity is not None
        assert dialog.result() == QDialog.DialogCode.Accepted.value
        assert not dialog.isVisible()
    finally:
        await session.close()


async def test_a_telphin_agent_signs_in(qtbot: QtBot, sim: Simulator) -> None:
    dialog = opened(qtbot)
    form = dialog.form
    fill_telphin(dialog, sim)
    login = ada(sim)
    signed_in = watch_sign_in(dialog)
    QTest.keyClick(form.password, Qt.Key.Key_Return)  # Enter signs in
    name, profile, secrets, session = await asyncio.wait_for(signed_in, 8)
    try:
        assert name == "cloud"
        assert (profile.backend, profile.app_id, profile.username) == (
            "telphin",
            login.app_id,
            "ada",
        )
        assert (profile.account_name, profile.callback_bind) == (None, "127.0.0.1:0")
        assert secrets == Secrets(password=PASSWORDS["ada"], app_secret=login.app_secret)
        assert session.identity is not None
    finally:
        await session.close()


async def test_a_wrong_password_is_said_at_the_password(qtbot: QtBot, sim: Simulator) -> None:
    dialog = opened(qtbot)
    fill_kazoo(dialog, sim, "ada", "not-the-password")
    click(dialog.sign_in_button)
    row = dialog.form.rows["password"]
    await until(row.problem.isVisible)
    assert "Check the account name, user name and password" in row.problem.text()
    assert dialog.focusWidget() is dialog.form.password
    assert dialog.form.password.accessibleDescription() == row.problem.text()
    assert dialog.status.text() == "Signing in did not work: see the marked field."
    assert dialog.form.isEnabled()
    assert dialog.isVisible()
    QTest.keyClicks(dialog.form.password, "x")  # typing again clears the mark
    assert not row.problem.isVisible()


async def test_an_agent_id_that_is_no_agent_is_said_there(qtbot: QtBot, sim: Simulator) -> None:
    dialog = opened(qtbot)
    form = dialog.form
    fill_telphin(dialog, sim)
    type_into(form.agent_id, "999999")
    signed_in = watch_sign_in(dialog)
    click(dialog.sign_in_button)
    row = form.rows["agent_id"]
    await until(row.problem.isVisible)
    problem, fix, details = row.problem.text().splitlines()
    assert problem == "The server 127.0.0.1 does not let this sign-in act as an agent."
    assert "queue agent" in fix
    assert details == "Details: there is no queue agent 999999"
    assert dialog.focusWidget() is form.agent_id
    assert not signed_in.done()


async def test_cancel_during_a_hanging_check_stops_it(qtbot: QtBot, sim: Simulator) -> None:
    dialog = opened(qtbot)
    fill_kazoo(dialog, sim, "ada", PASSWORDS["ada"])
    sim.faults.hang_rest(30)
    signed_in = watch_sign_in(dialog)
    click(dialog.sign_in_button)
    await asyncio.sleep(0.5)  # the sign-in request is now waiting on the server
    assert dialog.is_checking()
    click(dialog.cancel_button)
    assert not dialog.is_checking()
    assert dialog.form.isEnabled()
    assert not dialog.checking.isVisible()
    assert dialog.status.text() == "Stopped checking. Nothing was saved."
    assert dialog.isVisible()  # the agent can fix the form and try again
    assert not signed_in.done()
    click(dialog.sign_in_button)  # the server answers again
    *_, session = await asyncio.wait_for(signed_in, 8)
    await session.close()
    gc.collect()  # a session the stopped check left open would warn now, failing the test


async def test_cancel_when_not_checking_closes(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    click(dialog.cancel_button)
    assert dialog.result() == QDialog.DialogCode.Rejected.value
    assert not dialog.isVisible()


async def test_escape_closes(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    QTest.keyClick(dialog.form.name, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected.value


async def test_the_edited_profile_is_kept_whole(qtbot: QtBot, sim: Simulator) -> None:
    login = next(each for each in sim.logins if each.username == "ada")
    profile = Profile(
        api_url=sim.api_url,
        account_name=login.account_name,
        username="ada",
        away_reasons=("Coaching",),
        remember_password=False,
    )
    dialog = opened(
        qtbot,
        name="work",
        profile=profile,
        secrets=Secrets(password=PASSWORDS["ada"]),
        taken_names=["home"],
        offer_demo=False,
    )
    assert dialog.windowTitle() == "Edit the profile work"
    assert not dialog.demo.isVisible()
    assert dialog.form.password.text() == PASSWORDS["ada"]
    assert not dialog.form.remember.isChecked()
    signed_in = watch_sign_in(dialog)
    click(dialog.sign_in_button)
    name, again, secrets, session = await asyncio.wait_for(signed_in, 8)
    await session.close()
    assert (name, again, secrets) == ("work", profile, Secrets(password=PASSWORDS["ada"]))


async def test_a_slow_server_shows_progress_until_it_answers(qtbot: QtBot, sim: Simulator) -> None:
    dialog = opened(qtbot)
    fill_kazoo(dialog, sim, "ada", PASSWORDS["ada"])
    sim.faults.hang_rest(0.5)
    signed_in = watch_sign_in(dialog)
    click(dialog.sign_in_button)
    await asyncio.sleep(0.2)
    assert dialog.checking.isVisible()
    assert not dialog.sign_in_button.isEnabled()
    click(dialog.sign_in_button)  # a second click while checking starts nothing
    *_, session = await asyncio.wait_for(signed_in, 8)
    await session.close()
