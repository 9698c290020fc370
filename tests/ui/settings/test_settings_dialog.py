"""The settings dialog, driven with keys and clicks as an agent would: real widgets, offscreen.

Each control must change exactly its own field of the Config; untouched, the dialog
gives back what it got. The sound test and the log folder are the app's to do: the
dialog gets callables that record what it asked for.
"""

import asyncio
import copy
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QSpinBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from agent_toolbar.config.settings import (
    Config,
    NotificationPreferences,
    Preferences,
    Profile,
    SoundPreferences,
)
from agent_toolbar.support.diagnostics import diagnostics
from agent_toolbar.ui.settings.dialog import SettingsDialog, SettingsServices
from agent_toolbar.ui.signin.dialog import SignInDialog

UNLIMITED = 16777215
"""Qt's QWIDGETSIZE_MAX: no fixed size."""
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
DEVICES = [("alsa:speakers", "Speakers"), ("alsa:headset", "Headset")]


def rich_config() -> Config:
    """Every preference away from its default, two profiles, and spellings the dialog must keep."""
    return Config(
        default_profile="work",
        preferences=Preferences(
            language="en",
            log_level="warning",
            quit_while_ready="log_out",
            start_at_login=True,
            hotkeys_enabled=False,
            hotkeys={"ready": "ctrl+alt+r", "away": "Ctrl+Shift+F9", "show_window": "F13"},
            sound=SoundPreferences(
                enabled=True, volume=35, ring_device="alsa:speakers", chime_device="usb:gone"
            ),
            notifications=NotificationPreferences(enabled=False, wrapup_warning=25),
        ),
        profiles={
            "work": Profile(
                api_url="https://pbx.example.com:8443/v2",
                account_name="acme",
                username="ada",
                away_reasons=("Break", "Coaching"),
            ),
            "cloud": Profile(
                backend="telphin",
                api_url="https://apiproxy.telphin.ru/api/ver1.0",
                app_id="app-1",
                username="ada",
            ),
        },
    )


class Recorder:
    """What the dialog asked the app to do."""

    def __init__(self) -> None:
        self.log_folders = 0
        self.sounds: list[tuple[str, str | None, int]] = []

    def open_log_folder(self) -> None:
        self.log_folders += 1

    def test_sound(self, kind: str, device: str | None, volume: int) -> None:
        self.sounds.append((kind, device, volume))


def opened(qtbot: QtBot, config: Config, **changes: Any) -> tuple[SettingsDialog, Recorder]:
    recorder = Recorder()
    services = SettingsServices(
        open_log_folder=recorder.open_log_folder,
        diagnostics=lambda: "Agent toolbar diagnostics",
        test_sound=recorder.test_sound,
        profile_dialog=lambda name, profile, taken: SignInDialog(
            name=name, profile=profile, taken_names=taken, offer_demo=False
        ),
        output_devices=DEVICES,
    )
    dialog = SettingsDialog(config, dataclasses.replace(services, **changes))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, recorder


def applied_by_apply(dialog: SettingsDialog) -> list[Config]:
    got: list[Config] = []
    dialog.applied.connect(got.append)
    QTest.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    return got


def test_untouched_it_gives_back_the_same_config(qtbot: QtBot) -> None:
    config = rich_config()
    dialog, _ = opened(qtbot, config)
    assert dialog.config() == config
    assert not dialog.apply_button.isEnabled()
    got: list[Config] = []
    dialog.applied.connect(got.append)
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert got == []
    assert dialog.result() == SettingsDialog.DialogCode.Accepted


def test_defaults_round_trip_too(qtbot: QtBot) -> None:
    dialog, _ = opened(qtbot, Config())
    assert dialog.config() == Config()


def _down(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Down)


def _space(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Space)


def _preferences(config: Config, **changes: object) -> Config:
    return replace(config, preferences=replace(config.preferences, **changes))


def _sound(config: Config, **changes: object) -> Config:
    return _preferences(config, sound=replace(config.preferences.sound, **changes))


def _notifications(config: Config, **changes: object) -> Config:
    return _preferences(config, notifications=replace(config.preferences.notifications, **changes))


def _keys(config: Config, **changes: str | None) -> Config:
    keys = {**config.preferences.hotkeys, **changes}
    return _preferences(config, hotkeys={k: v for k, v in keys.items() if v is not None})


def _work(config: Config, **changes: object) -> Config:
    profiles = {**config.profiles, "work": replace(config.profiles["work"], **changes)}
    return replace(config, profiles=profiles)


