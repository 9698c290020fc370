"""Blackhole: the websocket that carries Qubicle events, with Kazoo 4.x's rules.

Each client frame goes through Kazoo's steps in Kazoo's order (rate limit,
authenticate, validate, authorize, command) and every refusal is a reply with one
of Kazoo's exact error strings, because clients recognise them by text. Events go
out through a per-socket queue; past 50 queued messages further events for that
socket are dropped silently, as Kazoo 4.3 does, so clients must reconcile over REST.
"""

import asyncio
from collections import deque
from collections.abc import Coroutine
from typing import Any

import msgspec
from aiohttp import WSCloseCode, WSMsgType, hdrs, web

from agent_toolbar.simulator.clock import Clock
from agent_toolbar.simulator.kazoo.tokens import Tokens, well_formed
from agent_toolbar.simulator.model import QUEUE_BINDING, RECIPIENT_BINDING, Event
from agent_toolbar.support.log import simulator_blackhole as log

BINDINGS = (RECIPIENT_BINDING, QUEUE_BINDING)
QUEUE_LIMIT = 50
"""Kazoo 4.3 drops further events for a socket once this many messages are waiting."""
BUCKET_SIZE = 100
BUCKET_RATE = 10.0
"""Client frames: a bucket of 100 tokens per socket, refilled at 10 a second."""
CLOSE_TIMEOUT = 2.0
"""How long a closing handshake may take before the connection is cut."""
SUBSCRIBE_KEYS = ("account_id", "binding")


class _Bucket:
    def __init__(self, now: float) -> None:
        self._tokens = float(BUCKET_SIZE)
        self._updated = now

    def take(self, now: float) -> bool:
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(float(BUCKET_SIZE), self._tokens + elapsed * BUCKET_RATE)
        self._updated = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


class _Socket:
    """One client connection and what Blackhole knows about it."""

    def __init__(
        self, ws: web.WebSocketResponse, request: web.Request, peer: str, now: float
    ) -> None:
        self.ws = ws
        self.transport = request.transport
        self.ip = request.remote or "unknown"
        self.peer = peer
        self.account_id: str | None = None
        """Set by the first frame with a valid token; the socket stays authenticated."""
        self.bindings: list[str] = []
        self.bucket = _Bucket(now)
        self.last_frame = now
        self.outbox: deque[str | bytes] = deque()
        self.wake = asyncio.Event()
        self.gone = asyncio.Event()
        self.closing = False

    def set_reading(self, reading: bool) -> None:
        """Stop reading at the transport, so nothing is read and pings go unanswered."""
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if reading:
            transport.resume_reading()
        else:
            transport.pause_reading()


def _reply(request_id: Any, status: str, data: dict[str, Any]) -> str:
    reply: dict[str, Any] = {"action": "reply", "status": status, "data": data}
    if request_id is not None:
        reply["request_id"] = request_id
    return msgspec.json.encode(reply).decode()


def _error(request_id: Any, message: str) -> str:
    return _reply(request_id, "error", {"errors": [message]})


def _missing_keys(data: Any) -> str | None:
    if not isinstance(data, dict) or not data:
        return "missing required keys in data object"
    missing = [key for key in SUBSCRIBE_KEYS if key not in data]
    return f"missing required keys : {', '.join(missing)}" if missing else None


def event_frame(event: Event) -> str:
    """The text frame that carries `event`, as every subscribed socket gets it (tests
    build late or altered copies of real events with it, for `Faults.send_raw`)."""
    return msgspec.json.encode(
        {
            "action": "event",
            "subscribed_key": event.binding,
            "subscription_key": f"{event.binding}.{event.account_id}.*",
            "name": event.name,
            "routing_key": f"{event.binding}.{event.account_id}.{event.subject_id}",
            "data": event.data,
        }
    ).decode()


