"""One Blackhole websocket: bindings subscribed one by one, replies matched, keepalive.

Kazoo answers HTTP 400 to a `Sec-WebSocket-Protocol` header, so none is sent. Every
client frame carries the token; a reply saying the token failed means: sign in
again and repeat. A keepalive ping every 30 s that gets no reply within 10 s means
the link is dead even if no FIN ever came (half-open sockets, sleeping laptops).
A redirected handshake is refused before the first frame, since every frame carries
the token; a frame too big to read closes the link with that reason in words.
"""

import asyncio
import itertools
from typing import Any

import aiohttp
import msgspec
from aiohttp import WSCloseCode
from yarl import URL

from agent_toolbar.backends.base import Delivery, SignedOut, Unreachable
from agent_toolbar.backends.http import redirected, unreachable
from agent_toolbar.backends.kazoo.auth import Auth
from agent_toolbar.backends.kazoo.frames import decode_frame
from agent_toolbar.domain import DecodeError, Ignored, Reply
from agent_toolbar.support import capture
from agent_toolbar.support.log import kazoo_blackhole as log

MAX_FRAME_BYTES = 1024 * 1024
"""Frames larger than this are skipped, not decoded: no event is that big."""
MAX_READ_BYTES = 8 * MAX_FRAME_BYTES
"""A frame larger than this is not even read: its header says its size, and what follows
it cannot be found without reading it all, so the link closes."""

_TOKEN_FAILED = "failed to authenticate token"
_request_ids = itertools.count(1)


