"""The real Kazoo and Telphin clients against a hostile look-alike server on loopback
(tests/reliability/hostile_server.py): answers in parts, answers too big, redirects,
numbers no float can hold, frames no event needs. Each is read whole or refused in
plain words; none crashes the client, and no credential goes on to another host."""

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from agent_toolbar.backends.base import SignedOut, Unreachable
from agent_toolbar.backends.http import MAX_BODY_BYTES, tls
from agent_toolbar.backends.kazoo.auth import Auth, Credentials
from agent_toolbar.backends.kazoo.backend import KazooBackend, KazooSettings
from agent_toolbar.backends.kazoo.blackhole import MAX_FRAME_BYTES
from agent_toolbar.backends.kazoo.crossbar import Crossbar
from agent_toolbar.backends.telphin.api import TelphinApi
from agent_toolbar.backends.telphin.oauth import AppCredentials, OAuth
from agent_toolbar.domain import DecodeError, Event
from tests.reliability.hostile_server import (
    ACCOUNT_ID,
    HUGE,
    QUEUES,
    STATUS,
    HostileServer,
    answer,
    blackhole,
    flood,
    jwt,
    kazoo,
    kazoo_login,
    never,
    ready_status,
    redirect,
    split,
)
from tests.reliability.ledger import LEDGER
from tests.reliability.tls import ServerCertificate, make_certificate

pytestmark = pytest.mark.asyncio

PASSWORD = "hostile-test-password-7"
APP_SECRET = "hostile-test-app-secret-9"
CREDENTIALS = Credentials(account_name="acme", username="ada", password=PASSWORD)
PADDING = "x" * 20_000
"""Makes an answer long enough that its parts arrive in separate reads."""


@pytest_asyncio.fixture
async def server() -> AsyncIterator[HostileServer]:
    async with HostileServer() as hostile:
        yield hostile


@pytest_asyncio.fixture
async def other() -> AsyncIterator[HostileServer]:
    """Another host, where a redirect points: it must never see a credential."""
    async with HostileServer() as elsewhere:
        yield elsewhere


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> ServerCertificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


def token(lifetime: float = 3600.0, **claims: Any) -> str:
    now = time.time()
    return jwt(account_id=ACCOUNT_ID, iat=int(now), exp=int(now + lifetime), **claims)


def auth(http: aiohttp.ClientSession, server: HostileServer, **options: Any) -> Auth:
    options.setdefault("timeout", 1.0)
    return Auth(http, f"{server.url}/v2", CREDENTIALS, **options)


def backend(server: HostileServer, **settings: Any) -> KazooBackend:
    settings.setdefault("request_timeout", 1.0)
    settings.setdefault("websocket_url", server.url.replace("http", "ws", 1) + "/ws")
    return KazooBackend(
        KazooSettings(api_url=f"{server.url}/v2", credentials=CREDENTIALS, **settings)
    )


def oauth(http: aiohttp.ClientSession, server: HostileServer) -> OAuth:
    credentials = AppCredentials(
        app_id="app", app_secret=APP_SECRET, username="ada", password=PASSWORD
    )
    return OAuth(http, f"{server.url}/oauth/token", credentials, timeout=1.0)


def telphin_token(**extra: Any) -> dict[str, Any]:
    return {"access_token": "telphin-access-token-1", "token_type": "bearer", **extra}


# -- answers in parts, answers too big ----------------------------------------------------


async def test_a_status_answer_written_in_two_parts_is_read_whole(server: HostileServer) -> None:
    """The server holds Ready; an answer cut at the first part would read as unknown."""
    kazoo(server, token(), status=split(ready_status(padding=PADDING)))
    kazoo_backend = backend(server)
    with LEDGER.fault("hostile server: an answer in two parts"):
        try:
            await kazoo_backend.sign_in()
            snapshot = await kazoo_backend.snapshot(None)
        finally:
            await kazoo_backend.close()
        assert (snapshot.logged_in, snapshot.status) == (True, "ready")


async def test_a_sign_in_answer_written_in_two_parts_signs_in(
    server: HostileServer, http: aiohttp.ClientSession
) -> None:
    issued = token(padding=PADDING)
    server.on("PUT", "/v2/user_auth", split(kazoo_login(issued), status=201))
    login = await auth(http, server).sign_in()
    assert (login.token, login.account_id) == (issued, ACCOUNT_ID)