def _select(dialog: SettingsDialog, name: str) -> None:
    tab = dialog.profiles
    role = Qt.ItemDataRole.UserRole
    row = next(i for i in range(tab.list.count()) if tab.list.item(i).data(role) == name)
    tab.list.setCurrentRow(row)


Touch = Callable[[SettingsDialog], None]
Expect = Callable[[Config], Config]

CONTROLS: dict[str, tuple[Touch, Expect]] = {
    "language": (lambda d: _down(d.general.language), lambda c: _preferences(c, language="ru")),
    "start at login": (
        lambda d: _space(d.general.start_at_login),
        lambda c: _preferences(c, start_at_login=False),
    ),
    "quitting while ready": (
        lambda d: _down(d.general.quit_while_ready),
        lambda c: _preferences(c, quit_while_ready="away"),
    ),
    "log level": (
        lambda d: _down(d.general.log_level),
        lambda c: _preferences(c, log_level="error"),
    ),
    "sound on": (lambda d: _space(d.sound.enabled), lambda c: _sound(c, enabled=False)),
    "volume": (
        lambda d: QTest.keyClick(d.sound.volume, Qt.Key.Key_PageUp),
        lambda c: _sound(c, volume=45),
    ),
    "ring device": (
        lambda d: _down(d.sound.ring_device),
        lambda c: _sound(c, ring_device="alsa:headset"),
    ),
    "chime device": (
        lambda d: QTest.keyClick(d.sound.chime_device, Qt.Key.Key_Home),
        lambda c: _sound(c, chime_device=None),
    ),
    "notifications on": (
        lambda d: _space(d.notifications.enabled),
        lambda c: _notifications(c, enabled=True),
    ),
    "wrap-up warning": (
        lambda d: QTest.keyClick(d.notifications.wrapup_warning, Qt.Key.Key_Up),
        lambda c: _notifications(c, wrapup_warning=26),
    ),
    "hotkeys on": (
        lambda d: _space(d.hotkeys.enabled),
        lambda c: _preferences(c, hotkeys_enabled=True),
    ),
    "a key": (
        lambda d: QTest.keyClick(d.hotkeys.edits["away"], Qt.Key.Key_Y, CTRL_ALT),
        lambda c: _keys(c, away="Ctrl+Alt+Y"),
    ),
    "a missing key": (
        lambda d: QTest.keyClick(d.hotkeys.edits["finish_wrapup"], Qt.Key.Key_F, CTRL_ALT),
        lambda c: _keys(c, finish_wrapup="Ctrl+Alt+F"),
    ),
    "clear a key": (
        lambda d: QTest.mouseClick(_clear_button(d, "ready"), Qt.MouseButton.LeftButton),
        lambda c: _keys(c, ready=None),
    ),
    "reset the keys": (
        lambda d: QTest.mouseClick(d.hotkeys.reset, Qt.MouseButton.LeftButton),
        lambda c: _preferences(
            c,
            hotkeys={
                "ready": "ctrl+alt+r",
                "away": "Ctrl+Alt+A",
                "finish_wrapup": "Ctrl+Alt+F",
                "extend_wrapup": "Ctrl+Alt+E",
                "show_window": "Ctrl+Alt+T",
            },
        ),
    ),
    "make default": (
        lambda d: (
            _select(d, "cloud"),
            QTest.mouseClick(d.profiles.make_default, Qt.MouseButton.LeftButton),
        ),
        lambda c: replace(c, default_profile="cloud"),
    ),
    "away reasons": (
        lambda d: (
            _select(d, "work"),
            d.profiles.reasons.moveCursor(QTextCursor.MoveOperation.End),
            _type_lines(d.profiles.reasons, ["", " Lunch ", "", "Break"]),
        ),
        lambda c: _work(c, away_reasons=("Break", "Coaching", "Lunch")),
    ),
}


def _type_lines(widget: QWidget, lines: list[str]) -> None:
    """Type each line after a Return, as a person adds lines at the end."""
    for line in lines:
        QTest.keyClick(widget, Qt.Key.Key_Return)
        QTest.keyClicks(widget, line)


def _clear_button(dialog: SettingsDialog, action: str) -> QAbstractButton:
    row = dialog.hotkeys.rows[action]  # type: ignore[index]
    return next(b for b in row.findChildren(QAbstractButton) if b.text() == "Clear")


@pytest.mark.parametrize("control", CONTROLS)
def test_each_control_changes_exactly_its_field(qtbot: QtBot, control: str) -> None:
    config = rich_config()
    before = copy.deepcopy(config)
    dialog, _ = opened(qtbot, config)
    touch, expect = CONTROLS[control]
    touch(dialog)
    assert dialog.apply_button.isEnabled()
    got = applied_by_apply(dialog)
    assert got == [expect(config)]
    assert config == before  # the Config it was given is never changed
    assert not dialog.apply_button.isEnabled()  # applied: nothing new to apply


