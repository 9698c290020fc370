"""Nobody else gets in, and no secret gets out: the issue's security list, on real parts.

- Secrets: the desktop's own path (profiles saved to the config file, `signin.sign_in`,
  the log at debug level, a crash in the event loop, "Copy diagnostics") runs whole
  Kazoo and Telphin sessions with known secrets; then every file the toolbar wrote and
  every text it showed is searched for each of them. Files and folders are private
  even under a umask that would make them readable by everyone.
- TLS: the real simulator behind a certificate of a CA made for the test (https:// and
  wss://). Without `ca_file` the sign-in is refused in plain words; with it the whole
  session works; the CA is trusted for its server's name only.
- The Telphin callback listener: loopback unless configured, tokens compared with
  `hmac.compare_digest`, and a wrong token answered byte for byte as an unknown path.

Nothing is mocked. Two things are watched rather than replaced: the simulator's token
issuers (the real methods run; we note what they hand out) and `hmac.compare_digest`
(the real function runs; we note that the listener called it). Constant time itself is
not measured: a timing test on a shared 2-core machine would be flaky, so the test
proves the code path instead.
"""

import asyncio
import datetime
import hmac
import importlib.machinery
import importlib.util
import logging
import os
import socket
import stat
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest
import pytest_asyncio
from yarl import URL

from agent_toolbar.backends.telphin.listener import CallbackListener, Kind
from agent_toolbar.config import settings_file as config_file
from agent_toolbar.config.settings import Config, Preferences, Profile, Secrets
from agent_toolbar.domain.commands import Away, Command, Login, Logout, Ready
from agent_toolbar.domain.state import CommandProgress
from agent_toolbar.session.core import Session
from agent_toolbar.session.problems import SignInProblem
from agent_toolbar.session.signin import sign_in
from agent_toolbar.simulator import Simulator
from agent_toolbar.simulator.kazoo.tokens import credentials_hash
from agent_toolbar.support import logs
from agent_toolbar.support.diagnostics import diagnostics
from agent_toolbar.support.redaction import MASK
from tests.helpers.issued import Issued
from tests.helpers.kazoo import FAST, PASSWORDS, scenario, until
from tests.reliability.ledger import LEDGER
from tests.reliability.tls import ServerCertificate, make_certificate

WRONG_PASSWORD = "wrong-pass-for-ada-41"
TLS_FAULT = "TLS: self-signed server"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The worst umask a desktop can have: anything not made private on purpose is
    readable and writable by everyone."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(scenario()) as simulator:
        yield simulator


def kazoo_profile(sim: Simulator, **fields: Any) -> Profile:
    login = next(each for each in sim.logins if each.username == "ada")
    fields.setdefault("account_name", login.account_name)
    fields.setdefault("username", "ada")
    return Profile(api_url=sim.api_url, **fields)


def telphin_profile(sim: Simulator, **fields: Any) -> Profile:
    login = next(each for each in sim.telphin_logins if each.username == "ada")
    return Profile(
        backend="telphin",
        api_url=sim.telphin_api_url,
        app_id=login.app_id,
        username="ada",
        **fields,
    )


def telphin_secrets(sim: Simulator, password: str = PASSWORDS["ada"]) -> Secrets:
    login = next(each for each in sim.telphin_logins if each.username == "ada")
    return Secrets(password=password, app_secret=login.app_secret)


async def signed_in(profile: Profile, secrets: Secrets) -> Session:
    result = await sign_in(profile, secrets, FAST)
    assert isinstance(result, Session), result
    return result


async def refused(profile: Profile, secrets: Secrets) -> SignInProblem:
    result = await sign_in(profile, secrets, FAST)
    assert isinstance(result, SignInProblem), result
    return result


async def execute(session: Session, command: Command) -> CommandProgress:
    """Run one command to its end, counted in the ledger."""
    progress = await session.execute(command)
    LEDGER.command(progress)
    return progress


async def running(session: Session) -> asyncio.Task[str]:
    task = asyncio.create_task(session.run())
    await until(session, lambda state: state.connection == "online")
    return task


async def stopped(session: Session, task: asyncio.Task[str]) -> None:
    session.stop()
    await task
    await session.close()


# -- secrets ---------------------------------------------------------------------------


def crash_in_the_loop(secrets: Mapping[str, str]) -> None:
    """A bug in a callback, as asyncio reports it: its traceback, with the secrets it held."""

    def broken() -> None:
        raise RuntimeError("the handler broke holding " + " ".join(secrets.values()))

    asyncio.get_running_loop().call_soon(broken)


