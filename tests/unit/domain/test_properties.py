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
    DecodeError,
    Ignored,
    reduce,
    state_json,
)
from agent_toolbar.domain.commands import (
    slot,
)
from agent_toolbar.domain.events import (
    EVENT_TYPES,
    RecipientEvent,
)
from agent_toolbar.domain.reduce import RING_GRACE_SECONDS
from agent_toolbar.domain.state import HISTORY_LIMIT, SETTLED_COMMANDS_KEPT
from tests.helpers.inputs import inputs
from tests.helpers.seed import AGENT

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
