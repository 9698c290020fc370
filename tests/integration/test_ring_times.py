"""Ring countdowns that never lie (issue 15, item 3), against the real simulator: the
offer's ring time and cost survive a start or a reconnect mid-ring (Kazoo), and an offer
whose server states no ring time shows none made up and ends with its call (Telphin)."""

import msgspec
import pytest

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Login, Ready
from agent_toolbar.simulator import KazooSettings, QueueConfig, Scenario, Simulator
from tests.helpers.kazoo import connected, scenario, until, user_id
from tests.helpers.telphin import linked, paged, running

pytestmark = pytest.mark.asyncio

SALES_RING = 20.0
"""Longer than each test: the offer rings throughout."""


def slow_sales() -> Scenario:
    """The integration call center, its Sales queue ringing 20 s and forcing away."""
    base = scenario()
    sales = QueueConfig(
        name="Sales", ring_timeout=SALES_RING, wrapup_time=1.0, force_away_on_reject=True
    )
    return msgspec.structs.replace(base, queues=(sales, *base.queues[1:]))


def ringing(state: AgentState) -> bool:
    return state.offer is not None


def call_ada_before_the_toolbar(sim: Simulator) -> None:
    """Ada Ready on the server and a caller in Sales ringing her, before a toolbar starts."""
    me = user_id(sim, "ada")
    sim.engine.set_status(me, "login")
    sim.engine.set_status(me, "ready")
    sim.engine.add_caller("Sales", "Alan Turing", "+442071234567")


async def test_a_toolbar_started_mid_ring_shows_the_queues_ring_time_and_the_cost() -> None:
    async with Simulator(slow_sales()) as sim:
        call_ada_before_the_toolbar(sim)
        async with connected(sim) as ada:
            seen = await until(ada.session, ringing)
    assert seen.offer is not None
    assert (seen.offer.ring_timeout, seen.offer.force_away_on_reject) == (SALES_RING, True)
    assert (seen.offer.caller_id_name, seen.offer.start_known) == ("Alan Turing", False)
    assert not seen.offer.ring_learned


async def test_a_server_that_hides_queue_settings_gets_no_made_up_countdown() -> None:
    hidden = msgspec.structs.replace(slow_sales(), kazoo=KazooSettings(queue_documents="forbidden"))
    async with Simulator(hidden) as sim:
        call_ada_before_the_toolbar(sim)
        async with connected(sim) as ada:
            seen = await until(ada.session, ringing)
            assert seen.connection == "online"
    assert seen.offer is not None
    assert (seen.offer.ring_timeout, seen.offer.deadline) == (None, None)


async def test_an_offer_that_began_while_disconnected_keeps_its_ring_time_and_cost() -> None:
    async with Simulator(slow_sales()) as sim, connected(sim) as ada:
        assert (await ada.session.execute(Login())).phase == "confirmed"
        assert (await ada.session.execute(Ready())).phase == "confirmed"
        await sim.faults.refuse_connections(1.0)
        await sim.faults.drop_sockets()
        await until(ada.session, lambda state: state.connection == "stale")
        sim.engine.add_caller("Sales", "Alan Turing", "+442071234567")
        back = await until(
            ada.session, lambda state: state.connection == "online" and ringing(state)
        )
    assert back.offer is not None
    assert (back.offer.ring_timeout, back.offer.force_away_on_reject) == (SALES_RING, True)


async def test_telphin_shows_no_made_up_countdown_and_drops_the_offer_with_its_call() -> None:
    """Telphin states no ring time: the first ring counts up; its miss teaches the queue's
    ring time (3 s here), shown as learned; the caller hanging up ends the offer."""
    async with Simulator(paged()) as sim, running(await linked(sim)) as agent:
        await agent.session.execute(Login())
        sim.engine.add_caller("Support", "Ann", "+15550100", patience=4.5)
        first = await until(agent.session, ringing)
        assert first.offer is not None
        assert (first.offer.ring_timeout, first.offer.deadline) == (None, None)
        missed = await until(agent.session, lambda state: state.offer is None)
        assert missed.missed_offer is not None  # rang out after 3 s, not after 60
        again = await until(agent.session, ringing)  # Support rings her again
        assert again.offer is not None
        assert again.offer.ring_learned
        assert again.offer.ring_timeout == pytest.approx(3.0, abs=0.5)
        gone = await until(agent.session, lambda state: state.offer is None)
        assert gone.history[-1].cause == "the queue withdrew the offer (caller left)"