async def kazoo_day(sim: Simulator, profile: Profile, problems: list[str]) -> None:
    """A refused password, an API key, then: log in, ready, a call, an expired token,
    Away, a dropped link, a crash in the loop, log out."""
    wrong = await refused(profile, Secrets(password=WRONG_PASSWORD))
    problems += [wrong.message, wrong.fix]
    key = next(login.api_key for login in sim.logins if login.username == "ada")
    by_key = await signed_in(Profile(api_url=sim.api_url, api_key=True), Secrets(password=key))
    await stopped(by_key, await running(by_key))

    session = await signed_in(profile, Secrets(password=PASSWORDS["ada"]))
    task = await running(session)
    me = next(login.user_id for login in sim.logins if login.username == "ada")
    assert (await execute(session, Login())).phase == "confirmed"
    assert (await execute(session, Ready())).phase == "confirmed"
    sim.engine.add_caller("Sales", "Marie Curie", "+33123456789", talk_seconds=30)
    await until(session, lambda state: state.offer is not None)
    sim.engine.answer(me)
    await until(session, lambda state: state.activity == "on_call")
    sim.engine.hang_up(me)
    await until(session, lambda state: state.activity != "on_call")
    sim.faults.expire_tokens()
    assert (await execute(session, Away(reason="Lunch"))).phase == "confirmed"
    await sim.faults.drop_sockets()
    await until(session, lambda state: state.connection == "stale")
    await until(session, lambda state: state.connection == "online")
    assert (await execute(session, Logout())).phase == "confirmed"
    await stopped(session, task)


async def telphin_day(sim: Simulator, profile: Profile, problems: list[str]) -> None:
    wrong = await refused(profile, telphin_secrets(sim, WRONG_PASSWORD))
    problems += [wrong.message, wrong.fix]
    session = await signed_in(profile, telphin_secrets(sim))
    task = await running(session)
    assert (await execute(session, Login())).phase == "confirmed"
    sim.faults.expire_tokens()
    assert (await execute(session, Logout())).phase == "confirmed"
    await stopped(session, task)


def secrets_of_the_run(sim: Simulator, issued: Issued) -> dict[str, str]:
    kazoo = next(login for login in sim.logins if login.username == "ada")
    telphin = next(login for login in sim.telphin_logins if login.username == "ada")
    found = {
        "password": PASSWORDS["ada"],
        "wrong password": WRONG_PASSWORD,
        "password hash": credentials_hash("ada", PASSWORDS["ada"]),
        "API key": kazoo.api_key,
        "app secret": telphin.app_secret,
    }
    found |= {f"token {number}": token for number, token in enumerate(issued.tokens)}
    found |= {f"path token {n}": token for n, token in enumerate(sorted(issued.path_tokens))}
    return found


def leaks(text: str, secrets: Mapping[str, str]) -> list[str]:
    """Which secrets `text` holds, raw or URL-encoded."""
    return sorted(
        what for what, secret in secrets.items() if secret in text or quote(secret, safe="") in text
    )


