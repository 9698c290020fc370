"""The fault suite's harness: the real Kazoo client on the real simulator, a referee that
compares what the toolbar shows with the server's truth, and commands counted in the ledger.

The session checks with the server every `RECONCILE` seconds, so "equal to the server's
truth within the reconcile interval" is measured against that setting.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from yarl import URL

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import (
    Away,
    Command,
    Login,
    Logout,
    Pause,
    Ready,
    Resume,
    WrapupExtend,
    WrapupFinish,
)
from agent_toolbar.domain.state import CommandProgress
from agent_toolbar.session.core import Session, SessionSettings
from agent_toolbar.simulator import AgentView, Scenario, Simulator
from agent_toolbar.simulator.clock import Clock
from tests.helpers.kazoo import FAST, backend, user_id
from tests.reliability.ledger import LEDGER

RECONCILE = 1.0
"""The session's periodic check, in seconds (the product's default is the backend's 300 s)."""
SETTLE = RECONCILE + 1.5
"""A periodic check, plus the time to read the server and a reconnect's first backoff."""
SETTINGS = replace(FAST, reconcile_interval=RECONCILE)
COMMAND_LIMIT = 20.0
"""No command may stay pending longer than this: 4 attempts of at most 2 s plus waits."""

View = tuple[str, str | None, tuple[str, ...], str, str | None, str | None]
"""Status, away reason, paused queues, activity, ringing session, call session."""


def shown(state: AgentState) -> View:
    offer = state.offer.session_id if state.offer else None
    call = state.call.session_id if state.call else None
    paused = tuple(sorted(state.paused_queues))
    return (state.status, state.away_reason, paused, state.activity, offer, call)


def claims_truth(state: AgentState, truth: View) -> bool:
    """The toolbar shows what the server holds. An away reason counts only where the
    toolbar gives it as the server's word: its own note, or a reason it says is not
    confirmed, claims nothing."""
    toolbar = shown(state)
    if state.reason_standing != "server":
        toolbar = (toolbar[0], truth[1], *toolbar[2:])
    return toolbar == truth


def truth(agent: AgentView) -> View:
    reason = agent.away_reason if agent.status == "away" else None
    paused = tuple(sorted(agent.paused_queues))
    return (
        agent.status,
        reason,
        paused,
        agent.activity,
        agent.offer_session_id,
        agent.call_session_id,
    )


def change_key(command: Command) -> str:
    """The simulator's name for the change a command asks for (`CallCenter.carried_out`)."""
    match command:
        case Login():
            return "login"
        case Logout():
            return "logout"
        case Ready():
            return "ready"
        case Away(reason=reason):
            return f"away:{reason}" if reason else "away"
        case Pause(queue_id=queue):
            return f"pause:{queue}"
        case Resume(queue_id=queue):
            return f"resume:{queue}"
        case WrapupExtend():
            return "wrapup_extend"
        case WrapupFinish():
            return "wrapup_cancel"


