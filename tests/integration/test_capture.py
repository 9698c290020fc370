"""Captures of real runs: the real client against the real simulator, recorded.

A capture is sent to us by an administrator, so the main test greps it for every
secret of the run, raw and URL-encoded. `kazoo_run` and `telphin_run` are also what
scripts/make_captures records for tests/fixtures/captures/.
"""

import asyncio
import hashlib
import io
import json
import signal
import stat
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import aiohttp
import msgspec
import pytest

from agent_toolbar.backends.kazoo.auth import Credentials
from agent_toolbar.backends.kazoo.backend import KazooBackend, KazooSettings
from agent_toolbar.backends.telphin.backend import TelphinBackend, TelphinSettings
from agent_toolbar.backends.telphin.oauth import AppCredentials
from agent_toolbar.cli import replay
from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.doctor import run as doctor
from agent_toolbar.doctor.run import Options
from agent_toolbar.domain.commands import Away, Login, Logout, Ready
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import KazooSettings as SimulatedKazoo
from agent_toolbar.simulator import (
    Scenario,
    ScenarioError,
    Simulator,
    TelphinLogin,
    load_scenario,
)
from agent_toolbar.simulator.captured import REPLAY_TOKEN
from agent_toolbar.simulator.kazoo.tokens import Tokens
from agent_toolbar.simulator.scenario import Replay
from agent_toolbar.simulator.telphin.directory import TelphinDirectory
from agent_toolbar.simulator.telphin.hooks import Owner, Subscription, Subscriptions
from agent_toolbar.simulator.telphin.tokens import IssuedTokens, OAuthTokens
from agent_toolbar.support.capture import CaptureError, active, recording
from agent_toolbar.support.redaction import MASK, keep_secret, redact, redact_headers
from tests.helpers.kazoo import FAST, PASSWORDS, connected, until
from tests.helpers.kazoo import ada as ada_agent
from tests.helpers.kazoo import scenario as kazoo_scenario
from tests.helpers.telphin import ada, paged, telphin

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "captures"
KAZOO_VARIANTS: dict[str, dict[str, Any]] = {
    "default": {},
    "logged-out-not-found": {"logged_out_status": "not_found"},
    "no-queue-key": {"queue_key": ""},
    "no-reason-key": {"reason_key": ""},
    "unknown-keys-refused": {"unknown_keys": "refuse"},
    "membership-objects": {"membership_shape": "objects"},
    "membership-forbidden": {"membership": "forbidden"},
    "queue-documents-forbidden": {"queue_documents": "forbidden"},
    "extend-event": {"extend_event": True},
}
"""The simulator's Kazoo default and each `[kazoo]` switch: a fixture each."""
TELPHIN_VARIANTS: dict[str, dict[str, Any]] = {
    "default": {},
    "status-field-agent-status": {"agent_status_field": "agent_status"},
    "no-status-field": {"agent_status_field": ""},
    "no-state-field": {"agent_state_field": ""},
    "extension-users": {"extension_users": True},
    "past-last-page-not-found": {"past_last_page": "not_found"},
}
"""The simulator's Telphin default and each `[telphin]` switch (lists paged two a page)."""


def kazoo_variant(name: str) -> Scenario:
    """A fixture's scenario: ada starts logged in (Away), so that the doctor's
    --try-changes makes its changes (it logs no one in)."""
    return at_work(
        msgspec.structs.replace(kazoo_scenario(), kazoo=SimulatedKazoo(**KAZOO_VARIANTS[name]))
    )


def telphin_variant(name: str) -> Scenario:
    return at_work(paged(**TELPHIN_VARIANTS[name]))


def at_work(scenario: Scenario) -> Scenario:
    agents = (ada_agent(start="away"), *scenario.agents[1:])
    return msgspec.structs.replace(scenario, agents=agents)


