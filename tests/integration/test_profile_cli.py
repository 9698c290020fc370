"""`agent-toolbar set --profile NAME` as a separate process, with its config file in a temporary
directory (`AGENT_TOOLBAR_CONFIG_DIR`), against the real simulator."""

import asyncio
import os
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from agent_toolbar.config.quit_record import FILE_NAME, QuitRecord
from agent_toolbar.config.settings import Config, Profile
from agent_toolbar.config.settings_file import save
from agent_toolbar.simulator import Simulator
from tests.helpers.cli import COMMAND
from tests.helpers.kazoo import PASSWORDS, scenario, user_id

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(scenario()) as simulator:
        yield simulator


def office(sim: Simulator, **fields: Any) -> Profile:
    account = next(login.account_name for login in sim.logins if login.username == "ada")
    return Profile(
        **({"api_url": sim.api_url, "account_name": account, "username": "ada"} | fields)
    )


def environment(config_dir: Path, password: str | None) -> dict[str, str]:
    drop = ("AGENT_TOOLBAR_PASSWORD", "AGENT_TOOLBAR_APP_SECRET")
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env["AGENT_TOOLBAR_CONFIG_DIR"] = str(config_dir)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    if password is not None:
        env["AGENT_TOOLBAR_PASSWORD"] = password
    return env


async def run(
    config_dir: Path, *args: str, password: str | None = PASSWORDS["ada"]
) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        COMMAND,
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=environment(config_dir, password),
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def logged_in(sim: Simulator, username: str) -> bool:
    return sim.engine.agent(user_id(sim, username)).status != "logged_out"


async def test_a_named_profile_signs_in(sim: Simulator, tmp_path: Path) -> None:
    save(tmp_path / "config.toml", Config(profiles={"office": office(sim)}))
    assert await run(tmp_path, "set", "login", "--profile", "office") == (
        0,
        "log in: confirmed\n",
        "",
    )
    assert logged_in(sim, "ada")


async def test_without_profile_or_url_the_default_profile_is_used(
    sim: Simulator, tmp_path: Path
) -> None:
    profiles = {"home": office(sim, username="nobody"), "office": office(sim)}
    save(tmp_path / "config.toml", Config(default_profile="office", profiles=profiles))
    assert (await run(tmp_path, "set", "login"))[:2] == (0, "log in: confirmed\n")
    assert logged_in(sim, "ada")


async def test_options_override_the_profile(sim: Simulator, tmp_path: Path) -> None:
    save(tmp_path / "config.toml", Config(profiles={"office": office(sim)}))
    code, out, _ = await run(
        tmp_path,
        *("set", "login", "--profile", "office", "--username", "grace"),
        password=PASSWORDS["grace"],
    )
    assert (code, out) == (0, "log in: confirmed\n")
    assert logged_in(sim, "grace")
    assert not logged_in(sim, "ada")


async def test_profile_mistakes_are_one_line_and_exit_2(sim: Simulator, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save(path, Config(profiles={"office": office(sim)}))
    assert await run(tmp_path, "set", "login", "--profile", "home") == (
        2,
        "",
        f'agent-toolbar set: {path} has no profile "home" (its profiles: office)\n',
    )
    path.write_text('[profiles.office]\napi_url = "http://127.0.0.1/v2"\nbakend = "kazoo"\n')
    assert await run(tmp_path, "set", "login", "--profile", "office") == (
        2,
        "",
        f'agent-toolbar set: {path}, line 3: [profiles.office] has an unknown key "bakend". '
        'remove it, or correct its name (did you mean "backend"?)\n',
    )
    insecure = office(sim, api_url="http://pbx.invalid:8000/v2")
    save(path, Config(profiles={"office": insecure}))
    code, _, err = await run(tmp_path, "set", "login", "--profile", "office")
    assert (code, err.count("\n")) == (2, 1)
    assert err.startswith("agent-toolbar set: pbx.invalid would be reached unencrypted (http://)")
    assert err.endswith(
        "(--api-url): use https:// (wss://), or --allow-plain-http if the network is trusted\n"
    )


async def test_no_config_file_and_no_url_asks_for_one(tmp_path: Path) -> None:
    code, _, err = await run(tmp_path, "set", "login")
    assert code == 2
    assert err.endswith("--api-url is required (the server's API base URL), or --profile NAME\n")
    assert not (tmp_path / "config.toml").exists()


STORE = """
import sys
from agent_toolbar.config.settings_file import config_path, load
from agent_toolbar.config.keychain import Keychain, entry_for
profile = load(config_path()).profiles["office"]
assert Keychain().set(entry_for(profile, "password"), sys.argv[1]) is True
"""


@pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="no dbus-run-session or gnome-keyring-daemon here (scripts/bootstrap --tests)",
)
async def test_the_password_comes_from_a_real_keychain(sim: Simulator, tmp_path: Path) -> None:
    """The window's sign-in stores it; the command line finds it under the same entry."""
    save(tmp_path / "config.toml", Config(profiles={"office": office(sim)}))
    env = environment(tmp_path, None)
    del env["PYTHON_KEYRING_BACKEND"]
    (tmp_path / "run").mkdir(mode=0o700)
    for name, value in (
        ("HOME", ""),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_RUNTIME_DIR", "run"),
    ):
        env[name] = str(tmp_path / value)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    script = (
        "echo -n unlock | gnome-keyring-daemon --unlock --components=secrets --daemonize "
        '>/dev/null; "$0" -c "$1" "$2" && exec "$3" set login --profile office'
    )
    process = await asyncio.create_subprocess_exec(
        *("dbus-run-session", "--", "sh", "-c", script),
        *(sys.executable, STORE, PASSWORDS["ada"], COMMAND),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()
    assert (process.returncode, out.decode()) == (0, "log in: confirmed\n"), err.decode()
    assert logged_in(sim, "ada")


async def test_a_confirmed_log_out_clears_the_record_of_a_bad_quit(
    sim: Simulator, tmp_path: Path
) -> None:
    """`set logout` did what the last quit could not: the next start must not warn of it."""
    save(tmp_path / "config.toml", Config(profiles={"office": office(sim)}))
    record = QuitRecord("office", sim.api_url, tmp_path / FILE_NAME)
    assert (await run(tmp_path, "set", "login", "--profile", "office"))[0] == 0
    record.keep("log_out", "503 from the server", 1e9)
    assert (await run(tmp_path, "set", "away", "--profile", "office"))[0] == 0
    assert record.take() is not None  # only a log-out clears it
    record.keep("log_out", "503 from the server", 1e9)
    assert await run(tmp_path, "set", "logout", "--profile", "office") == (
        0,
        "log out: confirmed\n",
        "",
    )
    assert not logged_in(sim, "ada")
    assert record.take() is None
