"""Faults that tests and scenario scripts inject: what real networks and servers do.

Each fault takes effect at once. Network faults (`refuse_connections`, `hang_rest`)
last real seconds, because clients measure their timeouts and backoff in real
time; a scenario's `at` offsets follow the simulator's clock like every other timer.
"""

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import suppress

from agent_toolbar.simulator.kazoo.blackhole import Hub
from agent_toolbar.simulator.kazoo.tokens import Tokens
from agent_toolbar.simulator.scenario import ScriptedFault
from agent_toolbar.simulator.telphin.courier import Courier
from agent_toolbar.simulator.telphin.tokens import OAuthTokens
from agent_toolbar.support.log import simulator_faults as log


class RestFaults:
    """Failures and hangs waiting for the next REST requests (never `/sim/*`).

    Kazoo's and Telphin's routes share them: "the next request" is the next one to
    either API (or to `/oauth/token`). Each app answers a failure in its own error
    shape. The two are counted apart: a request may first hang and then fail.
    """

    def __init__(self) -> None:
        self._failures: deque[tuple[int, float | None]] = deque()
        self._hangs: deque[float] = deque()
        self._answer_hangs: deque[float] = deque()
        self._released = asyncio.Event()

    def add_failures(self, status: int, times: int, retry_after: float | None) -> None:
        self._failures.extend([(status, retry_after)] * times)

    def add_hangs(self, seconds: float, times: int) -> None:
        self._hangs.extend([seconds] * times)

    def add_answer_hangs(self, seconds: float, times: int) -> None:
        self._answer_hangs.extend([seconds] * times)

    async def hang(self, what: str) -> None:
        """Wait out the next hang, if one is due; closing the simulator ends it early."""
        if self._hangs:
            await self._wait(what, self._hangs.popleft())

    async def hang_answer(self, what: str) -> None:
        """After the request was carried out: wait out the next answer hang, if one is due."""
        if self._answer_hangs:
            await self._wait(f"the answer to {what}", self._answer_hangs.popleft())

    async def _wait(self, what: str, seconds: float) -> None:
        log.info("hanging %s for %g s (fault)", what, seconds)
        with suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._released.wait()

    def take_failure(self) -> tuple[int, float | None] | None:
        return self._failures.popleft() if self._failures else None

    def release(self) -> None:
        """Let every hanging request finish now (the simulator is closing)."""
        self._released.set()