async def kazoo_run(sim: Simulator, linger: float = 1.0) -> list[str]:
    """ada signs in, the events open, she logs in (Ready), goes Away and back; how each
    change ended (a variant may refuse one: the capture shows how)."""
    async with connected(sim) as link:
        phases: list[str] = [
            (await link.session.execute(command)).phase
            for command in (Login(), Away(reason="Lunch"), Ready())
        ]
        await asyncio.sleep(linger)
    return phases


async def telphin_run(sim: Simulator, linger: float = 1.0) -> list[str]:
    """The same through Telphin, whose only changes are logging in and out of the queues:
    OAuth, the agent, the queues, subscriptions, and a callback for each change; how
    each change ended."""
    session = Session(telphin(sim), replace(FAST))
    await session.sign_in()
    task = asyncio.create_task(session.run())
    try:
        await until(session, lambda state: state.connection == "online")
        phases: list[str] = [
            (await session.execute(command)).phase for command in (Login(), Logout())
        ]
        await sim.telphin_callbacks_idle()
        await asyncio.sleep(linger)
    finally:
        session.stop()
        await task
        await session.close()
    return phases


@contextmanager
def simulator_thread(scenario: Scenario) -> Iterator[Simulator]:
    """The simulator on its own loop in a thread, for the doctor, which runs its own."""
    started: list[Simulator] = []
    ready, stop = threading.Event(), threading.Event()

    async def serve() -> None:
        async with Simulator(scenario) as sim:
            started.append(sim)
            ready.set()
            while not stop.is_set():
                await asyncio.sleep(0.05)

    thread = threading.Thread(target=asyncio.run, args=(serve(),))
    thread.start()
    try:
        assert ready.wait(10), "the simulator did not start"
        yield started[0]
    finally:
        stop.set()
        thread.join()


def doctor_capture(scenario: Scenario, path: Path, *, kazoo: bool, listen: float) -> int:
    """`agent-toolbar doctor --try-changes --capture PATH` as ada, against the scenario
    (`agent_toolbar.doctor.run.run`, which the command calls); its exit code."""
    with simulator_thread(scenario) as sim:
        if kazoo:
            login = next(each for each in sim.logins if each.username == "ada")
            profile = Profile(api_url=sim.api_url, username="ada", account_name=login.account_name)
            secrets = kazoo_secrets()
        else:
            profile = Profile(
                backend="telphin",
                api_url=sim.telphin_api_url,
                username="ada",
                app_id=ada(sim).app_id,
            )
            secrets = telphin_secrets(sim)
        options = Options(listen=listen, try_changes=True)
        quiet = io.StringIO()
        return doctor.run(
            profile, secrets, None, options, capture=path, as_json=True, out=quiet, err=quiet
        )


def kazoo_secrets() -> Secrets:
    return Secrets(password=PASSWORDS["ada"])


def telphin_secrets(sim: Simulator) -> Secrets:
    return Secrets(password=PASSWORDS["ada"], app_secret=ada(sim).app_secret)


def forms(secret: str) -> set[str]:
    return {secret, quote(secret), quote(secret, safe=""), quote_plus(secret)}


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def found_secrets(text: str, secrets: dict[str, str]) -> list[str]:
    return [name for name, secret in secrets.items() if any(f in text for f in forms(secret))]


