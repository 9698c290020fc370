"""The sign-in check against the real simulator (Kazoo and Telphin), a real TLS server with a
certificate made for the test, and ports nobody listens on."""

import asyncio
import gc
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.session.core import Session
from agent_toolbar.session.problems import SignInProblem
from agent_toolbar.session.signin import sign_in
from agent_toolbar.simulator import Simulator, TelphinLogin
from tests.helpers.kazoo import FAST, PASSWORDS, scenario, until, user_id

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(scenario()) as simulator:
        yield simulator


def kazoo(sim: Simulator, username: str = "ada", **fields: object) -> Profile:
    account = next(login.account_name for login in sim.logins if login.username == username)
    return Profile(api_url=sim.api_url, account_name=account, username=username, **fields)  # type: ignore[arg-type]


def telphin_login(sim: Simulator) -> TelphinLogin:
    return next(login for login in sim.telphin_logins if login.username == "ada")


def telphin(sim: Simulator, **fields: object) -> Profile:
    fields.setdefault("username", "ada")
    return Profile(
        backend="telphin",
        api_url=sim.telphin_api_url,
        app_id=telphin_login(sim).app_id,
        **fields,  # type: ignore[arg-type]
    )


async def signed_in(profile: Profile, secrets: Secrets) -> Session:
    result = await sign_in(profile, secrets, FAST)
    assert isinstance(result, Session), result
    return result


async def runs_online(session: Session) -> None:
    """The session the check hands over is signed in: running it goes online."""
    running = asyncio.create_task(session.run())
    try:
        await until(session, lambda state: state.connection == "online")
    finally:
        session.stop()
        await running
        await session.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


# -- success -------------------------------------------------------------------------


async def test_a_kazoo_agent_signs_in_and_the_session_runs(sim: Simulator) -> None:
    session = await signed_in(kazoo(sim), Secrets(password=PASSWORDS["ada"]))
    assert session.identity is not None
    assert session.identity.recipient_id == user_id(sim, "ada")
    await runs_online(session)


async def test_a_supervisor_is_a_recipient_too(sim: Simulator) -> None:
    session = await signed_in(kazoo(sim, "boss"), Secrets(password=PASSWORDS["boss"]))
    await session.close()


async def test_a_telphin_agent_signs_in_and_the_session_runs(sim: Simulator) -> None:
    login = telphin_login(sim)
    secrets = Secrets(password=PASSWORDS["ada"], app_secret=login.app_secret)
    session = await signed_in(telphin(sim), secrets)
    assert session.identity is not None
    assert session.identity.recipient_id == str(login.agent_id)
    await runs_online(session)


# -- what the server says ------------------------------------------------------------


async def test_a_wrong_password_points_at_the_password(sim: Simulator) -> None:
    problem = await sign_in(kazoo(sim), Secrets(password="not-the-password"), FAST)
    assert isinstance(problem, SignInProblem)
    assert (problem.kind, problem.field) == ("credentials", "password")
    assert problem.message.startswith("127.0.0.1: the server refused the user name, password")
    assert "not-the-password" not in problem.message
    login = telphin_login(sim)
    problem = await sign_in(telphin(sim), Secrets(password="nope", app_secret=login.app_secret))
    assert isinstance(problem, SignInProblem)
    assert (problem.kind, problem.field) == ("credentials", "password")


async def test_a_port_nobody_listens_on_is_unreachable() -> None:
    profile = Profile(
        api_url=f"http://127.0.0.1:{free_port()}/v2", account_name="acme", username="ada"
    )
    problem = await sign_in(profile, Secrets(password="not-the-password"), FAST)
    assert problem == SignInProblem(
        "unreachable",
        "127.0.0.1 refused the connection or cannot be reached",
        "check the server URL and your network connection (a VPN, a proxy?)",
        "api_url",
    )


async def test_right_credentials_of_no_agent_are_not_an_agent(sim: Simulator) -> None:
    api_key = next(login.api_key for login in sim.logins if login.username == "ada")
    as_boss = Profile(api_url=sim.api_url, api_key=True, user_id=user_id(sim, "boss"))
    problem = await sign_in(as_boss, Secrets(password=api_key), FAST)
    assert isinstance(problem, SignInProblem)
    assert (problem.kind, problem.field) == ("not_agent", "user_id")
    assert f"may not act as agent {user_id(sim, 'boss')}" in problem.message
    login = telphin_login(sim)
    no_agent = max(each.extension_id for each in sim.telphin_logins) + 1
    trusted = telphin(sim, username=None, extension_id=str(no_agent))
    problem = await sign_in(trusted, Secrets(app_secret=login.app_secret), FAST)
    assert isinstance(problem, SignInProblem)
    assert (problem.kind, problem.field) == ("not_agent", "extension_id")
    assert problem.message == f"127.0.0.1: phone extension {no_agent} is not a queue agent"
    problem = await sign_in(
        telphin(sim, username=None, agent_id="999"), Secrets(app_secret=login.app_secret), FAST
    )
    assert isinstance(problem, SignInProblem)
    assert (problem.kind, problem.field) == ("not_agent", "agent_id")


