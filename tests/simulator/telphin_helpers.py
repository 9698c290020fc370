"""What the Telphin tests share: a client stand-in that signs in and calls the API, and a
callback receiver that records what the simulator sends it."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import msgspec
from aiohttp import web

from agent_toolbar.simulator import (
    ManualClock,
    Scenario,
    Simulator,
    TelphinLogin,
    TelphinSettings,
)
from tests.simulator.helpers import small_scenario

AGENT_FIELDS = {"agent_id", "agent_status", "agent_type", "extension_name", "event_source"}
CALL_FIELDS = {
    "EventType",
    "CallID",
    "SubCallID",
    "CallAPIID",
    "CallerIDNum",
    "CallerIDName",
    "CalledDID",
    "CalledExtension",
    "CalledExtensionID",
    "CallerExtension",
    "CallerExtensionID",
    "CalledNumber",
    "CallStatus",
    "CallFlow",
    "EventTime",
}
"""Every extension callback has these; a hangup also has `Duration`, and the hangup of an
answered ring `BridgedDuration`."""


def telphin_scenario(**telphin: Any) -> Scenario:
    """The small scenario with these `[telphin]` switches."""
    return msgspec.structs.replace(small_scenario(), telphin=TelphinSettings(**telphin))


@asynccontextmanager
async def signed_in(
    http: aiohttp.ClientSession, username: str | None = "ada", **telphin: Any
) -> AsyncIterator["TelphinClient"]:
    """A client of `username` (None: the PBX owner) on a simulator (manual clock) with
    these `[telphin]` switches; `client.sim` is the simulator."""
    async with Simulator(telphin_scenario(**telphin), clock=ManualClock()) as sim:
        yield await TelphinClient(sim, http).sign_in(username)


def telphin_login(sim: Simulator, username: str) -> TelphinLogin:
    return next(login for login in sim.telphin_logins if login.username == username)


class TelphinClient:
    """One OAuth grant's stand-in client: the token answer and calls with its access token."""

    def __init__(self, sim: Simulator, http: aiohttp.ClientSession) -> None:
        self.sim = sim
        self.http = http
        self.answer: dict[str, Any] = {}

    @property
    def token(self) -> str:
        return str(self.answer["access_token"])

    async def grant(self, **form: str) -> tuple[int, dict[str, Any]]:
        """POST /oauth/token with the app's credentials and `form`; keeps a 200 answer."""
        app = self.sim.telphin_logins[0]
        data = {"client_id": app.app_id, "client_secret": app.app_secret, **form}
        async with self.http.post(self.sim.telphin_token_url, data=data) as response:
            body: dict[str, Any] = await response.json()
        if response.status == 200:
            self.answer = body
        return response.status, body

    async def sign_in(self, username: str | None = None) -> "TelphinClient":
        """A password grant for `username`, or client credentials (the PBX owner) for None."""
        if username is None:
            status, body = await self.grant(grant_type="client_credentials")
        else:
            password = telphin_login(self.sim, username).password
            status, body = await self.grant(
                grant_type="password", username=username, password=password
            )
        assert status == 200, body
        return self

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        data: bytes | None = None,
        token: str | None = None,
    ) -> tuple[int, Any]:
        """`method` on the API path; the JSON answer, or None for an empty one."""
        headers = {"Authorization": f"Bearer {self.token if token is None else token}"}
        url = f"{self.sim.telphin_api_url}/{path}"
        async with self.http.request(
            method, url, json=body, data=data, headers=headers
        ) as response:
            text = await response.text()
            return response.status, (await response.json()) if text else None


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    content_type: str

    @property
    def fields(self) -> dict[str, str]:
        """The callback's data, wherever the method put it."""
        return self.query if self.method == "GET" else self.form


@dataclass(eq=False)
class Receiver:
    """A client's callback listener on loopback; answers `status` and records every request."""

    status: int = 200
    slow_first: float = 0.0
    """Seconds the first request waits before it is answered (to show ordering holds)."""
    hold: asyncio.Event | None = None
    """When set, requests to `/hold` wait for this event (to make callbacks time out)."""
    requests: list[Received] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _port: int = 0
    _seen: int = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def close(self) -> None:
        if self.hold is not None:
            self.hold.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self._port}/{path.lstrip('/')}"

    def at(self, path: str) -> list[Received]:
        return [request for request in self.requests if request.path == "/" + path.lstrip("/")]

    async def _handle(self, request: web.Request) -> web.Response:
        self._seen += 1
        first = self._seen == 1
        form = await request.post() if request.method == "POST" else {}
        received = Received(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            form={key: str(value) for key, value in form.items()},
            content_type=request.content_type,
        )
        if first and self.slow_first > 0:
            await asyncio.sleep(self.slow_first)
        if request.path == "/hold" and self.hold is not None:
            await self.hold.wait()
        self.requests.append(received)
        return web.Response(status=self.status)
