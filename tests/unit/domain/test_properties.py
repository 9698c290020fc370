"""Property tests: no input crashes the decoder or the reducer, and invariants hold."""

import json
import math
from typing import Any

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from agent_toolbar.backends.kazoo.frames import decode_frame
from agent_toolbar.domain import (
    AgentState,
    CapabilityRefused,
    CommandAccepted,
    CommandFailed,
    CommandIssued,
    ConnectionChanged,
    DecodeError,
    DeferralCleared,
    DeferralSet,
    Ignored,
    QueueFacts,
    QueuesReported,
    QueueSynced,
    ResumePlansLoaded,
    ServerClockStepped,
    Snapshot,
    SnapshotCall,
    Tick,
    reduce,
    state_json,
)
from agent_toolbar.domain.commands import (
    Away,
    Login,
    Logout,
    Pause,
    Ready,
    Resume,
    WrapupExtend,
    WrapupFinish,
    slot,
)
from agent_toolbar.domain.events import (
    EVENT_TYPES,
    PhoneUnreachable,
    QueueStatsPayload,
    RecipientEvent,
    StatsPayload,
)
from agent_toolbar.domain.reduce import RING_GRACE_SECONDS
from agent_toolbar.domain.state import HISTORY_LIMIT, SETTLED_COMMANDS_KEPT, ResumePlan
from tests.helpers.seed import AGENT, SUPERVISOR, UNIX_NOW

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
FIELD_NAMES = sorted(
    {field.encode_name for kind in EVENT_TYPES for field in msgspec.structs.fields(kind)}
)
WIRE_NAMES = [kind.wire_name for kind in EVENT_TYPES] + ["wrapup-start", "wrapup-complete", "nope"]


@st.composite
def frames(draw: st.DrawFn) -> bytes:
    """JSON shaped like blackhole frames, with values of any type in any field."""
    data = draw(
        st.dictionaries(
            st.sampled_from(FIELD_NAMES) | st.text(max_size=8), json_values, max_size=12
        )
    )
    envelope = {
        "action": draw(st.sampled_from(["event", "reply", "pong"]) | json_values),
        "subscribed_key": draw(
            st.sampled_from(["qubicle.recipient", "qubicle.queue"]) | json_values
        ),
        "name": draw(st.sampled_from(WIRE_NAMES) | json_values),
        "data": draw(st.just(data) | json_values),
    }
    drop = draw(st.sets(st.sampled_from(sorted(envelope))))
    return json.dumps({k: v for k, v in envelope.items() if k not in drop}).encode()


@given(st.binary(max_size=300))
def test_decoder_never_raises_on_bytes(raw: bytes) -> None:
    assert isinstance(decode_frame(raw), RecipientEvent | Ignored | DecodeError)


@given(json_values)
def test_decoder_never_raises_on_any_json(value: Any) -> None:
    assert isinstance(decode_frame(json.dumps(value)), RecipientEvent | Ignored | DecodeError)


@given(frames())
def test_frame_shaped_input_never_crashes_decoder_or_reducer(raw: bytes) -> None:
    result = decode_frame(raw)
    if isinstance(result, RecipientEvent):
        state = AgentState(recipient_id=AGENT)
        state = reduce(state, result)
        json.loads(state_json(state))


times = st.one_of(
    st.none(),
    st.floats(min_value=UNIX_NOW - 100, max_value=UNIX_NOW + 1000),
    st.floats(allow_nan=True, allow_infinity=True),
)
times_only = st.floats(min_value=UNIX_NOW - 100, max_value=UNIX_NOW + 2000)
ids = st.sampled_from(["s1", "s2", "q1", "q2", "x"]) | st.none()
stats = st.none() | st.builds(StatsPayload, total_calls=st.none() | st.integers(0, 99))


def event_strategy(kind: type[RecipientEvent]) -> st.SearchStrategy[RecipientEvent]:
    overrides: dict[str, st.SearchStrategy[Any]] = {
        "recipient_id": st.sampled_from([AGENT, AGENT, AGENT, "other", None]),
        "msg_id": st.none() | st.sampled_from([f"m{n}" for n in range(12)]),
        "event_timestamp": times,
        "stats": stats,
        "target": st.sampled_from([AGENT, SUPERVISOR, "other", None]),
    }
    fields = {f.name for f in msgspec.structs.fields(kind)}
    for name in ("queue_id", "session_id", "external_call_id", "wiretap_call_id"):
        overrides[name] = ids
    for name in ("ring_timeout", "wrapup_time_seconds"):
        overrides[name] = st.none() | st.floats(allow_nan=True, allow_infinity=True)
    for name in ("state", "availability_state", "reason"):
        overrides[name] = (
            st.sampled_from(["Ready", "away", "logged_out", "wrapup", "?"]) | st.none()
        )
    chosen = {name: strategy for name, strategy in overrides.items() if name in fields}
    return st.builds(kind, **chosen)


