"""One connection to one server, used alike by the window and the command line.

The session signs in and keeps an event link open, reconnecting with backoff.
After every (re)connect it reads the server's own state over REST before calling
the state confirmed; while the link is down the state is stale, never shown as
true. It reconciles again after bursts (Kazoo drops events for busy sockets),
after an unreadable frame, after the computer slept, and periodically.

It runs the agent's commands: pending until the server shows them, retried on
network failures and server errors, failed with a reason in plain words
otherwise, never silently dropped and never sent twice while one is pending.
"""

import asyncio
import itertools
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from msgspec.structs import replace

from agent_toolbar.backends.base import (
    Adapted,
    Backend,
    BackendError,
    Capabilities,
    CommandRejected,
    EventLink,
    Identity,
    SignedOut,
    Unreachable,
)
from agent_toolbar.domain import (
    AgentState,
    CapabilityRefused,
    CommandAccepted,
    CommandFailed,
    CommandIssued,
    ConnectionChanged,
    DecodeError,
    DeferralCleared,
    DeferralSet,
    Event,
    Input,
    ResumePlansLoaded,
    ServerClockStepped,
    Tick,
    causes,
    step,
)
from agent_toolbar.domain.commands import Command, Dial, Pause, Ready, Resume, WrapupExtend
from agent_toolbar.domain.local_rules import deferral_due
from agent_toolbar.domain.reduce import RING_GRACE_SECONDS
from agent_toolbar.domain.state import After, Capability, CommandProgress, ResumePlan
from agent_toolbar.session.server_clock import ServerClock
from agent_toolbar.support.log import session as log

READS_PER_RECONCILE = 3
DEFERRAL_SETTLE_SECONDS = 1.0
"""After a hangup, how long to wait for wrap-up to start before a deferred change is made."""

Listener = Callable[[AgentState], None]

PAUSE_TAKEN_AS_AWAY = (
    "the server took a per-queue pause for a full Away, so per-queue pauses are off and "
    "the toolbar made you Ready again; your administrator can name the server's queue key "
    "in the profile's wire settings"
)


class PlanStore(Protocol):
    """Where timed pauses outlive the toolbar: the resume is the toolbar's own job."""

    def load(self, recipient_id: str) -> tuple[ResumePlan, ...]: ...

    def save(self, recipient_id: str, plans: tuple[ResumePlan, ...]) -> None: ...


@dataclass(frozen=True)
class SessionSettings:
    reconcile_interval: float | None = None
    """Seconds between periodic checks with the server while online (None: the backend's)."""
    burst_events: int = 40
    """This many events within a second is a burst the server may have dropped events in."""
    quiet_before_reconcile: float = 1.0
    """How long to let a burst settle before reading the server's state."""
    backoff_first: float = 0.25
    backoff_max: float = 60.0
    probe_interval: float = 2.0
    """While waiting out a backoff after a network failure: how often to look whether the
    server takes connections again."""
    command_attempts: int = 4
    command_budget: float = 15.0
    """How long a change may take to send, retries included: an agent waits no longer."""
    command_check: float = 5.0
    """How long to ask the server whether a change that got no answer was made."""
    confirm_wait: float = 3.0
    """How long to wait for the event that shows an accepted change, before asking."""
    dial_wait: float = 45.0
    """How long a placed call may take to show up: the server rings the agent's phone
    first, and the call starts only once the agent picks it up."""
    sleep_jump: float = 10.0
    """A wall-clock jump this much larger than monotonic time means the computer slept."""
    watchdog_interval: float = 2.0