@dataclass
class Run:
    """One signed-in session and the simulator it talks to (replaced when it restarts)."""

    sim: Simulator
    session: Session
    me: str
    disagreements: list[tuple[float, View, View]] = field(default_factory=list)
    """Times the toolbar said "online" while showing what the server did not hold for
    longer than `SETTLE` seconds: each is a broken promise."""
    connections: list[str] = field(default_factory=list)
    applied_before: dict[str, int] = field(default_factory=dict)

    @property
    def state(self) -> AgentState:
        state = self.session.state
        assert state is not None
        return state

    def truth(self) -> View:
        return truth(self.sim.engine.agent(self.me))

    def queue(self, name: str) -> str:
        return next(queue.id for queue in self.sim.engine.queues() if queue.name == name)

    async def command(self, command: Command) -> CommandProgress:
        """Issue `command`, wait for its end (bounded), count it; it must be settled."""
        key = change_key(command)
        before = self.applied(key)
        try:
            async with asyncio.timeout(COMMAND_LIMIT):
                progress = await self.session.execute(command)
        except TimeoutError:
            progress = next(each for each in self.state.pending if each.command == command)
        applied = self.applied(key) - before
        LEDGER.command(progress, applied=applied)
        # "unknown": no answer, and the toolbar says the change may or may not have been made.
        assert progress.phase in ("confirmed", "failed", "unknown"), f"lost: {progress}"
        assert applied <= 1, f"{command} was carried out {applied} times"
        if progress.phase in ("failed", "unknown"):
            assert progress.reason, "a failure must say why"
        else:
            assert applied == 1, f"{command} confirmed, but the server never carried it out"
        return progress

    def applied(self, key: str) -> int:
        """Changes carried out, summed over every simulator this run has talked to."""
        return self.applied_before.get(key, 0) + self.sim.engine.carried_out(self.me)[key]

    def replace_sim(self, sim: Simulator) -> None:
        """A restarted server: keep counting the old one's changes."""
        for key, count in self.sim.engine.carried_out(self.me).items():
            self.applied_before[key] = self.applied_before.get(key, 0) + count
        self.sim = sim

    async def agrees(self, within: float = SETTLE) -> float:
        """Wait until the toolbar is online, has nothing pending and shows the server's
        truth; returns how long that took. Fails if it takes longer than `within`."""
        started = time.monotonic()
        while True:
            state = self.state
            if (
                state.connection == "online"
                and not state.pending
                and claims_truth(state, self.truth())
            ):
                return time.monotonic() - started
            if time.monotonic() - started > within:
                raise AssertionError(
                    f"after {within:g} s the toolbar shows {shown(state)} "
                    f"({state.connection}), the server holds {self.truth()}"
                )
            await asyncio.sleep(0.05)

    def settled(self) -> None:
        """The end of a test: no broken promise, nothing left pending."""
        assert not self.disagreements, f"shown online while wrong: {self.disagreements[:3]}"
        assert not self.state.pending, f"lost: {self.state.pending}"


async def _referee(run: Run) -> None:
    """Every 50 ms: an online state that has disagreed with the server for longer than a
    check and a read is a broken promise (events take a moment to arrive, so a shorter
    disagreement is not)."""
    since: float | None = None
    while True:
        state = run.state
        now = time.monotonic()
        if state.connection == "online" and not claims_truth(state, run.truth()):
            since = now if since is None else since
            if now - since > SETTLE:
                run.disagreements.append((now, shown(state), run.truth()))
                since = now
        else:
            since = None
        await asyncio.sleep(0.05)


@asynccontextmanager
async def running(
    sim: Simulator,
    settings: SessionSettings = SETTINGS,
    *,
    clock: Callable[[], float] = time.time,
    **backend_settings: Any,
) -> AsyncIterator[Run]:
    """A signed-in session on `sim`, online when the block starts, refereed throughout."""
    session = Session(backend(sim, **backend_settings), settings, clock=clock)
    await session.sign_in()
    task = asyncio.create_task(session.run())
    run = Run(sim, session, user_id(sim, "ada"))
    session.subscribe(lambda state: run.connections.append(state.connection))
    referee: asyncio.Task[None] | None = None
    try:
        await run.agrees(within=8.0)
        referee = asyncio.create_task(_referee(run))
        yield run
    finally:
        if referee is not None:
            referee.cancel()
            await asyncio.gather(referee, return_exceptions=True)
        session.stop()
        await task
        await session.close()


def same_ports(sim: Simulator, scenario: Scenario, clock: Clock | None = None) -> Simulator:
    """A new simulator (a restarted server) on the ports `sim` listened on."""
    return Simulator(
        scenario,
        port=URL(sim.api_url).port or 0,
        websocket_port=URL(sim.websocket_url).port or 0,
        clock=clock,
    )


async def wait_for(condition: Callable[[], bool], timeout: float = 8.0) -> None:
    """Poll `condition` (for facts no state change announces, such as the server's)."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)