def test_a_key_for_two_actions_is_said_and_blocks_apply(qtbot: QtBot) -> None:
    dialog, _ = opened(qtbot, Config())
    hotkeys = dialog.hotkeys
    dialog.tabs.setCurrentWidget(hotkeys)
    QTest.keyClick(hotkeys.edits["extend_wrapup"], Qt.Key.Key_A, CTRL_ALT)  # away's key
    problem = hotkeys.rows["extend_wrapup"].problem
    assert problem.isVisible()
    assert problem.text().startswith("Ctrl+Alt+A is already the key for Away")
    assert dialog.problems.isVisible()
    assert not dialog.apply_button.isEnabled()
    assert not dialog.ok_button.isEnabled()
    got: list[Config] = []
    dialog.applied.connect(got.append)
    dialog.apply()  # even when asked directly, nothing invalid goes out
    assert got == []
    QTest.keyClick(hotkeys.edits["extend_wrapup"], Qt.Key.Key_X, CTRL_ALT)
    assert not problem.isVisible()
    assert not dialog.problems.isVisible()
    assert dialog.apply_button.isEnabled()


def test_a_key_without_ctrl_or_alt_is_refused_but_f_keys_are_fine(qtbot: QtBot) -> None:
    dialog, _ = opened(qtbot, Config())
    QTest.keyClick(dialog.hotkeys.edits["ready"], Qt.Key.Key_R)
    problem = dialog.hotkeys.rows["ready"].problem
    assert "would take that key from every program" in problem.text()
    assert not dialog.apply_button.isEnabled()
    QTest.keyClick(dialog.hotkeys.edits["ready"], Qt.Key.Key_F8)
    assert not problem.isVisible()
    assert applied_by_apply(dialog)[0].preferences.hotkeys["ready"] == "F8"


def test_problems_from_registering_show_under_their_key_until_it_changes(qtbot: QtBot) -> None:
    dialog, _ = opened(qtbot, Config())
    dialog.tabs.setCurrentWidget(dialog.hotkeys)
    dialog.show_hotkey_problems({"show_window": "Ctrl+Alt+T is already taken by another program"})
    problem = dialog.hotkeys.rows["show_window"].problem
    assert problem.isVisible()
    assert problem.text() == "Ctrl+Alt+T is already taken by another program"
    assert dialog.hotkeys.edits["show_window"].accessibleDescription() == problem.text()
    assert dialog.apply_button.isEnabled() is False  # a taken key is no input error: nothing new
    QTest.keyClick(dialog.hotkeys.edits["show_window"], Qt.Key.Key_W, CTRL_ALT)
    assert not problem.isVisible()


def test_no_system_wide_keys_says_why(qtbot: QtBot) -> None:
    reason = "Wayland does not let applications take system-wide keys"
    dialog, _ = opened(qtbot, Config(), hotkeys_unavailable=reason)
    dialog.tabs.setCurrentWidget(dialog.hotkeys)
    assert dialog.hotkeys.unavailable.isVisible()
    assert reason in dialog.hotkeys.unavailable.text()
    plain, _ = opened(qtbot, Config())
    plain.tabs.setCurrentWidget(plain.hotkeys)
    assert not plain.hotkeys.unavailable.isVisible()


def test_sound_test_buttons_play_the_chosen_device_at_the_chosen_volume(qtbot: QtBot) -> None:
    dialog, recorder = opened(qtbot, rich_config())
    sound = dialog.sound
    assert sound.percent.text() == "35 %"
    QTest.keyClick(sound.volume, Qt.Key.Key_PageDown)
    assert sound.percent.text() == "25 %"
    QTest.mouseClick(sound.test_ring, Qt.MouseButton.LeftButton)
    QTest.mouseClick(sound.test_chime, Qt.MouseButton.LeftButton)
    assert recorder.sounds == [("ring", "alsa:speakers", 25), ("chime", "usb:gone", 25)]
    # A device that is unplugged now stays chosen, named as such.
    assert sound.chime_device.currentText() == "usb:gone (not connected)"
    assert [sound.ring_device.itemText(i) for i in range(sound.ring_device.count())] == [
        "System default",
        "Speakers",
        "Headset",
    ]