class Hub:
    """Every open socket, the websocket app, and fan-out of engine events to sockets."""

    def __init__(
        self, tokens: Tokens, clock: Clock, *, max_per_ip: int, idle_timeout: float
    ) -> None:
        self._tokens = tokens
        self._clock = clock
        self._max_per_ip = max_per_ip
        self._idle_timeout = idle_timeout
        self._sockets: list[_Socket] = []
        self._muted = False
        self._drop_next = 0
        self._repeat_next = 0
        self._tasks: set[asyncio.Task[None]] = set()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/{path:.*}", self._handle)
        return app

    @property
    def socket_count(self) -> int:
        return len(self._sockets)

    # -- events --------------------------------------------------------------------------

    def publish(self, event: Event) -> None:
        """Queue `event` for every socket subscribed to its binding on its account."""
        targets = [
            sock
            for sock in self._sockets
            if sock.account_id == event.account_id and event.binding in sock.bindings
        ]
        if not targets:
            return
        if self._drop_next > 0:
            self._drop_next -= 1
            log.info("dropped %s event %s (fault)", event.binding, event.name)
            return
        frame = event_frame(event)
        copies = 1
        if self._repeat_next > 0:
            self._repeat_next -= 1
            copies = 2
            log.info("sending %s event %s twice (fault)", event.binding, event.name)
        for sock in targets:
            for _ in range(copies):
                if len(sock.outbox) >= QUEUE_LIMIT:
                    log.warning("socket %s is too slow: dropped event %s", sock.peer, event.name)
                    break
                sock.outbox.append(frame)
            sock.wake.set()

    # -- faults --------------------------------------------------------------------------

    def send_raw(self, frame: str | bytes) -> int:
        """Queue `frame` as it is (text, or bytes as a binary frame) for every subscribed
        socket; how many sockets it goes to."""
        targets = [sock for sock in self._sockets if sock.bindings]
        for sock in targets:
            sock.outbox.append(frame)
            sock.wake.set()
        return len(targets)

    def drop_events(self, times: int) -> None:
        self._drop_next += times

    def duplicate_events(self, times: int) -> None:
        self._repeat_next += times

    def mute(self, muted: bool) -> None:
        self._muted = muted
        for sock in self._sockets:
            sock.set_reading(not muted)
            sock.wake.set()

    async def drop_all(self) -> None:
        """Cut every connection without a closing handshake, and wait until they are gone."""
        sockets = list(self._sockets)
        for sock in sockets:
            if sock.transport is not None:
                sock.transport.abort()
        if sockets:
            waiters = [asyncio.create_task(sock.gone.wait()) for sock in sockets]
            _, late = await asyncio.wait(waiters, timeout=CLOSE_TIMEOUT)
            for waiter in late:
                waiter.cancel()

    # -- idle sockets and shutdown -------------------------------------------------------

    def next_deadline(self) -> float | None:
        """When the next idle socket is due to be closed."""
        return min(
            (sock.last_frame + self._idle_timeout for sock in self._sockets if not sock.closing),
            default=None,
        )

    def close_idle(self, now: float) -> None:
        for sock in self._sockets:
            if not sock.closing and now >= sock.last_frame + self._idle_timeout:
                log.info("closing %s: no frame for %g s", sock.peer, self._idle_timeout)
                sock.closing = True
                self._spawn(self._close(sock, WSCloseCode.OK, b"idle timeout"))

    async def close_all(self) -> None:
        self.mute(False)
        for sock in list(self._sockets):
            if not sock.closing:
                sock.closing = True
                self._spawn(self._close(sock, WSCloseCode.GOING_AWAY, b"server shutdown"))
        if self._tasks:
            await asyncio.wait(list(self._tasks))

    async def _close(self, sock: _Socket, code: int, message: bytes) -> None:
        try:
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await sock.ws.close(code=code, message=message)
        except TimeoutError:
            if sock.transport is not None:
                sock.transport.abort()

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- one connection ------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if hdrs.SEC_WEBSOCKET_PROTOCOL in request.headers:
            return web.Response(status=400, text="websocket subprotocols are not supported\n")
        ip = request.remote or "unknown"
        if sum(1 for sock in self._sockets if sock.ip == ip) >= self._max_per_ip:
            return web.Response(status=429, text=f"too many connections from {ip}\n")
        ws = web.WebSocketResponse(timeout=CLOSE_TIMEOUT)
        if not ws.can_prepare(request).ok:
            return web.Response(status=400, text="this is a websocket endpoint\n")
        await ws.prepare(request)
        peername = request.transport.get_extra_info("peername") if request.transport else None
        peer = f"{peername[0]}:{peername[1]}" if peername else ip
        sock = _Socket(ws, request, peer, self._clock())
        self._sockets.append(sock)
        if self._muted:
            sock.set_reading(False)
        log.debug("socket %s opened", peer)
        sender = asyncio.create_task(self._send(sock), name=f"blackhole sender {peer}")
        try:
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    if not self._on_frame(sock, message.data):
                        await ws.close(code=WSCloseCode.INTERNAL_ERROR, message=b"invalid JSON")
                elif message.type is WSMsgType.ERROR:
                    break
        finally:
            self._sockets.remove(sock)
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
            sock.gone.set()
            log.debug("socket %s closed", peer)
        return ws

    async def _send(self, sock: _Socket) -> None:
        while True:
            await sock.wake.wait()
            sock.wake.clear()
            while sock.outbox and not self._muted and not sock.ws.closed:
                frame = sock.outbox.popleft()
                try:
                    if isinstance(frame, bytes):
                        await sock.ws.send_bytes(frame)
                    else:
                        await sock.ws.send_str(frame)
                except ConnectionError:
                    return

    def _on_frame(self, sock: _Socket, text: str) -> bool:
        """Answer one client frame; False if it is not a JSON object (Kazoo's handler dies)."""
        now = self._clock()
        sock.last_frame = now
        try:
            frame = msgspec.json.decode(text)
        except msgspec.DecodeError:
            frame = None
        if not isinstance(frame, dict):
            log.warning("socket %s sent a frame that is not a JSON object", sock.peer)
            return False
        sock.outbox.append(self._answer(sock, frame, now))
        sock.wake.set()
        return True

    def _answer(self, sock: _Socket, frame: dict[str, Any], now: float) -> str:
        request_id = frame.get("request_id")
        if not sock.bucket.take(now):
            return _error(request_id, f"rate limiting threshold hit for {sock.peer}!")
        if sock.account_id is None:
            problem = self._authenticate(sock, frame.get("auth_token"))
            if problem is not None:
                return _error(request_id, problem)
        action = frame.get("action", "noop")
        data = frame.get("data")
        if action == "subscribe":
            return self._subscribe(sock, request_id, data)
        if action == "unsubscribe":
            return self._unsubscribe(sock, request_id, data)
        if action == "ping":
            return _reply(request_id, "success", {"response": "pong"})
        return _reply(request_id, "success", {})

    def _authenticate(self, sock: _Socket, token: Any) -> str | None:
        if token is None:
            return "authentication token required"
        if not well_formed(token):
            return "invalid authentication token format"
        claims = self._tokens.check(token)
        if claims is None:
            return f"failed to authenticate token {token}"
        sock.account_id = claims.account_id
        return None

    def _subscribe(self, sock: _Socket, request_id: Any, data: Any) -> str:
        problem = _missing_keys(data)
        if problem is not None:
            return _error(request_id, problem)
        if data["account_id"] != sock.account_id:
            return _error(request_id, "unauthorized account id")
        binding = data["binding"]
        if binding not in BINDINGS:
            return _error(request_id, "no available subscriptions to requested binding")
        if binding not in sock.bindings:
            sock.bindings.append(binding)
        return _reply(request_id, "success", {"subscribed": list(sock.bindings)})

    def _unsubscribe(self, sock: _Socket, request_id: Any, data: Any) -> str:
        problem = _missing_keys(data)
        if problem is not None:
            return _error(request_id, problem)
        binding = data["binding"]
        if binding not in BINDINGS:
            return _error(request_id, "no available subscriptions to requested binding")
        if binding in sock.bindings:
            sock.bindings.remove(binding)
        return _reply(
            request_id, "success", {"unsubscribed": [binding], "subscribed": list(sock.bindings)}
        )
