"""The Simulator: the engine, Crossbar, Blackhole and Telphin wired together on two
loopback ports.

It owns everything that runs: the two listening sites, the open sockets and the
timer loop that fires the engine's timers, the scenario's scripted faults, the
websocket idle timeout and the Telphin callbacks on their way out. Closing it closes
all of them, once, however often it is asked to.
"""

import asyncio
import ssl
import time
from contextlib import suppress
from types import TracebackType

from aiohttp import web

from agent_toolbar.simulator.captured import CapturedRest
from agent_toolbar.simulator.clock import Clock, ManualClock
from agent_toolbar.simulator.engine import CallCenter
from agent_toolbar.simulator.faults import Faults, FaultScript, RestFaults
from agent_toolbar.simulator.kazoo.blackhole import Hub
from agent_toolbar.simulator.kazoo.crossbar import Crossbar
from agent_toolbar.simulator.kazoo.tokens import DemoLogin, Directory, Tokens, logins_for
from agent_toolbar.simulator.scenario import Scenario
from agent_toolbar.simulator.telphin.api import TelphinApi, apply_status
from agent_toolbar.simulator.telphin.controls import controls
from agent_toolbar.simulator.telphin.courier import CallbackStats, Courier
from agent_toolbar.simulator.telphin.directory import TelphinDirectory, TelphinLogin
from agent_toolbar.simulator.telphin.hooks import Hooks, Subscriptions
from agent_toolbar.simulator.telphin.phones import Phones
from agent_toolbar.simulator.telphin.tokens import OAuthTokens
from agent_toolbar.support.log import simulator as log

LONGEST_NAP = 0.5
"""The timer loop looks at the clock at least this often (real seconds), so that an
injected clock that cannot announce its changes still fires timers soon enough."""
SHUTDOWN_TIMEOUT = 2.0
"""Seconds a request in progress may take to finish once the simulator closes."""
RELISTEN_RETRY = 0.25
BLACKHOLE_PORT = 5555
BLACKHOLE_TLS_PORT = 5556
"""Blackhole's default ports, plaintext and TLS [src]: where a bare install listens, and
what a client told no websocket URL at login may try."""


class _Port:
    """One app on one listening port, which can stop and resume listening on the same port."""

    def __init__(
        self,
        app: web.Application,
        host: str,
        port: int,
        name: str,
        tls: ssl.SSLContext | None,
    ) -> None:
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_TIMEOUT)
        self._host = host
        self.port = port
        self._name = name
        self._tls = tls
        self._site: web.TCPSite | None = None
        self._set_up = False

    async def start(self, *, or_else_any: bool = False) -> None:
        """Listen on the port; `or_else_any`: on any free port if that one is taken."""
        await self._runner.setup()
        self._set_up = True
        try:
            await self.listen()
        except OSError as error:
            if not or_else_any:
                raise
            log.info("%s; listening on any free port instead", error)
            self.port = 0
            await self.listen()
        self.port = self._runner.addresses[0][1]

    async def listen(self) -> None:
        if self._site is not None:
            return
        site = web.TCPSite(self._runner, self._host, self.port, ssl_context=self._tls)
        try:
            await site.start()
        except OSError as error:
            await site.stop()
            where = f"{self._host}:{self.port}"
            raise OSError(
                error.errno, f"cannot listen on {where} for {self._name}: {error.strerror}"
            ) from error
        self._site = site

    async def stop_listening(self) -> None:
        if self._site is not None:
            site, self._site = self._site, None
            await site.stop()

    async def close(self) -> None:
        self._site = None
        if self._set_up:
            await self._runner.cleanup()


