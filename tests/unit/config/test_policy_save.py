"""Saving under a policy: the user's file keeps the user's own choices only, never a
policy default or a locked value, and reads back to the same settings."""

from pathlib import Path

from msgspec.structs import replace

from agent_toolbar.config.policy.model import Effective, effective, policy_from
from agent_toolbar.config.policy.sources import toml_sources
from agent_toolbar.config.settings import Profile
from agent_toolbar.config.settings_file import HEADER, load, save

POLICY = """\
[defaults]
default_profile = "office"
offer_demo = false

[defaults.preferences]
history_days = 7

[defaults.profiles.office]
backend = "kazoo"
account_name = "acme"

[locked.preferences]
quit_while_ready = "log_out"

[locked.profiles.office]
api_url = "https://pbx.example.com:8443/v2"
"""


def in_force(tmp_path: Path, own: str | None = None) -> Effective:
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text(POLICY)
    user = tmp_path / "user" / "config.toml"
    if own is not None:
        user.parent.mkdir(exist_ok=True)
        user.write_text(own)
    return effective(user, policy_from(toml_sources([policy_file])))


def test_a_sign_in_under_policy_writes_only_what_the_agent_typed(tmp_path: Path) -> None:
    settings = in_force(tmp_path)
    user = tmp_path / "user" / "config.toml"
    office = replace(settings.config.profiles["office"], username="ada")
    signed_in = replace(settings.config, profiles={"office": office})
    save(user, signed_in, settings.policy.layers())
    assert user.read_text() == HEADER + '\n[profiles.office]\nusername = "ada"\n'
    assert load(user, settings.policy.layers()) == signed_in
    assert not list(user.parent.glob("*.broken-*"))


def test_a_locked_value_is_never_written_and_a_changed_default_is(tmp_path: Path) -> None:
    settings = in_force(tmp_path, '[profiles.office]\nusername = "ada"\n')
    user = tmp_path / "user" / "config.toml"
    preferences = replace(
        settings.config.preferences, quit_while_ready="stay", history_days=14, log_level="debug"
    )
    office = replace(settings.config.profiles["office"], api_url="https://elsewhere.example/v2")
    changed = replace(settings.config, preferences=preferences, profiles={"office": office})
    save(user, changed, settings.policy.layers())
    text = user.read_text()
    assert "quit_while_ready" not in text
    assert "elsewhere" not in text
    assert "account_name" not in text
    assert "offer_demo" not in text
    assert 'username = "ada"' in text
    assert "history_days = 14" in text
    assert 'log_level = "debug"' in text
    again = in_force(tmp_path)
    assert again.config.preferences.quit_while_ready == "log_out"
    assert again.config.preferences.history_days == 14
    assert again.config.profiles["office"].api_url == "https://pbx.example.com:8443/v2"


def test_a_choice_the_user_made_equal_to_the_default_stays_theirs(tmp_path: Path) -> None:
    settings = in_force(tmp_path, "[preferences]\nhistory_days = 7\n")
    user = tmp_path / "user" / "config.toml"
    save(user, settings.config, settings.policy.layers())
    assert "history_days = 7" in user.read_text()


def test_without_a_policy_the_file_is_written_as_before(tmp_path: Path) -> None:
    user = tmp_path / "config.toml"
    settings = effective(user, policy_from([]))
    office = Profile(api_url="https://pbx.example.com:8443/v2", username="ada")
    save(user, replace(settings.config, profiles={"office": office}, default_profile="office"))
    assert user.read_text() == (
        HEADER + '\ndefault_profile = "office"\n\n[profiles.office]\n'
        'api_url = "https://pbx.example.com:8443/v2"\nusername = "ada"\n'
    )
