"""Hostile config files on a real disk: what tests/unit/config/test_config_file.py leaves out.
Each is refused with the file, the line and the fix, never a traceback; a profile that
would send passwords over plain http to another host is refused at sign-in."""

import os
import threading
import time
from pathlib import Path

import pytest

from agent_toolbar.config.settings import Config, Secrets
from agent_toolbar.config.settings_file import ConfigError, load, save
from agent_toolbar.session.problems import SignInProblem
from agent_toolbar.session.signin import sign_in
from tests.reliability.ledger import LEDGER

PROFILE = '[profiles.office]\napi_url = "https://pbx.example.com/v2"\n'


def refusal(tmp_path: Path, text: str) -> ConfigError:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load(path)
    return raised.value


CASES = {
    "a fraction for a whole number": (
        "[preferences]\nsound.volume = 50.5\n",
        2,
        "[preferences.sound] volume is 50.5",
        "volume must be a whole number from 0 to 100",
    ),
    "a number past any range": (
        "[preferences]\nsound.volume = 99999999999999999999999999\n",
        2,
        "[preferences.sound] volume is 99999999999999999999999999",
        "volume must be a whole number from 0 to 100",
    ),
    "infinity for a number": (
        "[preferences]\nsound.volume = -inf\n",
        2,
        "[preferences.sound] volume is -inf",
        "volume must be a whole number from 0 to 100",
    ),
    "a table for text": (
        '[profiles.office]\napi_url = {host = "pbx.example.com"}\n',
        2,
        "[profiles.office] api_url is a table",
        'api_url must be text in double quotes, such as api_url = "https://',
    ),
    "a date for text": (
        "[profiles.office]\napi_url = 1979-05-27\n",
        2,
        "[profiles.office] api_url is 1979-05-27",
        "api_url must be text in double quotes",
    ),
    "a number for a key": (
        PROFILE + "\n[preferences.hotkeys]\nready = 5\n",
        5,
        "[preferences.hotkeys] ready is 5",
        "ready must be text in double quotes",
    ),
    "a NUL character": (
        '[profiles.office]\napi_url = "https://pbx\x00"\n',
        2,
        "this is not valid TOML (Illegal character '\\x00')",
        "correct the TOML there",
    ),
    "a header cut short": (
        "[profiles.\n",
        1,
        "this is not valid TOML (Invalid initial character for a key part)",
        "correct the TOML there",
    ),
    "an unknown key at the top": (
        'theme = "dark"\n' + PROFILE,
        1,
        'has an unknown key "theme"',
        "remove it, or correct its name",
    ),
}


@pytest.mark.parametrize(("name", "case"), CASES.items(), ids=CASES.keys())
def test_a_hostile_file_is_refused_with_its_line_and_fix(
    tmp_path: Path, name: str, case: tuple[str, int, str, str]
) -> None:
    text, line, problem, fix = case
    with LEDGER.fault(f"hostile file: {name}"):
        error = refusal(tmp_path, text)
        assert (error.path, error.line, error.problem) == (tmp_path / "config.toml", line, problem)
        assert fix in error.fix
        assert str(error) == f"{tmp_path / 'config.toml'}, line {line}: {problem}. {error.fix}"


def test_a_password_written_into_the_file_is_refused_without_repeating_it(tmp_path: Path) -> None:
    with LEDGER.fault("hostile file: a password in a profile"):
        error = refusal(tmp_path, PROFILE + 'password = "hunter2-very-secret"\n')
        assert (error.line, error.problem) == (3, '[profiles.office] has an unknown key "password"')
        assert "hunter2" not in str(error)


def test_a_list_of_profiles_is_refused_as_not_a_table(tmp_path: Path) -> None:
    with LEDGER.fault("hostile file: an array of tables for the profiles"):
        error = refusal(tmp_path, '[[profiles]]\napi_url = "https://pbx.example.com/v2"\n')
        assert (error.problem, error.fix) == (
            "profiles is a list",
            "profiles must be a table: a line [profiles] followed by its keys",
        )


