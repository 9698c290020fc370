"""The soak: the real Kazoo client against the real simulator for an hour of simulated
time, a lively call center, the agent clicking and random faults; at the end the
toolbar shows what the server holds, no command is lost, memory is flat and the log
has nothing it should not.

The simulator's clock runs faster than real time (`AGENT_TOOLBAR_SOAK_SPEED`), so an
hour (`AGENT_TOOLBAR_SOAK_MINUTES`) takes minutes; the agent's session reads the same
clock, as the agent's computer and the server would agree on the time. The network
stays real: timeouts, backoff and faults' durations are real seconds, on loopback.
"""

import asyncio
import gc
import logging
import os
import random
import time
import tracemalloc
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field, replace

import pytest

from agent_toolbar.domain.commands import Command, describe
from agent_toolbar.domain.state import AgentState, CommandProgress
from agent_toolbar.session.core import Session, SessionSettings
from agent_toolbar.simulator import (
    AgentConfig,
    QueueConfig,
    RandomCallers,
    Scenario,
    Settings,
    Simulator,
)
from tests.helpers.kazoo import FAST, PASSWORDS, ada, backend, queue_id, until, user_id
from tests.reliability.ledger import LEDGER
from tests.soak import chaos

pytestmark = pytest.mark.asyncio

SEED = 9
RECONCILE_INTERVAL = 3.0
"""Real seconds between the session's own checks with the server (the product's is 300 s)."""
COMMAND_TIMEOUT = 30.0
"""Real seconds a click may take: four tries with backoff, 2 s request timeouts and a check."""
RECOVERY_TIMEOUT = 30.0
"""Real seconds the session may take to be online again once a fault has ended."""
SETTLE_TIMEOUT = 30.0
MEMORY_GROWTH_LIMIT = 2 * 1024 * 1024
"""Bytes the traced heap (client, simulator, pytest and this test in one process) may grow
from 10 % to 100 % of the run. The state is bounded (200 changes, 8 settled commands, 128
message ids) and so are the simulator's records; what grows is the harness: pytest keeps
every captured WARNING record, the ledger holds one entry per fault until the end, and a
printed traceback fills `linecache` (an hour grew 0.5 MB, the client's own files a few kB).
A leak of one object per event or request would pass 2 MB within the hour."""

EXPECTED_WARNINGS = {
    ("agent_toolbar.session", "a change failed: %s"): (
        "a click made while the server refused connections or failed its REST API fails "
        "visibly; every one is counted as a failed command"
    ),
    ("agent_toolbar.session", "a change may or may not have been made: %s"): (
        "a click the server got no answer to, or accepted while its events and its REST API "
        "were both cut: shown as unknown until the server shows it"
    ),
    (
        "agent_toolbar.kazoo",
        "the server's clock and this computer's disagree (%s): tokens are trusted for "
        "%.0f s from when they arrive",
    ): "the simulator's clock runs ten times as fast as this computer's, as a skewed one would",
    ("agent_toolbar.session", "could not check with the server: %s"): (
        "a periodic check that met a REST fault: the session reconnects and stays stale"
    ),
    ("agent_toolbar.session", "could not read the queues: %s"): (
        "the queue figures of a check that met a REST fault; the status is read anyway"
    ),
    ("agent_toolbar.simulator.blackhole", "socket %s is too slow: dropped event %s"): (
        "a muted (half-open) socket reads nothing, so its queue fills and the simulator "
        "drops events as Kazoo 4.3 does"
    ),
}
"""WARNING records the soak expects, by logger and message template, each with its cause."""


COLLEAGUES = (
    ("grace", ("Sales", "Support")),
    ("alan", ("Sales",)),
    ("katherine", ("Support",)),
    ("hedy", ("Sales", "Support")),
)


@dataclass(frozen=True)
class Plan:
    minutes: float
    speed: float


SMOKE = Plan(minutes=3.0, speed=18.0)


def hour_plan() -> Plan:
    """An hour at ten times real speed, or what the environment asks for."""
    return Plan(
        minutes=float(os.environ.get("AGENT_TOOLBAR_SOAK_MINUTES", "60")),
        speed=float(os.environ.get("AGENT_TOOLBAR_SOAK_SPEED", "10")),
    )


class FastClock:
    """Unix seconds running `speed` times faster than real time, until frozen."""

    def __init__(self, speed: float) -> None:
        self.speed = speed
        self._start = time.time()
        self._real_start = time.monotonic()
        self._frozen_at: float | None = None

    def __call__(self) -> float:
        if self._frozen_at is not None:
            return self._frozen_at
        return self._start + (time.monotonic() - self._real_start) * self.speed

    @property
    def elapsed(self) -> float:
        """Simulated seconds since the clock started."""
        return self() - self._start

    async def reach(self, offset: float) -> None:
        """Sleep until `offset` simulated seconds have passed since the start."""
        while (left := offset - self.elapsed) > 0:
            await asyncio.sleep(left / self.speed)

    def freeze(self) -> None:
        """Stop time: no caller arrives, no offer rings out, no wrap-up ends any more."""
        self._frozen_at = self()


