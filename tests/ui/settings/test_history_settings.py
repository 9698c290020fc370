"""The call history's two preferences (issue 18): the retention in the General tab and
"keep history" per profile in the Profiles tab, each shown as kept, changed with the
keyboard and saved; the settings file refuses a retention outside its range."""

import msgspec
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from agent_toolbar.config.settings import Config, Preferences, Profile
from agent_toolbar.ui.settings.general import GeneralTab
from agent_toolbar.ui.settings.profiles import ProfilesTab
from agent_toolbar.ui.signin.dialog import SignInDialog


def test_the_retention_is_shown_changed_and_kept(qtbot: QtBot) -> None:
    tab = GeneralTab(Preferences(history_days=30), lambda: None, lambda: "")
    qtbot.addWidget(tab)
    assert tab.history_days.value() == 30
    with qtbot.waitSignal(tab.changed):
        QTest.keyClick(tab.history_days, Qt.Key.Key_Up)
    assert tab.apply_to(Preferences()).history_days == 31


def test_history_is_kept_by_default_and_a_profile_may_turn_it_off() -> None:
    config = msgspec.convert(
        {"profiles": {"work": {"api_url": "https://pbx.example", "keep_history": False}}},
        Config,
    )
    assert config.preferences.history_days == 30
    assert not config.profiles["work"].keep_history
    with pytest.raises(msgspec.ValidationError, match="history_days"):
        msgspec.convert({"preferences": {"history_days": 0}}, Config)


def no_dialog(*_args: object) -> SignInDialog:
    raise AssertionError("no profile is added or edited here")


def test_a_profile_turns_its_history_off_and_only_that_one(qtbot: QtBot) -> None:
    work = Profile(api_url="https://pbx.example")
    config = Config(profiles={"home": work, "work": work}, default_profile="work")
    tab = ProfilesTab(config, no_dialog)
    qtbot.addWidget(tab)
    assert tab.selected_name() == "work"
    assert tab.keep_history.isChecked()
    with qtbot.waitSignal(tab.changed):
        tab.keep_history.setFocus()
        QTest.keyClick(tab.keep_history, Qt.Key.Key_Space)
    saved = tab.apply_to(config).profiles
    assert (saved["work"].keep_history, saved["home"].keep_history) == (False, True)
    tab.list.setCurrentRow(0)  # home
    assert tab.keep_history.isChecked()
