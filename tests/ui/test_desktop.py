"""The whole desktop toolbar against the real simulator: the first run's sign-in, the
settings applied and saved, a quit that logs out first, and the demo's shape.

Real parts throughout: the simulator on loopback, the settings file in a temporary
folder, Qt's widgets offscreen. The keychain is keyring's "fail" backend, so secrets
stay in this process's memory, as on a desktop without a keychain.
"""

import asyncio
from pathlib import Path

import pytest
from msgspec.structs import replace
from pytestqt.qtbot import QtBot

from agent_toolbar.config import settings_file as config_file
from agent_toolbar.config.settings import Config
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.desktop import Desktop
from agent_toolbar.ui.signin.dialog import SignInDialog
from agent_toolbar.ui.startup import start
from agent_toolbar.ui.toolbar.window import ToolbarWindow
from tests.helpers.desktop import desktop
from tests.helpers.kazoo import PASSWORDS, sim
from tests.helpers.places import private_places
from tests.helpers.signin import fill_kazoo
from tests.helpers.waiting import until
from tests.helpers.widgets import click, shown

pytestmark = pytest.mark.asyncio
__all__ = ["desktop", "private_places", "sim"]  # the fixtures this file uses


def server_status(sim: Simulator, username: str) -> str:
    me = next(each.user_id for each in sim.logins if each.username == username)
    return sim.engine.agent(me).status


async def test_the_first_run_asks_signs_in_keeps_the_profile_and_quits_logged_out(
    qtbot: QtBot, sim: Simulator, tmp_path: Path
) -> None:
    path = config_file.config_path()
    path.parent.mkdir(parents=True)
    config_file.save(
        path, Config(preferences=replace(Config().preferences, quit_while_ready="log_out"))
    )
    running = asyncio.create_task(start(None))
    await until(lambda: shown(SignInDialog) is not None)
    dialog = shown(SignInDialog)
    assert isinstance(dialog, SignInDialog)
    fill_kazoo(dialog, sim, "ada", PASSWORDS["ada"])
    click(dialog.sign_in_button)
    await until(lambda: shown(ToolbarWindow) is not None)
    saved = config_file.load(path)
    assert saved.default_profile == "work"
    assert saved.profiles["work"].username == "ada"
    assert PASSWORDS["ada"] not in path.read_text()
    window = shown(ToolbarWindow)
    assert isinstance(window, ToolbarWindow)
    window.toolbar_actions.login.trigger()
    await until(lambda: server_status(sim, "ada") != "logged_out")
    # the window has seen the log-in: Ready can be asked
    await until(window.toolbar_actions.ready.isEnabled)
    window.toolbar_actions.ready.trigger()
    await until(lambda: server_status(sim, "ada") == "ready")
    window.toolbar_actions.quit.trigger()
    assert await asyncio.wait_for(running, 10) == 0
    assert server_status(sim, "ada") == "logged_out"
    log_text = "".join(each.read_text() for each in (tmp_path / "logs").iterdir())
    assert PASSWORDS["ada"] not in log_text


async def test_closing_the_sign_in_dialog_ends_quietly(qtbot: QtBot) -> None:
    running = asyncio.create_task(start(None))
    await until(lambda: shown(SignInDialog) is not None)
    dialog = shown(SignInDialog)
    assert isinstance(dialog, SignInDialog)
    dialog.reject()
    assert await asyncio.wait_for(running, 5) == 0
    assert not config_file.config_path().exists()


async def test_the_dialog_opens_first_and_then_says_the_keychain_is_missing(
    qtbot: QtBot,
) -> None:
    running = asyncio.create_task(start(None))
    await until(lambda: shown(SignInDialog) is not None)
    dialog = shown(SignInDialog)
    assert isinstance(dialog, SignInDialog)
    await until(dialog.form.keychain_note.isVisible)
    assert not dialog.form.remember.isEnabled()
    assert not dialog.form.remember.isChecked()
    assert "keychain" in dialog.form.keychain_note.text().lower()
    dialog.reject()
    assert await asyncio.wait_for(running, 5) == 0


async def test_an_unknown_profile_is_named_with_the_known_ones(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await start("nope") == 2
    assert 'has no profile "nope" (its profiles: none yet)' in capsys.readouterr().err


async def test_settings_take_effect_and_are_saved(desktop: Desktop, tmp_path: Path) -> None:
    await desktop.open_settings()
    dialog = desktop.settings
    assert dialog is not None
    assert dialog.isVisible()
    dialog.notifications.enabled.setChecked(False)
    dialog.accept()
    await until((tmp_path / "toolbar.toml").exists)
    saved = config_file.load(tmp_path / "toolbar.toml")
    assert saved.preferences.notifications.enabled is False
    assert desktop.alerting.preferences.notifications.enabled is False
    await until(lambda: desktop.settings is None)


async def test_the_menu_opens_the_settings_once(desktop: Desktop) -> None:
    desktop.actions.settings.trigger()
    await until(lambda: desktop.settings is not None and desktop.settings.isVisible())
    first = desktop.settings
    desktop.actions.settings.trigger()
    await asyncio.sleep(0.3)
    assert desktop.settings is first
    assert first is not None
    first.reject()


async def test_staying_ready_quits_without_a_change(desktop: Desktop, sim: Simulator) -> None:
    desktop.actions.login.trigger()
    await until(lambda: server_status(sim, "ada") != "logged_out")
    desktop.actions.ready.trigger()
    await until(lambda: server_status(sim, "ada") == "ready")


async def test_system_wide_keys_trigger_the_actions_the_window_shows(
    desktop: Desktop, sim: Simulator
) -> None:
    """A key reaches the same action as the window's button: while Ready is disabled (logged
    out) its key does nothing; once enabled, it sets the agent Ready."""
    desktop.hotkeys.activated.emit("ready")
    await asyncio.sleep(0.3)
    assert server_status(sim, "ada") == "logged_out"
    desktop.actions.login.trigger()
    await until(lambda: server_status(sim, "ada") != "logged_out")
    await until(desktop.actions.ready.isEnabled)
    desktop.hotkeys.activated.emit("ready")
    await until(lambda: server_status(sim, "ada") == "ready")
    assert desktop.actions.by_hotkey("show_window") is None
