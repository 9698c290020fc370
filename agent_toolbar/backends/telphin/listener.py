"""The door for Telphin's callbacks: a small aiohttp server inside the app.

The provider calls the URL it was given; the path carries an unguessable token, so
a request without it gets the same 404 as any unknown path (nothing says which
paths exist). Only the documented shapes are taken: GET with the fields in the
query, POST with a UTF-8 form body; bodies are small, unknown fields are ignored, a
missing one is a 400. A request must arrive within `read_timeout`, headers and body
alike: a slow trickle (slowloris) is cut off, not waited for. It listens on
loopback unless told otherwise.
"""

import asyncio
import hmac
import logging
import secrets
from collections.abc import Callable, Mapping
from typing import Any, Literal

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from agent_toolbar.backends.telphin.callback_events import CallbackError
from agent_toolbar.support import capture
from agent_toolbar.support.log import telphin_listener as log
from agent_toolbar.support.redaction import keep_secret

Kind = Literal["agent", "call"]
Handler = Callable[[Mapping[str, str]], None]
MAX_BODY_BYTES = 8 * 1024
"""The documented fields fit in a few hundred bytes: anything much larger is refused."""
READ_SECONDS = 10.0
"""A provider sends a callback in well under a second; a connection still sending is cut off."""
_FORM = "application/x-www-form-urlencoded"


class CallbackListener:
    def __init__(
        self,
        host: str,
        port: int,
        public_url: str | None,
        handlers: dict[Kind, Handler],
        read_timeout: float = READ_SECONDS,
    ) -> None:
        self._host = host
        self._port = port
        self._public_url = public_url.rstrip("/") if public_url else None
        self._handlers = handlers
        self._read_timeout = read_timeout
        self._token = secrets.token_urlsafe(24)
        keep_secret(self._token)
        self._runner: web.AppRunner | None = None

    @property
    def base(self) -> str:
        """Where the provider reaches the listener, without the token: it marks our hooks."""
        if self._public_url is not None:
            return self._public_url
        host = "127.0.0.1" if self._host in ("", "0.0.0.0") else self._host
        return f"http://{host}:{self._port}"

    def url(self, kind: Kind) -> str:
        return f"{self.base}/{self._token}/{kind}"

    @property
    def running(self) -> bool:
        return self._runner is not None

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_route("*", "/{token}/{kind}", self._handle)
        app.router.add_route("*", "/{tail:.*}", _not_found)
        # An open connection gets `read_timeout` for its request line and headers (and
        # then as long between requests); a body not read in full is not waited for.
        runner = web.AppRunner(
            app,
            access_log=None,
            keepalive_timeout=self._read_timeout,
            lingering_time=0,
            logger=_Refusals(log),
        )
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = runner.addresses[0][1]
        log.info("listening for callbacks on %s:%d", self._host, self._port)

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        if kind not in self._handlers or not hmac.compare_digest(
            request.match_info["token"].encode(), self._token.encode()
        ):
            return await _not_found(request)
        fields = await self._fields(request)
        if capture.active():
            capture.callback(request.method, request.path_qs, request.headers, fields)
        try:
            self._handlers[kind](fields)
        except CallbackError as error:
            log.warning("refused a %s callback: %s", kind, error)
            raise web.HTTPBadRequest(text=str(error)) from None
        return web.Response(text="ok")

    async def _fields(self, request: web.Request) -> dict[str, str]:
        if request.method == "GET":
            return dict(request.query)
        if request.method != "POST" or request.content_type != _FORM:
            raise web.HTTPMethodNotAllowed(request.method, ["GET", "POST"])
        try:
            async with asyncio.timeout(self._read_timeout):
                form = await request.post()
        except TimeoutError:
            log.warning("refused a callback whose body came too slowly")
            raise web.HTTPRequestTimeout(text="the body came too slowly") from None
        except (UnicodeDecodeError, LookupError):
            raise web.HTTPBadRequest(text="the body is not a UTF-8 form") from None
        except ConnectionError:
            raise web.HTTPBadRequest(text="the body was cut short") from None
        return {key: value for key, value in form.items() if isinstance(value, str)}


class _Refusals(logging.LoggerAdapter[logging.Logger]):
    """aiohttp logs each malformed request (a line too long, broken headers) with a
    traceback at ERROR: anyone who can reach the port could fill the log so. One line at
    WARNING says enough; a fault of our own handler keeps its traceback."""

    def exception(self, msg: object, *args: object, **kwargs: Any) -> None:
        error = kwargs.get("exc_info")
        if isinstance(error, HttpProcessingError):
            # Its message may quote the request, and so the path's token: the kind only.
            self.warning("refused a malformed request (%s)", type(error).__name__)
        else:
            super().exception(msg, *args, **kwargs)


async def _not_found(request: web.Request) -> web.Response:
    raise web.HTTPNotFound()