class Session:
    def __init__(
        self,
        backend: Backend,
        settings: SessionSettings | None = None,
        *,
        clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
        plans: PlanStore | None = None,
    ) -> None:
        self._backend = backend
        self._plans = plans
        self._resume_handle: asyncio.TimerHandle | None = None
        self._settings = settings or SessionSettings()
        self._clock = clock
        self._jitter = jitter
        self._server_clock = ServerClock(wall=clock)
        self._identity: Identity | None = None
        self._state: AgentState | None = None
        self._listeners: list[Listener] = []
        self._command_ids = itertools.count(1)
        self._waiters: dict[int, asyncio.Future[CommandProgress]] = {}
        self._refusals: set[int] = set()
        """Changes the server refused outright (or whose sign-in it refused)."""
        self._work: set[asyncio.Task[None]] = set()
        self._recent_events: deque[float] = deque()
        self._tick_handle: asyncio.TimerHandle | None = None
        self._tick_deadline: float | None = None
        self._online = False
        self._went_online = False
        """Whether the last connection came up: its loss starts the backoff over."""
        self._stopping = asyncio.Event()
        self._reconnect_wanted = asyncio.Event()
        self._reconnect_reason = ""
        self._reconcile_wanted = asyncio.Event()
        self._reconcile_reason = ""
        self._reconcile_lock = asyncio.Lock()
        self._deferral: asyncio.Task[None] | None = None

    @property
    def state(self) -> AgentState | None:
        """The agent's state; None until signed in."""
        return self._state

    @property
    def identity(self) -> Identity | None:
        return self._identity

    @property
    def capabilities(self) -> Capabilities:
        return self._backend.capabilities

    def server_now(self) -> float:
        """The server's time now, as well as its stamps let us know it (our wall clock's
        until the server has told its own: for what is only shown, never compared)."""
        return self._server_clock.now()

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` with every new state; returns the way to stop."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    async def sign_in(self) -> Identity:
        """Sign in once; raises SignedOut or Unreachable for the caller to report."""
        identity = await self._backend.sign_in()
        if self._identity is None or self._identity.recipient_id != identity.recipient_id:
            self._state = AgentState(recipient_id=identity.recipient_id)
        self._identity = identity
        return identity

    async def run(self) -> str:
        """Stay connected until `stop()` or a refused sign-in; returns why it ended."""
        helpers = [
            asyncio.create_task(self._periodic_reconcile()),
            asyncio.create_task(self._reconcile_when_wanted()),
            asyncio.create_task(self._watch_for_sleep()),
        ]
        try:
            return await self._stay_connected()
        finally:
            for helper in helpers:
                helper.cancel()
            await asyncio.gather(*helpers, return_exceptions=True)
            self._cancel_tick()
            if self._resume_handle is not None:
                self._resume_handle.cancel()
                self._resume_handle = None
            for progress in self._state.pending if self._state else ():
                self._fail(progress.id, "the toolbar stopped before the server confirmed it")
            self._apply(ConnectionChanged(connection="offline", at=self.server_now()))

    def stop(self) -> None:
        self._stopping.set()

    def reconnect_now(self, reason: str) -> None:
        """Drop the link and connect again at once (after sleep, or a network change)."""
        self._reconnect_reason = reason
        self._reconnect_wanted.set()

    async def close(self) -> None:
        if self._deferral is not None:
            self._deferral.cancel()
        for task in list(self._work):
            task.cancel()
        await asyncio.gather(*self._work, return_exceptions=True)
        await self._backend.close()

    async def reconcile(self, cause: str) -> None:
        """Read the server's own statement of the agent's state and believe it.

        A read during which one of our events arrived may predate that event: it is
        read again, and after a few tries left to the events, which are flowing.
        """
        async with self._reconcile_lock:
            await self._read_queues()
            for _ in range(READS_PER_RECONCILE):
                basis = self._state.applied if self._state else 0
                # Dated in the server's clock, or not at all: arrival order decides then.
                snapshot = await self._backend.snapshot(taken_at=self._server_clock.dated())
                if self._apply(replace(snapshot, cause=cause, basis=basis)) is None:
                    self._load_plans()
                    return
            log.info("events kept arriving while the server was read; relying on them")

    def _load_plans(self) -> None:
        """Timed pauses planned by an earlier run, or by `set pause --timeout`."""
        if self._plans is not None and self._identity is not None:
            plans = self._plans.load(self._identity.recipient_id)
            if plans:
                self._apply(ResumePlansLoaded(plans=plans, at=self.server_now()))

    async def _read_queues(self) -> None:
        """Queue names and numbers help the agent decide; without them the status still counts."""
        try:
            self._apply(await self._backend.queues(taken_at=self._server_clock.dated()))
        except Unreachable as error:
            log.warning("could not read the queues: %s", error)

    def defer(self, command: Command, after: After) -> str | None:
        """Make `command` once the call (or wrap-up) is over; returns why not, if not."""
        return self._apply(DeferralSet(command=command, after=after, at=self.server_now()))

    def cancel_deferred(self) -> None:
        self._apply(DeferralCleared(at=self.server_now()))

    def refused(self, progress: CommandProgress) -> bool:
        """Whether the server said no to this change (or to the sign-in it needed), rather
        than not answering: asked again as it is, it would be refused again."""
        return progress.phase == "failed" and progress.id in self._refusals

    async def execute(self, command: Command) -> CommandProgress:
        """Ask the server for a change and wait for how it ended."""
        state = self._state
        if state is None:
            raise SignedOut("not signed in")
        for progress in state.pending:
            if progress.command == command:
                return await self._outcome(progress.id)
        command_id = next(self._command_ids)
        outcome = self._outcome(command_id)
        self._apply(CommandIssued(id=command_id, command=command, at=self.server_now()))
        work = asyncio.create_task(self._carry_out(command_id, command))
        self._work.add(work)
        work.add_done_callback(self._work.discard)
        return await outcome

    # --- the link -----------------------------------------------------------

    async def _stay_connected(self) -> str:
        attempt, problem, connected_before = 0, None, False
        self._apply(ConnectionChanged(connection="connecting", at=self.server_now()))
        while not self._stopping.is_set():
            advice: float | None = None
            network = True
            """Whether the server could not be reached (then a probe may cut the wait short),
            rather than answered with a failure (then its pace is respected)."""
            try:
                if self._identity is None:
                    await self.sign_in()
                problem = await self._connect_once(first=not connected_before)
            except SignedOut as error:
                problem = f"signed out: {error}"
                self._apply(
                    ConnectionChanged(connection="offline", at=self.server_now(), problem=problem)
                )
                return problem
            except Unreachable as error:
                problem, advice, network = str(error), error.retry_after, error.kind == "network"
            if self._stopping.is_set():
                break
            if self._went_online:
                # A link that came up and was lost later starts the backoff over: the
                # next try is soon, not where the last outage left off.
                connected_before, attempt = True, 0
            attempt += 1
            delay = max(self._backoff(attempt), advice or 0.0)
            log.info("connecting again in %.1f s (attempt %d): %s", delay, attempt, problem)
            now = self.server_now()
            self._apply(
                ConnectionChanged(
                    connection="connecting",
                    at=now,
                    attempt=attempt,
                    problem=problem,
                    next_try_at=now + delay,
                )
            )
            await self._pause(delay, probe=network)
        return "stopped"

    async def _connect_once(self, *, first: bool) -> str | None:
        """One connection from open to loss; returns why it ended (None: stopping)."""
        self._reconnect_wanted.clear()
        self._went_online = False
        link = await self._backend.open_events(self._on_frame)
        try:
            await self.reconcile(
                causes.CHECKED_ON_CONNECTING if first else causes.CHECKED_AFTER_RECONNECTING
            )
            self._apply(ConnectionChanged(connection="online", at=self.server_now()))
            self._online = self._went_online = True
            return await self._until_lost(link)
        finally:
            self._online = False
            await link.close()

    async def _until_lost(self, link: EventLink) -> str | None:
        lost = asyncio.create_task(link.closed())
        stopping = asyncio.create_task(self._stopping.wait())
        wanted = asyncio.create_task(self._reconnect_wanted.wait())
        done, pending = await asyncio.wait(
            {lost, stopping, wanted}, return_when=asyncio.FIRST_COMPLETED
        )
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if lost in done:
            return lost.result()
        if wanted in done:
            return self._reconnect_reason
        return None

    async def _pause(self, seconds: float, *, probe: bool = False) -> None:
        """Wait out a backoff, unless stopping or asked to reconnect now; with `probe`, also
        until the server takes connections again (a bare TCP connection every few seconds):
        a returning server is found within seconds, not at the end of a minute's backoff."""
        waits: set[asyncio.Task[object]] = {
            asyncio.create_task(self._stopping.wait()),
            asyncio.create_task(self._reconnect_wanted.wait()),
        }
        if probe and seconds > self._settings.probe_interval:
            waits.add(asyncio.create_task(self._until_reachable()))
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        for task in waits:
            task.cancel()
        await asyncio.gather(*waits, return_exceptions=True)

    async def _until_reachable(self) -> bool:
        while True:
            await asyncio.sleep(self._settings.probe_interval)
            if await self._backend.reachable():
                log.info("the server takes connections again: connecting now")
                return True

    def _backoff(self, attempt: int) -> float:
        """250 ms doubling to 60 s, with ±20 % jitter so clients do not return in step."""
        settings = self._settings
        base = min(settings.backoff_max, settings.backoff_first * 2.0 ** (attempt - 1))
        return base * (0.8 + 0.4 * self._jitter())

    def _on_frame(self, item: Event | DecodeError) -> None:
        if isinstance(item, DecodeError):
            log.warning("skipped an unreadable frame: %s", item.reason)
            self._want_reconcile(causes.CHECKED_AFTER_UNREADABLE)
            return
        step = self._server_clock.observe(item.occurred_at)
        if step:
            log.warning("the server's clock stepped back %.0f s; following it", -step)
            self._apply(ServerClockStepped(by=step))
        self._note_burst()
        self._apply(item)

    def _note_burst(self) -> None:
        now = time.monotonic()
        recent = self._recent_events
        recent.append(now)
        while recent and recent[0] < now - 1.0:
            recent.popleft()
        if len(recent) > self._settings.burst_events:
            self._want_reconcile(causes.CHECKED_AFTER_BURST)

    # --- reconciling --------------------------------------------------------

    def _want_reconcile(self, cause: str) -> None:
        self._reconcile_reason = cause
        self._reconcile_wanted.set()

    async def _reconcile_when_wanted(self) -> None:
        while True:
            await self._reconcile_wanted.wait()
            await asyncio.sleep(self._settings.quiet_before_reconcile)
            self._reconcile_wanted.clear()
            await self._reconcile_if_online(self._reconcile_reason)

    async def _periodic_reconcile(self) -> None:
        interval = self._settings.reconcile_interval or self._backend.check_interval
        while True:
            await asyncio.sleep(interval)
            await self._reconcile_if_online(causes.PERIODIC_CHECK)

    async def _reconcile_if_online(self, cause: str) -> None:
        if not self._online:
            return
        try:
            await self.reconcile(cause)
        except BackendError as error:
            # What cannot be checked cannot be shown as confirmed: connect again, and stay
            # stale until a check succeeds.
            log.warning("could not check with the server: %s", error)
            self.reconnect_now(f"could not check with the server: {error}")

    async def _watch_for_sleep(self) -> None:
        loop = asyncio.get_running_loop()
        wall, steady = self._clock(), loop.time()
        while True:
            await asyncio.sleep(self._settings.watchdog_interval)
            now_wall, now_steady = self._clock(), loop.time()
            jump = (now_wall - wall) - (now_steady - steady)
            wall, steady = now_wall, now_steady
            if jump > self._settings.sleep_jump:
                log.info("the computer seems to have slept for %.0f s; reconnecting", jump)
                self.reconnect_now("the computer was asleep")

    # --- commands -----------------------------------------------------------

    async def _carry_out(self, command_id: int, command: Command) -> None:
        may_repeat = not isinstance(command, WrapupExtend | Dial)
        settings = self._settings
        attempts = settings.command_attempts
        status_before = self._state.status if self._state else None
        loop = asyncio.get_running_loop()
        ends = loop.time() + settings.command_budget
        reached = False
        """Whether an attempt may have reached the server: then only asking it can tell."""
        for attempt in range(1, attempts + 1):
            if not self._is_pending(command_id):
                return
            try:
                async with asyncio.timeout(max(0.1, ends - loop.time())):
                    adapted = await self._backend.send(command)
                if isinstance(adapted, Adapted):
                    self._refuse(adapted.capability, adapted.reason)
                break
            except CommandRejected as error:
                if error.capability is not None:
                    self._refuse(error.capability, str(error))
                self._refusals.add(command_id)
                self._fail(command_id, str(error))
                return
            except SignedOut as error:
                self._refusals.add(command_id)
                self._fail(command_id, f"signed out: {error}")
                return
            except (Unreachable, TimeoutError) as problem:
                unreachable = problem if isinstance(problem, Unreachable) else self._out_of_time()
                reached = reached or unreachable.maybe_applied
                advice = unreachable.retry_after
                wait = min(10.0, advice if advice is not None else 0.5 * 2.0 ** (attempt - 1))
                last = attempt == attempts or loop.time() + wait >= ends
                if last or (unreachable.maybe_applied and not may_repeat):
                    await self._unanswered(command_id, command, unreachable, reached=reached)
                    return
                await asyncio.sleep(wait)
        self._apply(CommandAccepted(id=command_id, at=self.server_now()))
        if self._is_pending(command_id):
            await self._confirm_or_ask(command_id, dialing=isinstance(command, Dial))
        if isinstance(command, Pause) and status_before == "ready":
            await self._undo_pause_taken_as_away(command_id)

    def _out_of_time(self) -> Unreachable:
        return Unreachable(f"the server did not answer within {self._settings.command_budget:g} s")

    async def _unanswered(
        self, command_id: int, command: Command, error: Unreachable, *, reached: bool
    ) -> None:
        """No attempt got an answer. One that may have reached the server leaves the change
        unknown, not failed: ask the server before saying either."""
        if not reached:
            self._fail(command_id, f"the change could not be sent: {error}")
            return
        if not isinstance(command, WrapupExtend | Dial):  # no state shows an extension,
            # and a placed call shows only once the agent's phone has been picked up
            try:
                async with asyncio.timeout(self._settings.command_check):
                    await self.reconcile(causes.CHECKED_CHANGE)
            except (BackendError, TimeoutError):
                pass
            else:
                if self._is_pending(command_id):
                    self._fail(command_id, f"the server does not show the change ({error})")
                return
        self._fail(
            command_id,
            f"the server did not answer, so the change may or may not have been made ({error})",
            unanswered=True,
        )

    async def _undo_pause_taken_as_away(self, command_id: int) -> None:
        """A lenient server that does not know the per-queue key makes a full Away of a
        per-queue pause: turn per-queue pauses off, and make the agent Ready again."""
        state = self._state
        failed = state is not None and any(
            each.id == command_id and each.phase == "failed" for each in state.commands
        )
        if state is None or not failed or state.status != "away":
            return
        log.warning("a per-queue pause made the agent away: %s", PAUSE_TAKEN_AS_AWAY)
        self._refuse("pause_queues", PAUSE_TAKEN_AS_AWAY)
        await self.execute(Ready())

    def _refuse(self, capability: Capability, reason: str) -> None:
        self._apply(CapabilityRefused(capability=capability, reason=reason, at=self.server_now()))

    async def _confirm_or_ask(self, command_id: int, *, dialing: bool = False) -> None:
        """The server accepted: wait for the event that shows it, or ask the server."""
        wait = self._settings.dial_wait if dialing else self._settings.confirm_wait
        try:
            async with asyncio.timeout(wait):
                await asyncio.shield(self._outcome(command_id))
            return
        except TimeoutError:
            pass
        try:
            await self.reconcile(causes.CHECKED_CHANGE)
        except BackendError as error:
            # Accepted, and neither shown nor checkable: not failed, unknown until shown.
            self._fail(
                command_id,
                f"the server accepted the change, but it could not be checked: {error}",
                unanswered=True,
            )
            return
        if self._is_pending(command_id) and dialing:
            self._fail(
                command_id,
                f"the server placed the call, but it did not start within {wait:g} s: "
                "was your phone answered?",
            )
        elif self._is_pending(command_id):
            self._fail(command_id, "the server accepted the change, but does not show it")

    def _outcome(self, command_id: int) -> asyncio.Future[CommandProgress]:
        waiter = self._waiters.get(command_id)
        if waiter is None:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters[command_id] = waiter
        return waiter

    def _is_pending(self, command_id: int) -> bool:
        state = self._state
        return state is not None and any(each.id == command_id for each in state.pending)

    def _fail(self, command_id: int, reason: str, *, unanswered: bool = False) -> None:
        if unanswered:
            log.warning("a change may or may not have been made: %s", reason)
        else:
            log.warning("a change failed: %s", reason)
        self._apply(
            CommandFailed(id=command_id, reason=reason, at=self.server_now(), unanswered=unanswered)
        )

    def _settle_waiters(self, state: AgentState) -> None:
        for command_id, waiter in list(self._waiters.items()):
            progress = next((each for each in state.commands if each.id == command_id), None)
            if progress is None or progress.phase == "pending":
                continue
            del self._waiters[command_id]
            if not waiter.done():
                waiter.set_result(progress)

    # --- state --------------------------------------------------------------

    def _apply(self, item: Input) -> str | None:
        """Apply one input; returns why it was ignored, if it was."""
        before = self._state
        if before is None:
            return "not signed in"
        after, ignored = step(before, item)
        if after is not before:
            self._publish(after)
        return ignored

    def _publish(self, after: AgentState) -> None:
        before, self._state = self._state, after
        self._settle_waiters(after)
        self._schedule_tick(after)
        if before is None or before.resume_plans != after.resume_plans:
            self._plans_changed(after)
        if self._deferral is None and deferral_due(after):
            self._deferral = asyncio.create_task(self._carry_out_deferral())
        for listener in list(self._listeners):
            try:
                listener(after)
            except Exception:
                log.exception("a state listener failed")

    async def _carry_out_deferral(self) -> None:
        """Let a hangup's wrap-up arrive, then make the deferred change if it is still due."""
        try:
            await asyncio.sleep(DEFERRAL_SETTLE_SECONDS)
            state = self._state
            if state is None or state.deferred is None or not deferral_due(state):
                return
            command = state.deferred.command
            self._apply(DeferralCleared(at=self.server_now()))
            await self.execute(command)
        finally:
            self._deferral = None

    def _plans_changed(self, state: AgentState) -> None:
        if self._plans is not None:
            self._plans.save(state.recipient_id, state.resume_plans)
        self._schedule_resume(state)

    def _schedule_resume(self, state: AgentState) -> None:
        if self._resume_handle is not None:
            self._resume_handle.cancel()
            self._resume_handle = None
        if state.resume_plans:
            due = min(plan.due for plan in state.resume_plans)
            delay = max(0.0, due - self.server_now())
            self._resume_handle = asyncio.get_running_loop().call_later(delay, self._resume_due)

    def _resume_due(self) -> None:
        """A timed pause is over: resuming it is a change like any other, shown and checked."""
        self._resume_handle = None
        state, now = self._state, self.server_now()
        if state is None:
            return
        due = [plan.queue_id for plan in state.resume_plans if plan.due <= now]
        for queue in due:
            work = asyncio.create_task(self._resume(queue))
            self._work.add(work)
            work.add_done_callback(self._work.discard)
        if not due:
            self._schedule_resume(state)

    async def _resume(self, queue_id: str) -> None:
        await self.execute(Resume(queue_id=queue_id))

    def _schedule_tick(self, state: AgentState) -> None:
        """Wake up when the ringing offer's deadline passes, so it cannot ring forever."""
        offer = state.offer
        deadline = None if offer is None else offer.deadline
        if deadline == self._tick_deadline:
            return
        self._cancel_tick()
        if deadline is None:
            return
        delay = max(0.0, deadline + RING_GRACE_SECONDS + 0.05 - self.server_now())
        self._tick_deadline = deadline
        self._tick_handle = asyncio.get_running_loop().call_later(delay, self._tick)

    def _tick(self) -> None:
        self._tick_handle = self._tick_deadline = None
        now = self._server_clock.dated()
        if now is not None:
            self._apply(Tick(now=now))

    def _cancel_tick(self) -> None:
        if self._tick_handle is not None:
            self._tick_handle.cancel()
        self._tick_handle = self._tick_deadline = None
