"""Typed Qubicle recipient events, and the other things a frame can turn out to be.

One class per event of Qubicle's recipient binding. Field names follow the wire
(`data` keys); every field is optional because real payloads are not always
complete. What a payload carries beyond the declared fields stays in `frame`.
"""

from typing import Any, ClassVar, Literal

import msgspec

from agent_toolbar.domain.timestamps import to_unix

CallerId = str | int
"""Caller ids are strings on the wire, but documented examples leave them unquoted."""


_NO_RAW = msgspec.Raw(b"")


class _Data(msgspec.Struct, frozen=True):
    data: dict[str, Any] = {}


class StatsPayload(msgspec.Struct, frozen=True, kw_only=True):
    """The `stats` object every recipient event carries; times as the server sent them."""

    total_calls: int | None = None
    offered_calls: int | None = None
    missed_calls: int | None = None
    avg_call_time: float | None = None
    login_time: float | None = None
    last_action_time: float | None = None
    last_handled_time: float | None = None


class RecipientEvent(msgspec.Struct, frozen=True, kw_only=True):
    """Fields common to every recipient event."""

    wire_name: ClassVar[str]

    recipient_id: str | None = None
    account_id: str | None = None
    msg_id: str | None = None
    event_name: str | None = None
    event_category: str | None = None
    event_timestamp: float | None = None
    event_unix_timestamp: float | None = None
    app_name: str | None = None
    app_version: str | None = None
    node: str | None = None
    pid: str | None = None
    stats: StatsPayload | None = None
    frame: msgspec.Raw = msgspec.field(default=_NO_RAW, name="agent-toolbar:frame")
    """The whole frame as received; set by the decoder, never read from the wire."""
    origin: Literal["server", "phone"] | None = msgspec.field(
        default=None, name="agent-toolbar:origin"
    )
    """Who the backend says caused it, when its wire says (Telphin's `event_source`)."""

    @property
    def occurred_at(self) -> float | None:
        """Server time of the event in Unix seconds, if the payload says."""
        if self.event_unix_timestamp is not None:
            unix = to_unix(self.event_unix_timestamp)
            if unix is not None:
                return unix
        return to_unix(self.event_timestamp)

    def extra_fields(self) -> dict[str, Any]:
        """The payload's fields that this class does not declare (kept, never dropped)."""
        if not self.frame:
            return {}
        data = msgspec.json.decode(self.frame, type=_Data).data
        known = {field.encode_name for field in msgspec.structs.fields(self)}
        return {key: value for key, value in data.items() if key not in known}


class LoggedIn(RecipientEvent, frozen=True, kw_only=True):
    """`create`: the recipient logged in to Qubicle (by any means)."""

    wire_name = "create"
    state: str | None = None
    username: str | None = None


class LoggedOut(RecipientEvent, frozen=True, kw_only=True):
    """`delete`: the recipient logged out of Qubicle (by any means)."""

    wire_name = "delete"
    reason: str | None = None


class BecameReady(RecipientEvent, frozen=True, kw_only=True):
    """`ready`: the recipient can now receive sessions from queues."""

    wire_name = "ready"
    state: str | None = None
    away_time: float | None = None


class WentAway(RecipientEvent, frozen=True, kw_only=True):
    """`away`: the recipient will not be offered sessions."""

    wire_name = "away"
    state: str | None = None
    reason: str | None = None


class QueuePaused(RecipientEvent, frozen=True, kw_only=True):
    """`pause`: the recipient paused delivery from one queue."""

    wire_name = "pause"
    queue_id: str | None = None


class QueueResumed(RecipientEvent, frozen=True, kw_only=True):
    """`resume`: the recipient resumed delivery from one queue."""

    wire_name = "resume"
    queue_id: str | None = None


class WrapupStarted(RecipientEvent, frozen=True, kw_only=True):
    """`wrapup_start` (data says `wrapup-start`): wrap-up time after a session began."""

    wire_name = "wrapup_start"
    state: str | None = None
    queue_id: str | None = None
    wrapup_time_seconds: float | None = None


class WrapupCompleted(RecipientEvent, frozen=True, kw_only=True):
    """`wrapup_complete` (data says `wrapup-complete`): wrap-up time ended."""

    wire_name = "wrapup_complete"
    state: str | None = None
    queue_id: str | None = None
    available: bool | None = None
    availability_state: str | None = None
    total_time: float | None = None


class Offered(RecipientEvent, frozen=True, kw_only=True):
    """`offer`: a queue is ringing the recipient with a session."""

    wire_name = "offer"
    state: str | None = None
    queue_id: str | None = None
    session_id: str | None = None
    session_zone: str | None = None
    caller_id_name: CallerId | None = None
    caller_id_num: CallerId | None = None
    caller_id_number: CallerId | None = None
    ring_timeout: float | None = None
    force_away_on_reject: bool | None = None
    queue_wrapup: float | None = None
    enter_pos: int | None = None
    est_wait: float | None = None
    queue_enter_time: float | None = None
    offer_data: msgspec.Raw = _NO_RAW
    session: msgspec.Raw = _NO_RAW


class Rejected(RecipientEvent, frozen=True, kw_only=True):
    """`reject`: the recipient did not take the offered session (declined or rang out)."""

    wire_name = "reject"
    queue_id: str | None = None
    session_id: str | None = None
    declined: bool | None = None
    """Whether the agent declined it rather than let it ring out, where the server says
    (Telphin's hangup status does; Qubicle's reject does not)."""


