"""The first start on a desktop whose organisation presets the server: the sign-in dialog
fills in the preset profile and locks what the policy locks, the agent types only a user
name and password, and a part of the policy that could not be applied is said in one
banner. The locked server never reaches the agent's settings file.

Real parts: a policy file in a temporary $XDG_CONFIG_DIRS directory, the simulator on
loopback, the toolbar's own start (`start`), the dialog and window offscreen.
"""

import asyncio
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from agent_toolbar.config import settings_file as config_file
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.app import _place_without_profile
from agent_toolbar.ui.signin.dialog import SignInDialog
from agent_toolbar.ui.startup import start
from agent_toolbar.ui.toolbar.window import ToolbarWindow
from tests.helpers.kazoo import PASSWORDS, sim
from tests.helpers.places import private_places
from tests.helpers.waiting import until
from tests.helpers.widgets import click, shown, type_into

pytestmark = pytest.mark.asyncio
__all__ = ["private_places", "sim"]  # the fixtures this file uses

WORDS = "Set by your organisation"


def write_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    policy = tmp_path / "xdg" / "agent-toolbar" / "policy.toml"
    policy.parent.mkdir(parents=True)
    policy.write_text(text)
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg"))
    return policy


async def test_a_preset_locked_server_is_filled_in_and_the_agent_types_the_rest(
    sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = next(each.account_name for each in sim.logins if each.username == "ada")
    policy = write_policy(
        tmp_path,
        monkeypatch,
        f"""\
[defaults]
default_profile = "main"
offer_demo = false

[defaults.preferences]
histroy_days = 9

[locked.preferences]
quit_while_ready = "stay"

[locked.profiles.main]
backend = "kazoo"
api_url = "{sim.api_url}"
account_name = "{account}"
""",
    )
    running = asyncio.create_task(start(None))
    await until(lambda: shown(SignInDialog) is not None)
    dialog = shown(SignInDialog)
    assert isinstance(dialog, SignInDialog)
    form = dialog.form
    assert form.name.text() == "main"
    assert form.api_url.text() == sim.api_url
    assert form.account_name.text() == account
    for field in (form.name, form.backend, form.api_url, form.account_name):
        assert not field.isEnabled()
        assert field.accessibleDescription() == WORDS
        assert field.toolTip() == WORDS
    for key in ("name", "backend", "api_url", "account_name"):
        locked = form.rows[key].locked
        assert locked is not None
        assert locked.isVisible()
        assert locked.text() == WORDS
    assert not dialog.demo.isVisible()
    # The part of the policy that could not be applied is said, naming file and key.
    words = dialog.policy_banner.findChild(QLabel, "bannerText")
    assert isinstance(words, QLabel)
    assert dialog.policy_banner.isVisible()
    assert "Part of your organisation's settings could not be applied: " in words.text()
    assert f"{policy}: defaults.preferences.histroy_days" in words.text()
    # The agent types only the user name and password.
    type_into(form.username, "ada")
    type_into(form.password, PASSWORDS["ada"])
    click(dialog.sign_in_button)
    await until(lambda: shown(ToolbarWindow) is not None)
    window = shown(ToolbarWindow)
    assert isinstance(window, ToolbarWindow)
    window.toolbar_actions.quit.trigger()
    assert await asyncio.wait_for(running, 10) == 0
    text = config_file.config_path().read_text()
    assert "[profiles.main]" in text
    assert 'username = "ada"' in text
    for policy_value in (sim.api_url, account, "account_name", "default_profile"):
        assert policy_value not in text


async def test_the_demo_and_the_command_line_run_under_the_policy_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a profile (the demo, command-line options) nothing is saved, but the
    settings in force are the policy's all the same, and the settings show its locks."""
    write_policy(tmp_path, monkeypatch, '[locked.preferences]\nquit_while_ready = "away"\n')
    own = config_file.config_path()
    own.parent.mkdir(parents=True)
    own.write_text('[preferences]\nquit_while_ready = "stay"\nhistory_days = 5\n')
    place = await _place_without_profile()
    assert place.save is None
    assert place.config.preferences.quit_while_ready == "away"
    assert place.config.preferences.history_days == 5
    assert place.policy.locked("preferences.quit_while_ready") is not None
