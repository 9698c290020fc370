"""The real client and the real simulator in two network namespaces, through a degraded link.

The simulator (`agent-toolbar sim`) runs in the server's namespace, `agent-toolbar watch`
and every `agent-toolbar set` in the client's, with the product's own timings (a
keepalive every 30 s, 10 s to answer, requests of 10 s). Each condition holds both ways
from before the client signs in. Two conditions run in the default suite; the rest of
the matrix is marked `netem` (`make netem`).
"""

import asyncio
import re
import time
from pathlib import Path

import pytest

from tests.network.day import (
    RING,
    Deployment,
    Sides,
    deployed,
    rest_of_day,
    start_of_day,
)
from tests.network.link import CLEAN, SERVER_ADDRESS, Condition, Link, linked, unavailable
from tests.network.wire import Impairment
from tests.reliability.ledger import LEDGER

pytestmark = pytest.mark.asyncio

FAST = (
    Condition(
        "degraded link: 40 ms ± 10 ms delay, 2 % loss",
        Impairment(delay=0.04, jitter=0.01, loss=0.02),
    ),
    Condition(
        "degraded link: 256 kbit/s, MTU 576, 25 % reordered, 5 % duplicated",
        Impairment(delay=0.02, reorder=0.25, duplicate=0.05),
        rate="256kbit",
        mtu=576,
    ),
)
MATRIX = (
    Condition("degraded link: 200 ms ± 50 ms delay", Impairment(delay=0.2, jitter=0.05)),
    Condition("degraded link: 10 % loss", Impairment(delay=0.02, loss=0.1), within=8.0),
    Condition("degraded link: 20 kbit/s", Impairment(delay=0.05), rate="20kbit", within=10.0),
    Condition(
        "degraded link: all at once (100 ms ± 30 ms, 3 % loss, 10 % reordered, "
        "3 % duplicated, MTU 850, 64 kbit/s)",
        Impairment(delay=0.1, jitter=0.03, loss=0.03, reorder=0.1, duplicate=0.03),
        rate="64kbit",
        mtu=850,
        within=8.0,
    ),
)
KEEPALIVE = 30.0 + 10.0
"""The product's keepalive: a ping every 30 s, which must be answered within 10 s. The
server writes an event before any later ping's answer on the same stream, so an online
toolbar has either seen an event within this long after the server sent it, or said
the link is lost."""
LIVENESS = KEEPALIVE + 2.0
"""That, plus the referee's tick and the time to say so."""
RECOVERY = 60.0 * 1.2 + 10.0 + 10.0
"""From a link that works again to the truth shown: the longest backoff (60 s + 20 %),
a connection attempt's timeout and a read."""
CUT = 2 * LIVENESS
"""How long the heavy conditions hold: long enough for the keepalive to see them twice."""


@pytest.fixture(autouse=True)
def namespaces() -> None:
    reason = unavailable()
    if reason is not None:
        pytest.skip(reason)


def sides(link: Link) -> Sides:
    return Sides(SERVER_ADDRESS, tuple(link.server()), tuple(link.client()))


@pytest.mark.parametrize(
    "condition",
    [*FAST, *(pytest.param(each, marks=pytest.mark.netem) for each in MATRIX)],
    ids=lambda condition: re.sub(r"[^a-z0-9]+", "-", condition.name.lower()).strip("-"),
)
async def test_an_agents_day_through_a_degraded_link(condition: Condition, tmp_path: Path) -> None:
    with LEDGER.fault(condition.name):
        async with (
            linked(condition) as link,
            deployed(tmp_path, sides(link), condition.within) as day,
        ):
            await start_of_day(day)
            await rest_of_day(day)
            impaired = await link.stats()
        assert impaired.get("lost", 0) or not condition.impairment.loss, impaired
        assert impaired.get("duplicated", 0) or not condition.impairment.duplicate, impaired
        assert impaired.get("sent at once", 0) or not condition.impairment.reorder, impaired


async def _worsen(link: Link, day: Deployment, condition: Condition) -> float:
    """Put the link in `condition`, then let a caller ring the agent until the server
    gives up and sets the agent away; returns when the condition began."""
    await link.set(condition)
    day.referee.expect(LIVENESS)
    since = time.monotonic()
    await day.caller("Sales")
    await day.server_holds(lambda held: held[0] == "away", RING + 5.0)
    return since


async def _recovered(link: Link, day: Deployment) -> None:
    await link.set(CLEAN)
    day.referee.expect(CLEAN.within)
    await day.shown(RECOVERY)
    day.referee.check()


@pytest.mark.netem
@pytest.mark.timeout(300)
async def test_heavy_loss_is_shown_stale_or_right_never_wrong(tmp_path: Path) -> None:
    """40 % of packets lost each way for a while: the toolbar may limp along or lose the
    link, but while it says "online" it shows the server's truth within its keepalive;
    the agent's change ends and says how; once the link heals the truth is shown."""
    heavy = Condition(f"degraded link: 40 % loss for {CUT:g} s", Impairment(delay=0.02, loss=0.4))
    with LEDGER.fault(heavy.name):
        async with linked() as link, deployed(tmp_path, sides(link), CLEAN.within) as day:
            await start_of_day(day)
            since = await _worsen(link, day, heavy)
            lunch = await day.change("away", "--reason", "lunch")
            await asyncio.sleep(max(0.0, since + CUT - time.monotonic()))
            await _recovered(link, day)
            held = day.truth()
            assert held is not None
            if lunch.phase == "confirmed":
                assert held[:2] == ("away", "lunch"), held


@pytest.mark.netem
@pytest.mark.timeout(300)
async def test_a_dead_link_is_shown_stale_then_the_truth_again(tmp_path: Path) -> None:
    """Nothing passes for a while: within its keepalive the toolbar stops saying
    "online"; a change the agent asks for meanwhile fails and says why; once the link
    works again the toolbar shows what the server did meanwhile."""
    dead = Condition(f"degraded link: nothing passes for {CUT:g} s", Impairment(loss=1.0))
    with LEDGER.fault(dead.name):
        async with linked() as link, deployed(tmp_path, sides(link), CLEAN.within) as day:
            await start_of_day(day)
            since = await _worsen(link, day, dead)
            ready = await day.change("ready")
            assert ready.code != 0, ready
            await asyncio.sleep(max(0.0, since + CUT - time.monotonic()))
            lost = day.referee.said("stale", after=since)
            assert lost is not None, day.referee.connections
            assert lost - since <= LIVENESS, day.referee.connections
            await _recovered(link, day)