def rotate(log_file: Path) -> None:
    """Roll the log over now, as a full file does, so the rotated file is checked too."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, RotatingFileHandler) and handler.baseFilename == str(log_file):
            handler.doRollover()
            return
    raise AssertionError(f"no rotating handler writes {log_file}")


def private(path: Path) -> bool:
    wanted = 0o700 if path.is_dir() else 0o600
    return stat.S_IMODE(path.stat().st_mode) == wanted


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.asyncio
async def test_a_desktop_day_leaves_no_secret_in_any_file_or_text_and_every_file_private(
    sim: Simulator, issued: Issued, tmp_path: Path, open_umask: None
) -> None:
    config_path = tmp_path / "config" / "agent-toolbar" / "config.toml"
    log_directory = tmp_path / "state" / "agent-toolbar" / "log"
    kazoo, telphin = kazoo_profile(sim), telphin_profile(sim)
    config = Config(
        default_profile="office",
        preferences=Preferences(log_level="debug"),
        profiles={"office": kazoo, "cloud": telphin},
    )
    await asyncio.to_thread(config_file.save, config_path, config)
    log_file = logs.configure("debug", directory=log_directory, console=False)
    assert log_file is not None
    problems: list[str] = []
    try:
        await kazoo_day(sim, kazoo, problems)
        await telphin_day(sim, telphin, problems)
        secrets = secrets_of_the_run(sim, issued)
        crash_in_the_loop(secrets)
        await asyncio.sleep(0.05)
        rotate(log_file)
        logging.getLogger("agent_toolbar.security_test").info("after the rotation")
    finally:
        logs.close()
    shown = diagnostics(
        backend="telphin",
        api_url=telphin.api_url,
        connection="online",
        log_file=log_file,
        tail_lines=100_000,
    )

    written = sorted(
        path for root in (config_path.parent, log_directory) for path in root.rglob("*")
    )
    assert [path.name for path in written] == [
        "config.toml",
        "agent-toolbar.log",
        "agent-toolbar.log.1",
    ]
    assert [
        path for path in [config_path.parent, log_directory, *written] if not private(path)
    ] == []
    assert len(issued.tokens) >= 5
    assert len(issued.path_tokens) == 1
    texts = {str(path): path.read_bytes().decode("utf-8", "replace") for path in written}
    texts |= {"diagnostics": shown, "sign-in problems": "\n".join(problems)}
    assert {where: leaks(text, secrets) for where, text in texts.items()} == {
        where: [] for where in texts
    }

    log_text = texts[str(log_file.with_name(log_file.name + ".1"))] + texts[str(log_file)]
    assert "ERROR asyncio: Exception in callback" in log_text
    assert f"RuntimeError: the handler broke holding {MASK}" in log_text
    assert "agent_toolbar.kazoo: signed in to account" in log_text
    assert "agent_toolbar.telphin: signed in to client" in log_text
    assert config_file.load(config_path) == config
    assert "Exception in callback" in shown


_WINDOW_SETTINGS = """
from PySide6.QtWidgets import QApplication

from agent_toolbar.ui import app, desktop