def test_no_sound_says_why_and_offers_no_test(qtbot: QtBot) -> None:
    reason = "the PortAudio library is missing: install libportaudio2"
    dialog, _ = opened(qtbot, Config(), sound_unavailable=reason, output_devices=())
    dialog.tabs.setCurrentWidget(dialog.sound)
    assert dialog.sound.unavailable.isVisible()
    assert reason in dialog.sound.unavailable.text()
    assert not dialog.sound.test_ring.isEnabled()
    assert not dialog.sound.test_chime.isEnabled()


def test_sound_off_greys_out_volume_and_devices(qtbot: QtBot) -> None:
    dialog, _ = opened(qtbot, Config())
    _space(dialog.sound.enabled)
    assert not dialog.sound.volume.isEnabled()
    assert not dialog.sound.ring_device.isEnabled()


def test_open_log_folder_runs_the_apps_callable(qtbot: QtBot) -> None:
    dialog, recorder = opened(qtbot, Config())
    QTest.mouseClick(dialog.general.open_logs, Qt.MouseButton.LeftButton)
    assert recorder.log_folders == 1


@pytest.mark.asyncio
async def test_copy_diagnostics_puts_them_on_the_clipboard(qtbot: QtBot, tmp_path: Path) -> None:
    log_file = tmp_path / "agent-toolbar.log"
    log_file.write_text("12:00:01 INFO agent_toolbar.session: online\n", encoding="utf-8")
    dialog, _ = opened(
        qtbot,
        Config(),
        diagnostics=lambda: diagnostics(
            backend="kazoo",
            api_url="https://pbx.example.com:8443/v2/accounts",
            connection="online",
            log_file=log_file,
        ),
    )
    QTest.mouseClick(dialog.general.copy_diagnostics, Qt.MouseButton.LeftButton)
    await _until(dialog.general.copied.isVisible)
    text = QGuiApplication.clipboard().text()
    assert "Server: https://pbx.example.com:8443" in text
    assert "agent_toolbar.session: online" in text
    assert dialog.general.copied.text().startswith("Copied to the clipboard")
    assert dialog.general.copy_diagnostics.isEnabled()


@pytest.mark.asyncio
async def test_diagnostics_that_fail_are_said_in_plain_words(qtbot: QtBot) -> None:
    def broken() -> str:
        raise PermissionError("cannot read agent-toolbar.log")

    dialog, _ = opened(qtbot, Config(), diagnostics=broken)
    QTest.mouseClick(dialog.general.copy_diagnostics, Qt.MouseButton.LeftButton)
    await _until(dialog.general.copied.isVisible)
    assert dialog.general.copied.text() == (
        "The diagnostics could not be collected: cannot read agent-toolbar.log"
    )
    assert "Traceback" not in dialog.general.copied.text()


def test_cancel_hands_nothing_over(qtbot: QtBot) -> None:
    dialog, _ = opened(qtbot, Config())
    got: list[Config] = []
    dialog.applied.connect(got.append)
    _down(dialog.general.language)
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert got == []
    assert dialog.result() == SettingsDialog.DialogCode.Rejected


def test_ok_applies_the_changes(qtbot: QtBot) -> None:
    dialog, _ = opened(qtbot, Config())
    got: list[Config] = []
    dialog.applied.connect(got.append)
    _space(dialog.general.start_at_login)
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert [config.preferences.start_at_login for config in got] == [True]
    assert not dialog.isVisible()


def test_every_field_has_a_label_and_a_name(qtbot: QtBot) -> None:
    dialog, _ = opened(qtbot, rich_config())
    inputs = (QComboBox, QLineEdit, QSpinBox, QSlider, QPlainTextEdit, QAbstractButton)
    for index in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(index)
        for widget in dialog.tabs.widget(index).findChildren(QWidget):
            if isinstance(widget, inputs) and widget.isVisible() and not _inner(widget):
                assert widget.accessibleName(), (type(widget).__name__, widget.objectName())
    buddies = {label.buddy() for label in dialog.findChildren(QLabel) if label.buddy()}
    for combo in (dialog.general.language, dialog.sound.volume, dialog.hotkeys.edits["ready"]):
        assert combo in buddies


def _inner(widget: QWidget) -> bool:
    """Parts Qt builds inside a composite control (a key edit's line edit, a spin box's)."""
    parent = widget.parentWidget()
    return parent is not None and type(parent).__name__ in ("QKeySequenceEdit", "QSpinBox")


def test_it_fits_a_small_laptop_screen(qtbot: QtBot) -> None:
    dialog, _ = opened(qtbot, rich_config())
    least = dialog.minimumSizeHint()
    assert least.width() <= 1366
    assert least.height() <= 700  # 768 less a panel
    assert dialog.maximumSize() == QSize(UNLIMITED, UNLIMITED)  # the agent may make it larger


async def _until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)
