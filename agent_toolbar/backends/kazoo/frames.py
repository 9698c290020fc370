"""Blackhole frames to typed results, without ever raising.

An event frame whose envelope names a known event is read once, by msgspec in C:
the envelope's `name` is the tag of a union of typed frames. Anything else (a
reply, another binding, an unnamed or unknown or broken event) takes the careful
path, which reads an envelope that keeps `data` as raw bytes and then explains
what the frame was. Anything that is not a followed event comes back as `Ignored`
or `Reply` with a reason, anything unreadable as `DecodeError`; a broken frame
must never cost the connection.
"""

import functools
import operator
from typing import Any

import msgspec
from msgspec.structs import force_setattr

from agent_toolbar.domain.events import (
    EVENT_TYPES,
    Decoded,
    DecodeError,
    Ignored,
    QueueSynced,
    RecipientEvent,
    Reply,
)

RECIPIENT_BINDING = "qubicle.recipient"
QUEUE_BINDING = "qubicle.queue"

RequestId = str | int


class _Envelope(msgspec.Struct, frozen=True):
    action: str | None = None
    subscribed_key: str | None = None
    name: str | None = None
    request_id: RequestId | None = None
    status: str | None = None
    data: msgspec.Raw = msgspec.Raw(b"")


class _ReplyData(msgspec.Struct, frozen=True):
    errors: list[str] = []
    subscribed: list[str] = []


class _EventName(msgspec.Struct, frozen=True):
    event_name: str | None = None


def _typed_frame(kind: type[RecipientEvent], name: str) -> type:
    """An event frame whose envelope `name` is `name` and whose `data` is a `kind`."""
    return msgspec.defstruct(
        f"{kind.__name__}Frame",
        [
            ("action", str | None, None),
            ("subscribed_key", str | None, None),
            ("data", kind),
        ],
        kw_only=True,
        frozen=True,
        tag_field="name",
        tag=name,
    )


_TYPED_FRAMES = [
    _typed_frame(kind, name)
    for kind in EVENT_TYPES
    for name in sorted({kind.wire_name, kind.wire_name.replace("_", "-")})
]
_typed: msgspec.json.Decoder[Any] = msgspec.json.Decoder(
    functools.reduce(operator.or_, _TYPED_FRAMES), strict=False
)
_envelope = msgspec.json.Decoder(_Envelope)
_reply_data = msgspec.json.Decoder(_ReplyData, strict=False)
_event_name = msgspec.json.Decoder(_EventName)
_queue_synced = msgspec.json.Decoder(QueueSynced, strict=False)
_event_decoders: dict[str, msgspec.json.Decoder[RecipientEvent]] = {
    kind.wire_name: msgspec.json.Decoder(kind, strict=False) for kind in EVENT_TYPES
}
_UNREADABLE = (msgspec.DecodeError, msgspec.ValidationError, RecursionError, UnicodeDecodeError)


def decode_frame(frame: bytes | str) -> Decoded:
    """Read one websocket frame; the result says what it was, or why it was skipped."""
    try:
        typed = _typed.decode(frame)
    except _UNREADABLE:
        return _decode_carefully(frame)
    if typed.action != "event" or typed.subscribed_key not in (RECIPIENT_BINDING, None):
        return _decode_carefully(frame)
    event: RecipientEvent = typed.data
    force_setattr(event, "frame", msgspec.Raw(frame))
    return event


def _decode_carefully(frame: bytes | str) -> Decoded:
    try:
        envelope = _envelope.decode(frame)
    except msgspec.ValidationError as error:
        return DecodeError(f"not a blackhole frame: {error}")
    except _UNREADABLE as error:
        return DecodeError(f"not valid JSON: {error}")
    if envelope.action == "reply":
        return _reply(envelope)
    if envelope.action != "event":
        return Ignored(f"{envelope.action or 'unnamed'} frame, not an event")
    if envelope.subscribed_key == QUEUE_BINDING:
        return _queue_event(envelope)
    if envelope.subscribed_key not in (RECIPIENT_BINDING, None):
        return Ignored(f"event of binding {envelope.subscribed_key}, which is not followed")
    return _event(envelope, frame)


def _queue_event(envelope: _Envelope) -> Decoded:
    if envelope.name != "sync":
        return Ignored(f"queue event {envelope.name!r}, which is not followed")
    if not envelope.data:
        return DecodeError("queue event frame without data")
    try:
        return _queue_synced.decode(envelope.data)
    except _UNREADABLE as error:
        return DecodeError(f"queue sync event: {error}")


def _event(envelope: _Envelope, frame: bytes | str) -> Decoded:
    if not envelope.data:
        return DecodeError("event frame without data")
    name = envelope.name
    if name is None:
        try:
            name = _event_name.decode(envelope.data).event_name
        except _UNREADABLE as error:
            return DecodeError(f"unnamed event: {error}")
    if name is None:
        return Ignored("event without a name")
    decoder = _event_decoders.get(name.replace("-", "_"))
    if decoder is None:
        return Ignored(f"unknown event {name!r}")
    try:
        event = decoder.decode(envelope.data)
    except _UNREADABLE as error:
        return DecodeError(f"{name} event: {error}")
    force_setattr(event, "frame", msgspec.Raw(frame))
    return event


def _reply(envelope: _Envelope) -> Decoded:
    request_id = None if envelope.request_id is None else str(envelope.request_id)
    data = _ReplyData()
    if envelope.data:
        try:
            data = _reply_data.decode(envelope.data)
        except _UNREADABLE as error:
            return DecodeError(f"reply to request {request_id}: {error}")
    return Reply(
        f"reply to request {request_id} ({envelope.status}), not an event",
        request_id=request_id,
        status=envelope.status,
        errors=tuple(data.errors),
        subscribed=tuple(data.subscribed),
    )