async def test_a_telphin_token_answer_written_in_parts_signs_in(
    server: HostileServer, http: aiohttp.ClientSession
) -> None:
    server.on("POST", "/oauth/token", split(telphin_token(padding=PADDING), parts=3))
    client = oauth(http, server)
    await client.sign_in()
    assert await client.token() == "telphin-access-token-1"


@pytest.mark.parametrize("declared", [True, False], ids=["declared", "chunked"])
async def test_an_answer_over_the_limit_is_refused_in_words_not_cut(
    server: HostileServer, http: aiohttp.ClientSession, declared: bool
) -> None:
    server.on("PUT", "/v2/user_auth", flood(MAX_BODY_BYTES + 1, declared=declared))
    started = time.monotonic()
    with pytest.raises(Unreachable) as raised:
        await auth(http, server).sign_in()
    assert str(raised.value) == "127.0.0.1 sent an answer larger than 4 MB; it was not read"
    assert time.monotonic() - started < 1.0


async def test_a_body_that_stops_halfway_is_given_up_at_the_time_limit(
    server: HostileServer, http: aiohttp.ClientSession
) -> None:
    server.on("PUT", "/v2/user_auth", split(kazoo_login(token()), status=201, pause=30))
    started = time.monotonic()
    with pytest.raises(Unreachable, match=r"^127\.0\.0\.1 did not answer within 0\.3 s$"):
        await auth(http, server, timeout=0.3).sign_in()
    assert time.monotonic() - started < 1.0


async def test_a_server_that_never_answers_is_given_up_at_the_time_limit(
    server: HostileServer, http: aiohttp.ClientSession
) -> None:
    server.on("PUT", "/v2/user_auth", never())
    with pytest.raises(Unreachable, match=r"^127\.0\.0\.1 did not answer within 0\.3 s$"):
        await auth(http, server, timeout=0.3).sign_in()


# -- redirects ------------------------------------------------------------------------------


async def test_a_redirected_sign_in_is_refused_and_the_credentials_stay_here(
    server: HostileServer, other: HostileServer, http: aiohttp.ClientSession
) -> None:
    elsewhere = f"{other.url}/v2/user_auth"
    server.on("PUT", "/v2/user_auth", redirect(elsewhere, status=307))
    other.on("PUT", "/v2/user_auth", answer(kazoo_login(token()), status=201))
    with pytest.raises(SignedOut) as raised:
        await auth(http, server).sign_in()
    assert str(raised.value) == (
        f"the server redirected the sign-in to {elsewhere}; the toolbar does not follow "
        "redirects with credentials: use that URL as the server URL if you trust it"
    )
    assert (raised.value.kind, raised.value.setting) == ("setup", "api_url")
    assert other.seen == []


async def test_a_sign_in_redirected_from_https_to_http_is_named_a_downgrade(
    other: HostileServer, http: aiohttp.ClientSession, certificate: ServerCertificate
) -> None:
    elsewhere = f"{other.url}/v2/user_auth"
    async with (
        HostileServer(tls=certificate.server_context()) as secure,
        aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(ssl=tls(str(certificate.ca_file)))
        ) as trusting,
    ):
        secure.on("PUT", "/v2/user_auth", redirect(elsewhere, status=307))
        with pytest.raises(SignedOut) as raised:
            await auth(trusting, secure).sign_in()
        assert len(secure.seen) == 1
    assert str(raised.value) == (
        f"the server redirected the sign-in from https:// to unencrypted http:// "
        f"({elsewhere}); the toolbar does not follow redirects with credentials, and "
        "never to http://"
    )
    assert (raised.value.kind, raised.value.setting) == ("insecure", "api_url")
    assert other.seen == []


async def test_a_redirected_request_keeps_the_token_here(
    server: HostileServer, other: HostileServer, http: aiohttp.ClientSession
) -> None:
    kazoo(server, token(), status=redirect(f"{other.url}/steal", status=302))
    crossbar = Crossbar(http, f"{server.url}/v2", auth(http, server), timeout=1.0)
    with pytest.raises(SignedOut) as raised:
        await crossbar.call("GET", STATUS.removeprefix("/v2/"))
    assert str(raised.value).startswith(f"the server redirected a request to {other.url}/steal;")
    assert other.seen == []