listed_calls = st.none() | st.builds(SnapshotCall, session_id=ids, queue_id=ids)
commands = st.one_of(
    st.builds(Login),
    st.builds(Logout),
    st.builds(Ready),
    st.builds(Away, reason=st.none() | st.sampled_from(["lunch", "?"])),
    st.builds(Pause, queue_id=st.sampled_from(["q1", "q2"]), timeout=st.none() | st.floats()),
    st.builds(Resume, queue_id=st.sampled_from(["q1", "q2"])),
    st.builds(WrapupExtend),
    st.builds(WrapupFinish),
)
command_ids = st.integers(0, 6)
local_inputs = st.one_of(
    st.builds(Tick, st.floats(min_value=UNIX_NOW - 100, max_value=UNIX_NOW + 2000)),
    st.builds(
        Snapshot,
        taken_at=times,
        logged_in=st.booleans(),
        status=st.none() | st.sampled_from(["ready", "away", "logged_out"]),
        away_reason=st.none() | st.just("lunch"),
        paused_queues=st.none() | st.lists(st.sampled_from(["q1", "q2"]), unique=True).map(tuple),
        offer=listed_calls,
        call=listed_calls,
        activity=st.none()
        | st.sampled_from(["idle", "offered", "on_call", "wrapup", "external_call"]),
        wrapup_seconds=st.none() | st.floats(allow_nan=True, allow_infinity=True),
        monitored_by=st.none() | st.just(SUPERVISOR),
        status_known=st.booleans(),
        phone_registered=st.none() | st.booleans(),
        calls_known=st.booleans(),
    ),
    st.builds(
        ConnectionChanged,
        connection=st.sampled_from(["offline", "connecting", "online", "stale"]),
        at=times,
        attempt=st.integers(0, 9),
    ),
    st.builds(CommandIssued, id=command_ids, command=commands, at=times),
    st.builds(CommandAccepted, id=command_ids, at=times),
    st.builds(CommandFailed, id=command_ids, reason=st.just("no"), at=times),
    st.builds(DeferralSet, command=commands, after=st.sampled_from(["call", "wrapup"]), at=times),
    st.builds(DeferralCleared, at=times),
    st.builds(
        QueueSynced,
        queue_id=st.sampled_from(["q1", "q2"]) | st.none(),
        queue_name=st.none() | st.just("Sales"),
        event_timestamp=times,
        available_recipient_count=st.none() | st.integers(0, 9),
        stats=st.none() | st.builds(QueueStatsPayload, active_session_count=st.integers(0, 9)),
    ),
    st.builds(
        QueuesReported,
        queues=st.lists(
            st.builds(QueueFacts, queue_id=st.sampled_from(["q1", "q2", "q3"])), max_size=3
        ).map(tuple),
        taken_at=times,
        members=st.none() | st.lists(st.sampled_from(["q1", "q2"]), unique=True).map(tuple),
    ),
    st.builds(
        CapabilityRefused,
        capability=st.sampled_from(["pause_queues", "away_reason"]),
        reason=st.just("no"),
        at=times,
    ),
    st.builds(
        ResumePlansLoaded,
        plans=st.lists(
            st.builds(ResumePlan, queue_id=st.sampled_from(["q1", "q2", "q3"]), due=times_only),
            max_size=3,
        ).map(tuple),
        at=times,
    ),
    event_strategy(PhoneUnreachable),
    st.builds(ServerClockStepped, by=st.floats(allow_nan=True, allow_infinity=True)),
)
inputs = st.one_of(*[event_strategy(kind) for kind in EVENT_TYPES], local_inputs)


@given(st.lists(inputs, max_size=40))
def test_any_sequence_of_inputs_keeps_the_state_consistent(sequence: list[Any]) -> None:
    state = AgentState(recipient_id=AGENT)
    for item in sequence:
        again = reduce(state, item)
        assert reduce(state, item) == again  # deterministic
        state = again
        if state.status == "logged_out":
            assert state.activity == "idle"
            assert (state.offer, state.call, state.wrapup, state.paused_queues) == (
                None,
                None,
                None,
                (),
            )
        if state.offer is not None and state.offer.deadline is not None:
            assert (
                state.server_time is None
                or state.server_time <= state.offer.deadline + RING_GRACE_SECONDS
            )
        if state.status_since is not None and state.server_time is not None:
            assert state.status_since <= state.server_time
        assert list(state.paused_queues) == sorted(set(state.paused_queues))
        assert len(state.history) <= HISTORY_LIMIT
        assert state.server_time is None or math.isfinite(state.server_time)
        pending_slots = [slot(each.command) for each in state.pending]
        assert len(pending_slots) == len(set(pending_slots))
        assert len(state.commands) - len(state.pending) <= SETTLED_COMMANDS_KEPT
        if state.connection == "online":
            assert state.stale_since is None
        if state.status == "logged_out":
            assert state.deferred is None
        ids = [queue.queue_id for queue in state.queues]
        assert len(ids) == len(set(ids))
        json.loads(state_json(state))


@given(st.lists(inputs, max_size=20), inputs)
def test_applying_a_message_twice_is_the_same_as_once(sequence: list[Any], item: Any) -> None:
    state = AgentState(recipient_id=AGENT)
    for each in sequence:
        state = reduce(state, each)
    if isinstance(item, RecipientEvent) and item.msg_id is not None:
        once = reduce(state, item)
        assert reduce(once, item) is once