@pytest.fixture
def issued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every token the simulator issues during the test (Kazoo's, Telphin's access and
    refresh tokens) and the path token of every callback URL subscribed: watched, not
    changed, so that the test knows what to grep for."""
    seen: list[str] = []
    kazoo_issue, oauth_issue, subscribe = Tokens.issue, OAuthTokens.issue, Subscriptions.add

    def issue_kazoo(self: Tokens, *args: str) -> str:
        seen.append(kazoo_issue(self, *args))
        return seen[-1]

    def issue_oauth(self: OAuthTokens, login: TelphinLogin | None) -> IssuedTokens:
        tokens = oauth_issue(self, login)
        seen.extend(each for each in (tokens.access_token, tokens.refresh_token) if each)
        return tokens

    def add(self: Subscriptions, owner: Owner, url: str, *args: str) -> Subscription:
        seen.append(url.rsplit("/", 2)[-2])
        return subscribe(self, owner, url, *args)

    monkeypatch.setattr(Subscriptions, "add", add)
    monkeypatch.setattr(Tokens, "issue", issue_kazoo)
    monkeypatch.setattr(OAuthTokens, "issue", issue_oauth)
    return seen


@pytest.mark.asyncio
async def test_a_kazoo_run_is_captured_whole_and_holds_none_of_its_secrets(
    tmp_path: Path, issued: list[str]
) -> None:
    path = tmp_path / "kazoo.jsonl"
    async with Simulator(kazoo_scenario()) as sim:
        with recording(path, kazoo_secrets()):
            assert await kazoo_run(sim, linger=0.0) == ["confirmed"] * 3
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    secrets = {
        "password": PASSWORDS["ada"],
        "md5 hash": hashlib.md5(f"ada:{PASSWORDS['ada']}".encode()).hexdigest(),
        **{f"auth token {n}": token for n, token in enumerate(issued)},
    }
    assert issued
    assert found_secrets(path.read_text(encoding="utf-8"), secrets) == []
    kept = records(path)
    kinds = {(each["type"], each.get("direction")) for each in kept}
    assert {("rest", None), ("frame", "out"), ("frame", "in")} <= kinds
    sign_in = next(each for each in kept if str(each.get("url")).endswith("/user_auth"))
    assert (sign_in["method"], sign_in["status"]) == ("PUT", 201)
    assert sign_in["request"]["body"]["data"]["credentials"] == MASK
    assert sign_in["response"]["body"]["auth_token"] == MASK
    headers = [each["request"]["headers"] for each in kept if each["type"] == "rest"]
    assert {each.get("X-Auth-Token") for each in headers[1:]} == {MASK}
    changes = [each["request"]["body"] for each in kept if each.get("method") == "POST"]
    assert [change["data"]["status"] for change in changes] == ["login", "away", "ready"]
    frames = [each["body"] for each in kept if each.get("direction") == "out"]
    assert frames
    assert {frame["auth_token"] for frame in frames} == {MASK}


@pytest.mark.asyncio
async def test_a_telphin_run_is_captured_whole_and_holds_none_of_its_secrets(
    tmp_path: Path, issued: list[str]
) -> None:
    path = tmp_path / "telphin.jsonl"
    async with Simulator(paged()) as sim:
        with recording(path, telphin_secrets(sim)):
            assert await telphin_run(sim, linger=0.0) == ["confirmed"] * 2
        app_secret = ada(sim).app_secret
    secrets = {
        "password": PASSWORDS["ada"],
        "app secret": app_secret,
        **{f"token or path token {n}": token for n, token in enumerate(issued)},
    }
    assert len(issued) >= 3
    text = path.read_text(encoding="utf-8")
    assert found_secrets(text, secrets) == []
    kept = records(path)
    grant = next(each for each in kept if str(each.get("url")).endswith("/oauth/token"))
    assert grant["request"]["body"]["client_secret"] == MASK
    assert grant["request"]["body"]["password"] == MASK
    assert grant["response"]["body"]["access_token"] == MASK
    assert {
        each["request"]["headers"].get("Authorization")
        for each in kept[1:]
        if each["type"] == "rest"
    } == {MASK}
    callbacks = [each for each in kept if each["type"] == "callback"]
    assert callbacks
    assert all(each["path"].startswith(f"/{MASK}/") for each in callbacks)


@pytest.mark.asyncio
async def test_a_secret_known_only_after_it_was_written_fails_the_capture_and_leaves_no_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "leak.jsonl"
    leaked = "a-session-key-told-too-late-4f9e1c"

    async def leaky_run(sim: Simulator) -> None:
        with recording(path, kazoo_secrets()):
            async with connected(sim):
                # The server puts a secret where no shape of the masker looks (a fault),
                # and the client learns only later that it is one.
                sim.faults.send_raw(json.dumps({"action": "notice", "note": leaked}))
                await until_written(path, leaked)
                keep_secret(leaked)

    async with Simulator(kazoo_scenario()) as sim:
        with pytest.raises(CaptureError) as refused:
            await leaky_run(sim)
    assert not path.exists()
    assert "a secret was still in the capture after masking" in str(refused.value)
    assert leaked not in str(refused.value)


async def until_written(path: Path, text: str) -> None:
    """Wait until the capture holds `text` (it is written as the frame arrives)."""
    async with asyncio.timeout(5):
        while text not in path.read_text(encoding="utf-8"):
            await asyncio.sleep(0.02)


def test_a_capture_that_cannot_be_written_says_why_and_records_nothing(tmp_path: Path) -> None:
    path = tmp_path / "no such folder" / "run.jsonl"
    with pytest.raises(CaptureError) as refused, recording(path, kazoo_secrets()):
        pytest.fail("the block ran without a capture file")
    assert str(refused.value).startswith(f"cannot write the capture {path}: ")
    assert not active()


def test_an_existing_file_is_made_private_and_one_capture_runs_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    path.write_text("old\n")
    path.chmod(0o644)
    with recording(path, kazoo_secrets()):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with (
            pytest.raises(CaptureError, match="already being recorded"),
            recording(tmp_path / "second.jsonl", kazoo_secrets()),
        ):
            pass
    assert path.read_text() == ""
    assert not (tmp_path / "second.jsonl").exists()


FIXTURE_FILES = sorted(FIXTURES.glob("*.jsonl"))


@pytest.mark.parametrize("backend", ["kazoo", "telphin"])
def test_a_doctor_capture_holds_none_of_the_runs_secrets(
    tmp_path: Path, issued: list[str], backend: str
) -> None:
    path = tmp_path / f"{backend}.jsonl"
    kazoo = backend == "kazoo"
    scenario = kazoo_variant("default") if kazoo else telphin_variant("default")
    assert doctor_capture(scenario, path, kazoo=kazoo, listen=0.5) == 0
    secrets = {
        "password": PASSWORDS["ada"],
        "md5 hash": hashlib.md5(f"ada:{PASSWORDS['ada']}".encode()).hexdigest(),
        **{f"token or path token {n}": token for n, token in enumerate(issued)},
    }
    if not kazoo:
        secrets["app secret"] = telphin_app_secret(scenario)
    assert issued
    assert found_secrets(path.read_text(encoding="utf-8"), secrets) == []
    kinds = {each["type"] for each in records(path)}
    assert kinds == ({"rest", "frame"} if kazoo else {"rest", "callback"})


def telphin_app_secret(scenario: Scenario) -> str:
    """The app secret the scenario's Telphin app gets (stable: derived from the scenario)."""
    return TelphinDirectory(scenario).logins[0].app_secret


