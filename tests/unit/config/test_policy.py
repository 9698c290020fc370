"""Policy files on a real disk (the Linux reader): defaults, locks, the precedence table,
broken files and secrets, each problem named with its file and key."""

import itertools
from pathlib import Path

import pytest

from agent_toolbar.config.policy.model import Effective, effective, policy_from
from agent_toolbar.config.policy.sources import SYSTEM_FILE, linux_places, toml_sources

OFFICE = """\
[locked.profiles.office]
backend = "kazoo"
api_url = "https://pbx.example.com:8443/v2"
account_name = "acme"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def in_force(tmp_path: Path, *policies: str, own: str = "") -> Effective:
    """The settings with `own` as the user's file and each policy text as a file, the
    first winning."""
    places = [tmp_path / f"policy{number}" / "policy.toml" for number in range(len(policies))]
    for place, text in zip(places, policies, strict=True):
        write(place, text)
    user = write(tmp_path / "user" / "config.toml", own)
    return effective(user, policy_from(toml_sources(places)))


def test_defaults_apply_where_the_user_chose_nothing(tmp_path: Path) -> None:
    policy = '[defaults]\noffer_demo = false\n[defaults.preferences]\nlog_level = "debug"\n'
    settings = in_force(tmp_path, policy)
    assert settings.config.offer_demo is False
    assert settings.config.preferences.log_level == "debug"
    source = settings.sources[("preferences", "log_level")]
    assert (
        source == f"policy default ({tmp_path}/policy0/policy.toml: defaults.preferences.log_level)"
    )
    assert settings.sources[("preferences", "language")] == "built-in"
    assert settings.problems() == []


def test_a_locked_value_wins_over_the_users_and_says_where_it_comes_from(tmp_path: Path) -> None:
    policy = '[locked.preferences]\nquit_while_ready = "log_out"\n' + OFFICE
    own = '[preferences]\nquit_while_ready = "stay"\n[profiles.office]\nusername = "ada"\n'
    settings = in_force(tmp_path, policy, own=own)
    assert settings.config.preferences.quit_while_ready == "log_out"
    office = settings.config.profiles["office"]
    assert (office.api_url, office.account_name, office.username) == (
        "https://pbx.example.com:8443/v2",
        "acme",
        "ada",
    )
    where = f"{tmp_path}/policy0/policy.toml: locked.preferences.quit_while_ready"
    assert settings.policy.locked("preferences.quit_while_ready") == where
    assert settings.sources[("preferences", "quit_while_ready")] == f"locked by policy ({where})"
    assert settings.policy.locked(("profiles", "office", "username")) is None
    assert settings.sources[("profiles", "office", "username")].startswith("your settings (")


@pytest.mark.parametrize(
    ("default", "own", "locked"), list(itertools.product((False, True), repeat=3))
)
def test_precedence_locked_then_the_user_then_defaults_then_built_in(
    tmp_path: Path, default: bool, own: bool, locked: bool
) -> None:
    """Each of the four levels present or absent (built-in is always there)."""
    policy = ("[defaults.preferences]\nhistory_days = 7\n" if default else "") + (
        "[locked.preferences]\nhistory_days = 3\n" if locked else ""
    )
    own_text = "[preferences]\nhistory_days = 14\n" if own else ""
    settings = in_force(tmp_path, policy, own=own_text)
    expected, level = (
        (3, "locked by policy")
        if locked
        else (14, "your settings")
        if own
        else (7, "policy default")
        if default
        else (30, "built-in")
    )
    assert settings.config.preferences.history_days == expected
    assert settings.sources[("preferences", "history_days")].startswith(level)


def test_the_system_file_wins_then_the_earlier_xdg_directory(tmp_path: Path) -> None:
    places = linux_places({"XDG_CONFIG_DIRS": f"{tmp_path}/first:{tmp_path}/second"})
    assert places == [
        SYSTEM_FILE,
        tmp_path / "first" / "agent-toolbar" / "policy.toml",
        tmp_path / "second" / "agent-toolbar" / "policy.toml",
    ]
    assert linux_places({}) == [SYSTEM_FILE, Path("/etc/xdg/agent-toolbar/policy.toml")]
    settings = in_force(
        tmp_path,
        "[defaults.preferences]\nhistory_days = 1\n",
        '[defaults.preferences]\nhistory_days = 2\nlog_level = "error"\n',
    )
    assert settings.config.preferences.history_days == 1
    assert settings.config.preferences.log_level == "error"


def test_a_file_that_is_not_toml_is_named_and_the_other_files_apply(tmp_path: Path) -> None:
    settings = in_force(
        tmp_path, "[defaults\nhistory_days = 1\n", "[defaults.preferences]\nhistory_days = 2\n"
    )
    assert settings.config.preferences.history_days == 2
    [problem] = settings.problems()
    assert problem.startswith(f"{tmp_path}/policy0/policy.toml: this is not valid TOML (")
    assert problem.endswith("correct the file (docs/policy.md has examples), or remove it")


def test_a_wrong_type_and_an_unknown_key_are_refused_alone(tmp_path: Path) -> None:
    policy = (
        '[defaults.preferences]\nhistory_days = "a week"\nhotkeys_enable = false\n'
        'log_level = "debug"\n[locked.preferences.sound]\nvolume = 101\n'
    )
    settings = in_force(tmp_path, policy)
    assert settings.config.preferences.log_level == "debug"
    assert settings.config.preferences.history_days == 30
    assert settings.config.preferences.sound.volume == 80
    file = f"{tmp_path}/policy0/policy.toml"
    assert settings.problems() == [
        f"{file}: defaults.preferences.history_days: history_days is 'a week', which the "
        "settings do not accept (Expected `int`, got `str`). correct the value to the type "
        "docs/policy.md gives for this key",
        f"{file}: defaults.preferences.hotkeys_enable: the settings have no key "
        "preferences.hotkeys_enable. remove it, or correct its name (did you mean "
        "hotkeys_enabled?)",
        f"{file}: locked.preferences.sound.volume: volume is 101, which the settings do not "
        "accept (Expected `int` <= 100). correct the value to the type docs/policy.md gives "
        "for this key",
    ]


def test_a_policy_holding_a_secret_is_refused_whole(tmp_path: Path) -> None:
    leaked = OFFICE + 'password = "hunter2"\n[locked.preferences]\nhistory_days = 3\n'
    settings = in_force(tmp_path, leaked, "[defaults.preferences]\nhistory_days = 5\n")
    assert settings.config.profiles == {}
    assert settings.config.preferences.history_days == 5
    [problem] = settings.problems()
    assert problem.startswith(
        f"{tmp_path}/policy0/policy.toml: locked.profiles.office.password: a policy never "
        "holds a secret, and this one has password, so all of it is refused. remove it"
    )
    assert "hunter2" not in problem


@pytest.mark.parametrize(
    "line",
    [
        'app_secret = "s3"',
        'token = "t0k"',
        'api_key = "deadbeef"',
        'secret = "x"',
        '[locked.profiles.office.extra]\npasswd = "x"',
    ],
)
def test_each_kind_of_secret_is_refused(tmp_path: Path, line: str) -> None:
    settings = in_force(tmp_path, OFFICE + line + "\n")
    assert settings.config.profiles == {}
    assert "never holds a secret" in settings.problems()[0]


def test_a_profile_named_like_a_secret_and_a_yes_or_no_are_no_secret(tmp_path: Path) -> None:
    policy = OFFICE.replace("office", "tokens") + "remember_password = false\napi_key = true\n"
    settings = in_force(tmp_path, policy)
    assert settings.problems() == []
    assert settings.config.profiles["tokens"].remember_password is False


def test_a_policy_profile_without_its_server_is_left_out_and_named(tmp_path: Path) -> None:
    policy = (
        '[defaults]\ndefault_profile = "office"\n[defaults.profiles.office]\n'
        "keep_history = false\n[defaults.preferences]\nhistory_days = 9\n"
    )
    settings = in_force(tmp_path, policy)
    assert settings.config.profiles == {}
    assert settings.config.default_profile is None
    assert settings.config.preferences.history_days == 9
    assert len(settings.problems()) == 2
    assert all(f"{tmp_path}/policy0/policy.toml: defaults." in each for each in settings.problems())


def test_the_users_own_mistake_is_theirs_and_the_policy_still_applies(tmp_path: Path) -> None:
    settings = in_force(
        tmp_path, "[locked.preferences]\nhistory_days = 3\n", own="[preferences]\nvolume = 5\n"
    )
    assert settings.config.preferences.history_days == 3
    assert settings.error is not None
    assert settings.policy.problems == ()
    assert str(settings.error).startswith(f"{tmp_path}/user/config.toml, line 2:")


def test_a_value_where_the_policy_has_a_table_is_the_users_mistake_not_a_crash(
    tmp_path: Path,
) -> None:
    settings = in_force(
        tmp_path,
        '[locked.preferences]\nlog_level = "error"\n'
        "[defaults.profiles.office]\nkeep_history = false\n",
        own="preferences = 5\nprofiles = 3\n",
    )
    assert settings.config.preferences.log_level == "error"
    assert settings.error is not None
    assert str(settings.error).startswith(f"{tmp_path}/user/config.toml, line 2: profiles is 3")


def test_a_policy_mistake_after_one_of_the_users_is_still_found(tmp_path: Path) -> None:
    settings = in_force(
        tmp_path,
        '[defaults]\ndefault_profile = "nowhere"\n',
        own="[preferences]\nvolume = 5\n",
    )
    assert settings.error is not None
    assert settings.config.default_profile is None
    [problem] = settings.policy.problems
    assert problem.where == f"{tmp_path}/policy0/policy.toml: defaults.default_profile"
    assert problem.problem == 'default_profile is "nowhere", but there is no [profiles.nowhere]'