class Faults:
    """The fault switches of one running simulator."""

    def __init__(
        self,
        *,
        hub: Hub,
        tokens: Tokens,
        oauth: OAuthTokens,
        rest: RestFaults,
        courier: Courier,
        refuse: Callable[[float], Awaitable[None]],
    ) -> None:
        self._hub = hub
        self._tokens = tokens
        self._oauth = oauth
        self._rest = rest
        self._courier = courier
        self._refuse = refuse

    async def drop_sockets(self) -> None:
        """Cut every websocket without a closing handshake."""
        log.info("fault: dropping every websocket")
        await self._hub.drop_all()

    async def refuse_connections(self, seconds: float) -> None:
        """Stop listening on both ports (connection refused); listen again after `seconds`."""
        _require(seconds >= 0, f"seconds must not be negative, not {seconds}")
        log.info("fault: refusing connections for %g s", seconds)
        await self._refuse(seconds)

    def expire_tokens(self) -> None:
        """Every token issued so far becomes invalid: Kazoo's (REST 401, websocket token
        errors) and Telphin's access and refresh tokens (401 `invalid_token`)."""
        log.info("fault: expiring every token")
        self._tokens.expire_all()
        self._oauth.expire_all()

    def fail_rest(
        self, status: int = 500, times: int = 1, retry_after: float | None = None
    ) -> None:
        """The next `times` REST requests (Kazoo, Telphin or `/oauth/token`) answer `status`
        with the error body of the API they were sent to."""
        _require(400 <= status <= 599, f"status must be an HTTP error (400-599), not {status}")
        _require(times >= 1, f"times must be at least 1, not {times}")
        log.info("fault: the next %d REST requests fail with %d", times, status)
        self._rest.add_failures(status, times, retry_after)

    def hang_rest(self, seconds: float, times: int = 1) -> None:
        """The next `times` REST requests (any API, as `fail_rest`) wait `seconds` first."""
        _require(seconds >= 0, f"seconds must not be negative, not {seconds}")
        _require(times >= 1, f"times must be at least 1, not {times}")
        log.info("fault: the next %d REST requests hang for %g s", times, seconds)
        self._rest.add_hangs(seconds, times)

    def hang_answers(self, seconds: float, times: int = 1) -> None:
        """The next `times` REST requests are carried out, then their answers wait `seconds`:
        a server that froze after making the change."""
        _require(seconds >= 0, f"seconds must not be negative, not {seconds}")
        _require(times >= 1, f"times must be at least 1, not {times}")
        log.info("fault: the next %d REST answers hang for %g s", times, seconds)
        self._rest.add_answer_hangs(seconds, times)

    def drop_events(self, times: int = 1) -> None:
        """The next `times` events that some socket would get are not sent to any."""
        _require(times >= 1, f"times must be at least 1, not {times}")
        log.info("fault: dropping the next %d events", times)
        self._hub.drop_events(times)

    def duplicate_events(self, times: int = 1) -> None:
        """The next `times` events are sent twice, as a redelivery after a hiccup would."""
        _require(times >= 1, f"times must be at least 1, not {times}")
        log.info("fault: sending the next %d events twice", times)
        self._hub.duplicate_events(times)

    def send_raw(self, frame: str | bytes) -> int:
        """A frame of the test's making (broken, huge, binary, stale, another account's)
        to every subscribed websocket, as it is; how many sockets it went to."""
        log.info("fault: sending a raw frame of %d bytes", len(frame))
        return self._hub.send_raw(frame)

    def drop_callbacks(self, times: int = 1) -> None:
        """The next `times` Telphin callbacks are silently not sent, as lost ones would be."""
        _require(times >= 1, f"times must be at least 1, not {times}")
        log.info("fault: dropping the next %d Telphin callbacks", times)
        self._courier.drop(times)

    def mute_sockets(self, muted: bool) -> None:
        """Half-open sockets: they stay open, but the server neither reads nor sends."""
        log.info("fault: websockets %s", "muted" if muted else "unmuted")
        self._hub.mute(muted)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


class FaultScript:
    """The `[[faults]]` of a scenario, each run when the clock reaches its offset."""

    def __init__(self, faults: Faults, script: tuple[ScriptedFault, ...], started: float) -> None:
        self._faults = faults
        self._pending = deque(sorted(script, key=lambda fault: fault.at))
        self._started = started

    def next_deadline(self) -> float | None:
        return self._started + self._pending[0].at if self._pending else None

    async def run_due(self, now: float) -> None:
        while self._pending and self._started + self._pending[0].at <= now:
            await self._run(self._pending.popleft())

    async def _run(self, fault: ScriptedFault) -> None:
        faults = self._faults
        if fault.action == "drop_sockets":
            await faults.drop_sockets()
        elif fault.action == "refuse_connections":
            await faults.refuse_connections(fault.seconds or 0.0)
        elif fault.action == "expire_tokens":
            faults.expire_tokens()
        elif fault.action == "fail_rest":
            faults.fail_rest(fault.status, fault.times, fault.retry_after)
        elif fault.action == "hang_rest":
            faults.hang_rest(fault.seconds or 0.0, fault.times)
        elif fault.action == "duplicate_events":
            faults.duplicate_events(fault.times)
        elif fault.action == "drop_callbacks":
            faults.drop_callbacks(fault.times)
        else:
            faults.drop_events(fault.times)
