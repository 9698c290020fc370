"""The Telphin OAuth client against the simulator's token endpoint: which grant it sends
when, seen on the wire through aiohttp's request tracing."""

import asyncio
from collections.abc import AsyncIterator
from types import SimpleNamespace
from urllib.parse import parse_qs

import aiohttp
import pytest
import pytest_asyncio

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.backends.telphin.api import TelphinApi
from agent_toolbar.backends.telphin.oauth import AppCredentials, OAuth
from agent_toolbar.simulator import Simulator
from tests.helpers.kazoo import scenario

pytestmark = pytest.mark.asyncio


class Wire:
    """The grant type of every form sent to the token endpoint, in order."""

    def __init__(self, token_url: str) -> None:
        self.grants: list[str] = []
        self._token_url = token_url
        self.trace = aiohttp.TraceConfig()
        self.trace.on_request_chunk_sent.append(self._chunk_sent)

    async def _chunk_sent(
        self,
        _: aiohttp.ClientSession,
        __: SimpleNamespace,
        sent: aiohttp.TraceRequestChunkSentParams,
    ) -> None:
        if str(sent.url) == self._token_url and sent.chunk:
            self.grants += parse_qs(sent.chunk.decode())["grant_type"]


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(scenario()) as simulator:
        yield simulator


def credentials(sim: Simulator, *, password: str | None = None) -> AppCredentials:
    login = next(login for login in sim.telphin_logins if login.username == "ada")
    return AppCredentials(
        login.app_id, login.app_secret, login.username, password or login.password
    )


async def test_a_token_near_its_expiry_is_renewed_with_the_refresh_token(sim: Simulator) -> None:
    wire, clock = Wire(sim.telphin_token_url), Clock()
    async with aiohttp.ClientSession(trace_configs=[wire.trace]) as http:
        oauth = OAuth(http, sim.telphin_token_url, credentials(sim), timeout=2, clock=clock)
        api = TelphinApi(http, sim.telphin_api_url, oauth, timeout=2)
        await oauth.sign_in()
        first = await oauth.token()
        assert await oauth.token() == first
        clock.now += 3600 - 59
        renewed = await oauth.token()
        assert renewed != first
        assert (await api.call("GET", "user/")).status == 200
    assert wire.grants == ["password", "refresh_token"]


async def test_parallel_refusals_renew_the_token_once(sim: Simulator) -> None:
    wire = Wire(sim.telphin_token_url)
    async with aiohttp.ClientSession(trace_configs=[wire.trace]) as http:
        oauth = OAuth(http, sim.telphin_token_url, credentials(sim), timeout=2)
        api = TelphinApi(http, sim.telphin_api_url, oauth, timeout=2)
        await oauth.sign_in()
        sim.faults.expire_tokens()
        answers = await asyncio.gather(*(api.call("GET", "user/") for _ in range(5)))
    assert [answer.status for answer in answers] == [200] * 5
    assert wire.grants == ["password", "refresh_token", "password"]


async def test_a_refused_password_is_signed_out_not_a_loop(sim: Simulator) -> None:
    wire = Wire(sim.telphin_token_url)
    async with aiohttp.ClientSession(trace_configs=[wire.trace]) as http:
        oauth = OAuth(http, sim.telphin_token_url, credentials(sim, password="wrong"), timeout=2)
        with pytest.raises(SignedOut, match="refused the user name or password"):
            await oauth.sign_in()
    assert wire.grants == ["password"]