async def test_a_redirect_without_a_host_names_the_whole_address(
    server: HostileServer, http: aiohttp.ClientSession
) -> None:
    server.on("PUT", "/v2/user_auth", redirect("/elsewhere/user_auth", status=308))
    with pytest.raises(SignedOut, match=rf"to {server.url}/elsewhere/user_auth; "):
        await auth(http, server).sign_in()
    assert [seen.path for seen in server.seen] == ["/v2/user_auth"]


async def test_a_redirected_telphin_sign_in_keeps_the_app_secret_here(
    server: HostileServer, other: HostileServer, http: aiohttp.ClientSession
) -> None:
    server.on("POST", "/oauth/token", redirect(f"{other.url}/oauth/token", status=307))
    other.on("POST", "/oauth/token", answer(telphin_token()))
    with pytest.raises(SignedOut, match="the server redirected the sign-in to "):
        await oauth(http, server).sign_in()
    assert other.seen == []


async def test_a_redirected_telphin_call_keeps_the_token_here(
    server: HostileServer, other: HostileServer, http: aiohttp.ClientSession
) -> None:
    server.on("POST", "/oauth/token", answer(telphin_token()))
    server.on("GET", "/api/ver1.0/user/", redirect(f"{other.url}/api/ver1.0/user/", status=302))
    api = TelphinApi(http, f"{server.url}/api/ver1.0", oauth(http, server), timeout=1.0)
    with pytest.raises(SignedOut, match="the server redirected a request to "):
        await api.call("GET", "user/")
    assert other.seen == []


@pytest.mark.parametrize("scheme", ["http", "ws"])
async def test_a_redirected_event_link_sends_no_token_anywhere(
    server: HostileServer, other: HostileServer, scheme: str
) -> None:
    """aiohttp follows a websocket handshake's redirect to http:// by itself (one to ws://
    it refuses): the link is refused before its first frame, which would carry the token."""
    kazoo(server, token())
    elsewhere = other.url.replace("http", scheme, 1) + "/ws"
    server.on("GET", "/ws", redirect(elsewhere, status=307))
    blackhole(other, [])
    kazoo_backend = backend(server)
    try:
        await kazoo_backend.sign_in()
        with pytest.raises(SignedOut) as raised:
            await kazoo_backend.open_events(lambda event: None)
    finally:
        await kazoo_backend.close()
    assert str(raised.value) == (
        f"the event server redirected the connection to {elsewhere}; the toolbar does not "
        "follow redirects with credentials: use that URL as the websocket URL if you trust it"
    )
    assert (raised.value.kind, raised.value.setting) == ("setup", "websocket_url")
    assert [seen.body for seen in other.seen] == ([b""] if scheme == "http" else [])


# -- numbers no float can hold --------------------------------------------------------------


async def test_huge_numbers_in_a_status_read_are_left_out(
    server: HostileServer, caplog: pytest.LogCaptureFixture
) -> None:
    status = {
        "data": {
            "availability_state": "Wrapup-Time",
            "wrapup_time_seconds": HUGE,
            "stats": {"total_calls": HUGE, "missed_calls": -HUGE},
        }
    }
    kazoo(server, token(), status=answer(status))
    kazoo_backend = backend(server)
    caplog.set_level(logging.DEBUG, "agent_toolbar.kazoo")
    with LEDGER.fault("hostile server: a number no float can hold"):
        try:
            await kazoo_backend.sign_in()
            snapshot = await kazoo_backend.snapshot(None)
        finally:
            await kazoo_backend.close()
        assert (snapshot.activity, snapshot.wrapup_seconds) == ("wrapup", None)
        assert snapshot.stats is not None
        assert (snapshot.stats.total_calls, snapshot.stats.missed_calls) == (None, None)
    assert "a number out of bounds was left out" in caplog.text


async def test_huge_queue_numbers_are_left_out(server: HostileServer) -> None:
    kazoo(server, token())
    server.on("GET", QUEUES, answer({"data": [{"id": "q1", "name": "Sales"}]}))
    numbers = {"q1": {"available_recipient_count": HUGE, "stats": {"active_session_count": HUGE}}}
    server.on("GET", f"{QUEUES}/status", answer({"data": numbers}))
    server.on("GET", f"{QUEUES}/q1/recipients", answer({"data": []}))
    kazoo_backend = backend(server)
    try:
        await kazoo_backend.sign_in()
        reported = await kazoo_backend.queues(None)
    finally:
        await kazoo_backend.close()
    (queue,) = reported.queues
    assert (queue.name, queue.in_queue, queue.agents_available) == ("Sales", None, None)


