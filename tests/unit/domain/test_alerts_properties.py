"""Property tests: whatever the states, the gate never repeats an alert nor floods the agent."""

from collections import defaultdict
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from agent_toolbar.domain import AgentState, reduce
from agent_toolbar.domain.alerts import (
    PER_MINUTE,
    SIGN_OUTS_PER_MINUTE,
    WINDOW_SECONDS,
    Alert,
    AlertGate,
    alerts,
)
from agent_toolbar.domain.state import Change, MissedOffer, Offer, Wrapup
from tests.helpers.inputs import inputs
from tests.helpers.seed import AGENT, UNIX_NOW

offers = st.none() | st.builds(
    lambda session, queue: Offer(
        session_id=session,
        queue_id=queue,
        caller_id_name="Marie Curie",
        caller_id_number="+33123456789",
        ring_timeout=20,
        offered_at=UNIX_NOW,
        deadline=UNIX_NOW + 20,
        force_away_on_reject=True,
        position=None,
        waiting_since=None,
    ),
    st.sampled_from(["s1", "s2", "s3", None]),
    st.sampled_from(["q1", "q2"]),
)
missed_offers = st.none() | st.builds(
    MissedOffer,
    queue_id=st.just("q1"),
    caller_id_name=st.none(),
    caller_id_number=st.just("+33123456789"),
    at=st.sampled_from([UNIX_NOW + 1, UNIX_NOW + 2]),
    forced_away=st.booleans(),
)
wrapups = st.none() | st.sampled_from([UNIX_NOW, UNIX_NOW + 50]).map(
    lambda since: Wrapup(queue_id="q1", seconds=30, since=since, ends=since + 30)
)
status_changes = st.builds(
    Change,
    at=st.sampled_from([UNIX_NOW + 1, UNIX_NOW + 5]),
    aspect=st.just("status"),
    old=st.just("ready"),
    new=st.sampled_from(["away", "away: lunch", "ready"]),
    source=st.sampled_from(["you", "phone", "server", "supervisor", "reconnect"]),
    cause=st.just("away"),
)
states = st.builds(
    AgentState,
    recipient_id=st.just(AGENT),
    status=st.sampled_from(["logged_out", "away", "away", "ready", "ready"]),
    offer=offers,
    wrapup=wrapups,
    missed_offer=missed_offers,
    connection=st.sampled_from(["offline", "connecting", "online", "stale"]),
    connection_problem=st.sampled_from([None, "signed out: wrong password", "server unreachable"]),
    stale_since=st.sampled_from([None, UNIX_NOW + 3]),
    history=st.lists(status_changes, min_size=1, max_size=2).map(tuple),
)
steps = st.floats(min_value=0, max_value=45, allow_nan=False)


def check(admitted: list[tuple[float, list[Alert]]]) -> None:
    """No key twice, a few a minute of each kind, nothing but a sign-out unless online,
    and no cue without the notice it goes with."""
    keys = [alert.key for _, batch in admitted for alert in batch if alert.kind != "ring_stop"]
    assert len(keys) == len(set(keys))
    times: dict[str, list[float]] = defaultdict(list)
    for clock, batch in admitted:
        notices = {alert.key for alert in batch if alert.follows is None}
        for alert in batch:
            if alert.kind == "ring_stop":
                continue
            if alert.kind != "signed_out" and alert.follows != "signed_out":
                assert alert.state.connection == "online"
            if alert.companion is not None:
                assert alert.companion in notices
            else:
                times[alert.kind].append(clock)
    for kind, seen in times.items():
        limit = SIGN_OUTS_PER_MINUTE if kind == "signed_out" else PER_MINUTE
        for first, later in zip(seen, seen[limit:], strict=False):
            assert later - first >= WINDOW_SECONDS


def run_gate(sequence: list[tuple[AgentState, float]]) -> list[tuple[float, list[Alert]]]:
    gate, before, clock, admitted = AlertGate(), None, 0.0, []
    for state, step in sequence:
        clock += step
        found = alerts(before, state, UNIX_NOW + clock, 10.0)
        admitted.append((clock, gate.admit(found, clock)))
        before = state
    return admitted


@given(st.lists(st.tuples(states, steps), max_size=40))
def test_any_sequence_of_states_gives_no_repeats_and_no_floods(
    sequence: list[tuple[AgentState, float]],
) -> None:
    check(run_gate(sequence))


@given(st.lists(st.tuples(inputs, steps), max_size=40))
def test_any_sequence_of_reduced_inputs_gives_no_repeats_and_no_floods(
    sequence: list[tuple[Any, float]],
) -> None:
    state = AgentState(recipient_id=AGENT)
    reduced = []
    for item, step in sequence:
        state = reduce(state, item)
        reduced.append((state, step))
    check(run_gate(reduced))