async def test_cancelling_a_hanging_check_closes_everything(sim: Simulator) -> None:
    sim.faults.hang_rest(30.0)
    check = asyncio.create_task(sign_in(kazoo(sim), Secrets(password=PASSWORDS["ada"]), FAST))
    await asyncio.sleep(0.2)
    check.cancel()
    with pytest.raises(asyncio.CancelledError):
        await check
    gc.collect()  # an unclosed aiohttp session would warn now, and warnings fail tests


# -- before any network ----------------------------------------------------------------


async def test_plain_http_to_another_host_needs_the_opt_in() -> None:
    profile = Profile(api_url="http://pbx.invalid:8000/v2", account_name="acme", username="ada")
    problem = await sign_in(profile, Secrets(password="not-the-password"))
    assert isinstance(problem, SignInProblem)
    assert (problem.kind, problem.field) == ("insecure", "api_url")
    assert problem.message.startswith("pbx.invalid would be reached unencrypted (http://)")
    opted_in = Profile(
        api_url="http://pbx.invalid:8000/v2",
        account_name="acme",
        username="ada",
        allow_plain_http=True,
    )
    problem = await sign_in(opted_in, Secrets(password="not-the-password"))
    assert isinstance(problem, SignInProblem)
    assert problem.kind == "unreachable"  # checked, then really tried: no such host
    assert problem.message == "the server name pbx.invalid could not be found"


# -- TLS -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: its own CA, as a private PBX's would be."""
    directory = tmp_path_factory.mktemp("tls")
    cert, key = directory / "ca.pem", directory / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-nodes", "-days", "2"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=agent-toolbar test CA"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@asynccontextmanager
async def tls_front(target: str, cert: Path, key: Path) -> AsyncIterator[str]:
    """An https:// server on loopback that passes every request on to `target`."""
    async with aiohttp.ClientSession() as http:

        async def forward(request: web.Request) -> web.Response:
            headers = {
                name: value
                for name, value in request.headers.items()
                if name in ("X-Auth-Token", "Content-Type")
            }
            async with http.request(
                request.method, target + request.path_qs, data=await request.read(), headers=headers
            ) as answer:
                body = await answer.read()
                return web.Response(
                    status=answer.status, body=body, content_type=answer.content_type
                )

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", forward)
        runner = web.AppRunner(app)
        await runner.setup()
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=context).start()
        try:
            yield f"https://127.0.0.1:{runner.addresses[0][1]}"
        finally:
            await runner.cleanup()


async def test_an_unknown_certificate_is_refused_and_its_ca_file_lets_it_in(
    sim: Simulator, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    root = sim.api_url.removesuffix("/v2")
    account = kazoo(sim).account_name
    async with tls_front(root, cert, key) as front:
        profile = Profile(api_url=f"{front}/v2", account_name=account, username="ada")
        problem = await sign_in(profile, Secrets(password=PASSWORDS["ada"]), FAST)
        assert isinstance(problem, SignInProblem)
        assert (problem.kind, problem.field) == ("certificate", "ca_file")
        assert problem.message.startswith("the TLS certificate of 127.0.0.1 could not be verified")
        trusted = Profile(
            api_url=f"{front}/v2", account_name=account, username="ada", ca_file=str(cert)
        )
        session = await signed_in(trusted, Secrets(password=PASSWORDS["ada"]))
        await runs_online(session)


def local_address() -> str | None:
    """An address of this computer other than loopback (no packet is sent to find it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("198.51.100.1", 9))
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") else address


async def test_an_advertised_unencrypted_event_url_needs_the_opt_in(
    certificate: tuple[Path, Path],
) -> None:
    """https:// for the API, but the server advertises ws:// on another host: tokens in clear."""
    address = local_address()
    if address is None:
        pytest.skip("this computer has no address but loopback")
    cert, key = certificate
    async with Simulator(scenario(), host=address) as remote:
        account = kazoo(remote).account_name
        async with tls_front(remote.api_url.removesuffix("/v2"), cert, key) as front:
            fields = {"account_name": account, "username": "ada", "ca_file": str(cert)}
            profile = Profile(api_url=f"{front}/v2", **fields)  # type: ignore[arg-type]
            problem = await sign_in(profile, Secrets(password=PASSWORDS["ada"]), FAST)
            assert isinstance(problem, SignInProblem)
            assert (problem.kind, problem.field) == ("insecure", "websocket_url")
            assert f"ws://{address}:" in problem.message
            opted_in = Profile(api_url=f"{front}/v2", allow_plain_http=True, **fields)  # type: ignore[arg-type]
            session = await signed_in(opted_in, Secrets(password=PASSWORDS["ada"]))
            await runs_online(session)
