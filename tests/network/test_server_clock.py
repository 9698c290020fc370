"""The server's clock behind the client's, and stepped back: the real Kazoo client in the
test's process against the real simulator, whose every stamp and timer reads a
`ShiftedClock` (`tests/reliability/clocks.py`).

Each test goes through the day of `tests/network/day.py` in a session's terms: log in
and get ready; a caller rings until the server gives up and sets the agent away (the
toolbar must show it ringing all along, not drop it as rung out by a clock of its own);
a supervisor makes the agent ready (the server's change); away for lunch, a queue
paused. The referee of `tests/reliability/kazoo_faults.py` watches throughout (every
50 ms; online and wrong for longer than 2.5 s fails). The periodic check is the
product's own (300 s for Kazoo), so only the server's events can show its changes in
time: a toolbar that ignores them fails.
"""

from dataclasses import replace

import pytest

from agent_toolbar.domain.commands import Away, Login, Pause, Ready
from agent_toolbar.simulator import AgentConfig, QueueConfig, Scenario, Settings, Simulator
from agent_toolbar.simulator.engine import FORCED_AWAY_REASON
from tests.helpers.kazoo import PASSWORDS
from tests.reliability.clocks import ShiftedClock
from tests.reliability.kazoo_faults import SETTINGS, SETTLE, Run, running, same_ports, wait_for
from tests.reliability.ledger import LEDGER

pytestmark = pytest.mark.asyncio

RING = 6.0
PERIODIC = 300.0
"""The Kazoo backend's own periodic check: none happens during a test."""
CLOCKS = replace(SETTINGS, reconcile_interval=PERIODIC)


def scenario() -> Scenario:
    return Scenario(
        simulator=Settings(seed=7, sync_interval=3600.0),
        queues=(
            QueueConfig(
                name="Sales", ring_timeout=RING, wrapup_time=0.0, force_away_on_reject=True
            ),
            QueueConfig(name="Support", ring_timeout=RING),
        ),
        agents=(
            AgentConfig(username="ada", password=PASSWORDS["ada"], queues=("Sales", "Support")),
        ),
    )


async def start_of_day(run: Run) -> None:
    await run.command(Login())
    await run.command(Ready())
    await run.agrees(within=SETTLE)


async def rest_of_day(run: Run) -> None:
    engine = run.sim.engine
    session = engine.add_caller("Sales", "Ann Caller", "+15550100", patience=600.0)
    await run.agrees(within=SETTLE)
    assert run.state.offer is not None
    assert run.state.offer.session_id == session
    await wait_for(lambda: run.truth()[0] == "away", timeout=RING + SETTLE)
    assert run.truth()[1] == FORCED_AWAY_REASON
    await run.agrees(within=SETTLE)
    engine.set_status(run.me, "ready")
    await run.agrees(within=SETTLE)
    await run.command(Away(reason="lunch"))
    await run.command(Pause(queue_id=run.queue("Support")))
    await run.agrees(within=SETTLE)
    run.settled()


@pytest.mark.parametrize(
    ("offset", "name"),
    [
        pytest.param(-10.0, "server clock 10 s behind", marks=pytest.mark.netem),
        (-300.0, "server clock 5 minutes behind"),
    ],
    ids=["10s-behind", "5min-behind"],
)
async def test_an_agents_day_with_the_servers_clock_behind(offset: float, name: str) -> None:
    with LEDGER.fault(name):
        async with (
            Simulator(scenario(), clock=ShiftedClock(offset)) as sim,
            running(sim, CLOCKS) as run,
        ):
            await start_of_day(run)
            await rest_of_day(run)


async def test_an_agents_day_when_the_server_restarts_with_its_clock_60_s_back() -> None:
    """A server whose clock NTP set back a minute as it restarted: its stamps step back.

    (The simulator cannot step its stamps back while it runs: its engine never dates
    anything before what it dated last, so a clock stepped back under a running
    simulator only holds its stamps and timers still until the clock catches up.)"""
    clock = ShiftedClock()
    with LEDGER.fault("server restarted with its clock 60 s back"):
        async with Simulator(scenario(), clock=clock) as sim, running(sim, CLOCKS) as run:
            await start_of_day(run)
            clock.step(-60.0)
            await sim.close()
            async with same_ports(sim, scenario(), clock) as restarted:
                run.replace_sim(restarted)
                await run.agrees(within=SETTLE + 8.0)
                await start_of_day(run)
                await rest_of_day(run)
