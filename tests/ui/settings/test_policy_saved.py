"""Saving the settings under a policy, through the window's settings dialog: the agent's
change is kept, the locked values stay as the policy says, and the settings file gets
no key of the policy's.

Real parts: a policy file read by the toolbar's reader, the desktop signed in to the
simulator on loopback, the settings dialog offscreen, the settings file on disk.
"""

from pathlib import Path

import pytest
from msgspec.structs import replace

from agent_toolbar.config import settings_file as config_file
from agent_toolbar.config.keychain import Keychain
from agent_toolbar.config.policy.model import effective, policy_from
from agent_toolbar.config.policy.sources import toml_sources
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.desktop import Place
from tests.helpers.desktop import running
from tests.helpers.kazoo import FAST, backend, sim
from tests.helpers.places import private_places
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio
__all__ = ["private_places", "sim"]  # the fixtures this file uses

POLICY = """\
[defaults.preferences]
log_level = "debug"

[locked.preferences]
quit_while_ready = "stay"
history_days = 7

[locked.profiles.main]
api_url = "https://pbx.example.com:8443/v2"
account_name = "acme"
"""

OWN = """\
[preferences]
quit_while_ready = "log_out"

[profiles.main]
api_url = "https://elsewhere.example.com"
username = "ada"
"""


async def test_saving_through_the_dialog_keeps_the_locks_out_of_the_file(
    sim: Simulator, tmp_path: Path
) -> None:
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text(POLICY)
    path = tmp_path / "config.toml"
    path.write_text(OWN)
    policy = policy_from(toml_sources([policy_file]))
    in_force = effective(path, policy)
    assert in_force.problems() == []
    session = Session(backend(sim), FAST)
    await session.sign_in()
    layers = in_force.policy.layers()
    place = Place(
        config=in_force.config,
        profile_name=None,
        save=lambda changed: config_file.save(path, changed, layers),
        keychain=Keychain(),
        log_file=None,
        policy=in_force.policy,
    )
    async with running(session, place) as desktop:
        await desktop.open_settings()
        dialog = desktop.settings
        assert dialog is not None
        assert not dialog.general.quit_while_ready.isEnabled()
        # Even a locked control moved by code leaves nothing of it in the file.
        dialog.general.history_days.setValue(99)
        dialog.notifications.enabled.setChecked(False)
        before = path.read_text()
        dialog.accept()
        await until(lambda: path.read_text() != before)
        await until(lambda: desktop.settings is None)
    text = path.read_text()
    for policy_key in ("quit_while_ready", "history_days", "log_level", "account_name", "8443"):
        assert policy_key not in text
    assert 'username = "ada"' in text
    after = effective(path, policy).config
    assert after.preferences.notifications.enabled is False
    assert after.preferences.quit_while_ready == "stay"
    assert after.preferences.history_days == 7
    assert after.preferences.log_level == "debug"
    assert after.profiles["main"].api_url == "https://pbx.example.com:8443/v2"
    # The file holds the agent's own choice, and the rest is as it was.
    assert config_file.own_table(path)["preferences"]["notifications"] == {"enabled": False}
    assert replace(after.preferences, notifications=in_force.config.preferences.notifications) == (
        in_force.config.preferences
    )
