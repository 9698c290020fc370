"""The config file on a real disk: round trips, private atomic writes, errors a person can fix."""

import os
import stat
from pathlib import Path

import msgspec
import msgspec.inspect
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_toolbar.config.settings import (
    DEFAULT_HOTKEYS,
    Config,
    NotificationPreferences,
    Preferences,
    Profile,
    SoundPreferences,
)
from agent_toolbar.config.settings_file import (
    HEADER,
    ConfigError,
    config_path,
    dumps,
    load,
    profile_name_problem,
    save,
)

OFFICE = Profile(api_url="https://pbx.example.com:8443/v2", account_name="acme", username="ada")


def load_text(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load(path)


def error_of(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as raised:
        load(path)
    return raised.value


# -- where the file is -----------------------------------------------------------------


def test_the_environment_moves_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_TOOLBAR_CONFIG_DIR", str(tmp_path / "portable"))
    assert config_path() == tmp_path / "portable" / "config.toml"
    monkeypatch.delenv("AGENT_TOOLBAR_CONFIG_DIR")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config_path() == tmp_path / "xdg" / "agent-toolbar" / "config.toml"


# -- reading ---------------------------------------------------------------------------


def test_no_file_is_an_empty_config(tmp_path: Path) -> None:
    assert load(tmp_path / "absent.toml") == Config()


def test_a_hand_written_file_is_read(tmp_path: Path) -> None:
    config = load_text(
        tmp_path,
        """
        default_profile = "office"

        [preferences]
        language = "ru"

        [preferences.sound]
        volume = 35

        [profiles.office]
        api_url = "https://pbx.example.com:8443/v2"
        account_name = "acme"
        username = "ada"

        [profiles."дом-2"]
        backend = "telphin"
        api_url = "https://apiproxy.telphin.ru/api/ver1.0"
        app_id = "app"
        away_reasons = ["Обед"]
        """,
    )
    assert config.default_profile == "office"
    assert config.preferences.language == "ru"
    assert config.preferences.sound == SoundPreferences(volume=35)
    assert config.preferences.hotkeys == DEFAULT_HOTKEYS
    assert config.profiles["office"] == OFFICE
    assert config.profiles["дом-2"].away_reasons == ("Обед",)


def test_a_byte_order_mark_from_a_windows_editor_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes('\ufeffdefault_profile = "a"\n[profiles.a]\napi_url = "u"\n'.encode())
    assert load(path).default_profile == "a"


@pytest.mark.parametrize(
    ("text", "line", "problem", "fix"),
    [
        (
            'default_profile = "office"\n\n[profiles.office]\napi_url = https://pbx\n',
            4,
            "this is not valid TOML (Invalid value)",
            "put text in double quotes",
        ),
        (
            '[profiles.office]\napi_url = "u"\nca_file = "C:\\certs\\ca.pem"\n',
            3,
            "this is not valid TOML (Unescaped '\\' in a string)",
            "write each backslash twice, or use single quotes",
        ),
        (
            '[profiles.office]\napi_url = "u"\n\n[profiles.office]\napi_url = "v"\n',
            4,
            "this is not valid TOML (Cannot declare ('profiles', 'office') twice)",
            "each key and each [table] may appear only once",
        ),
        (
            '[profiles.office]\napi_url = "u"\nbackend = "kazo"\n',
            3,
            '[profiles.office] backend is "kazo"',
            'backend must be "kazoo" or "telphin"',
        ),
        (
            '[profiles.office]\napi_url = "u"\napi_ur = "v"\n',
            3,
            '[profiles.office] has an unknown key "api_ur"',
            'remove it, or correct its name (did you mean "api_url"?)',
        ),
        (
            '[profiles.office]\nusername = "ada"\n',
            1,
            "[profiles.office] has no api_url",
            'add api_url = "https://pbx.example.com:8443/v2"',
        ),
        (
            '[profiles.a]\napi_url = "u"\n\n[profiles.b]\napi_url = 8443\n',
            5,
            "[profiles.b] api_url is 8443",
            'api_url must be text in double quotes, such as api_url = "https://',
        ),
        (
            '[preferences]\nstart_at_login = "yes"\n',
            2,
            '[preferences] start_at_login is "yes"',
            "start_at_login must be true or false, without quotes",
        ),
        (
            "[preferences]\nsound.volume = 300\n",
            2,
            "[preferences.sound] volume is 300",
            "volume must be a whole number from 0 to 100",
        ),
        (
            '[preferences.hotkeys]\nredy = "Ctrl+R"\n',
            2,
            '[preferences.hotkeys] has an unknown key "redy"',
            'did you mean "ready"?',
        ),
        (
            '[profiles.a]\napi_url = "u"\naway_reasons = ["Lunch", 2]\n',
            3,
            "[profiles.a] away_reasons is a list",
            'away_reasons must be a list of texts, such as away_reasons = ["Break", "Lunch"]',
        ),
        (
            'default_profile = "home"\n\n[profiles.office]\napi_url = "u"\n',
            1,
            'default_profile is "home", but there is no [profiles.home]',
            'set it to one of "office"',
        ),
        (
            '[profiles."my office"]\napi_url = "u"\n',
            1,
            'the profile name "my office" has characters other than letters, digits, - and _',
            "rename it, such as [profiles.my_office]",
        ),
        (
            '[profiles.a]\napi_url = "u"\n\n[profiles.a.wire]\nqueue_kye = "queue_id"\n',
            5,
            "[profiles.a.wire] unknown wire fact 'queue_kye': use one of queue_key, reason_key",
            "correct it (the keys and what they change are in docs/kazoo.md",
        ),
        (
            '[profiles.a]\napi_url = "u"\nwire.queue_key = "two words"\n',
            3,
            "[profiles.a.wire] queue_key = 'two words' is not a JSON key a server reads "
            "(letters, digits, _ . -; up to 64)",
            "or remove the line to use the toolbar's default",
        ),
        (
            'profiles = "office"\n',
            1,
            'profiles is "office"',
            "profiles must be a table: a line [profiles] followed by its keys",
        ),
    ],
)
def test_a_broken_file_says_where_what_and_how_to_fix_it(
    tmp_path: Path, text: str, line: int, problem: str, fix: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    error = error_of(path)
    assert (error.path, error.line) == (tmp_path / "config.toml", line)
    assert error.problem == problem
    assert error.fix.startswith(fix) or fix in error.fix
    assert str(error) == f"{tmp_path / 'config.toml'}, line {line}: {problem}. {error.fix}"
    assert "\n" not in str(error)


def test_text_that_is_not_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'[profiles.a]\napi_url = "caf\xe9"\n')
    error = error_of(path)
    assert (error.line, error.problem) == (2, "this is not UTF-8 text")


def test_what_is_no_file_is_an_error_without_a_line(tmp_path: Path) -> None:
    (tmp_path / "config.toml").mkdir()
    error = error_of(tmp_path / "config.toml")
    assert error.line is None
    assert str(error) == (
        f"{tmp_path / 'config.toml'}: this is a folder, not a regular file. "
        "replace it with a regular file, or move it away to start afresh"
    )


def test_a_profile_overrides_the_wire_facts_of_its_backend(tmp_path: Path) -> None:
    text = '[profiles.a]\napi_url = "u"\n\n[profiles.a.wire]\nqueue_key = "queue_id"\n'
    assert load_text(tmp_path, text).profiles["a"].wire == {"queue_key": "queue_id"}


def test_profile_names_are_letters_digits_dashes_and_underscores() -> None:
    for name in ("office", "Офис_2", "night-shift", "x" * 64):
        assert profile_name_problem(name) is None
    for name in ("", "my office", "a.b", "x" * 65, 'q"uote'):
        assert profile_name_problem(name) is not None


# -- writing ---------------------------------------------------------------------------


def test_only_what_differs_from_the_defaults_is_written(tmp_path: Path) -> None:
    config = Config(
        default_profile="office",
        preferences=Preferences(log_level="debug", sound=SoundPreferences(volume=30)),
        profiles={"office": OFFICE},
    )
    text = dumps(config)
    assert text == (
        HEADER
        + '\ndefault_profile = "office"\n\n[preferences]\nlog_level = "debug"\n\n'
        + "[preferences.sound]\nvolume = 30\n\n"
        + '[profiles.office]\napi_url = "https://pbx.example.com:8443/v2"\n'
        + 'username = "ada"\naccount_name = "acme"\n'
    )
    assert dumps(Config()) == HEADER


def test_cleared_hotkeys_and_away_reasons_stay_cleared(tmp_path: Path) -> None:
    config = Config(
        preferences=Preferences(hotkeys={}),
        profiles={"a": Profile(api_url="https://pbx", away_reasons=())},
    )
    path = tmp_path / "config.toml"
    save(path, config)
    assert "[preferences.hotkeys]\n" in path.read_text()
    assert load(path) == config


def test_saving_is_private_and_atomic(tmp_path: Path) -> None:
    path = tmp_path / "new" / "agent-toolbar" / "config.toml"
    save(path, Config(profiles={"office": OFFICE}))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    path.chmod(0o644)
    before = path.stat().st_ino
    save(path, Config(default_profile="office", profiles={"office": OFFICE}))
    assert path.stat().st_ino != before  # a new file renamed over the old one
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(os.listdir(path.parent)) == ["config.toml"]
    assert load(path).default_profile == "office"


def test_what_would_not_load_is_not_saved(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save(path, Config(profiles={"office": OFFICE}))
    for broken in (
        Config(default_profile="home", profiles={"office": OFFICE}),
        Config(profiles={"my office": OFFICE}),
    ):
        with pytest.raises(ConfigError) as raised:
            save(path, broken)
        assert raised.value.line is None
    assert load(path) == Config(profiles={"office": OFFICE})
    assert sorted(os.listdir(tmp_path)) == ["config.toml"]


def test_the_types_have_no_field_that_could_hold_a_secret() -> None:
    """Fields named after secrets are switches (`remember_password`, `api_key`), never text."""
    structs = (Config, Preferences, Profile, SoundPreferences, NotificationPreferences)
    infos = [msgspec.inspect.type_info(struct) for struct in structs]
    named = {
        field.name: field.type
        for info in infos
        if isinstance(info, msgspec.inspect.StructType)
        for field in info.fields
        if {"password", "secret", "token", "key"} & set(field.name.split("_"))
    }
    assert set(named) == {"remember_password", "api_key"}
    assert all(isinstance(kind, msgspec.inspect.BoolType) for kind in named.values())


# -- the round trip ----------------------------------------------------------------------

texts = st.text(max_size=20)
optional_texts = st.none() | texts
names = st.from_regex(r"[\w-]{1,12}", fullmatch=True)
profiles = st.builds(
    Profile,
    backend=st.sampled_from(["kazoo", "telphin"]),
    api_url=texts,
    username=optional_texts,
    remember_password=st.booleans(),
    ca_file=optional_texts,
    allow_plain_http=st.booleans(),
    away_reasons=st.lists(texts, max_size=3).map(tuple),
    account_name=optional_texts,
    websocket_url=optional_texts,
    api_key=st.booleans(),
    user_id=optional_texts,
    app_id=optional_texts,
    agent_id=optional_texts,
    extension_id=optional_texts,
    callback_bind=texts,
    callback_url=optional_texts,
)
preferences = st.builds(
    Preferences,
    language=st.sampled_from(["system", "en", "ru"]),
    log_level=st.sampled_from(["debug", "info", "warning", "error"]),
    quit_while_ready=st.sampled_from(["ask", "log_out", "away", "stay"]),
    start_at_login=st.booleans(),
    hotkeys_enabled=st.booleans(),
    hotkeys=st.dictionaries(st.sampled_from(sorted(DEFAULT_HOTKEYS)), texts)
    | st.just(dict(DEFAULT_HOTKEYS)),
    sound=st.builds(
        SoundPreferences,
        enabled=st.booleans(),
        volume=st.integers(0, 100),
        ring_device=optional_texts,
        chime_device=optional_texts,
    ),
    notifications=st.builds(
        NotificationPreferences, enabled=st.booleans(), wrapup_warning=st.integers(0, 600)
    ),
)


@st.composite
def configs(draw: st.DrawFn) -> Config:
    chosen = draw(st.dictionaries(names, profiles, max_size=3))
    default = draw(st.none() | st.sampled_from(sorted(chosen))) if chosen else None
    return Config(default_profile=default, preferences=draw(preferences), profiles=chosen)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(configs())
def test_what_is_saved_loads_back_the_same(tmp_path: Path, config: Config) -> None:
    path = tmp_path / "config.toml"
    save(path, config)
    assert load(path) == config
