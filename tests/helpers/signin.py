"""The sign-in dialog opened and filled in as an agent would."""

from typing import Any

from pytestqt.qtbot import QtBot

from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.signin.dialog import SignInDialog
from tests.helpers.widgets import type_into


def opened(qtbot: QtBot, **options: Any) -> SignInDialog:
    dialog = SignInDialog(**options)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill_kazoo(dialog: SignInDialog, sim: Simulator, username: str, password: str) -> None:
    form = dialog.form
    login = next(each for each in sim.logins if each.username == username)
    type_into(form.name, "work")
    type_into(form.api_url, sim.api_url)
    type_into(form.account_name, login.account_name)
    type_into(form.username, username)
    type_into(form.password, password)
