"""How long an offer rings: the server's word, its queue's setting, or what past rings
showed; never a made-up deadline (issue 15, item 3)."""

from hypothesis import given
from hypothesis import strategies as st

from agent_toolbar.domain import (
    ConnectionChanged,
    QueueFacts,
    QueuesReported,
    Snapshot,
    SnapshotCall,
    Tick,
)
from agent_toolbar.domain.events import Rejected, Rescinded
from agent_toolbar.domain.reduce import RING_GRACE_SECONDS
from agent_toolbar.domain.state import AgentState
from tests.helpers.events import SALES, SUPPORT, ev, offer, ready_agent, run
from tests.helpers.seed import UNIX_NOW


def settings(ring: float | None = None, force_away: bool | None = None) -> QueuesReported:
    """The queues as the server lists them, Sales with these settings."""
    sales = QueueFacts(
        queue_id=SALES, name="Sales", ring_timeout=ring, force_away_on_reject=force_away
    )
    return QueuesReported(
        queues=(sales, QueueFacts(queue_id=SUPPORT, name="Support")), taken_at=UNIX_NOW + 2
    )


def missed_after(state: AgentState, at: float, rang: float, session: str) -> AgentState:
    """An offer without a ring time at `at`, missed `rang` seconds later."""
    return run(
        offer(at, session, ring=None),
        ev(Rejected, at + rang, queue_id=SALES, session_id=session),
        state=state,
    )


def test_an_offer_without_a_ring_time_has_no_deadline_and_rings_past_a_minute() -> None:
    ringing = run(offer(10, ring=None), state=ready_agent())
    assert ringing.offer is not None
    assert (ringing.offer.ring_timeout, ringing.offer.deadline) == (None, None)
    assert run(Tick(UNIX_NOW + 10 + 90), state=ringing).offer == ringing.offer


def test_the_ring_time_is_learned_from_the_queues_last_misses() -> None:
    state = missed_after(ready_agent(), 10, 20, "s1")
    assert state.offer is None
    queue = next(queue for queue in state.queues if queue.queue_id == SALES)
    assert queue.learned_ring == 20
    state = missed_after(state, 40, 4, "s2")  # a quick decline: shorter than the ring time
    ringing = run(offer(60, "s3", ring=None), state=state)
    assert ringing.offer is not None
    assert (ringing.offer.ring_timeout, ringing.offer.ring_learned) == (20, True)
    assert ringing.offer.deadline == UNIX_NOW + 80
    assert ringing.offer.answer_by is None
    # An estimate never ends the offer: it rings on until the server says.
    assert run(Tick(UNIX_NOW + 80 + RING_GRACE_SECONDS + 10), state=ringing).offer is not None


def test_only_the_last_misses_count() -> None:
    state = missed_after(ready_agent(), 10, 30, "s1")
    for number, at in enumerate((50, 80, 110)):
        state = missed_after(state, at, 20, f"s{number + 2}")
    queue = next(queue for queue in state.queues if queue.queue_id == SALES)
    assert queue.learned_ring == 20


def test_a_ring_time_the_server_states_is_not_relearned() -> None:
    state = run(
        offer(10, "s1", ring=25),
        ev(Rejected, 14, queue_id=SALES, session_id="s1"),
        state=ready_agent(),
    )
    assert all(not queue.rings_seen for queue in state.queues)


def test_the_queues_setting_gives_the_ring_time_and_the_cost() -> None:
    state = run(settings(ring=25, force_away=True), state=ready_agent())
    ringing = run(offer(10, ring=None), state=state)
    assert ringing.offer is not None
    assert (ringing.offer.ring_timeout, ringing.offer.ring_learned) == (25, False)
    assert ringing.offer.force_away_on_reject
    assert ringing.offer.answer_by == UNIX_NOW + 35


def test_an_offer_first_seen_by_a_check_keeps_its_queues_ring_time_and_cost() -> None:
    """The window starts, or comes back, while a call rings: the check lists it."""
    state = run(settings(ring=25, force_away=True), state=ready_agent())
    listed = SnapshotCall(session_id="s9", queue_id=SALES, caller_id_name="Ann")
    seen = run(
        Snapshot(taken_at=UNIX_NOW + 100, logged_in=True, status="ready", offer=listed), state=state
    )
    assert seen.offer is not None
    assert (seen.offer.ring_timeout, seen.offer.force_away_on_reject) == (25, True)
    assert (seen.offer.start_known, seen.offer.deadline) == (False, UNIX_NOW + 125)


def test_a_check_after_a_reconnect_keeps_the_offers_facts_from_its_event() -> None:
    ringing = run(offer(90, "s1", ring=25, force_away_on_reject=True), state=ready_agent())
    lost = run(ConnectionChanged(connection="connecting", at=UNIX_NOW + 95), state=ringing)
    for listed in (SnapshotCall(session_id="s1", queue_id=SALES), SnapshotCall(queue_id=SALES)):
        checked = run(
            Snapshot(taken_at=UNIX_NOW + 100, logged_in=True, status="ready", offer=listed),
            state=lost,
        )
        assert checked.offer == ringing.offer


def test_the_end_of_an_earlier_ring_does_not_end_the_ring_now() -> None:
    """Telphin rings a caller again with the same call id; the first ring's hangup may come
    after the second ring's dial-in."""
    ringing = run(offer(30, "s1", ring=None), state=ready_agent())
    for late in (Rejected, Rescinded):
        assert run(ev(late, 29, queue_id=SALES, session_id="s1"), state=ringing).offer is not None


@given(
    st.lists(
        st.tuples(st.sampled_from(["offer", "miss", "tick"]), st.floats(0.5, 120)),
        max_size=12,
    ),
    st.one_of(st.none(), st.floats(1, 300)),
)
def test_a_deadline_always_has_a_source(
    steps: list[tuple[str, float]], setting: float | None
) -> None:
    """Whatever happens, an offer's deadline comes from a ring time the server stated or
    the queue showed, counted from the offer's start: never from nothing."""
    state = run(settings(ring=setting), state=ready_agent())
    at, number = 10.0, 0
    for kind, gap in steps:
        at += gap
        if kind == "offer":
            number += 1
            state = run(offer(at, f"s{number}", ring=None), state=state)
        elif kind == "miss" and state.offer is not None:
            state = run(
                ev(Rejected, at, queue_id=SALES, session_id=state.offer.session_id), state=state
            )
        else:
            state = run(Tick(UNIX_NOW + at), state=state)
        shown = state.offer
        if shown is None:
            continue
        assert shown.ring_learned == (setting is None and shown.ring_timeout is not None)
        if shown.ring_timeout is None:
            assert shown.deadline is None
        else:
            assert shown.offered_at is not None
            assert shown.deadline == shown.offered_at + shown.ring_timeout
