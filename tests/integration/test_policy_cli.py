"""`agent-toolbar policy` as a separate process, as IT runs it on a desktop: a policy in
a temporary $XDG_CONFIG_DIRS directory, the user's file in a temporary config folder."""

import asyncio
import json
import os
import subprocess
from asyncio.subprocess import DEVNULL, PIPE
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from agent_toolbar.config.policy.sources import SYSTEM_FILE
from agent_toolbar.simulator import Simulator
from tests.helpers.cli import COMMAND
from tests.helpers.kazoo import PASSWORDS, scenario, user_id

pytestmark = pytest.mark.skipif(
    SYSTEM_FILE.exists(), reason="this computer has a system-wide policy, which would win"
)


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(scenario()) as simulator:
        yield simulator


POLICY = """\
[defaults]
offer_demo = false

[locked.profiles.office]
api_url = "https://pbx.example.com:8443/v2"
account_name = "acme"

[locked.preferences]
quit_while_ready = "log_out"
"""


def run(tmp_path: Path, policy: str, *args: str) -> subprocess.CompletedProcess[str]:
    xdg = tmp_path / "xdg"
    (xdg / "agent-toolbar").mkdir(parents=True, exist_ok=True)
    (xdg / "agent-toolbar" / "policy.toml").write_text(policy)
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text('[profiles.office]\nusername = "ada"\n')
    env = {
        **os.environ,
        "XDG_CONFIG_DIRS": f"{tmp_path / 'elsewhere'}:{xdg}",
        "AGENT_TOOLBAR_CONFIG_DIR": str(config),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    return subprocess.run(
        [COMMAND, "policy", *args], check=False, env=env, capture_output=True, text=True, timeout=60
    )


def test_it_prints_each_setting_with_where_it_came_from(tmp_path: Path) -> None:
    done = run(tmp_path, POLICY)
    assert done.returncode == 0, done.stderr
    policy = tmp_path / "xdg" / "agent-toolbar" / "policy.toml"
    lines = done.stdout.splitlines()
    assert f"offer_demo = false  (policy default ({policy}: defaults.offer_demo))" in lines
    assert (
        f'preferences.quit_while_ready = "log_out"  (locked by policy ({policy}: '
        "locked.preferences.quit_while_ready))"
    ) in lines
    own = tmp_path / "config" / "config.toml"
    assert f'profiles.office.username = "ada"  (your settings ({own}))' in lines
    assert "preferences.history_days = 30  (built-in)" in lines
    assert lines[-1] == "problems: none"
    assert done.stderr == ""


def test_a_broken_policy_is_reported_and_the_rest_printed_as_json(tmp_path: Path) -> None:
    done = run(tmp_path, POLICY + 'start_at_login = "yes"\n', "--json")
    assert done.returncode == 1
    report = json.loads(done.stdout)
    rows = {row["key"]: row for row in report["settings"]}
    assert rows["preferences.quit_while_ready"]["value"] == "log_out"
    assert rows["profiles.office.api_url"]["source"].startswith("locked by policy (")
    [problem] = report["problems"]
    assert problem.startswith(
        f"{tmp_path / 'xdg' / 'agent-toolbar' / 'policy.toml'}: "
        "locked.preferences.start_at_login: start_at_login is 'yes'"
    )
    assert "Traceback" not in done.stderr


@pytest.mark.asyncio
async def test_set_signs_in_with_the_profile_the_policy_presets(
    sim: Simulator, tmp_path: Path
) -> None:
    """The policy gives the server, the user's file only the user name; a broken policy
    key is said once on stderr and the rest applies."""
    account = next(login.account_name for login in sim.logins if login.username == "ada")
    xdg = tmp_path / "xdg" / "agent-toolbar"
    xdg.mkdir(parents=True)
    (xdg / "policy.toml").write_text(
        f'[locked.profiles.office]\napi_url = "{sim.api_url}"\naccount_name = "{account}"\n'
        '[defaults]\ndefault_profile = "office"\n[defaults.preferences]\nvolume = 3\n'
    )
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text('[profiles.office]\nusername = "ada"\n')
    env = {
        **os.environ,
        "XDG_CONFIG_DIRS": str(tmp_path / "xdg"),
        "AGENT_TOOLBAR_CONFIG_DIR": str(tmp_path / "config"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "AGENT_TOOLBAR_PASSWORD": PASSWORDS["ada"],
    }
    process = await asyncio.create_subprocess_exec(
        COMMAND, "set", "login", env=env, stdout=PIPE, stderr=PIPE, stdin=DEVNULL
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()
    assert (process.returncode, out.decode()) == (0, "log in: confirmed\n")
    [said] = err.decode().splitlines()
    assert "policy: " in said
    assert f"{xdg / 'policy.toml'}: defaults.preferences.volume: the settings have no key" in said
    assert sim.engine.agent(user_id(sim, "ada")).status != "logged_out"
