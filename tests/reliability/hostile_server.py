"""A hostile look-alike of Kazoo/Qubicle and Telphin on loopback, for the reliability tests.

A real aiohttp server on 127.0.0.1 (https when given a TLS context) that answers each
route as a broken or malicious server might: a body in parts with pauses between them,
a redirect to another host, a flood of bytes, a number too big for a float, a huge
websocket frame, or no answer at all. It notes every request it gets, so a test can
check what reached it (a credential sent on to another host, say).
"""

import asyncio
import base64
import ssl
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import aiohttp
import msgspec
from aiohttp import web

ACCOUNT_ID = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
AGENT_ID = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"
HUGE = 10**400
"""A number JSON can carry and Python reads, but no float can hold."""

Behaviour = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class HostileServer:
    """Routes answered by behaviours the test chooses; anything else is a 404."""

    tls: ssl.SSLContext | None = None
    seen: list[Seen] = field(default_factory=list)
    _routes: dict[tuple[str, str], Behaviour] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _port: int = 0

    @property
    def url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self._port}"

    def on(self, method: str, path: str, behaviour: Behaviour) -> None:
        self._routes[(method, path)] = behaviour

    async def __aenter__(self) -> "HostileServer":
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=self.tls)
        await site.start()
        self._port = self._runner.addresses[0][1]
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        self.seen.append(Seen(request.method, request.path, dict(request.headers), body))
        behaviour = self._routes.get((request.method, request.path))
        if behaviour is None:
            return web.json_response({"message": "not_found"}, status=404)
        return await behaviour(request)


def encode(body: Any) -> bytes:
    """JSON as a server writes it; a number too big for a float is written whole."""
    return msgspec.json.encode(body)


def answer(body: Any, status: int = 200) -> Behaviour:
    async def behave(request: web.Request) -> web.StreamResponse:
        return web.Response(body=encode(body), status=status, content_type="application/json")

    return behave


def split(body: Any, status: int = 200, parts: int = 2, pause: float = 0.05) -> Behaviour:
    """The body written in `parts` pieces, `pause` seconds apart: a slow or busy server."""

    async def behave(request: web.Request) -> web.StreamResponse:
        raw = encode(body)
        response = web.StreamResponse(status=status)
        response.content_type = "application/json"
        response.content_length = len(raw)
        await response.prepare(request)
        step = -(-len(raw) // parts)
        try:
            for start in range(0, len(raw), step):
                if start:
                    await asyncio.sleep(pause)
                await response.write(raw[start : start + step])
            await response.write_eof()
        except ConnectionError:
            pass  # the client gave up, or stopped at the first part
        return response

    return behave


def redirect(location: str, status: int = 307) -> Behaviour:
    async def behave(request: web.Request) -> web.StreamResponse:
        return web.Response(status=status, headers={"Location": location})

    return behave


def flood(size: int, *, declared: bool) -> Behaviour:
    """`size` bytes of a JSON string, its length declared in Content-Length or not (chunked)."""

    async def behave(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.content_type = "application/json"
        if declared:
            response.content_length = size
        await response.prepare(request)
        chunk = b"9" * 65536
        sent = 0
        try:
            while sent < size:
                piece = chunk[: size - sent]
                await response.write(piece)
                sent += len(piece)
            await response.write_eof()
        except ConnectionError:
            pass  # the client stopped reading, as it should
        return response

    return behave


def never() -> Behaviour:
    """Takes the request and never answers."""

    async def behave(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    return behave


def jwt(**claims: Any) -> str:
    """A JWT-shaped token as Kazoo issues them: the claims readable, the signature not checked."""

    def part(value: Any) -> str:
        return base64.urlsafe_b64encode(encode(value)).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


def kazoo_login(token: str) -> dict[str, Any]:
    """Crossbar's answer to a good sign-in."""
    return {
        "auth_token": token,
        "data": {"account_id": ACCOUNT_ID, "owner_id": AGENT_ID},
        "status": "success",
    }


RECIPIENT = f"/v2/accounts/{ACCOUNT_ID}/qubicle_recipients/{AGENT_ID}"
STATUS = f"{RECIPIENT}/status"
QUEUES = f"/v2/accounts/{ACCOUNT_ID}/qubicle_queues"


def ready_status(**extra: Any) -> dict[str, Any]:
    """A status read of an agent who is Ready, with whatever else the test adds."""
    return {"data": {"availability_state": "Ready", **extra}, "status": "success"}


def kazoo(server: HostileServer, token: str, status: Behaviour | None = None) -> None:
    """A Crossbar that signs in with `token` and shows a Ready agent unless told otherwise."""
    server.on("PUT", "/v2/user_auth", answer(kazoo_login(token), status=201))
    server.on("GET", STATUS, status or answer(ready_status()))


def blackhole(server: HostileServer, frames: Iterable[str | bytes]) -> list[int]:
    """A Blackhole at /ws that says yes to every request and sends `frames` once the last
    binding is subscribed; returns the list where each connection's number is noted."""
    connections: list[int] = []
    ready = list(frames)

    async def behave(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        connections.append(len(connections) + 1)
        async for message in ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            frame = msgspec.json.decode(message.data)
            reply = {"action": "reply", "status": "success", "request_id": frame["request_id"]}
            await ws.send_str(msgspec.json.encode(reply).decode())
            if frame.get("data", {}).get("binding") == "qubicle.queue":
                for each in ready:
                    if isinstance(each, bytes):
                        await ws.send_bytes(each)
                    else:
                        await ws.send_str(each)
        return ws

    server.on("GET", "/ws", behave)
    return connections
