"""A settings file with mistakes: what still reads is kept, each wrong part is named with
its line, and a save never writes over the file as the agent wrote it."""

from pathlib import Path

import pytest

from agent_toolbar.config.settings import Config, Profile
from agent_toolbar.config.settings_file import ConfigError, load, save

BROKEN = """\
[preferences]
log_level = "loud"

[preferences.sound]
volume = 35

[profiles.office]
api_url = "https://pbx.example.com:8443/v2"
username = "ada"

[profiles.nowhere]
username = "bob"
"""


def error_of(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as raised:
        load(path)
    return raised.value


def test_each_wrong_part_is_left_out_and_named_and_the_rest_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(BROKEN)
    error = error_of(path)
    assert str(error).startswith(f'{path}, line 2: [preferences] log_level is "loud"')
    assert [str(each).split(":")[0] for each in error.left_out] == [f"{path}, line 11"]
    assert "[profiles.nowhere] has no api_url" in str(error.left_out[0])
    assert error.salvaged
    assert sorted(error.readable.profiles) == ["office"]
    assert error.readable.preferences.sound.volume == 35
    assert error.readable.preferences.log_level == "info"


def test_a_file_that_does_not_parse_gives_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[profiles.office]\napi_url = "https://pbx\n')
    error = error_of(path)
    assert not error.salvaged
    assert error.readable == Config()
    assert error.keep_as is not None
    assert error.keep_as.name.startswith("config.toml.broken-")


def test_a_save_keeps_the_unreadable_file_first_and_never_twice_under_one_name(
    tmp_path: Path,
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(BROKEN)
    keep_as = error_of(path).keep_as
    assert keep_as is not None
    work = Config(profiles={"work": Profile(api_url="https://pbx/v2")})
    save(path, work)
    assert keep_as.read_text() == BROKEN
    assert load(path) == work
    save(path, work)  # a file that reads is written over, and nothing more is kept
    path.write_text(BROKEN)
    save(path, work)
    kept = sorted(each.name for each in tmp_path.glob("config.toml.broken-*"))
    assert kept == [keep_as.name, f"{keep_as.name}-2"]
    assert (tmp_path / kept[1]).read_text() == BROKEN