class Rescinded(RecipientEvent, frozen=True, kw_only=True):
    """`rescind`: the queue withdrew its offer (the caller hung up, for instance)."""

    wire_name = "rescind"
    state: str | None = None
    queue_id: str | None = None
    session_id: str | None = None


class Delivered(RecipientEvent, frozen=True, kw_only=True):
    """`delivered`: the recipient answered; the session is now being handled."""

    wire_name = "delivered"
    queue_id: str | None = None
    queue_name: str | None = None
    session_id: str | None = None
    caller_id_name: CallerId | None = None
    caller_id_number: CallerId | None = None
    queue_enter_time: float | None = None


class HungUp(RecipientEvent, frozen=True, kw_only=True):
    """`hangup`: a handled session ended."""

    wire_name = "hangup"
    queue_id: str | None = None
    session_id: str | None = None
    talk_time: float | None = None


class ExternalCallStarted(RecipientEvent, frozen=True, kw_only=True):
    """`external_call_start`: the recipient is on a call that did not come from a queue."""

    wire_name = "external_call_start"
    state: str | None = None
    external_call_id: str | None = None


class ExternalCallEnded(RecipientEvent, frozen=True, kw_only=True):
    """`external_call_end`: the non-queue call ended."""

    wire_name = "external_call_end"
    state: str | None = None
    external_call_id: str | None = None


class Synced(RecipientEvent, frozen=True, kw_only=True):
    """`sync`: the server's periodic statement of the recipient's state."""

    wire_name = "sync"
    availability_state: str | None = None
    available: bool | None = None
    wrapup_time_seconds: float | None = None


class _WiretapCallId(RecipientEvent, frozen=True, kw_only=True):
    """The wiretap call id, which the documentation spells with dashes."""

    wiretap_call_id: str | None = None
    wiretap_call_id_dashed: str | None = msgspec.field(default=None, name="wiretap-call-id")

    @property
    def call_id(self) -> str | None:
        return self.wiretap_call_id or self.wiretap_call_id_dashed


class WiretapStarted(_WiretapCallId, frozen=True, kw_only=True):
    """`wiretap_start`: someone monitors the recipient, or the recipient monitors someone."""

    wire_name = "wiretap_start"
    target: str | None = None
    mode: str | None = None
    monitoring_recipient_id: str | None = None
    monitoring_recipient_id_dashed: str | None = msgspec.field(
        default=None, name="monitoring-recipient-id"
    )

    @property
    def monitor(self) -> str | None:
        return self.monitoring_recipient_id or self.monitoring_recipient_id_dashed


class WiretapStopped(_WiretapCallId, frozen=True, kw_only=True):
    """`wiretap_stop`: monitoring ended."""

    wire_name = "wiretap_stop"


class WiretapFailed(RecipientEvent, frozen=True, kw_only=True):
    """`wiretap_failed`: a monitoring attempt failed."""

    wire_name = "wiretap_failed"
    target: str | None = None
    mode: str | None = None
    reason: str | None = None


class PhoneUnreachable(RecipientEvent, frozen=True, kw_only=True):
    """The server could not ring the agent's phone: it is not registered.

    Not a Qubicle event: a backend makes it from its own wire (Telphin's `CHANUNAVAIL`
    on the agent's leg), so it is absent from `EVENT_TYPES`, which the frame decoder reads.
    """

    wire_name = "agent-toolbar:phone_unreachable"
    queue_id: str | None = None
    session_id: str | None = None


EVENT_TYPES: tuple[type[RecipientEvent], ...] = (
    LoggedIn,
    LoggedOut,
    BecameReady,
    WentAway,
    QueuePaused,
    QueueResumed,
    WrapupStarted,
    WrapupCompleted,
    Offered,
    Rejected,
    Rescinded,
    Delivered,
    HungUp,
    ExternalCallStarted,
    ExternalCallEnded,
    Synced,
    WiretapStarted,
    WiretapStopped,
    WiretapFailed,
)


class QueueStatsPayload(msgspec.Struct, frozen=True, kw_only=True):
    """A queue's numbers, as `qubicle.queue` events and the queue status carry them."""

    estimated_wait: float | None = None
    average_wait: float | None = None
    longest_wait: float | None = None
    recipient_count: int | None = None
    active_session_count: int | None = None
    total_sessions: int | None = None
    missed_sessions: int | None = None
    abandoned_sessions: int | None = None


class QueueSynced(msgspec.Struct, frozen=True, kw_only=True):
    """`sync` on the `qubicle.queue` binding: a queue's pressure, for every queue of the account."""

    queue_id: str | None = None
    queue_name: str | None = None
    account_id: str | None = None
    msg_id: str | None = None
    event_timestamp: float | None = None
    available_recipient_count: int | None = None
    active_recipient_count: int | None = None
    stats: QueueStatsPayload | None = None

    @property
    def occurred_at(self) -> float | None:
        return to_unix(self.event_timestamp)


class Ignored(msgspec.Struct, frozen=True):
    """A well-formed frame that is not a recipient event the toolbar follows."""

    reason: str


class Reply(Ignored, frozen=True, kw_only=True):
    """The server's answer to one of our requests (subscribe, ping); not an event."""

    request_id: str | None = None
    status: str | None = None
    errors: tuple[str, ...] = ()
    subscribed: tuple[str, ...] = ()


class DecodeError(msgspec.Struct, frozen=True):
    """A frame that could not be read; `reason` says why, for the log."""

    reason: str


Event = RecipientEvent | QueueSynced
"""What the event stream brings: an agent's event, or a queue's numbers."""

Decoded = Event | Ignored | DecodeError
"""What the decoder returns for any input: it never raises."""
