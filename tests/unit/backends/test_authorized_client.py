"""The one authenticated client as each backend uses it: the token in that server's header,
one renewal and one retry after a 401, then a refused fresh token in the backend's words.

The real clients and token sources (Kazoo's `Auth`, Telphin's `OAuth`) against a small
server on loopback that hands out `token-1`, `token-2`… and takes only the ones a test
names: the simulator cannot refuse a token it has just issued.
"""

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.backends.http import AuthorizedClient
from agent_toolbar.backends.kazoo.auth import Auth, Credentials
from agent_toolbar.backends.kazoo.crossbar import Crossbar
from agent_toolbar.backends.telphin.api import TelphinApi
from agent_toolbar.backends.telphin.oauth import AppCredentials, OAuth

pytestmark = pytest.mark.asyncio

HEADERS = ("X-Auth-Token", "Authorization")
KAZOO_SIGN_IN = ("PUT", "/v2/user_auth")
TELPHIN_SIGN_IN = ("POST", "/oauth/token")


@dataclass
class TokenServer:
    """Signs in on both backends' sign-in paths; the API answers only `accepted` tokens."""

    accepted: set[str] = field(default_factory=set)
    seen: list[tuple[str, str, str | None]] = field(default_factory=list)
    """Each request: method, path and the header carrying a token, as `Name: value`."""
    issued: int = 0
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        carried = next(
            (f"{name}: {request.headers[name]}" for name in HEADERS if name in request.headers),
            None,
        )
        self.seen.append((request.method, request.path, carried))
        if (request.method, request.path) == KAZOO_SIGN_IN:
            return web.json_response(
                {"auth_token": self._issue(), "data": {"account_id": "acct"}}, status=201
            )
        if (request.method, request.path) == TELPHIN_SIGN_IN:
            return web.json_response({"access_token": self._issue(), "expires_in": 3600})
        token = (carried or "").rpartition(" ")[2]
        if token in self.accepted:
            return web.json_response({"data": {"ok": True}})
        return web.json_response(
            {"message": "invalid_credentials", "data": {"message": "invalid credentials"}},
            status=401,
        )

    def _issue(self) -> str:
        self.issued += 1
        return f"token-{self.issued}"


@dataclass(frozen=True)
class Backend:
    """How one backend signs in, calls and words a refusal."""

    client: Callable[[aiohttp.ClientSession, str], AuthorizedClient[Any]]
    sign_in: tuple[str, str]
    path: str
    carried: Callable[[str], str]
    logger: str
    renewing: str
    refused_again: str


def kazoo(http: aiohttp.ClientSession, url: str) -> AuthorizedClient[Any]:
    auth = Auth(http, f"{url}/v2", Credentials("acme", "ada", "secret-1"), timeout=2)
    return Crossbar(http, f"{url}/v2/", auth, timeout=2)


def telphin(http: aiohttp.ClientSession, url: str) -> AuthorizedClient[Any]:
    app = AppCredentials("app", "secret-2", "ada", "secret-3")
    return TelphinApi(
        http, f"{url}/api/", OAuth(http, f"{url}/oauth/token", app, timeout=2), timeout=2
    )


BACKENDS = {
    "kazoo": Backend(
        kazoo,
        KAZOO_SIGN_IN,
        "/v2/accounts/acct",
        lambda token: f"X-Auth-Token: {token}",
        "agent_toolbar.kazoo",
        "the server refused the token; signing in again",
        "the server refused a fresh sign-in (invalid credentials)",
    ),
    "telphin": Backend(
        telphin,
        TELPHIN_SIGN_IN,
        "/api/accounts/acct",
        lambda token: f"Authorization: Bearer {token}",
        "agent_toolbar.telphin",
        "the server refused the token; renewing it",
        "the server refused a fresh token",
    ),
}


@pytest_asyncio.fixture
async def server() -> AsyncIterator[TokenServer]:
    tokens = TokenServer()
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", tokens.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    tokens.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield tokens
    finally:
        await runner.cleanup()


def twice(backend: Backend) -> list[tuple[str, str, str | None]]:
    """Sign in, call with token-1, sign in again, call with token-2: nothing more."""
    return [
        (*backend.sign_in, None),
        ("GET", backend.path, backend.carried("token-1")),
        (*backend.sign_in, None),
        ("GET", backend.path, backend.carried("token-2")),
    ]


@pytest.mark.parametrize("name", BACKENDS)
async def test_a_refused_token_is_renewed_once_and_the_call_sent_again(
    name: str, server: TokenServer, caplog: pytest.LogCaptureFixture
) -> None:
    backend = BACKENDS[name]
    server.accepted = {"token-2"}
    async with aiohttp.ClientSession() as http:
        with caplog.at_level(logging.INFO, backend.logger):
            answer = await backend.client(http, server.url).call("GET", "accounts/acct")
    assert (answer.status, answer.body) == (200, {"data": {"ok": True}})
    assert server.seen == twice(backend)
    assert (backend.logger, logging.INFO, backend.renewing) in caplog.record_tuples


@pytest.mark.parametrize("name", BACKENDS)
async def test_a_refused_fresh_token_signs_out_in_the_backends_words(
    name: str, server: TokenServer
) -> None:
    backend = BACKENDS[name]
    async with aiohttp.ClientSession() as http:
        with pytest.raises(SignedOut) as raised:
            await backend.client(http, server.url).call("GET", "accounts/acct")
    assert str(raised.value) == backend.refused_again
    assert (raised.value.kind, raised.value.setting) == ("credentials", None)
    assert server.seen == twice(backend)