def test_deeply_nested_values_are_refused_not_a_crash(tmp_path: Path) -> None:
    with LEDGER.fault("hostile file: 100,000 nested arrays"):
        error = refusal(tmp_path, PROFILE + "away_reasons = " + "[" * 100_000 + "]" * 100_000)
        assert error.line == 3
        assert error.problem == "a value is nested too deeply to read"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        (
            'api_url = "http://pbx.example.com:8000/v2"',
            "api_url",
            "pbx.example.com would be reached unencrypted (http://)",
        ),
        (
            'api_url = "https://pbx.example.com/v2"\nwebsocket_url = "ws://10.0.0.7:5555"',
            "websocket_url",
            "10.0.0.7 would be reached unencrypted (ws://)",
        ),
    ],
)
async def test_plain_http_to_another_host_from_a_file_is_refused_at_sign_in(
    tmp_path: Path, line: str, field: str, words: str
) -> None:
    with LEDGER.fault(f"hostile file: plain {field} to a remote host"):
        path = tmp_path / "config.toml"
        path.write_text(f'[profiles.office]\n{line}\naccount_name = "acme"\nusername = "ada"\n')
        profile = load(path).profiles["office"]
        problem = await sign_in(profile, Secrets(password="ada-secret"))
        assert isinstance(problem, SignInProblem)
        assert (problem.kind, problem.field) == ("insecure", field)
        assert problem.message.startswith(words)
        assert problem.fix.startswith("use https:// (wss:// for events)")
        assert "ada-secret" not in problem.message + problem.fix


# -- what is no settings file, and where none can be written ----------------------------


def refused_within(path: Path, seconds: float) -> ConfigError:
    """`load(path)` in a thread of its own: a load that waits on a pipe's writer fails the
    test instead of hanging it (the test then writes nothing, and the load ends)."""
    outcome: list[BaseException | object] = []

    def loading() -> None:
        try:
            outcome.append(load(path))
        except ConfigError as error:
            outcome.append(error)

    thread = threading.Thread(target=loading, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # the writer it waits for
        thread.join(seconds)
        pytest.fail(f"loading {path} waited instead of refusing it")
    (result,) = outcome
    assert isinstance(result, ConfigError), result
    return result


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    with LEDGER.fault("hostile file: a named pipe for the settings"):
        error = refused_within(path, 2)
        assert str(error) == (
            f"{path}: this is a named pipe (FIFO), not a regular file. "
            "replace it with a regular file, or move it away to start afresh"
        )


def test_a_folder_is_refused_as_no_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.mkdir()
    assert refused_within(path, 2).problem == "this is a folder, not a regular file"


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with path.open("wb") as huge:
        huge.truncate(200 * 1024 * 1024)  # sparse: no disk is filled to test this
    with LEDGER.fault("hostile file: 200 MB of settings"):
        started = time.monotonic()
        error = refused_within(path, 2)
        assert time.monotonic() - started < 0.5
        assert (error.problem, error.fix) == (
            "this holds 200 MB, more than the 1 MB such a file may hold",
            "move it away to start afresh: a settings file holds a few kilobytes",
        )


@pytest.mark.skipif(not Path("/sys/kernel").is_dir(), reason="needs Linux's /sys")
def test_a_folder_nobody_may_write_is_a_save_refused_in_words() -> None:
    """/sys takes no new file, not even from root: a real read-only place."""
    path = Path("/sys/kernel/config.toml")
    with pytest.raises(ConfigError) as raised:
        save(path, Config())
    assert str(raised.value) == (
        f"{path}: the settings could not be saved (this user may not write there). "
        "make /sys/kernel writable, or set AGENT_TOOLBAR_CONFIG_DIR to a folder you may write"
    )


def test_a_file_where_the_folder_should_be_is_a_save_refused_in_words(tmp_path: Path) -> None:
    blocker = tmp_path / "agent-toolbar"
    blocker.write_text("not a folder")
    with pytest.raises(ConfigError) as raised:
        save(blocker / "config.toml", Config())
    assert raised.value.problem == (
        "the settings could not be saved (a file stands where its folder should be)"
    )
    assert raised.value.fix == (
        f"move {blocker} away, or set AGENT_TOOLBAR_CONFIG_DIR to a folder you may write"
    )