def test_there_is_a_fixture_for_each_simulator_variant() -> None:
    names = {each.stem for each in FIXTURE_FILES}
    assert names == {f"kazoo-{name}" for name in KAZOO_VARIANTS} | {
        f"telphin-{name}" for name in TELPHIN_VARIANTS
    }


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda each: each.stem)
def test_replay_reads_each_fixture(fixture: Path) -> None:
    out, err = io.BytesIO(), io.StringIO()
    assert replay.run(str(fixture), None, out, err) == 0
    states = [json.loads(line) for line in out.getvalue().splitlines()]
    if fixture.stem.startswith("kazoo-"):
        assert {"ready", "away"} <= {state["status"] for state in states}
        assert "following recipient" in err.getvalue()
    else:
        assert states == []
        assert "holds no websocket frame from the server" in err.getvalue()


def test_the_replay_command_reads_a_capture() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "agent_toolbar", "replay", str(FIXTURES / "kazoo-default.jsonl")],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0
    assert "ready" in {json.loads(line)["status"] for line in result.stdout.splitlines()}


@pytest.mark.asyncio
@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda each: each.stem)
async def test_the_simulator_serves_a_fixture_and_the_real_client_signs_in(fixture: Path) -> None:
    captured = records(fixture)
    async with Simulator(Scenario(replay=Replay(capture=str(fixture)))) as sim:
        if fixture.stem.startswith("kazoo-"):
            sign_in = next(each for each in captured if str(each.get("url")).endswith("/user_auth"))
            expected = sign_in["response"]["body"]["data"]["owner_id"]
            session = Session(replayed_kazoo(sim), FAST)
        else:
            agent = next(each for each in captured if str(each.get("url")).endswith("/agent/"))
            expected = str(agent["response"]["body"]["id"])
            session = Session(replayed_telphin(sim), FAST)
        try:
            identity = await session.sign_in()
        finally:
            await session.close()
    assert identity.recipient_id == expected