qt = QApplication([])
qt.setOrganizationName(app.ORGANIZATION)
qt.setApplicationName(app.APPLICATION)
settings = desktop.window_settings()
settings.setValue("geometry", "where the window was")
settings.sync()
print(settings.fileName())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's ini file is Linux's")
def test_the_window_settings_file_is_private(tmp_path: Path) -> None:
    """Qt writes its settings (the window's place and size) with the umask's mode."""
    done = subprocess.run(
        [sys.executable, "-c", _WINDOW_SETTINGS],
        env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    written = Path(done.stdout.strip())
    assert written.parent == tmp_path / "agent-toolbar"
    assert "where the window was" in written.read_text()
    assert stat.S_IMODE(written.stat().st_mode) == 0o600


# -- TLS -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> ServerCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest_asyncio.fixture
async def tls_sim(certificate: ServerCertificate) -> AsyncIterator[Simulator]:
    async with Simulator(scenario(), tls=certificate.server_context()) as simulator:
        assert simulator.api_url.startswith("https://")
        assert simulator.websocket_url.startswith("wss://")
        yield simulator


def said_plainly(problem: SignInProblem, secrets: Secrets) -> None:
    """One sentence naming the host and the certificate, with a fix: no traceback, no secret."""
    assert (problem.kind, problem.field) == ("certificate", "ca_file")
    assert problem.message.startswith("the TLS certificate of 127.0.0.1 could not be verified (")
    assert "_ssl.c" not in problem.message  # OpenSSL's reason in words, not its codes
    assert "[SSL" not in problem.message
    assert "CA file" in problem.fix
    assert problem.words is not None  # what the window says, translated, above the details
    assert problem.words.problem.english() == (
        "the certificate of the server 127.0.0.1 could not be verified"
    )
    for text in (problem.message, problem.fix):
        assert "\n" not in text
        assert "Traceback" not in text
        assert "Error" not in text  # no exception class names: words an agent can act on
        for secret in (secrets.password, secrets.app_secret):
            assert secret is None or secret not in text


@pytest.mark.asyncio
async def test_a_kazoo_server_with_a_private_ca_is_refused_until_the_profile_names_it(
    tls_sim: Simulator, certificate: ServerCertificate
) -> None:
    secrets = Secrets(password=PASSWORDS["ada"])
    with LEDGER.fault(TLS_FAULT):
        said_plainly(await refused(kazoo_profile(tls_sim), secrets), secrets)
        trusted = kazoo_profile(tls_sim, ca_file=str(certificate.ca_file))
        session = await signed_in(trusted, secrets)
        task = await running(session)
        assert tls_sim.websocket_count == 1  # the events arrive over wss:// too
        assert (await execute(session, Login())).phase == "confirmed"
        assert (await execute(session, Ready())).phase == "confirmed"
        await stopped(session, task)


@pytest.mark.asyncio
async def test_a_telphin_server_with_a_private_ca_is_refused_until_the_profile_names_it(
    tls_sim: Simulator, certificate: ServerCertificate
) -> None:
    secrets = telphin_secrets(tls_sim)
    with LEDGER.fault(TLS_FAULT):
        said_plainly(await refused(telphin_profile(tls_sim), secrets), secrets)
        trusted = telphin_profile(tls_sim, ca_file=str(certificate.ca_file))
        session = await signed_in(trusted, secrets)
        task = await running(session)
        assert (await execute(session, Login())).phase == "confirmed"
        assert (await execute(session, Logout())).phase == "confirmed"
        await stopped(session, task)


@pytest.mark.asyncio
async def test_a_named_ca_is_trusted_for_its_servers_name_only(tmp_path: Path) -> None:
    """Another CA's file does not help, and the right CA signing for another address does
    not either: naming a CA never turns the host name check off."""
    server = make_certificate(tmp_path / "server")
    elsewhere = make_certificate(tmp_path / "elsewhere", ip="127.0.0.2")
    secrets = Secrets(password=PASSWORDS["ada"])
    with LEDGER.fault(TLS_FAULT):
        async with Simulator(scenario(), tls=server.server_context()) as sim:
            other_ca = kazoo_profile(sim, ca_file=str(elsewhere.ca_file))
            said_plainly(await refused(other_ca, secrets), secrets)
    with LEDGER.fault(TLS_FAULT):
        async with Simulator(scenario(), tls=elsewhere.server_context()) as sim:
            problem = await refused(kazoo_profile(sim, ca_file=str(elsewhere.ca_file)), secrets)
            said_plainly(problem, secrets)
            assert "127.0.0.1" in problem.message


@pytest.mark.asyncio
async def test_the_command_line_says_a_certificate_failure_in_one_line(
    tls_sim: Simulator, certificate: ServerCertificate, tmp_path: Path
) -> None:
    login = next(each for each in tls_sim.logins if each.username == "ada")
    connection = ["--api-url", tls_sim.api_url, "--account-name", login.account_name]
    connection += ["--username", "ada"]
    with LEDGER.fault(TLS_FAULT):
        code, out, err = await agent_toolbar(tmp_path, "set", "login", *connection)
        assert (code, out) == (4, "")
        assert err.startswith(
            "agent-toolbar set: the TLS certificate of 127.0.0.1 could not be verified ("
        )
        assert err.count("\n") == 1
        assert "Traceback" not in err
        assert PASSWORDS["ada"] not in err
        trusted = [*connection, "--ca-file", str(certificate.ca_file)]
        assert await agent_toolbar(tmp_path, "set", "login", *trusted) == (
            0,
            "log in: confirmed\n",
            "",
        )


async def agent_toolbar(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    """The installed command in its own process, with no developer's settings."""
    command = Path(sys.executable).parent / "agent-toolbar"
    env = {
        **os.environ,
        "AGENT_TOOLBAR_PASSWORD": PASSWORDS["ada"],
        "AGENT_TOOLBAR_CONFIG_DIR": str(tmp_path / "config"),
        "AGENT_TOOLBAR_LOG_DIR": str(tmp_path / "logs"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    process = await asyncio.create_subprocess_exec(
        str(command),
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


# -- the Telphin callback listener -----------------------------------------------------


def local_address() -> str | None:
    """An address of this computer other than loopback (no packet is sent to find it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("198.51.100.1", 9))
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") else address


async def reachable(host: str, port: int) -> bool:
    try:
        async with asyncio.timeout(2):
            _, writer = await asyncio.open_connection(host, port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


def port_of(url: str) -> int:
    port = URL(url).port
    assert port is not None
    return port


@pytest.mark.asyncio
async def test_the_listener_of_a_default_profile_listens_on_loopback_only(
    sim: Simulator, issued: Issued
) -> None:
    address = local_address()
    if address is None:
        pytest.skip("this computer has no address but loopback")
    profile = telphin_profile(sim)
    assert profile.callback_bind == "127.0.0.1:0"
    session = await signed_in(profile, telphin_secrets(sim))
    try:
        port = port_of(issued.callback_urls[-1])
        assert URL(issued.callback_urls[-1]).host == "127.0.0.1"
        assert await reachable("127.0.0.1", port)
        assert not await reachable(address, port)
    finally:
        await session.close()


@pytest.mark.asyncio
async def test_the_listener_listens_elsewhere_only_when_configured(
    sim: Simulator, issued: Issued
) -> None:
    address = local_address()
    if address is None:
        pytest.skip("this computer has no address but loopback")
    profile = telphin_profile(sim, callback_bind=f"{address}:0", allow_plain_http=True)
    session = await signed_in(profile, telphin_secrets(sim))
    try:
        port = port_of(issued.callback_urls[-1])
        assert URL(issued.callback_urls[-1]).host == address
        assert await reachable(address, port)
        assert not await reachable("127.0.0.1", port)
    finally:
        await session.close()


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]


@pytest_asyncio.fixture
async def listener() -> AsyncIterator[tuple[CallbackListener, list[dict[str, str]]]]:
    received: list[dict[str, str]] = []
    handlers: dict[Kind, Any] = {
        "agent": lambda fields: received.append(dict(fields)),
        "call": lambda fields: received.append(dict(fields)),
    }
    door = CallbackListener("127.0.0.1", 0, None, handlers)
    await door.start()
    try:
        yield door, received
    finally:
        await door.stop()


async def ask(method: str, url: str) -> Answer:
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, url, data={"agent_id": "1001"} if method == "POST" else None) as got,
    ):
        headers = {name: value for name, value in got.headers.items() if name != "Date"}
        return Answer(got.status, await got.read(), headers)


@pytest.mark.asyncio
async def test_a_wrong_token_is_answered_exactly_as_a_path_that_does_not_exist(
    listener: tuple[CallbackListener, list[dict[str, str]]],
) -> None:
    door, received = listener
    real = URL(door.url("agent")).parts[-2]
    wrong_tokens = [
        "x" * len(real),
        real[:-1] + ("A" if real[-1] != "A" else "B"),
        real[:-1],
        real + "x",
        real.upper() if real.upper() != real else real.lower(),
    ]
    unknown = ["/", "/nothing", "/a/b/c", f"/{'x' * len(real)}/nowhere", "/favicon.ico"]
    for method in ("GET", "POST", "PUT", "DELETE"):
        expected = await ask(method, door.base + "/agent")
        assert (expected.status, expected.body) == (404, b"404: Not Found")
        for path in unknown:
            assert await ask(method, door.base + path) == expected, (method, path)
        for token in wrong_tokens:
            for kind in ("agent", "call", "other"):
                assert await ask(method, f"{door.base}/{token}/{kind}") == expected
    assert received == []
    right = await ask("GET", door.url("agent") + "?agent_id=1001")
    assert (right.status, right.body) == (200, b"ok")
    assert received == [{"agent_id": "1001"}]


@pytest.mark.asyncio
async def test_the_path_token_is_compared_with_hmac_compare_digest(
    listener: tuple[CallbackListener, list[dict[str, str]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real compare_digest runs; we note each call. No `==` on the token decides:
    every answer, right or wrong, went through it."""
    door, received = listener
    compared: list[tuple[bytes, bytes]] = []
    real_compare = hmac.compare_digest

    def noted(given: bytes, secret: bytes) -> bool:
        compared.append((given, secret))
        return real_compare(given, secret)

    monkeypatch.setattr(hmac, "compare_digest", noted)
    token = URL(door.url("agent")).parts[-2]
    wrong = "y" * len(token)
    assert (await ask("GET", f"{door.base}/{wrong}/agent?agent_id=1")).status == 404
    assert (await ask("GET", door.url("call") + "?agent_id=2")).status == 200
    assert compared == [(wrong.encode(), token.encode()), (token.encode(), token.encode())]
    assert received == [{"agent_id": "2"}]


# -- the dependency audit ----------------------------------------------------------------

AUDIT = Path(__file__).resolve().parents[2] / "scripts" / "audit"
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def audit(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """scripts/audit as a module (it has no .py: it is a command)."""
    loader = importlib.machinery.SourceFileLoader("audit_script", str(AUDIT))
    spec = importlib.util.spec_from_loader("audit_script", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "audit_script", module)
    loader.exec_module(module)
    return module


def report(*dependencies: dict[str, Any]) -> dict[str, Any]:
    """What `pip-audit --format json` prints."""
    return {"dependencies": list(dependencies), "fixes": []}


def vulnerable(name: str, version: str, *ids: str) -> dict[str, Any]:
    vulns = [{"id": id_, "aliases": [f"CVE-{id_}"], "fix_versions": ["9.9"]} for id_ in ids]
    return {"name": name, "version": version, "vulns": vulns}


def test_the_audit_fails_every_finding_but_the_allowed_ones_still_under_review(
    audit: ModuleType, tmp_path: Path
) -> None:
    allowlist = tmp_path / "allow.toml"
    allowlist.write_text(
        "[[allow]]\n"
        'id = "CVE-A-1"\npackage = "AioHTTP"\nreason = "server side only"\n'
        "review_by = 2026-06-30\n"
        "[[allow]]\n"
        'id = "B-2"\npackage = "aiohttp"\nreason = "was fine"\nreview_by = 2026-05-31\n'
        "[[allow]]\n"
        'id = "C-3"\npackage = "yarl"\nreason = "another package"\nreview_by = 2027-01-01\n'
    )
    verdict = audit.judge(
        [
            report(vulnerable("aiohttp", "3.8.0", "A-1", "B-2", "C-3")),
            report({"name": "yarl", "version": "1.0", "vulns": []}),
        ],
        audit.load_allowlist(allowlist),
        TODAY,
    )
    assert not verdict.offline
    assert verdict.allowed == [
        "aiohttp 3.8.0: A-1 (CVE-A-1), fixed in 9.9: allowed until 2026-06-30: server side only"
    ]
    assert verdict.failing == [
        "aiohttp 3.8.0: B-2 (CVE-B-2), fixed in 9.9 (its allow-list entry expired on 2026-05-31)",
        "aiohttp 3.8.0: C-3 (CVE-C-3), fixed in 9.9",
    ]


def test_the_audit_tells_an_unreachable_database_from_a_package_it_could_not_look_up(
    audit: ModuleType,
) -> None:
    skipped = {"name": "aiohttp", "version": "3.8.0", "skip_reason": "Dependency not found"}
    offline = audit.judge([report(skipped), report(dict(skipped, name="yarl"))], [], TODAY)
    assert (offline.offline, offline.failing) == (True, [])
    partial = audit.judge([report(skipped, vulnerable("yarl", "1.0"))], [], TODAY)
    assert (partial.offline, partial.failing) == (
        False,
        ["not audited: aiohttp: Dependency not found"],
    )


def test_an_allow_list_entry_without_a_reason_or_a_date_is_refused(
    audit: ModuleType, tmp_path: Path
) -> None:
    allowlist = tmp_path / "allow.toml"
    allowlist.write_text('[[allow]]\nid = "A-1"\npackage = "aiohttp"\nreview_by = "soon"\n')
    with pytest.raises(audit.AuditError, match=r"entry 1 needs .*; it lacks reason$"):
        audit.load_allowlist(allowlist)
    allowlist.write_text(
        '[[allow]]\nid = "A-1"\npackage = "aiohttp"\nreason = "r"\nreview_by = "soon"\n'
    )
    with pytest.raises(audit.AuditError, match=r"it lacks a date$"):
        audit.load_allowlist(allowlist)
    assert audit.load_allowlist(tmp_path / "none.toml") == []


def run_audit(tmp_path: Path, *pins: str, env: Mapping[str, str] = {}) -> tuple[int, str]:
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("".join(f"{pin}\n" for pin in pins))
    done = subprocess.run(
        [str(AUDIT), "--requirements", str(requirements), "--no-environment"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def test_the_audit_passes_in_one_line_when_the_database_cannot_be_reached(
    tmp_path: Path,
) -> None:
    """pip-audit for real, its requests sent to a proxy that is not there."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    proxy = f"http://127.0.0.1:{port}"
    offline = {"HTTPS_PROXY": proxy, "https_proxy": proxy, "NO_PROXY": "", "no_proxy": ""}
    assert run_audit(tmp_path, "aiohttp==3.8.0", env=offline) == (
        0,
        "audit: the vulnerability database cannot be reached (offline?): nothing was checked\n",
    )


@pytest.mark.network
def test_the_audit_fails_a_pin_with_known_vulnerabilities(tmp_path: Path) -> None:
    code, said = run_audit(tmp_path, "aiohttp==3.8.0")
    if "cannot be reached" in said:
        pytest.skip("the vulnerability database cannot be reached from here")
    assert code == 1
    assert "audit: VULNERABLE: aiohttp 3.8.0: " in said
