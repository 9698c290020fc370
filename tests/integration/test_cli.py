"""`agent-toolbar sim`, `watch` and `set` as separate processes, as the README shows them
(Kazoo, and `set` through Telphin)."""

import asyncio
import itertools
import json
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.helpers.cli import COMMAND, Running, connection, run, sim_process, telphin
from tests.helpers.places import private_places

pytestmark = pytest.mark.asyncio
__all__ = ["private_places"]  # the fixture this file uses

SCENARIO = """
[simulator]
seed = 3

[account]
name = "demo"

[[queues]]
name = "Sales"
ring_timeout = 5

[[agents]]
username = "ada"
password = "ada-secret"
display_name = "Ada Agent"
queues = ["Sales"]
"""


@pytest_asyncio.fixture
async def sim(tmp_path: Path) -> AsyncIterator[Running]:
    async with sim_process(tmp_path, SCENARIO) as running:
        yield running


async def test_set_logs_in_and_makes_the_agent_ready(sim: Running) -> None:
    assert await run("set", "login", *connection(sim)) == (0, "log in: confirmed\n", "")
    assert await run("set", "ready", *connection(sim)) == (0, "ready: confirmed\n", "")
    code, out, _ = await run("set", "away", "--reason", "lunch", *connection(sim))
    assert (code, out) == (0, "away (lunch): confirmed\n")


async def test_watch_prints_each_change_until_interrupted(sim: Running) -> None:
    assert (await run("set", "login", *connection(sim)))[0] == 0
    env = dict(os.environ, AGENT_TOOLBAR_PASSWORD="ada-secret")
    watch = await asyncio.create_subprocess_exec(
        COMMAND,
        "watch",
        *connection(sim),
        "--websocket-url",
        sim.websocket_url,
        stdout=asyncio.subprocess.PIPE,
        env=env,
    )
    assert watch.stdout is not None
    states: list[dict[str, object]] = []
    async with asyncio.timeout(20):
        while not states or states[-1]["connection"] != "online":
            states.append(json.loads(await watch.stdout.readline()))
        assert states[-1]["status"] == "away"
        assert (await run("set", "ready", *connection(sim)))[0] == 0
        while states[-1]["status"] != "ready":
            states.append(json.loads(await watch.stdout.readline()))
    watch.send_signal(signal.SIGINT)
    assert await watch.wait() == 0
    assert all(list(state) == sorted(state) for state in states)
    shown = [
        {key: value for key, value in state.items() if key != "server_time"} for state in states
    ]
    assert all(before != after for before, after in itertools.pairwise(shown))


async def test_the_secret_can_come_from_standard_input(sim: Running) -> None:
    code, out, _ = await run(
        "set", "login", "--password-stdin", *connection(sim), secret=None, stdin=b"ada-secret\n"
    )
    assert (code, out) == (0, "log in: confirmed\n")


async def test_fatal_errors_exit_with_one_line_and_a_code(sim: Running) -> None:
    code, _, err = await run("watch", *connection(sim), secret="wrong")
    assert code == 3
    assert err.startswith("agent-toolbar watch: signed out: the server refused the user name")
    assert err.count("\n") == 1
    assert "wrong" not in err
    closed = ["--api-url", "http://127.0.0.1:9/v2", "--account-name", "demo", "--username", "ada"]
    code, _, err = await run("set", "ready", *closed)
    assert (code, err) == (
        4,
        "agent-toolbar set: 127.0.0.1 refused the connection or cannot be reached\n",
    )


async def test_bad_options_are_explained(sim: Running) -> None:
    code, _, err = await run("set", "pause", *connection(sim))
    assert code == 2
    assert "--queue goes with pause and resume" in err
    code, _, err = await run("set", "ready", *connection(sim), secret=None)
    assert code == 2
    assert "no secret: pass --password-stdin, set AGENT_TOOLBAR_PASSWORD" in err
    code, _, err = await run("set", "ready", "--account-name", "demo", "--username", "ada")
    assert code == 2
    assert "--api-url is required" in err


async def test_set_logs_in_and_out_through_telphin(sim: Running) -> None:
    options, app_secret = telphin(sim)
    code, out, err = await run("set", "login", *options, app_secret=app_secret)
    assert (code, out, err) == (0, "log in: confirmed\n", "")
    code, out, _ = await run("set", "logout", *options, app_secret=app_secret)
    assert (code, out) == (0, "log out: confirmed\n")
    code, _, err = await run("set", "login", *options)
    assert code == 2
    assert "no app secret: set AGENT_TOOLBAR_APP_SECRET" in err


# -- hostile files and pipes ------------------------------------------------------------------


def settings_file(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    folder.mkdir(exist_ok=True)
    return folder / "config.toml"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
async def test_a_named_pipe_as_the_settings_file_is_refused_at_once(tmp_path: Path) -> None:
    path = settings_file(tmp_path)
    os.mkfifo(path)
    code, out, err = await run("set", "login", "--profile", "office", within=10)
    assert (code, out) == (2, "")
    assert err == (
        f"agent-toolbar set: {path}: this is a named pipe (FIFO), not a regular file. "
        "replace it with a regular file, or move it away to start afresh\n"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
async def test_a_named_pipe_as_the_ca_file_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "ca.pem"
    os.mkfifo(fifo)
    secure = ["--api-url", "https://127.0.0.1:9/v2", "--account-name", "demo", "--username", "ada"]
    code, out, err = await run("set", "login", *secure, "--ca-file", str(fifo), within=10)
    assert (code, out) == (2, "")
    assert err == (
        f"agent-toolbar set: the CA file {fifo} is a named pipe (FIFO), not a regular file "
        "(--ca-file): choose the CA certificate your administrator gave you (a PEM file)\n"
    )


async def test_a_huge_settings_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = settings_file(tmp_path)
    with path.open("wb") as huge:
        huge.truncate(200 * 1024 * 1024)  # sparse: no disk is filled to test this
    code, out, err = await run("set", "login", "--profile", "office", within=10)
    assert (code, out) == (2, "")
    assert err == (
        f"agent-toolbar set: {path}: this holds 200 MB, more than the 1 MB such a file may "
        "hold. move it away to start afresh: a settings file holds a few kilobytes\n"
    )


async def test_watch_into_a_reader_that_goes_away_ends_quietly(
    sim: Running, tmp_path: Path
) -> None:
    """`agent-toolbar watch ... | head -n 1`: the pipe closes after one line."""
    err, code = tmp_path / "err", tmp_path / "code"
    command = " ".join([COMMAND, "watch", *connection(sim), "--websocket-url", sim.websocket_url])
    pipeline = f'{command} 2>{err} | head -n 1; echo "${{PIPESTATUS[0]}}" >{code}'
    env = dict(os.environ, AGENT_TOOLBAR_PASSWORD="ada-secret")
    shell = await asyncio.create_subprocess_exec(
        "bash", "-c", pipeline, stdout=asyncio.subprocess.PIPE, env=env
    )
    try:
        async with asyncio.timeout(20):
            out, _ = await shell.communicate()
    finally:
        if shell.returncode is None:
            shell.kill()
            await shell.wait()
    assert json.loads(out)["connection"] == "connecting"
    assert (code.read_text(), err.read_text()) == ("0\n", "")