def replayed_kazoo(sim: Simulator) -> KazooBackend:
    """Any credentials: the capture's answers do not check them."""
    credentials = Credentials(account_name="demo", username="someone", password="any-password")
    return KazooBackend(KazooSettings(api_url=sim.api_url, credentials=credentials))


def replayed_telphin(sim: Simulator) -> TelphinBackend:
    app = AppCredentials(
        app_id="any-app", app_secret="any-secret", username="someone", password="any-password"
    )
    return TelphinBackend(
        TelphinSettings(app=app, api_url=sim.telphin_api_url, token_url=sim.telphin_token_url)
    )


def test_a_scenario_files_replay_capture_is_found_beside_it(tmp_path: Path) -> None:
    (tmp_path / "captures").mkdir()
    scenario = tmp_path / "captures" / "replay.toml"
    scenario.write_text('[replay]\ncapture = "run.jsonl"\n')
    assert load_scenario(scenario).replay == Replay(
        capture=str(tmp_path / "captures" / "run.jsonl")
    )


@pytest.mark.asyncio
async def test_a_capture_without_rest_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "frames.jsonl"
    path.write_text('{"action": "event"}\n')
    with pytest.raises(ScenarioError, match="the capture holds no REST exchange"):
        Simulator(Scenario(replay=Replay(capture=str(path))))


@pytest.mark.asyncio
async def test_no_fixture_holds_a_secret_of_the_simulator() -> None:
    async with Simulator(paged()) as sim:
        app_secrets = {login.app_secret for login in sim.telphin_logins}
    secrets = {f"password of {name}": password for name, password in PASSWORDS.items()}
    secrets |= {
        f"{method} hash of {name}": digest(f"{name}:{password}".encode()).hexdigest()
        for name, password in PASSWORDS.items()
        for method, digest in (("md5", hashlib.md5), ("sha", hashlib.sha1))
    }
    secrets |= {f"app secret {n}": secret for n, secret in enumerate(app_secrets)}
    for fixture in FIXTURE_FILES:
        text = fixture.read_text(encoding="utf-8")
        assert found_secrets(text, secrets) == [], fixture.name
        assert "eyJ" not in text, f"{fixture.name} holds a JWT"


def test_a_secret_in_a_url_path_is_masked_as_a_path_writes_it() -> None:
    # An API key or password may hold "/", which a path keeps but a query encodes.
    secret = "key/with+plus=and/slash"
    keep_secret(secret)
    assert redact(f"GET /v2/check/{quote(secret)}?again={quote_plus(secret)}") == (
        f"GET /v2/check/{MASK}?again={MASK}"
    )


def test_credential_headers_are_masked_whole_whatever_their_shape() -> None:
    masked = redact_headers(
        {"Authorization": "Token abc", "cookie": "sid=1", "X-Auth-Token": "x", "Accept": "*/*"}
    )
    assert masked == {"Authorization": MASK, "cookie": MASK, "X-Auth-Token": MASK, "Accept": "*/*"}


