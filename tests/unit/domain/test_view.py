import json

from agent_toolbar.domain import AgentState, reduce, state_json
from agent_toolbar.domain.events import BecameReady, Offered
from tests.helpers.seed import AGENT, UNIX_NOW

DOCUMENTED_KEYS = {
    "activity",
    "away_reason",
    "call",
    "commands",
    "connection",
    "connection_problem",
    "deferred",
    "external_call",
    "last_change",
    "missed_offer",
    "offer",
    "paused_queues",
    "queues",
    "recipient_id",
    "reconnect_attempt",
    "server_time",
    "stale_since",
    "stats",
    "status",
    "status_since",
    "wiretap",
    "wrapup",
}


def test_a_fresh_state_prints_every_documented_key_in_sorted_order() -> None:
    line = state_json(AgentState(recipient_id=AGENT))
    printed = json.loads(line)
    assert set(printed) == DOCUMENTED_KEYS
    assert list(printed) == sorted(printed)
    assert printed["status"] == "logged_out"
    assert printed["activity"] == "idle"
    assert printed["connection"] == "offline"
    assert printed["paused_queues"] == []
    assert b"\n" not in line


def test_an_offer_prints_the_documented_fields_with_unix_times() -> None:
    state = reduce(
        AgentState(recipient_id=AGENT), BecameReady(recipient_id=AGENT, event_timestamp=UNIX_NOW)
    )
    state = reduce(
        state,
        Offered(
            recipient_id=AGENT,
            event_timestamp=UNIX_NOW + 2,
            session_id="s1",
            queue_id="q1",
            caller_id_name="Marie Curie",
            caller_id_number="+33123456789",
            ring_timeout=20,
        ),
    )
    printed = json.loads(state_json(state))
    offer = printed["offer"]
    assert {"session_id", "queue_id", "caller_id_name", "caller_id_number", "ring_timeout"} <= set(
        offer
    )
    assert offer["deadline"] == UNIX_NOW + 22
    assert list(offer) == sorted(offer)
    assert printed["last_change"]["cause"] == "call from Marie Curie <+33123456789> offered"
    assert printed["stats"] == {
        "avg_call_time": None,
        "last_action_time": None,
        "last_handled_time": None,
        "login_time": None,
        "missed_calls": None,
        "offered_calls": None,
        "total_calls": None,
    }
