"""Hypothesis strategies for every input the reducer takes: events of any kind with
fields in and out of range, and the local inputs (commands, snapshots, ticks…)."""

from typing import Any

import msgspec
from hypothesis import strategies as st

from agent_toolbar.domain import (
    CapabilityRefused,
    CommandAccepted,
    CommandFailed,
    CommandIssued,
    ConnectionChanged,
    DeferralCleared,
    DeferralSet,
    QueueFacts,
    QueuesReported,
    QueueSynced,
    ResumePlansLoaded,
    ServerClockStepped,
    Snapshot,
    SnapshotCall,
    Tick,
)
from agent_toolbar.domain.commands import (
    Away,
    Dial,
    Login,
    Logout,
    Pause,
    Ready,
    Resume,
    WrapupExtend,
    WrapupFinish,
)
from agent_toolbar.domain.events import (
    EVENT_TYPES,
    PhoneUnreachable,
    QueueStatsPayload,
    RecipientEvent,
    StatsPayload,
)
from agent_toolbar.domain.state import ResumePlan
from tests.helpers.seed import AGENT, SUPERVISOR, UNIX_NOW

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
    st.builds(Dial, number=st.sampled_from(["+15550100", "101"])),
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