def test_the_sim_command_serves_a_capture_until_stopped() -> None:
    fixture = FIXTURES / "kazoo-default.jsonl"
    with subprocess.Popen(
        [sys.executable, "-m", "agent_toolbar", "sim", "--capture", str(fixture)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as sim:
        try:
            assert sim.stdout is not None
            assert sim.stdout.readline().startswith("Serving the REST answers of the capture")
            root = sim.stdout.readline().split()[1]
            sign_in = urllib.request.Request(f"{root}/v2/user_auth", data=b"{}", method="PUT")
            with urllib.request.urlopen(sign_in, timeout=10) as answer:
                assert answer.status == 201
                assert json.load(answer)["auth_token"] == REPLAY_TOKEN
        finally:
            sim.send_signal(signal.SIGINT)
            sim.wait(timeout=10)
    assert sim.returncode == 0


def test_the_sim_command_says_in_one_line_why_a_capture_cannot_be_served() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "agent_toolbar", "sim", "--capture", "no-such-capture.jsonl"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "agent-toolbar sim: no-such-capture.jsonl: cannot read the capture (No such file or "
        "directory); check the path of the capture\n"
    )


def test_a_capture_that_cannot_be_written_whole_fails_and_leaves_no_file(tmp_path: Path) -> None:
    # A real write failure: a process whose files may not grow past 2 kB (the disk is
    # full, as far as the capture can tell). The run itself goes on.
    path = tmp_path / "full.jsonl"
    program = f"""
import resource, signal
from pathlib import Path
from agent_toolbar.support import capture
from agent_toolbar.config.settings import Secrets
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))
try:
    with capture.recording(Path({str(path)!r}), Secrets()):
        for n in range(20):
            capture.frame("in", '{{"action": "event", "n": %d, "pad": "%s"}}' % (n, "x" * 200))
        print("the run went on")
except capture.CaptureError as error:
    print(error)
"""
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout == (
        f"the run went on\nwriting the capture {path} failed: File too large\n"
    )
    assert not path.exists()


@pytest.mark.asyncio
async def test_a_replayed_capture_answers_in_order_by_path_and_query(tmp_path: Path) -> None:
    origin = "https://pbx.example:8443"

    def exchange(method: str, path: str, status: int, body: Any, **headers: str) -> str:
        response = {"headers": headers, "body": body}
        return json.dumps(
            {
                "type": "rest",
                "t": 0.1,
                "method": method,
                "url": f"{origin}{path}",
                "status": status,
                "request": {"headers": {}, "body": None},
                "response": response,
            }
        )

    capture = tmp_path / "office.jsonl"
    capture.write_text(
        "\n".join(
            [
                exchange("GET", "/v2/status", 200, {"status": "ready"}),
                exchange("GET", "/v2/status", 200, {"status": "away"}),
                exchange("GET", "/v2/list?page=2", 200, ["second page"]),
                exchange("GET", "/v2/list?page=1", 200, ["first page"]),
                exchange("POST", "/v2/busy", 503, None, **{"Retry-After": "7"}),
                exchange(
                    "GET",
                    "/v2/me",
                    200,
                    {
                        "token": MASK,
                        "next": f"{origin}/v2/me/2",
                        "events": "wss://pbx.example:7777/",
                    },
                ),
                '{"type": "frame", "t": 0.2, "direction": "in", "body": {}}',
            ]
        )
    )
    async with (
        Simulator(Scenario(replay=Replay(capture=str(capture)))) as sim,
        aiohttp.ClientSession() as http,
    ):
        root = sim.api_url.removesuffix("/v2")

        async def get(path: str, method: str = "GET") -> tuple[int, Any, str | None]:
            async with http.request(method, f"{root}{path}") as answer:
                body = await answer.json() if answer.content_type == "application/json" else None
                return answer.status, body, answer.headers.get("Retry-After")

        assert [(await get("/v2/status"))[1]["status"] for _ in range(3)] == [
            "ready",
            "away",
            "away",
        ]
        assert (await get("/v2/list?page=1"))[1] == ["first page"]
        assert (await get("/v2/list?page=9"))[1] == ["second page"]
        assert await get("/v2/busy", "POST") == (503, None, "7")
        assert (await get("/v2/me"))[1] == {
            "token": REPLAY_TOKEN,
            "next": f"{root}/v2/me/2",
            "events": sim.websocket_url,
        }
        assert await get("/v2/nowhere") == (
            404,
            {"error": "GET /v2/nowhere is not in the capture"},
            None,
        )
