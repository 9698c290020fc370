"""What the organisation's policy locks shows disabled in the settings, saying "Set by your
organisation" beside it (not only on hover) and to screen readers; what it leaves alone
stays the agent's.

Real parts: a policy file read by the toolbar's own reader, the settings in force computed
from it and a settings file, the dialogs offscreen.
"""

from pathlib import Path

from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from agent_toolbar.config.policy.model import Effective, effective, policy_from
from agent_toolbar.config.policy.sources import toml_sources
from agent_toolbar.config.settings import Profile
from agent_toolbar.ui.settings.dialog import SettingsDialog, SettingsServices
from agent_toolbar.ui.signin.dialog import SignInDialog

WORDS = "Set by your organisation"

POLICY = """\
[locked.preferences]
language = "en"
quit_while_ready = "log_out"
start_at_login = true
hotkeys_enabled = false
history_days = 7
log_level = "warning"

[locked.preferences.sound]
enabled = true
volume = 60

[locked.preferences.notifications]
enabled = true

[locked.profiles.main]
backend = "kazoo"
api_url = "https://pbx.example.com:8443/v2"
account_name = "acme"
ca_file = "/etc/ssl/certs/acme-ca.pem"
websocket_url = "wss://pbx.example.com:5065"
remember_password = false
keep_history = false
screen_pop = "https://crm.example.com/find?phone={caller_id_number}"
screen_pop_on = "answer"
away_reasons = ["Break", "Lunch"]

[defaults]
default_profile = "main"
"""

OWN = """\
[preferences]
quit_while_ready = "stay"

[profiles.main]
username = "ada"
api_url = "https://elsewhere.example.com"

[profiles.own]
api_url = "https://pbx.example.org"
username = "bob"
"""


def in_force(tmp_path: Path, policy: str = POLICY, own: str = OWN) -> Effective:
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text(policy)
    own_file = tmp_path / "config.toml"
    own_file.write_text(own)
    settings = effective(own_file, policy_from(toml_sources([policy_file])))
    assert settings.problems() == []
    return settings


def services(settings: Effective) -> SettingsServices:
    return SettingsServices(
        open_log_folder=lambda: None,
        diagnostics=lambda: "",
        test_sound=lambda kind, device, volume: None,
        profile_dialog=lambda name, profile, taken: SignInDialog(
            name=name, profile=profile, taken_names=taken, offer_demo=False, policy=settings.policy
        ),
    )


def locked_words_beside(field: QWidget) -> bool:
    """Whether the row `field` is on (the field's parent, or the parent of the row it shares
    with its buttons) shows the words, visibly, next to it."""
    rows = [field.parentWidget()]
    rows.append(rows[0].parentWidget() if rows[0] is not None else None)
    return any(
        label.text() == WORDS and label.isVisible() and label.parentWidget() is row
        for row in rows
        if row is not None
        for label in row.findChildren(QLabel)
    )


def said_locked(field: QWidget) -> bool:
    return (
        not field.isEnabled()
        and WORDS in field.accessibleDescription()
        and WORDS in (field.toolTip() or (field.parentWidget() or field).toolTip())
        and locked_words_beside(field)
    )


def test_the_locked_preferences_are_disabled_and_say_so(qtbot: QtBot, tmp_path: Path) -> None:
    settings = in_force(tmp_path)
    dialog = SettingsDialog(settings.config, services(settings), policy=settings.policy)
    qtbot.addWidget(dialog)
    dialog.show()
    locked = {
        "language": dialog.general.language,
        "quit while ready": dialog.general.quit_while_ready,
        "start at login": dialog.general.start_at_login,
        "history days": dialog.general.history_days,
        "log level": dialog.general.log_level,
        "hotkeys on": dialog.hotkeys.enabled,
        "sound on": dialog.sound.enabled,
        "volume": dialog.sound.volume,
        "notifications on": dialog.notifications.enabled,
    }
    for tab in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(tab)  # a hidden tab's words are not visible
        for name, field in locked.items():
            if dialog.tabs.currentWidget().isAncestorOf(field):
                assert said_locked(field), name
    # They show the values in force: the lock's, not the agent's own "stay".
    assert dialog.config().preferences.quit_while_ready == "log_out"
    assert dialog.config().preferences.history_days == 7
    # What the policy leaves alone stays the agent's, with no such words.
    for free in (
        dialog.notifications.wrapup_warning,
        dialog.sound.ring_device,
        dialog.hotkeys.edits["ready"],
    ):
        assert free.isEnabled()
        assert free.accessibleDescription() != WORDS