class Simulator:
    """A Kazoo (Crossbar + Blackhole) and Qubicle look-alike on loopback, with a Telphin
    REST surface (and its callbacks) over the same call center on the REST port.

    Use it as an async context manager; `api_url`, `websocket_url` and the Telphin URLs
    are known once it has started. `clock` (Unix seconds) drives every timer and
    timestamp. `tls` serves both ports over TLS (https://, wss://) with its certificate,
    as a PBX with a private CA does.
    """

    def __init__(
        self,
        scenario: Scenario,
        host: str = "127.0.0.1",
        port: int = 0,
        websocket_port: int = 0,
        clock: Clock | None = None,
        *,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        settings = scenario.simulator
        self._clock: Clock = clock or time.time
        self._host = host
        self._tls = tls
        self.engine = CallCenter(scenario, self._clock)
        self.logins: list[DemoLogin] = logins_for(scenario)
        tokens = Tokens(self._clock, settings.token_lifetime)
        self._hub = Hub(
            tokens,
            self._clock,
            max_per_ip=settings.max_connections_per_ip,
            idle_timeout=settings.idle_timeout,
        )
        self._rest_faults = RestFaults()
        self._crossbar = Crossbar(
            self.engine,
            tokens,
            Directory(self.logins, scenario.realm()),
            self._rest_faults,
            advertise_websocket_url=settings.advertise_websocket_url,
            kazoo=scenario.kazoo,
        )
        telphin = scenario.telphin
        directory = TelphinDirectory(scenario)
        self.telphin_logins: list[TelphinLogin] = directory.logins
        oauth = OAuthTokens(self._clock, telphin.token_lifetime)
        subscriptions = Subscriptions(telphin.agent_event_limit, telphin.extension_event_limit)
        self._courier = Courier()
        self._phones = Phones(self.engine)
        self._hooks = Hooks(directory, subscriptions, self._courier, self._phones)
        self._telphin = TelphinApi(
            self.engine,
            settings=telphin,
            directory=directory,
            tokens=oauth,
            subscriptions=subscriptions,
            rest_faults=self._rest_faults,
            phones=self._phones,
        )
        self.faults = Faults(
            hub=self._hub,
            tokens=tokens,
            oauth=oauth,
            rest=self._rest_faults,
            courier=self._courier,
            refuse=self._refuse,
        )
        self._script = FaultScript(self.faults, scenario.faults, self.engine.started)
        self._captured = (
            None if scenario.replay is None else CapturedRest.load(scenario.replay.capture)
        )
        self._wanted_ports = (port, websocket_port)
        self._bare = not settings.advertise_websocket_url
        self._rest: _Port | None = None
        self._websocket: _Port | None = None
        self._wake = asyncio.Event()
        self._timers: asyncio.Task[None] | None = None
        self._relisten: asyncio.Task[None] | None = None
        self._started = False
        self._closed = False

    # -- addresses -----------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """Crossbar's base URL, such as `http://127.0.0.1:8000/v2` (no trailing slash)."""
        return f"{self._rest_root}/v2"

    @property
    def websocket_url(self) -> str:
        """Blackhole's URL, such as `ws://127.0.0.1:5555` (any path works)."""
        scheme = "ws" if self._tls is None else "wss"
        return f"{scheme}://{self._url_host}:{self._port(self._websocket)}"

    @property
    def telphin_api_url(self) -> str:
        """Telphin's API base, such as `http://127.0.0.1:8000/api/ver1.0` (no trailing slash)."""
        return f"{self._rest_root}/api/ver1.0"

    @property
    def telphin_token_url(self) -> str:
        """Telphin's OAuth token endpoint, such as `http://127.0.0.1:8000/oauth/token`."""
        return f"{self._rest_root}/oauth/token"

    @property
    def telphin_callback_stats(self) -> CallbackStats:
        """How many Telphin callbacks were delivered, failed or dropped so far."""
        return self._courier.stats

    @property
    def _rest_root(self) -> str:
        scheme = "http" if self._tls is None else "https"
        return f"{scheme}://{self._url_host}:{self._port(self._rest)}"

    @property
    def websocket_count(self) -> int:
        """Open websockets, for tests that wait for a client to connect or go."""
        return self._hub.socket_count

    @property
    def _url_host(self) -> str:
        host = "127.0.0.1" if self._host in ("", "0.0.0.0") else self._host
        return f"[{host}]" if ":" in host else host

    @staticmethod
    def _port(port: "_Port | None") -> int:
        if port is None:
            raise RuntimeError("the simulator has not started")
        return port.port

    # -- life cycle ----------------------------------------------------------------------

    async def __aenter__(self) -> "Simulator":
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def start(self) -> None:
        """Listen on both ports and start the timers; a port in use raises OSError.

        A scenario that does not advertise the websocket URL is a bare install: unless a
        websocket port was asked for, Blackhole takes its default port (5555, or 5556
        over TLS) when it is free, any free port otherwise.
        """
        if self._started:
            raise RuntimeError("a Simulator starts only once")
        self._started = True
        rest_port, websocket_port = self._wanted_ports
        default_port = self._bare and websocket_port == 0
        if default_port:
            websocket_port = BLACKHOLE_PORT if self._tls is None else BLACKHOLE_TLS_PORT
        self._rest = _Port(self._rest_app(), self._host, rest_port, "the REST API", self._tls)
        self._websocket = _Port(
            self._hub.app(), self._host, websocket_port, "the websocket", self._tls
        )
        try:
            await self._rest.start()
            await self._websocket.start(or_else_any=default_port)
        except BaseException:
            await self.close()
            raise
        self._crossbar.websocket_url = self.websocket_url
        self._courier.open()
        self.engine.add_listener(self._hub.publish)
        self.engine.add_listener(self._hooks.on_event)
        self.engine.set_waker(self._wake.set)
        if isinstance(self._clock, ManualClock):
            self._clock.subscribe(self._wake.set)
        self._timers = asyncio.create_task(self._run_timers(), name="simulator timers")
        log.info("simulator listening: %s and %s", self.api_url, self.websocket_url)

    async def close(self) -> None:
        """Stop everything; safe to call any number of times."""
        if self._closed:
            return
        self._closed = True
        if isinstance(self._clock, ManualClock):
            self._clock.unsubscribe(self._wake.set)
        self.engine.set_waker(None)
        self.engine.remove_listener(self._hub.publish)
        self.engine.remove_listener(self._hooks.on_event)
        for task in (self._timers, self._relisten):
            if task is not None:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task
        self._rest_faults.release()
        await self._courier.close()
        await self._hub.close_all()
        for port in (self._rest, self._websocket):
            if port is not None:
                await port.close()
        log.info("simulator closed")

    def _rest_app(self) -> web.Application:
        """One port, four apps, each answering errors (and faults) in its own API's shape;
        with a `[replay]` capture, the capture's answers instead of the APIs'."""
        app = web.Application()
        if self._captured is not None:
            app.add_subapp("/sim", self._crossbar.controls())
            self._captured.route(app, lambda: self._rest_root, lambda: self.websocket_url)
            return app
        app.add_subapp("/v2", self._crossbar.app())
        app.add_subapp("/sim", self._crossbar.controls())
        app.add_subapp("/api/ver1.0", self._telphin.app())
        app.add_subapp("/oauth", self._telphin.oauth())
        app.add_subapp("/sim/telphin", controls(self.engine, self._phones, self.telphin_phone))
        return app

    # -- Telphin -------------------------------------------------------------------------

    def telphin_phone(self, user_id: str, action: str) -> None:
        """The agent logs in (and becomes ready) or out from its phone: the Telphin
        callbacks this sends say `event_source=phone`. Or the phone is unplugged (not
        registered: the queue's rings to it fail with `CHANUNAVAIL`) or plugged in again."""
        if action == "unplug":
            self._phones.unplug(user_id)
        elif action == "plug":
            self._phones.plug(user_id)
        elif action in ("login", "logout"):
            with self._hooks.source("phone"):
                status = "available" if action == "login" else "logged_out"
                apply_status(self.engine, user_id, status)
        else:
            raise ValueError(f"action must be login, logout, unplug or plug, not {action!r}")

    async def telphin_callbacks_idle(self) -> None:
        """Wait until every Telphin callback owed so far was delivered or failed (a ring to
        an unplugged phone that is due to fail fails first)."""
        self._phones.fail_due(self._clock())
        await self._courier.idle()

    # -- timers --------------------------------------------------------------------------

    async def _run_timers(self) -> None:
        while True:
            self._wake.clear()
            try:
                self.engine.advance()
                now = self._clock()
                self._phones.fail_due(now)
                await self._script.run_due(now)
                self._hub.close_idle(now)
                nap = min([LONGEST_NAP, *(deadline - now for deadline in self._deadlines())])
            except Exception:
                log.exception("a simulator timer failed; trying again shortly")
                nap = LONGEST_NAP
            if nap <= 0:
                await asyncio.sleep(0)
                continue
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation
            # that arrives as the event is set, and close() would wait forever.
            with suppress(TimeoutError):
                async with asyncio.timeout(nap):
                    await self._wake.wait()

    def _deadlines(self) -> list[float]:
        deadlines = (
            self.engine.next_deadline(),
            self._script.next_deadline(),
            self._hub.next_deadline(),
            self._phones.next_deadline(),
        )
        return [deadline for deadline in deadlines if deadline is not None]

    # -- faults --------------------------------------------------------------------------

    async def _refuse(self, seconds: float) -> None:
        for port in (self._rest, self._websocket):
            if port is not None:
                await port.stop_listening()
        if self._relisten is not None:
            self._relisten.cancel()
        self._relisten = asyncio.create_task(self._listen_again(seconds), name="simulator relisten")

    async def _listen_again(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        for port in (self._rest, self._websocket):
            while port is not None:
                try:
                    await port.listen()
                    break
                except OSError as error:
                    log.warning("%s; trying again", error)
                    await asyncio.sleep(RELISTEN_RETRY)
        log.info("listening again after refusing connections for %g s", seconds)
