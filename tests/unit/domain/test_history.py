"""The call history's rows, from consecutive states built by the real reducer (issue 18):
every outcome, the times, and no duplicate row from a reconnect or a replayed event."""

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from agent_toolbar.domain import (
    CommandAccepted,
    CommandIssued,
    ConnectionChanged,
    Snapshot,
    SnapshotCall,
    reduce,
)
from agent_toolbar.domain.commands import Dial
from agent_toolbar.domain.events import (
    Delivered,
    ExternalCallEnded,
    ExternalCallStarted,
    HungUp,
    Rejected,
    Rescinded,
    WrapupCompleted,
    WrapupStarted,
)
from agent_toolbar.domain.history import FIELDS, KEEP_FIRST, LAST_CALL, changes
from agent_toolbar.domain.state import AgentState
from tests.helpers.events import SALES, ev, offer, ready_agent
from tests.helpers.seed import UNIX_NOW


def rows(*inputs: Any, state: AgentState | None = None) -> dict[str, dict[str, Any]]:
    """Feed `inputs` through the reducer and the history, merged as the store upserts."""
    before = state or ready_agent()
    table: dict[str, dict[str, Any]] = {}
    last_answered: str | None = None
    for item in inputs:
        after = reduce(before, item)
        for change in changes(before, after):
            key = last_answered if change.key == LAST_CALL else change.key
            assert key is not None
            row = table.setdefault(key, {})
            for name in FIELDS:
                value = getattr(change, name)
                kept = name in KEEP_FIRST or (name == "outcome" and value == "ringing")
                if value is not None and not (kept and row.get(name) is not None):
                    row[name] = value
            if change.outcome == "answered":
                last_answered = key
        before = after
    return table


def test_an_answered_call_has_its_ring_talk_and_wrapup_times() -> None:
    table = rows(
        offer(10, "s1"),
        ev(Delivered, 14, queue_id=SALES, session_id="s1"),
        ev(HungUp, 74, queue_id=SALES, session_id="s1"),
        ev(WrapupStarted, 74, queue_id=SALES, wrapup_time_seconds=30),
        ev(WrapupCompleted, 95, queue_id=SALES),
    )
    assert table == {
        "s1": {
            "kind": "queue",
            "started_at": UNIX_NOW + 10,
            "caller_name": "Marie Curie",
            "caller_number": "+33123456789",
            "queue_id": SALES,
            "outcome": "answered",
            "ring_seconds": 4.0,
            "answered_at": UNIX_NOW + 14,
            "talk_seconds": 60.0,
            "wrapup_seconds": 21.0,
        }
    }


def test_a_call_going_straight_to_wrapup_gets_its_wrapup_time() -> None:
    table = rows(
        offer(10, "s1"),
        ev(Delivered, 12, queue_id=SALES, session_id="s1"),
        ev(WrapupStarted, 40, queue_id=SALES, wrapup_time_seconds=30),
        ev(WrapupCompleted, 50, queue_id=SALES),
    )
    assert (table["s1"]["talk_seconds"], table["s1"]["wrapup_seconds"]) == (28.0, 10.0)


def test_a_ring_that_ran_out_is_missed_and_a_decline_is_declined() -> None:
    table = rows(
        offer(10, "s1", ring=20),
        ev(Rejected, 30, queue_id=SALES, session_id="s1"),
        offer(40, "s2", ring=20),
        ev(Rejected, 42, queue_id=SALES, session_id="s2", declined=True),
    )
    assert (table["s1"]["outcome"], table["s1"]["ring_seconds"]) == ("missed", 20.0)
    assert (table["s2"]["outcome"], table["s2"]["ring_seconds"]) == ("declined", 2.0)


def test_a_caller_who_left_while_ringing_is_abandoned() -> None:
    table = rows(offer(10, "s1"), ev(Rescinded, 15, queue_id=SALES, session_id="s1"))
    assert (table["s1"]["outcome"], table["s1"]["ring_seconds"]) == ("abandoned", 5.0)


def test_an_offer_a_check_finds_gone_is_withdrawn() -> None:
    ringing = reduce(ready_agent(), offer(10, "s1"))
    gone = Snapshot(taken_at=UNIX_NOW + 12, logged_in=True, status="ready", activity="idle")
    assert rows(gone, state=ringing) == {"s1": {"outcome": "withdrawn", "ring_seconds": 2.0}}


def test_an_external_call_is_kept_with_its_talk_time() -> None:
    table = rows(
        ev(ExternalCallStarted, 10, external_call_id="x1"),
        ev(ExternalCallEnded, 70, external_call_id="x1"),
    )
    assert table["x1"] == {
        "kind": "external",
        "started_at": UNIX_NOW + 10,
        "answered_at": UNIX_NOW + 10,
        "outcome": "answered",
        "talk_seconds": 60.0,
    }


def test_a_call_the_agent_placed_has_the_number_dialed_whichever_comes_first() -> None:
    dialed = CommandIssued(id=1, command=Dial(number="+15550100"), at=UNIX_NOW + 5)
    accepted = CommandAccepted(id=1, at=UNIX_NOW + 6)
    started = ev(ExternalCallStarted, 10, external_call_id="x1")
    for order in ((dialed, accepted, started), (dialed, started, accepted)):
        assert rows(*order)["x1"]["caller_number"] == "+15550100"
    # An external call the agent did not place from the toolbar names nobody.
    assert "caller_number" not in rows(started)["x1"]


def test_a_reconnect_mid_call_keeps_one_row_and_the_first_answer() -> None:
    lost = ConnectionChanged(connection="stale", at=UNIX_NOW + 20)
    back = ConnectionChanged(connection="online", at=UNIX_NOW + 30)
    on_call = SnapshotCall(queue_id=SALES, session_id="s1", caller_id_number="+33123456789")
    check = Snapshot(
        taken_at=UNIX_NOW + 31, logged_in=True, status="ready", call=on_call, activity="on_call"
    )
    table = rows(
        offer(10, "s1"),
        ev(Delivered, 12, queue_id=SALES, session_id="s1"),
        lost,
        back,
        check,
        ev(HungUp, 72, queue_id=SALES, session_id="s1"),
    )
    assert list(table) == ["s1"]
    assert (table["s1"]["outcome"], table["s1"]["answered_at"]) == ("answered", UNIX_NOW + 12)
    assert table["s1"]["talk_seconds"] == 60.0


def test_nothing_changed_is_no_change() -> None:
    state = reduce(ready_agent(), offer(10, "s1"))
    assert changes(state, state) == []


EVENTS = [
    offer(10, "s1"),
    ev(Delivered, 12, queue_id=SALES, session_id="s1"),
    ev(HungUp, 40, queue_id=SALES, session_id="s1"),
    offer(50, "s2"),
    ev(Rejected, 70, queue_id=SALES, session_id="s2"),
    offer(80, "s3"),
    ev(Rescinded, 82, queue_id=SALES, session_id="s3"),
]


@given(st.lists(st.integers(min_value=0, max_value=len(EVENTS) - 1), max_size=12))
def test_replayed_events_never_add_or_change_a_row(replays: list[int]) -> None:
    once = rows(*EVENTS)
    again = rows(*EVENTS, *(EVENTS[index] for index in replays))
    assert again == once