def test_the_hotkeys_locked_as_a_whole_are_all_disabled(qtbot: QtBot, tmp_path: Path) -> None:
    settings = in_force(
        tmp_path, '[locked.preferences.hotkeys]\nready = "Ctrl+Alt+R"\n', "[preferences]\n"
    )
    dialog = SettingsDialog(settings.config, services(settings), policy=settings.policy)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentWidget(dialog.hotkeys)
    for edit in dialog.hotkeys.edits.values():
        assert said_locked(edit)
    assert not dialog.hotkeys.reset.isEnabled()
    assert dialog.hotkeys.enabled.isEnabled()


def test_a_locked_profile_keeps_its_name_reasons_and_history_switch(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = in_force(tmp_path)
    dialog = SettingsDialog(settings.config, services(settings), policy=settings.policy)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.profiles
    dialog.tabs.setCurrentWidget(tab)
    assert tab.selected_name() == "main"
    assert not tab.remove.isEnabled()
    assert tab.remove.toolTip() == WORDS
    assert tab.profile_locked.isVisible()
    assert tab.edit.isEnabled()  # the agent's own keys (the user name) stay editable
    for control, words in (
        (tab.reasons, tab.reasons_locked),
        (tab.keep_history, tab.keep_history_locked),
    ):
        assert not control.isEnabled()
        assert control.accessibleDescription() == WORDS
        assert words.isVisible()
        assert words.text() == WORDS
    assert tab.reasons.toPlainText() == "Break\nLunch"
    # The agent's own profile: everything as before.
    row = next(i for i in range(tab.list.count()) if "own" in tab.list.item(i).text())
    tab.list.setCurrentRow(row)
    assert tab.remove.isEnabled()
    assert tab.reasons.isEnabled()
    assert tab.keep_history.isEnabled()
    assert tab.keep_history.toolTip() == "Applies the next time the profile signs in"
    for words in (tab.profile_locked, tab.reasons_locked, tab.keep_history_locked):
        assert not words.isVisible()


def test_editing_a_locked_profile_locks_its_server_fields_and_its_name(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = in_force(tmp_path)
    dialog = SignInDialog(
        name="main",
        profile=settings.config.profiles["main"],
        taken_names=["own"],
        offer_demo=False,
        policy=settings.policy,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.form
    form.advanced_toggle.setChecked(True)
    assert form.api_url.text() == "https://pbx.example.com:8443/v2"
    for key in (
        "name",
        "backend",
        "api_url",
        "account_name",
        "ca_file",
        "websocket_url",
        "screen_pop",
        "screen_pop_on",
    ):
        assert said_locked(form.rows[key].field), key
    assert said_locked(form.remember)
    assert not form.browse.isEnabled()
    assert not form.test_screen_pop.isEnabled()
    for free in (form.username, form.password):
        assert free.isEnabled()
        assert free.accessibleDescription() != WORDS
    # What the form makes keeps the locked values.
    made = form.profile()
    assert made.api_url == "https://pbx.example.com:8443/v2"
    assert made.remember_password is False
    assert made.screen_pop_on == "answer"


def test_a_profile_the_policy_does_not_lock_is_all_the_agents(qtbot: QtBot, tmp_path: Path) -> None:
    settings = in_force(tmp_path)
    dialog = SignInDialog(
        name="own",
        profile=settings.config.profiles["own"],
        taken_names=["main"],
        policy=settings.policy,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    for key, row in dialog.form.rows.items():
        assert row.locked is None, key
    assert dialog.form.name.isEnabled()
    assert dialog.form.remember.isEnabled()
    assert not hasattr(dialog, "policy_banner")


def test_the_policys_problems_show_in_one_banner(qtbot: QtBot) -> None:
    problems = [
        "/etc/agent-toolbar/policy.toml: defaults.preferences.histroy_days: the settings have "
        "no key preferences.histroy_days. remove it, or correct its name",
        "/etc/xdg/agent-toolbar/policy.toml: this is not valid TOML. correct the file",
    ]
    dialog = SignInDialog(profile=Profile(api_url=""), policy_problems=problems)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.policy_banner.isVisible()
    words = dialog.policy_banner.findChild(QLabel, "bannerText")
    assert isinstance(words, QLabel)
    assert words.text().startswith("Part of your organisation's settings could not be applied: ")
    for problem in problems:
        assert problem in words.text()
    assert dialog.form.api_url.isEnabled()
