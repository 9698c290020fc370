"""Calls placed through the API (Kazoo's quickcall, Telphin's callback), in the engine alone:
the agent's phone rings first, and only once it is picked up is the number called."""

import msgspec
import pytest

from agent_toolbar.simulator import AgentConfig
from agent_toolbar.simulator.model import InvalidRequest
from tests.simulator.helpers import small_scenario
from tests.simulator.test_engine import Center

RING = 30.0
"""`placed_call_ring` of the default settings: how long the phone rings for a placed call."""


def with_auto_agent() -> Center:
    """otto answers his phone by himself, after `auto_answer_delay` (1 to 5 s)."""
    scenario = msgspec.structs.replace(
        small_scenario(),
        agents=(
            *small_scenario().agents,
            AgentConfig(username="otto", password="x", queues=("Sales",), answer="auto"),
        ),
    )
    return Center(scenario)


def test_the_phone_rings_and_once_picked_up_the_number_is_an_external_call() -> None:
    center = Center()
    ada = center.ids["ada"]
    call_id = center.engine.place_call(ada, "+15550100")
    assert center.names("ada") == []  # ringing the agent's own phone is no Qubicle event
    center.advance(RING - 1)
    center.engine.answer(ada)
    assert center.names("ada") == ["external_call_start"]
    assert center.last("ada", "external_call_start")["external_call_id"] == call_id
    assert center.engine.agent(ada).activity == "external_call"
    assert center.engine.agent(ada).external_call_id == call_id


def test_an_agent_who_answers_by_himself_picks_up_within_the_delay() -> None:
    center = with_auto_agent()
    otto = center.ids["otto"]
    call_id = center.engine.place_call(otto, "5550100")
    center.advance(0.99)
    assert center.names("otto") == []
    center.advance(4.02)
    assert center.names("otto") == ["external_call_start"]
    assert center.last("otto", "external_call_start")["external_call_id"] == call_id


def test_a_phone_nobody_picks_up_gives_up_with_no_call_and_no_event() -> None:
    center = Center()
    ada = center.ids["ada"]
    center.engine.place_call(ada, "+15550100")
    center.advance(RING - 0.01)
    center.engine.agent(ada)  # still ringing: a second call is refused
    with pytest.raises(InvalidRequest, match="busy"):
        center.engine.place_call(ada, "+15550101")
    center.advance(0.02)
    with pytest.raises(InvalidRequest, match="no call is ringing"):
        center.engine.answer(ada)
    assert center.names("ada") == []
    assert center.engine.agent(ada).activity == "idle"
    center.engine.place_call(ada, "+15550101")  # the phone is free again


def test_a_busy_phone_places_no_call() -> None:
    center = Center()
    bob = center.ids["bob"]
    center.engine.add_caller("Sales", "Ann", "+15550001")
    with pytest.raises(InvalidRequest, match="busy"):
        center.engine.place_call(bob, "+15550100")  # an offer rings
    center.engine.answer(bob)
    with pytest.raises(InvalidRequest, match="busy"):
        center.engine.place_call(bob, "+15550100")  # on the queue call
    assert center.names("bob") == ["offer", "delivered"]


def test_no_queue_offers_to_a_phone_ringing_for_a_placed_call() -> None:
    center = Center()
    bob = center.ids["bob"]
    center.engine.place_call(bob, "+15550100")
    center.engine.add_caller("Sales", "Ann", "+15550001")
    assert center.names("bob") == []
    center.engine.answer(bob)
    center.engine.hang_up(bob)
    assert center.names("bob") == ["external_call_start", "external_call_end", "offer"]


def test_hanging_up_ends_the_external_call() -> None:
    center = Center()
    ada = center.ids["ada"]
    call_id = center.engine.place_call(ada, "+15550100")
    center.engine.answer(ada)
    center.engine.hang_up(ada)
    assert center.names("ada") == ["external_call_start", "external_call_end"]
    assert center.last("ada", "external_call_end")["external_call_id"] == call_id
    assert center.engine.agent(ada).activity == "idle"
    with pytest.raises(InvalidRequest, match="not on a call"):
        center.engine.hang_up(ada)


@pytest.mark.parametrize("number", ["", "+", "555-0100", "sip:alice@example.com", "+1 555"])
def test_anything_but_digits_with_an_optional_plus_is_refused(number: str) -> None:
    center = Center()
    with pytest.raises(InvalidRequest, match="not a number"):
        center.engine.place_call(center.ids["ada"], number)