@pytest.mark.parametrize(
    "expires", [HUGE, 1e300, -1, "soon"], ids=["10^400", "1e300", "-1", "text"]
)
async def test_a_token_with_an_absurd_expiry_is_kept_for_the_default_lifetime(
    server: HostileServer, http: aiohttp.ClientSession, expires: object
) -> None:
    server.on("PUT", "/v2/user_auth", answer(kazoo_login(jwt(exp=expires)), status=201))
    before = time.time()
    login = await auth(http, server).sign_in()
    assert before + 3600 <= login.expires <= time.time() + 3600


async def test_a_telphin_token_with_a_huge_lifetime_is_kept_for_the_default_one(
    server: HostileServer, http: aiohttp.ClientSession
) -> None:
    server.on("POST", "/oauth/token", answer(telphin_token(expires_in=HUGE)))
    client = oauth(http, server)
    await client.sign_in()
    assert await client.token() == "telphin-access-token-1"


# -- clocks that disagree ---------------------------------------------------------------------


async def test_a_token_already_past_by_this_clock_signs_in_once_not_per_request(
    server: HostileServer, http: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    """This computer's clock two hours ahead of the server's: every token it is given has
    expired by its own clock. It is trusted for its lifetime from now, and said once."""
    kazoo(server, token(lifetime=3600))
    ahead = auth(http, server, clock=lambda: time.time() + 7200)
    caplog.set_level(logging.INFO, "agent_toolbar.kazoo")
    await ahead.sign_in()
    for _ in range(10):
        await ahead.token()
    signs_in = [seen for seen in server.seen if seen.path == "/v2/user_auth"]
    assert len(signs_in) == 1
    said = [record.getMessage() for record in caplog.records if "clock" in record.getMessage()]
    assert len(said) == 1, said
    assert said[0].startswith("the server's clock and this computer's disagree")


async def test_a_token_without_a_lifetime_past_by_this_clock_gets_the_default_one(
    server: HostileServer, http: aiohttp.ClientSession
) -> None:
    kazoo(server, jwt(exp=int(time.time()) - 60))
    login = await auth(http, server).sign_in()
    assert login.expires - login.issued == 3600


# -- frames no event needs --------------------------------------------------------------------


async def test_a_frame_over_the_limit_is_skipped_and_the_link_stays(
    server: HostileServer, caplog: pytest.LogCaptureFixture
) -> None:
    kazoo(server, token())
    big = '{"action":"event","data":"' + "x" * (2 * MAX_FRAME_BYTES) + '"}'
    connections = blackhole(server, [big])
    received: list[Event | DecodeError] = []
    kazoo_backend = backend(server)
    caplog.set_level(logging.WARNING, "agent_toolbar.kazoo.blackhole")
    try:
        await kazoo_backend.sign_in()
        link = await kazoo_backend.open_events(received.append)
        await asyncio.sleep(0.3)
        closed = asyncio.ensure_future(link.closed())
        await asyncio.sleep(0.1)
        assert not closed.done()
        await link.close()
    finally:
        await kazoo_backend.close()
    assert connections == [1]
    assert [type(each) for each in received] == [DecodeError]
    assert f"a frame of {len(big)} bytes was skipped (over 1 MB)" in caplog.text


async def test_a_frame_too_big_to_read_closes_the_link_saying_why(server: HostileServer) -> None:
    """50 MB: more than the link reads before it knows the frame's end. It closes, in words."""
    kazoo(server, token())
    blackhole(server, [b"x" * (50 * 1024 * 1024)])
    kazoo_backend = backend(server)
    try:
        await kazoo_backend.sign_in()
        link = await kazoo_backend.open_events(lambda event: None)
        async with asyncio.timeout(2):
            reason = await link.closed()
    finally:
        await kazoo_backend.close()
    assert reason == (
        "the event server sent a frame larger than 8 MB, which no event needs; the link was closed"
    )
