"""The sign-in check before any network: what is missing, what would go unencrypted, the CA file."""

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace

from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.session.problems import SignInProblem
from agent_toolbar.session.profile_checks import check_profile

BOTH = Secrets(password="password", app_secret="app-secret")


def kazoo(**fields: Any) -> Profile:
    base = {"api_url": "https://pbx.example.com:8443/v2", "account_name": "acme", "username": "ada"}
    return Profile(**(base | fields))


def telphin(**fields: Any) -> Profile:
    base = {
        "backend": "telphin",
        "api_url": "https://apiproxy.telphin.ru/api/ver1.0",
        "app_id": "42",
        "username": "ada",
        "callback_url": "https://toolbar.example.com/agent-42",
    }
    return Profile(**(base | fields))


def test_complete_profiles_pass() -> None:
    assert check_profile(kazoo(), BOTH) is None
    assert check_profile(telphin(), BOTH) is None
    api_key = kazoo(api_key=True, account_name=None, username=None, user_id="u1")
    assert check_profile(api_key, Secrets(password="key")) is None
    trusted = telphin(username=None, agent_id="1001")
    assert check_profile(trusted, Secrets(app_secret="app-secret")) is None


@pytest.mark.parametrize(
    ("profile", "secrets", "field", "message"),
    [
        (kazoo(api_url=""), BOTH, "api_url", "the server URL is missing"),
        (kazoo(account_name=None), BOTH, "account_name", "the account name is missing"),
        (kazoo(username=""), BOTH, "username", "the user name is missing"),
        (kazoo(), Secrets(), "password", "the password is missing"),
        (kazoo(api_key=True), Secrets(), "password", "the API key is missing"),
        (telphin(app_id=None), BOTH, "app_id", "the app id is missing"),
        (telphin(), Secrets(password="password"), "app_secret", "the app secret is missing"),
        (telphin(), Secrets(app_secret="app-secret"), "password", "the password is missing"),
        (telphin(username=None), BOTH, "agent_id", "the agent is not named"),
    ],
)
def test_what_is_missing_is_named(
    profile: Profile, secrets: Secrets, field: str, message: str
) -> None:
    problem = check_profile(profile, secrets)
    assert problem is not None
    assert (problem.kind, problem.field, problem.message) == ("incomplete", field, message)
    assert problem.fix


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        (kazoo(api_url="pbx.example.com/v2"), "api_url"),
        (kazoo(api_url="ftp://pbx.example.com/v2"), "api_url"),
        (kazoo(api_url="https://"), "api_url"),
        (kazoo(websocket_url="https://pbx.example.com:7777"), "websocket_url"),
        (telphin(callback_url="wss://toolbar.example.com"), "callback_url"),
        (telphin(callback_bind="8765"), "callback_bind"),
        (telphin(callback_bind="127.0.0.1:99999"), "callback_bind"),
    ],
)
def test_malformed_addresses_are_named(profile: Profile, field: str) -> None:
    problem = check_profile(profile, BOTH)
    assert problem is not None
    assert (problem.kind, problem.field) == ("incomplete", field)


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        (kazoo(api_url="http://pbx.example.com:8000/v2"), "api_url"),
        (kazoo(api_url="http://10.0.0.7:8000/v2"), "api_url"),
        (kazoo(websocket_url="ws://pbx.example.com:5555"), "websocket_url"),
        (telphin(callback_url="http://toolbar.example.com/agent-42"), "callback_url"),
        (telphin(callback_url=None, callback_bind="0.0.0.0:8765"), "callback_url"),
    ],
)
def test_plain_http_to_another_host_is_insecure_without_the_opt_in(
    profile: Profile, field: str
) -> None:
    problem = check_profile(profile, BOTH)
    assert problem is not None
    assert (problem.kind, problem.field) == ("insecure", field)
    assert "would be reached unencrypted" in problem.message
    assert check_profile(replace(profile, allow_plain_http=True), BOTH) is None


def test_loopback_needs_no_opt_in() -> None:
    for url in ("http://127.0.0.1:8000/v2", "http://localhost:8000/v2", "http://[::1]:8000/v2"):
        assert check_profile(kazoo(api_url=url, websocket_url="ws://127.0.0.1:5555"), BOTH) is None
    assert check_profile(telphin(callback_url=None, callback_bind="[::1]:0"), BOTH) is None


def test_the_ca_file_must_be_a_readable_pem_bundle(tmp_path: Path) -> None:
    good, key = tmp_path / "ca.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-nodes", "-days", "1", "-subj", "/CN=test CA"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-keyout", str(key), "-out", str(good)),
        ],
        check=True,
        capture_output=True,
    )
    assert check_profile(kazoo(ca_file=str(good)), BOTH) is None
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n")
    absent = tmp_path / "absent.pem"
    fifo = tmp_path / "fifo.pem"
    os.mkfifo(fifo)  # opening it would wait for a writer for ever: the dialog would hang
    for path, message in {
        fifo: f"the CA file {fifo} is a named pipe (FIFO), not a regular file",
        absent: f"the CA file {absent} does not exist",
        garbage: f"the CA file {garbage} holds no PEM certificate",
        tmp_path: f"the CA file {tmp_path} is a folder, not a regular file",
    }.items():
        assert check_profile(kazoo(ca_file=str(path)), BOTH) == SignInProblem(
            "ca_file",
            message,
            "choose the CA certificate your administrator gave you (a PEM file)",
            "ca_file",
        )
