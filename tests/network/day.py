"""An agent's day in half a minute, with real programs on each side of whatever lies between.

`deployed(...)` starts `agent-toolbar sim` where the server runs, the control beside it
(`tests/network/control.py`: the server's truth, and its hands) and `agent-toolbar watch`
where the client runs, with the referee (`tests/network/referee.py`) on watch from the
start. `start_of_day` and `rest_of_day` are what every condition is put through: the
agent logs in and gets ready with `agent-toolbar set`; a caller rings the agent until the
server gives up and sets the agent away (the toolbar must show it ringing all along, and
the server's change after); the agent goes away for lunch, comes back and pauses a queue.
After every step `watch` must show the server's truth, online, within the referee's
bound; every `set` must end confirmed, and is counted in the ledger.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from agent_toolbar.domain.view import StateView
from agent_toolbar.simulator.scenario import load_scenario
from tests.network.processes import (
    AGENT_TOOLBAR,
    STARTUP,
    Control,
    Outcome,
    Sim,
    Watch,
    run_set,
    spawn,
    start_control,
    start_sim,
    stop,
)
from tests.network.referee import Referee, claims_truth, refereeing, shown
from tests.reliability.kazoo_faults import View, truth
from tests.reliability.ledger import LEDGER

ACCOUNT, USERNAME, PASSWORD = "demo", "ada", "ada-secret"
RING = 6.0
SCENARIO = f"""
[simulator]
seed = 7
sync_interval = 3600

[account]
name = "{ACCOUNT}"

[[queues]]
name = "Sales"
ring_timeout = {RING:g}
wrapup_time = 0
force_away_on_reject = true

[[queues]]
name = "Support"
ring_timeout = {RING:g}

[[agents]]
username = "{USERNAME}"
password = "{PASSWORD}"
queues = ["Sales", "Support"]
"""
SET_LIMIT = 150.0
"""Longer than any `set` can take: 30 s to get online, then four tries of 10 s with waits."""


@dataclass(frozen=True)
class Sides:
    """Where each side runs: the prefix of its commands, and the simulator's address."""

    host: str = "127.0.0.1"
    server: tuple[str, ...] = ()
    client: tuple[str, ...] = ()


def connection(sim: Sim) -> list[str]:
    """The client's options: plain HTTP, since the server is on another host (namespace)."""
    return [
        "--api-url",
        sim.api_url,
        "--account-name",
        ACCOUNT,
        "--username",
        USERNAME,
        "--allow-plain-http",
    ]


@dataclass
class Deployment:
    sides: Sides
    sim: Sim
    control: Control
    watch: Watch
    me: str
    queues: dict[str, str]
    within: float

    def __post_init__(self) -> None:
        self.referee = Referee(lambda: self.watch.latest, self.truth, self.within)

    def truth(self) -> View | None:
        agent = self.control.agents.get(self.me)
        return None if agent is None else truth(agent)

    async def change(self, *change: str) -> Outcome:
        """`agent-toolbar set CHANGE ...` on the client's side, to its end; counted."""
        argv = [*self.sides.client, AGENT_TOOLBAR, "set", *change, *connection(self.sim)]
        outcome = await run_set(argv, SET_LIMIT)
        LEDGER.command_run(outcome.phase)
        assert outcome.code is not None, f"set {' '.join(change)} never ended"
        if outcome.code != 0:
            assert (outcome.out + outcome.err).strip(), "a failure must say why"
        return outcome

    async def confirmed(self, *change: str) -> None:
        outcome = await self.change(*change)
        assert outcome.code == 0, outcome
        assert outcome.phase == "confirmed", outcome

    async def shown(self, within: float) -> StateView:
        """Wait until `watch` is online and shows the server's truth; fail after `within` s."""
        deadline = time.monotonic() + within
        while True:
            line, held = self.watch.latest, self.truth()
            if line and held and line.connection == "online" and claims_truth(line, held):
                return line
            if time.monotonic() > deadline:
                toolbar = (shown(line), line.connection) if line else None
                raise AssertionError(f"after {within:g} s watch shows {toolbar}, the server {held}")
            await asyncio.sleep(0.05)

    async def server_holds(self, wanted: Callable[[View], bool], within: float) -> View:
        """Wait for the server's truth to come to `wanted` (its own timers, say)."""
        async with asyncio.timeout(within):
            while True:
                held = self.truth()
                if held is not None and wanted(held):
                    return held
                await asyncio.sleep(0.05)

    async def caller(self, queue: str) -> str:
        """A caller enters `queue`; the session id the server gave it."""
        status, body = await self.control.post("/callers", {"queue": queue, "patience": 600})
        assert status == 201, body
        session: str = body["session_id"]
        return session


@asynccontextmanager
async def deployed(tmp_path: Path, sides: Sides, within: float) -> AsyncIterator[Deployment]:
    """The simulator, its control and `watch` running, refereed; all stopped however it ends."""
    scenario_file = tmp_path / "scenario.toml"
    scenario_file.write_text(SCENARIO)
    scenario = load_scenario(str(scenario_file))
    me = next(scenario.user_id(agent) for agent in scenario.agents)
    queues = {queue.name: scenario.queue_id(queue) for queue in scenario.queues}
    sim = await start_sim(list(sides.server), sides.host, scenario_file)
    control: Control | None = None
    watch: Watch | None = None
    try:
        control = await start_control(list(sides.server), sim)
        watch = Watch(await spawn([*sides.client, AGENT_TOOLBAR, "watch", *connection(sim)]))
        day = Deployment(sides, sim, control, watch, me, queues, within)
        async with refereeing(day.referee):
            yield day
    finally:
        if watch is not None:
            await watch.close()
        if control is not None:
            await control.close()
        await stop(sim.process)


async def start_of_day(day: Deployment) -> None:
    """Signed in and online, the agent logs in and gets ready."""
    await day.shown(STARTUP)
    for change in ("login", "ready"):
        await day.confirmed(change)
        await day.shown(day.referee.within)


async def rest_of_day(day: Deployment) -> None:
    """A call rings out (the server sets the agent away), lunch, back, a queue paused."""
    within = day.referee.within
    session = await day.caller("Sales")
    await day.server_holds(lambda held: held[4] == session, within)
    line = await day.shown(within)
    assert line.offer is not None
    assert line.offer.session_id == session
    await day.server_holds(lambda held: held[0] == "away", RING + within)
    await day.shown(within)
    await day.confirmed("away", "--reason", "lunch")
    await day.shown(within)
    await day.confirmed("ready")
    await day.shown(within)
    await day.confirmed("pause", "--queue", day.queues["Support"])
    await day.shown(within)
    day.referee.check()
