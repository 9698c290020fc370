"""Telphin's callbacks as domain events: pure, so every field combination is tested.

Agent callbacks (`agent-login`, `agent-logout`) carry no time and no id; they fire
only on a real change, so a login becomes "ready" (a repeat changes nothing) and a
logout becomes "logged out". Extension callbacks carry the call's id and the event
time in microseconds; a call rung by one of the agent's queues (its
`CallerExtensionID`, else its `CallerExtension` without `@DOMAIN`, names a queue) is
an offer, any other call an external one. `CHANUNAVAIL` on a hangup means the phone
is not registered: a fault to show, whatever call it was.
"""

from collections.abc import Mapping
from typing import Literal, TypeVar

from msgspec.structs import replace

from agent_toolbar.backends.telphin import wire
from agent_toolbar.domain.causes import marked
from agent_toolbar.domain.events import (
    BecameReady,
    Delivered,
    ExternalCallEnded,
    ExternalCallStarted,
    HungUp,
    LoggedOut,
    Offered,
    PhoneUnreachable,
    RecipientEvent,
    Rejected,
    Rescinded,
)

Fields = Mapping[str, str]
E = TypeVar("E", bound=RecipientEvent)

MAX_MICROSECONDS = 10**16
"""Year 2286 as Unix time, and longer than any call: a larger time or duration is absurd."""

FROM_THE_PHONE = marked("reason", "from the phone")
"""The reason a logout or login shows when the agent did it on the phone."""


class CallbackError(ValueError):
    """A callback without the documented fields; the listener answers 400 with this."""


def agent_event(fields: Fields, recipient_id: str) -> RecipientEvent | None:
    """The event an agent callback reports, or None when it is about another agent."""
    _require(fields, wire.AGENT_FIELDS)
    if fields["agent_id"] != recipient_id:
        return None
    origin: Literal["server", "phone"] = (
        "phone" if fields.get("event_source") == "phone" else "server"
    )
    status = fields["agent_status"]
    if status == wire.AVAILABLE:
        return BecameReady(recipient_id=recipient_id, state="ready", origin=origin)
    if status == wire.LOGGED_OUT:
        return LoggedOut(recipient_id=recipient_id, reason=_reason(fields), origin=origin)
    raise CallbackError(f"agent_status {status!r} is neither available nor logged_out")


def call_event(
    fields: Fields, recipient_id: str, queues: Mapping[str, str]
) -> RecipientEvent | None:
    """The event an extension callback reports; `queues` maps the queue extensions' names
    (`PREFIX*NAME`, as the extension list gives them) to their ids."""
    _require(fields, wire.CALL_FIELDS)
    kind, call = fields["EventType"], fields["CallID"]
    if kind not in wire.CALL_EVENTS:
        return None
    sub_call = fields.get("SubCallID") or call
    status = fields.get("CallStatus", "")
    stamp = _Stamp(recipient_id, _seconds(fields.get("EventTime")), f"{sub_call}:{kind}:{status}")
    queue = queue_of(fields, queues)
    # [call_callbacks]: each ring of a queue's caller is a sub-call of its own, so a late
    # hangup of one ring never ends the next ring of the same caller.
    ring = sub_call if queue is not None else call
    if kind == "hangup" and status == wire.PHONE_UNREGISTERED:
        return stamp(PhoneUnreachable(queue_id=queue, session_id=ring))
    if queue is None:
        if kind == "dial-in":
            return stamp(ExternalCallStarted(external_call_id=call))
        return stamp(ExternalCallEnded(external_call_id=call)) if kind == "hangup" else None
    name = fields.get("CallerIDName") or None
    number = fields.get("CallerIDNum") or None
    if kind == "dial-in":
        offer = Offered(
            queue_id=queue, session_id=ring, caller_id_name=name, caller_id_number=number
        )
        return stamp(offer)
    if kind == "answer":
        answered = Delivered(
            queue_id=queue, session_id=ring, caller_id_name=name, caller_id_number=number
        )
        return stamp(answered)
    if status == wire.ANSWERED:
        return stamp(HungUp(queue_id=queue, session_id=ring, talk_time=talk_time(fields)))
    if status in wire.MISSED:
        return stamp(Rejected(queue_id=queue, session_id=ring, declined=status == wire.DECLINED))
    return stamp(Rescinded(queue_id=queue, session_id=ring))


def queue_of(fields: Fields, queues: Mapping[str, str]) -> str | None:
    """The queue that rang: [caller_extension_id] first, else [caller_extension]."""
    by_id = fields.get("CallerExtensionID", "")
    if by_id and by_id in queues.values():
        return by_id
    name = fields.get("CallerExtension", "").partition("@")[0]
    return queues.get(name) if name else None


def talk_time(fields: Fields) -> float | None:
    """[bridged_duration] where it is a number, else [duration] (which includes ringing)."""
    bridged = _seconds(fields.get("BridgedDuration"))
    return bridged if bridged is not None else _seconds(fields.get("Duration"))


class _Stamp:
    """Adds what every call event carries: whose it is, when, and an id against repeats."""

    def __init__(self, recipient_id: str, at: float | None, msg_id: str) -> None:
        self._recipient_id, self._at, self._msg_id = recipient_id, at, msg_id

    def __call__(self, event: E) -> E:
        return replace(
            event,
            recipient_id=self._recipient_id,
            event_unix_timestamp=self._at,
            msg_id=self._msg_id,
        )


def _require(fields: Fields, names: tuple[str, ...]) -> None:
    missing = [name for name in names if not fields.get(name)]
    if missing:
        raise CallbackError(f"missing {', '.join(missing)}")


def _seconds(microseconds: str | None) -> float | None:
    """Microseconds as seconds; None for what is no count of them, or an absurd one."""
    try:
        count = int(microseconds or "")
    except ValueError:  # not digits, or more digits than Python reads
        return None
    return count / 1_000_000 if 0 <= count <= MAX_MICROSECONDS else None


def _reason(fields: Fields) -> str | None:
    return FROM_THE_PHONE if fields.get("event_source") == "phone" else None