class BlackholeLink:
    """An open, subscribed websocket; `closed()` says when and why it was lost."""

    def __init__(
        self,
        ws: aiohttp.ClientWebSocketResponse,
        auth: Auth,
        deliver: Delivery,
        *,
        request_timeout: float,
    ) -> None:
        self._ws = ws
        self._auth = auth
        self._deliver = deliver
        self._request_timeout = request_timeout
        self._waiting: dict[str, asyncio.Future[Reply]] = {}
        self._done: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._tasks: list[asyncio.Task[None]] = []

    @classmethod
    async def open(
        cls,
        http: aiohttp.ClientSession,
        url: str,
        *,
        auth: Auth,
        account_id: str,
        bindings: tuple[str, ...],
        deliver: Delivery,
        request_timeout: float = 10.0,
        ping_interval: float = 30.0,
        ping_timeout: float = 10.0,
    ) -> "BlackholeLink":
        """Connect, subscribe every binding, and start the keepalive."""
        try:
            async with asyncio.timeout(request_timeout):
                ws = await http.ws_connect(
                    url,
                    max_msg_size=MAX_READ_BYTES,
                    timeout=aiohttp.ClientWSTimeout(ws_close=5.0),
                )
        except aiohttp.WSServerHandshakeError as error:
            if error.history:
                raise _redirected(url, error.history[0].headers.get("Location", "")) from None
            raise Unreachable(f"the event server refused the connection ({error.status})") from None
        except aiohttp.NonHttpUrlRedirectClientError as error:
            raise _redirected(url, str(error.args[0])) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise unreachable(error, URL(url).host or url, request_timeout) from None
        # aiohttp follows a handshake's redirect by itself, and has no option not to. The
        # handshake carries no credential; every frame does: none is sent elsewhere.
        followed = ws._response.history
        if followed:
            await ws.close()
            raise _redirected(url, followed[0].headers.get("Location", ""))
        link = cls(ws, auth, deliver, request_timeout=request_timeout)
        link._tasks.append(asyncio.create_task(link._read()))
        try:
            for binding in bindings:
                await link._subscribe(account_id, binding)
        except BaseException:
            await link.close()
            raise
        link._tasks.append(asyncio.create_task(link._keepalive(ping_interval, ping_timeout)))
        log.info("subscribed to %s", ", ".join(bindings))
        return link

    async def closed(self) -> str:
        return await asyncio.shield(self._done)

    async def close(self) -> None:
        self._finish("closed by the toolbar")
        for task in self._tasks:
            task.cancel()
        await self._ws.close()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _subscribe(self, account_id: str, binding: str) -> None:
        data = {"account_id": account_id, "binding": binding}
        reply, token = await self._request("subscribe", data)
        if _token_failed(reply):
            await self._auth.renew(token)
            reply, token = await self._request("subscribe", data)
        if reply.status != "success":
            raise Unreachable(
                f"the event server refused the subscription to {binding}: {_errors(reply)}"
            )

    async def _request(
        self, action: str, data: dict[str, Any] | None = None, timeout: float | None = None
    ) -> tuple[Reply, str]:
        """Send one request frame and wait for its reply; returns the token it carried."""
        request_id = f"toolbar-{next(_request_ids)}"
        token = await self._auth.token()
        frame: dict[str, Any] = {"action": action, "auth_token": token, "request_id": request_id}
        if data is not None:
            frame["data"] = data
        reply = asyncio.get_running_loop().create_future()
        self._waiting[request_id] = reply
        try:
            text = msgspec.json.encode(frame).decode()
            if capture.active():
                capture.frame("out", text)
            await self._ws.send_str(text)
            wait = self._request_timeout if timeout is None else timeout
            async with asyncio.timeout(wait):
                return await reply, token
        except (ConnectionError, aiohttp.ClientError) as error:
            raise Unreachable(f"the event connection broke ({type(error).__name__})") from None
        except TimeoutError:
            raise Unreachable(f"the event server did not answer a {action} in time") from None
        finally:
            self._waiting.pop(request_id, None)

    async def _read(self) -> None:
        reason = "the event server closed the connection"
        try:
            async for message in self._ws:
                if message.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                    self._frame(message.data)
                elif message.type == aiohttp.WSMsgType.ERROR:
                    reason = _failure(message.data)
        finally:
            self._finish(reason)

    def _frame(self, data: str | bytes) -> None:
        if len(data) > MAX_FRAME_BYTES:
            skipped = f"a frame of {len(data)} bytes was skipped (over 1 MB)"
            log.warning("%s", skipped)
            if capture.active():
                capture.frame("in", skipped)
            self._deliver(DecodeError(skipped))
            return
        if capture.active():
            capture.frame("in", data)
        decoded = decode_frame(data)
        if isinstance(decoded, Reply):
            waiting = self._waiting.get(decoded.request_id or "")
            if waiting is None or waiting.done():
                log.warning(
                    "a reply to request %s, which is not waiting, was ignored", decoded.request_id
                )
            else:
                waiting.set_result(decoded)
        elif isinstance(decoded, Ignored):
            log.debug("frame ignored: %s", decoded.reason)
        else:
            self._deliver(decoded)

    async def _keepalive(self, interval: float, timeout: float) -> None:
        while not self._done.done():
            await asyncio.sleep(interval)
            try:
                reply, token = await self._request("ping", timeout=timeout)
            except Unreachable:
                self._finish(f"no answer to a keepalive within {timeout:g} s")
                await self._ws.close()
                return
            if _token_failed(reply):
                await self._auth.renew(token)

    def _finish(self, reason: str) -> None:
        if not self._done.done():
            self._done.set_result(reason)
            log.info("event link lost: %s", reason)
        for waiting in self._waiting.values():
            if not waiting.done():
                waiting.set_exception(ConnectionError(reason))


def _redirected(url: str, location: str) -> SignedOut:
    return redirected(
        "the connection",
        url,
        location,
        who="the event server",
        setting="websocket_url",
        setting_words="websocket URL",
    )


def _failure(error: object) -> str:
    """Why the link failed, in words: aiohttp hands over the error, not always its kind."""
    if isinstance(error, aiohttp.WebSocketError) and error.code == WSCloseCode.MESSAGE_TOO_BIG:
        return (
            f"the event server sent a frame larger than {MAX_READ_BYTES // (1024 * 1024)} MB, "
            "which no event needs; the link was closed"
        )
    return f"the event connection failed ({type(error).__name__})"


def _token_failed(reply: Reply) -> bool:
    return reply.status != "success" and any(e.startswith(_TOKEN_FAILED) for e in reply.errors)


def _errors(reply: Reply) -> str:
    """The server's error strings, without the token that one of them quotes."""
    return "; ".join(_TOKEN_FAILED if e.startswith(_TOKEN_FAILED) else e for e in reply.errors)
