"""The state as the public JSON line printed by `watch` and `replay`.

Support staff replay captured logs with this format, so it changes only by adding
keys. docs/state-format.md describes every key.
"""

import msgspec

from agent_toolbar.domain.state import (
    Activity,
    AgentState,
    Call,
    Change,
    CommandProgress,
    Connection,
    Deferral,
    ExternalCall,
    MissedOffer,
    Offer,
    QueueInfo,
    Stats,
    Status,
    Wiretap,
    Wrapup,
)


class StateView(msgspec.Struct, frozen=True, kw_only=True):
    """One line of output; keys are written sorted."""

    recipient_id: str
    status: Status
    away_reason: str | None
    status_since: float | None
    activity: Activity
    paused_queues: tuple[str, ...]
    queues: tuple[QueueInfo, ...]
    deferred: Deferral | None
    offer: Offer | None
    call: Call | None
    wrapup: Wrapup | None
    external_call: ExternalCall | None
    wiretap: Wiretap | None
    missed_offer: MissedOffer | None
    stats: Stats
    connection: Connection
    stale_since: float | None
    reconnect_attempt: int
    connection_problem: str | None
    commands: tuple[CommandProgress, ...]
    server_time: float | None
    last_change: Change | None


_encoder = msgspec.json.Encoder(order="sorted")


def state_view(state: AgentState) -> StateView:
    return StateView(
        recipient_id=state.recipient_id,
        status=state.status,
        away_reason=state.away_reason,
        status_since=state.status_since,
        activity=state.activity,
        paused_queues=state.paused_queues,
        queues=state.queues,
        deferred=state.deferred,
        offer=state.offer,
        call=state.call,
        wrapup=state.wrapup,
        external_call=state.external_call,
        wiretap=state.wiretap,
        missed_offer=state.missed_offer,
        stats=state.stats,
        connection=state.connection,
        stale_since=state.stale_since,
        reconnect_attempt=state.reconnect_attempt,
        connection_problem=state.connection_problem,
        commands=state.commands,
        server_time=state.server_time,
        last_change=state.history[-1] if state.history else None,
    )


def state_json(state: AgentState) -> bytes:
    """The state as one JSON object with sorted keys (no trailing newline)."""
    return _encoder.encode(state_view(state))
