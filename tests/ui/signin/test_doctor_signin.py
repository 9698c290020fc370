"""The sign-in dialog's failure view offers "Check connection…" when the server caused
the failure, and runs the real read-only doctor on what the form holds.

Real parts: the simulator on loopback, the real sign-in, the real doctor, real widgets.
"""

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from pytestqt.qtbot import QtBot

from agent_toolbar.doctor.report import Report
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.signin.doctor_dialog import DoctorDialog
from tests.helpers.kazoo import PASSWORDS, scenario
from tests.helpers.signin import fill_kazoo, opened
from tests.helpers.waiting import until
from tests.helpers.widgets import click, type_into

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(scenario()) as simulator:
        yield simulator


async def test_no_check_is_offered_before_a_failure(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    assert not dialog.check_button.isVisible()


async def test_a_problem_of_the_form_offers_no_check(qtbot: QtBot) -> None:
    dialog = opened(qtbot)
    type_into(dialog.form.name, "work")
    type_into(dialog.form.api_url, "https://pbx.example:8443/v2")
    click(dialog.sign_in_button)  # no account, user name or password: said at the fields
    await until(dialog.form.rows["account_name"].problem.isVisible)
    assert not dialog.check_button.isVisible()


async def test_an_unreachable_server_offers_the_check(qtbot: QtBot, sim: Simulator) -> None:
    dialog = opened(qtbot)
    fill_kazoo(dialog, sim, "ada", PASSWORDS["ada"])
    dialog.form.api_url.setText("http://127.0.0.1:9/v2")  # the discard port: nobody listens
    click(dialog.sign_in_button)
    await until(dialog.check_button.isVisible)
    assert not dialog.is_checking()


async def test_a_refused_password_offers_the_check_and_it_runs_the_doctor(
    qtbot: QtBot, sim: Simulator
) -> None:
    dialog = opened(qtbot)
    fill_kazoo(dialog, sim, "ada", "not-the-password")
    click(dialog.sign_in_button)
    await until(dialog.check_button.isVisible)
    reported: list[Report] = []
    dialog.checked.connect(reported.append)
    click(dialog.check_button)
    doctor = dialog.doctor
    assert isinstance(doctor, DoctorDialog)
    assert doctor.isVisible()
    await until(lambda: bool(reported), timeout=20)
    shown = reported[0]
    assert doctor.report is shown
    assert shown.backend == "kazoo"
    assert shown.problem is not None
    assert shown.problem.kind == "signed_out"
    assert doctor.problem.isVisible()
    assert doctor.table.rowCount() == len(shown.rows)
    assert "not-the-password" not in "\n".join(shown.notes)
    doctor.reject()
    await until(lambda: dialog.doctor is None)
    assert dialog.isVisible()  # back to the form, to fix it
    click(dialog.sign_in_button)  # a new attempt hides the offer until it fails again
    assert not dialog.check_button.isVisible()
    click(dialog.cancel_button)
