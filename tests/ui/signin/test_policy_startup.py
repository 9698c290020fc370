"""The toolbar's start under a policy: the sign-in dialog offers no demo when the policy
says so, the locked value is in force, and the settings file written after signing in
holds what the agent typed, never the policy's values.

Real parts: a policy file in a temporary $XDG_CONFIG_DIRS directory, the simulator on
loopback, the sign-in dialog and window offscreen (the fixtures of tests/ui/test_desktop.py).
"""

import asyncio
from pathlib import Path

import pytest

from agent_toolbar.config import settings_file as config_file
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.signin.dialog import SignInDialog
from agent_toolbar.ui.startup import start
from agent_toolbar.ui.toolbar.window import ToolbarWindow
from tests.helpers.kazoo import PASSWORDS, sim
from tests.helpers.places import private_places
from tests.helpers.signin import fill_kazoo
from tests.helpers.waiting import until
from tests.helpers.widgets import click, shown

pytestmark = pytest.mark.asyncio
__all__ = ["private_places", "sim"]  # the fixtures this file uses

POLICY = """\
[defaults]
offer_demo = false

[defaults.preferences]
history_days = 9

[locked.preferences]
quit_while_ready = "stay"
"""


async def test_a_first_sign_in_under_policy_keeps_the_policy_out_of_the_file(
    sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "xdg" / "agent-toolbar" / "policy.toml"
    policy.parent.mkdir(parents=True)
    policy.write_text(POLICY)
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg"))
    running = asyncio.create_task(start(None))
    await until(lambda: shown(SignInDialog) is not None)
    dialog = shown(SignInDialog)
    assert isinstance(dialog, SignInDialog)
    assert not dialog.demo.isVisible()
    fill_kazoo(dialog, sim, "ada", PASSWORDS["ada"])
    click(dialog.sign_in_button)
    await until(lambda: shown(ToolbarWindow) is not None)
    window = shown(ToolbarWindow)
    assert isinstance(window, ToolbarWindow)
    # The locked "stay" quits without asking, though the agent is signed in.
    window.toolbar_actions.quit.trigger()
    assert await asyncio.wait_for(running, 10) == 0
    path = config_file.config_path()
    text = path.read_text()
    assert "[profiles.work]" in text
    for policy_key in ("offer_demo", "history_days", "quit_while_ready"):
        assert policy_key not in text
    assert config_file.load(path).preferences.quit_while_ready == "ask"