class LogWatch(logging.Handler):
    """Counts the toolbar's expected WARNING records by template; keeps the unexpected ones."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.expected: Counter[str] = Counter()
        self.unexpected: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        key = (record.name, str(record.msg))
        if record.levelno < logging.ERROR and key in EXPECTED_WARNINGS:
            self.expected[f"{record.name}: {record.msg}"] += 1
        else:
            self.unexpected.append(f"{record.levelname} {record.name}: {record.getMessage()}")


@contextmanager
def watching_logs() -> Iterator[LogWatch]:
    watch = LogWatch()
    logger = logging.getLogger("agent_toolbar")
    logger.addHandler(watch)
    try:
        yield watch
    finally:
        logger.removeHandler(watch)


@dataclass
class Tally:
    """What the run did, for the summary line (the ledger has the suite's totals)."""

    faults: Counter[str] = field(default_factory=Counter)
    commands: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    """Why commands failed, by reason with the server's details cut off."""
    longest_recovery: float = 0.0
    memory: dict[float, int] = field(default_factory=dict)
    """Traced heap bytes by the fraction of the run that had passed."""


def lively_scenario() -> Scenario:
    """Two queues, our agent and four colleagues who answer by themselves (now and then
    too late, so Sales forces them away), and a caller every 4 to 12 seconds."""
    return Scenario(
        simulator=Settings(seed=SEED, auto_answer_delay=(1.0, 22.0)),
        queues=(
            QueueConfig(
                name="Sales", ring_timeout=20.0, wrapup_time=30.0, force_away_on_reject=True
            ),
            QueueConfig(name="Support", ring_timeout=25.0, wrapup_time=15.0),
        ),
        agents=(
            ada(answer="auto"),
            *(
                AgentConfig(
                    username=name,
                    password=f"{name}-secret",
                    queues=queues,
                    start="ready",
                    answer="auto",
                )
                for name, queues in COLLEAGUES
            ),
            AgentConfig(username="boss", password=PASSWORDS["boss"], supervisor=True),
        ),
        random_callers=(
            RandomCallers(interval=(4.0, 12.0), talk_seconds=(20.0, 120.0), patience=(30.0, 180.0)),
        ),
    )


def soak_settings(speed: float) -> SessionSettings:
    """The tests' quick timings; a clock running `speed` times fast is not a sleep."""
    watchdog = FAST.watchdog_interval
    return replace(
        FAST,
        reconcile_interval=RECONCILE_INTERVAL,
        sleep_jump=max(FAST.sleep_jump, 3 * watchdog * speed),
    )


@asynccontextmanager
async def agent_session(sim: Simulator, clock: FastClock) -> AsyncIterator[Session]:
    """Ada signed in with the real Kazoo client, online when the block starts."""
    session = Session(backend(sim), soak_settings(clock.speed), clock=clock)
    await session.sign_in()
    running = asyncio.create_task(session.run())
    try:
        await until(session, lambda state: state.connection == "online")
        yield session
    finally:
        session.stop()
        await running
        await session.close()


@dataclass
class Run:
    """One soak in progress: the server, the agent's session, the clock and the counts."""

    sim: Simulator
    session: Session
    clock: FastClock
    plan: Plan
    held: ExitStack
    """Every injected fault's ledger entry, closed (survived) only if the final checks pass."""
    tally: Tally = field(default_factory=Tally)

    @property
    def duration(self) -> float:
        return self.plan.minutes * 60

    async def faults(self) -> None:
        """Each fault at its moment, one at a time; the session must be online again after each."""
        for fault in chaos.fault_schedule(SEED, self.plan.minutes):
            await self.clock.reach(fault.at)
            self.held.enter_context(LEDGER.fault(fault.name))
            self.tally.faults[fault.kind] += 1
            await chaos.inject(self.sim.faults, fault)
            ended = time.monotonic()
            await until(self.session, lambda state: state.connection == "online", RECOVERY_TIMEOUT)
            recovery = time.monotonic() - ended
            self.tally.longest_recovery = max(self.tally.longest_recovery, recovery)

    async def clicks(self) -> None:
        """The agent's clicks, each awaited until confirmed, failed, or (a defect) still pending."""
        rng = random.Random(f"agent {SEED}")
        queues = (queue_id(self.sim, "Sales"), queue_id(self.sim, "Support"))
        for at in chaos.command_times(SEED, self.plan.minutes):
            await self.clock.reach(at)
            state = self.session.state
            assert state is not None
            progress = await issue(self.session, chaos.next_click(rng, state, queues))
            LEDGER.command(progress)
            self.tally.commands["issued"] += 1
            self.tally.commands[progress.phase] += 1
            if progress.reason is not None:
                why = progress.reason.split(":")[0]
                self.tally.failures[f"{describe(progress.command)}: {why}"] += 1

    async def colleagues(self) -> None:
        """Colleagues forced away by a missed call click Ready again after a while."""
        colleagues = [user_id(self.sim, name) for name, _ in COLLEAGUES]
        while True:
            await self.clock.reach(self.clock.elapsed + 45.0)
            for colleague in colleagues:
                if self.sim.engine.agent(colleague).status == "away":
                    self.sim.engine.set_status(colleague, "ready")

    async def memory(self, fraction: float) -> None:
        """The traced heap once `fraction` of the run has passed."""
        await self.clock.reach(fraction * self.duration)
        gc.collect()
        self.tally.memory[fraction] = tracemalloc.get_traced_memory()[0]

    async def shift(self) -> None:
        """The simulated time, with the colleagues working beside the agent."""
        colleagues = asyncio.create_task(self.colleagues())
        try:
            await asyncio.gather(self.faults(), self.clicks(), self.memory(0.1))
            await self.memory(1.0)
        finally:
            colleagues.cancel()
            await asyncio.gather(colleagues, return_exceptions=True)

    async def settle(self) -> AgentState:
        """Stop time, let the last commands and one reconcile interval pass; the state then."""
        self.clock.freeze()
        await until(
            self.session,
            lambda state: state.connection == "online" and not state.pending,
            SETTLE_TIMEOUT,
        )
        await asyncio.sleep(RECONCILE_INTERVAL * 1.5)
        state = self.session.state
        assert state is not None
        return state


async def issue(session: Session, command: Command) -> CommandProgress:
    """Make one change; one still pending after COMMAND_TIMEOUT comes back pending (lost)."""
    try:
        async with asyncio.timeout(COMMAND_TIMEOUT):
            return await session.execute(command)
    except TimeoutError:
        state = session.state
        stuck = [each for each in state.pending if each.command == command] if state else []
        if stuck:
            return stuck[0]
        return CommandProgress(id=0, command=command, phase="pending", issued_at=None)


def mismatches(state: AgentState, sim: Simulator, me: str) -> dict[str, tuple[object, object]]:
    """What the toolbar shows that the server does not hold: {aspect: (shown, held)}."""
    truth = sim.engine.agent(me)
    shown = {
        "status": state.status,
        "away reason": state.away_reason,
        "paused queues": tuple(sorted(state.paused_queues)),
        "activity": state.activity,
        "connection": state.connection,
    }
    held = {
        "status": truth.status,
        "away reason": truth.away_reason,
        "paused queues": tuple(sorted(truth.paused_queues)),
        "activity": truth.activity,
        "connection": "online",
    }
    return {key: (shown[key], held[key]) for key in shown if shown[key] != held[key]}


def summary(plan: Plan, tally: Tally, logs: LogWatch, real_seconds: float) -> str:
    commands, memory = tally.commands, tally.memory
    return (
        f"soak: {plan.minutes:g} simulated min at {plan.speed:g}x in {real_seconds:.1f} real s; "
        f"faults {sum(tally.faults.values())} {dict(sorted(tally.faults.items()))}, "
        f"longest recovery {tally.longest_recovery:.1f} s; commands issued "
        f"{commands['issued']}, confirmed {commands['confirmed']}, failed {commands['failed']} "
        f"and unknown {commands['unknown']} {dict(tally.failures)}, replaced "
        f"{commands['replaced']}, lost {commands['pending']}; "
        f"memory {memory[0.1] / 1e6:.2f} MB at 10%, {memory[1.0] / 1e6:.2f} MB at 100%; "
        f"expected warnings {dict(logs.expected)}"
    )


async def soak(plan: Plan) -> None:
    started = time.monotonic()
    clock = FastClock(plan.speed)
    tracemalloc.start()
    try:
        with watching_logs() as logs, ExitStack() as held:
            async with (
                Simulator(lively_scenario(), clock=clock) as sim,
                agent_session(sim, clock) as session,
            ):
                run = Run(sim, session, clock, plan, held)
                await run.shift()
                final = await run.settle()
                wrong = mismatches(final, sim, user_id(sim, "ada"))
            print(summary(plan, run.tally, logs, time.monotonic() - started))
            assert not wrong, f"the toolbar shows what the server does not hold: {wrong}"
            assert run.tally.commands["pending"] == 0, f"commands lost: {run.tally.commands}"
            assert not logs.unexpected, logs.unexpected
            growth = run.tally.memory[1.0] - run.tally.memory[0.1]
            assert growth < MEMORY_GROWTH_LIMIT, f"the heap grew {growth / 1e6:.2f} MB"
    finally:
        tracemalloc.stop()


async def test_soak_smoke() -> None:
    await soak(SMOKE)


def _hour_timeout() -> float:
    plan = hour_plan()
    return plan.minutes * 60 / plan.speed + 300


@pytest.mark.soak
@pytest.mark.timeout(_hour_timeout())
async def test_soak_hour() -> None:
    await soak(hour_plan())
