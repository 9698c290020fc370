"""A settings file with a mistake in it, then a first-run sign-in: the agent's other
profiles and preferences survive, and the file as they wrote it is kept beside it.

Real parts: the simulator on loopback, the settings file on disk, the sign-in dialog and
window offscreen (the fixtures of tests/ui/test_desktop.py).
"""

import asyncio
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

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

THREE_PROFILES = """\
[preferences]
quit_while_ready = "stay"

[preferences.sound]
volume = 35
ring_device = "alsa_output.usb-headset"

[profiles.office]
api_url = "https://pbx.example.com:8443/v2"
account_name = "acme"
username = "ada"
away_reasons = ["Coffee", "Coaching"]

[profiles.home]
api_url = "https://pbx.example.com:8443/v2"
account_name = "acme"
username = "ada.home"
remember_pasword = false

[profiles.cloud]
backend = "telphin"
api_url = "https://apiproxy.telphin.ru/api/ver1.0"
app_id = "42"
"""
NOT_TOML = THREE_PROFILES.replace('username = "ada"', 'username = "ada')


async def sign_in_over(text: str, sim: Simulator) -> tuple[Path, str]:
    """Write `text` as the settings file, sign in as a new profile, quit: the file and the
    banner's words."""
    path = config_file.config_path()
    path.parent.mkdir(parents=True)
    path.write_text(text)
    running = asyncio.create_task(start(None))
    await until(lambda: shown(SignInDialog) is not None)
    dialog = shown(SignInDialog)
    assert isinstance(dialog, SignInDialog)
    banner = dialog.config_banner.findChild(QLabel, "bannerText").text()
    fill_kazoo(dialog, sim, "ada", PASSWORDS["ada"])
    click(dialog.sign_in_button)
    await until(lambda: shown(ToolbarWindow) is not None)
    window = shown(ToolbarWindow)
    assert isinstance(window, ToolbarWindow)
    window.toolbar_actions.quit.trigger()
    assert await asyncio.wait_for(running, 10) == 0
    return path, banner


def kept_copies(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.broken-*"))


async def test_a_typo_leaves_out_one_key_and_the_rest_is_kept(sim: Simulator) -> None:
    path, banner = await sign_in_over(THREE_PROFILES, sim)
    [kept] = kept_copies(path)
    assert kept.read_text() == THREE_PROFILES
    assert f'{path}, line 18: [profiles.home] has an unknown key "remember_pasword"' in banner
    assert f"kept as {kept}" in banner
    saved = config_file.load(path)
    assert sorted(saved.profiles) == ["cloud", "home", "office", "work"]
    assert saved.profiles["office"].away_reasons == ("Coffee", "Coaching")
    assert saved.profiles["home"].username == "ada.home"
    assert saved.profiles["cloud"].app_id == "42"
    assert saved.preferences.sound.volume == 35
    assert saved.preferences.sound.ring_device == "alsa_output.usb-headset"
    assert saved.preferences.quit_while_ready == "stay"


async def test_a_file_that_is_not_toml_is_kept_and_the_defaults_used(sim: Simulator) -> None:
    path, banner = await sign_in_over(NOT_TOML, sim)
    [kept] = kept_copies(path)
    assert kept.read_bytes() == NOT_TOML.encode()
    assert f"{path}, line 11: this is not valid TOML" in banner
    assert f"kept as {kept}" in banner
    assert sorted(config_file.load(path).profiles) == ["work"]
