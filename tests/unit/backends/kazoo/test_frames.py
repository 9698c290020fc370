import json

import pytest

from agent_toolbar.backends.kazoo.frames import decode_frame
from agent_toolbar.domain import DecodeError, Ignored, Reply
from agent_toolbar.domain.events import (
    BecameReady,
    Delivered,
    ExternalCallEnded,
    ExternalCallStarted,
    HungUp,
    LoggedIn,
    LoggedOut,
    Offered,
    QueuePaused,
    QueueResumed,
    QueueSynced,
    RecipientEvent,
    Rejected,
    Rescinded,
    Synced,
    WentAway,
    WiretapFailed,
    WiretapStarted,
    WiretapStopped,
    WrapupCompleted,
    WrapupStarted,
)
from tests.helpers.seed import AGENT, GREGORIAN_NOW, QUEUE, SUPERVISOR, UNIX_NOW, examples, repaired

SEED = examples()
EXPECTED = {
    "Login": LoggedIn,
    "Logout": LoggedOut,
    "Ready": BecameReady,
    "Away": WentAway,
    "Pause": QueuePaused,
    "Resume": QueueResumed,
    "Wrapup Start": WrapupStarted,
    "Wrapup Complete": WrapupCompleted,
    "Offer": Offered,
    "Reject": Rejected,
    "Rescind": Rescinded,
    "Delivered": Delivered,
    "Hangup": HungUp,
    "External Call Start": ExternalCallStarted,
    "External Call End": ExternalCallEnded,
    "Sync": Synced,
    "Wiretap Start": WiretapStarted,
    "Wiretap Stop": WiretapStopped,
    "Wiretap Failed": WiretapFailed,
}


def decoded(title: str) -> RecipientEvent:
    event = decode_frame(repaired(title, SEED[title]))
    assert isinstance(event, RecipientEvent), event
    return event


def frame(name: str, **data: object) -> str:
    return json.dumps(
        {"action": "event", "subscribed_key": "qubicle.recipient", "name": name, "data": data}
    )


def test_the_seed_documents_all_nineteen_events() -> None:
    assert set(SEED) == set(EXPECTED)


@pytest.mark.parametrize(("title", "kind"), EXPECTED.items())
def test_every_seed_example_decodes_to_its_type(title: str, kind: type) -> None:
    event = decoded(title)
    assert type(event) is kind
    assert event.recipient_id in (AGENT, SUPERVISOR)
    assert event.stats is not None
    assert event.stats.total_calls == 12


@pytest.mark.parametrize("title", ["Ready", "Wiretap Start"])
def test_seed_examples_with_typos_are_a_typed_error_not_a_crash(title: str) -> None:
    result = decode_frame(SEED[title])
    assert isinstance(result, DecodeError)
    assert "not valid JSON" in result.reason


def test_gregorian_event_timestamp_becomes_unix_time() -> None:
    assert decoded("Ready").occurred_at == UNIX_NOW


def test_event_unix_timestamp_is_preferred_when_present() -> None:
    event = decode_frame(frame("ready", event_timestamp=1, event_unix_timestamp=UNIX_NOW))
    assert isinstance(event, BecameReady)
    assert event.occurred_at == UNIX_NOW


@pytest.mark.parametrize("title", ["Hangup", "Wiretap Start"])
def test_seed_events_without_a_timestamp_have_no_time(title: str) -> None:
    event = decoded(title)
    assert event.event_timestamp is None
    assert event.occurred_at is None


def test_offer_with_repeated_keys_takes_the_last_and_keeps_both_number_fields() -> None:
    offer = decoded("Offer")
    assert isinstance(offer, Offered)
    assert offer.caller_id_name == "Marie Curie"
    assert offer.caller_id_num == "+33123456789"
    assert offer.caller_id_number == 33123456789  # unquoted in the documentation
    assert offer.ring_timeout == 20
    assert offer.force_away_on_reject is True
    assert offer.queue_id == QUEUE
    assert json.loads(bytes(offer.offer_data)) == {"priority": 1}
    assert json.loads(bytes(offer.session)) == {"call_id": "call-1"}


def test_dashed_wiretap_keys_are_read() -> None:
    start = decoded("Wiretap Start")
    assert isinstance(start, WiretapStarted)
    assert start.monitor == SUPERVISOR
    assert start.call_id == "wiretap-1"
    assert start.target == AGENT
    assert start.mode == "whisper"


def test_underscored_wiretap_keys_are_read_too() -> None:
    event = decode_frame(
        frame("wiretap_start", monitoring_recipient_id=SUPERVISOR, wiretap_call_id="tap-9")
    )
    assert isinstance(event, WiretapStarted)
    assert (event.monitor, event.call_id) == (SUPERVISOR, "tap-9")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("wrapup_start", WrapupStarted),
        ("wrapup-start", WrapupStarted),
        ("wrapup_complete", WrapupCompleted),
        ("wrapup-complete", WrapupCompleted),
    ],
)
def test_both_spellings_of_wrapup_names(name: str, kind: type) -> None:
    assert type(decode_frame(frame(name, recipient_id=AGENT))) is kind


def test_name_is_taken_from_data_when_the_envelope_has_none() -> None:
    raw = json.dumps({"action": "event", "data": {"event_name": "wrapup-start"}})
    assert isinstance(decode_frame(raw), WrapupStarted)


def test_unknown_fields_are_kept() -> None:
    event = decode_frame(frame("ready", recipient_id=AGENT, shiny_new_field={"a": [1, 2]}))
    assert isinstance(event, BecameReady)
    assert event.extra_fields() == {"shiny_new_field": {"a": [1, 2]}}
    assert decoded("Ready").extra_fields() == {}


def test_missing_optional_fields_are_absent() -> None:
    event = decode_frame(frame("offer"))
    assert isinstance(event, Offered)
    assert event.recipient_id is None
    assert event.ring_timeout is None
    assert event.stats is None


def test_numbers_sent_as_strings_are_accepted() -> None:
    event = decode_frame(frame("offer", ring_timeout="25", force_away_on_reject="true"))
    assert isinstance(event, Offered)
    assert event.ring_timeout == 25
    assert event.force_away_on_reject is True


def test_bytes_and_text_decode_alike() -> None:
    text = repaired("Away", SEED["Away"])
    assert decode_frame(text) == decode_frame(text.encode())


def test_subscribe_reply_is_a_typed_reply() -> None:
    reply = decode_frame(
        '{"action":"reply","request_id":"r1","status":"success",'
        '"data":{"subscribed":["qubicle.recipient"]}}'
    )
    assert isinstance(reply, Reply)
    assert isinstance(reply, Ignored)
    assert (reply.request_id, reply.status, reply.subscribed) == (
        "r1",
        "success",
        ("qubicle.recipient",),
    )
    assert "r1" in reply.reason


def test_error_reply_carries_the_error_strings() -> None:
    reply = decode_frame(
        '{"action":"reply","request_id":7,"status":"error",'
        '"data":{"errors":["failed to authenticate token abc"]}}'
    )
    assert isinstance(reply, Reply)
    assert reply.request_id == "7"
    assert reply.errors == ("failed to authenticate token abc",)


def test_unknown_event_names_are_ignored_with_a_reason() -> None:
    result = decode_frame(frame("teleport", recipient_id=AGENT))
    assert result == Ignored("unknown event 'teleport'")


def test_other_bindings_and_actions_are_ignored_with_a_reason() -> None:
    call_event = json.dumps(
        {"action": "event", "subscribed_key": "call.CHANNEL_CREATE", "data": {}}
    )
    assert decode_frame(call_event) == Ignored(
        "event of binding call.CHANNEL_CREATE, which is not followed"
    )
    assert decode_frame('{"action":"pong"}') == Ignored("pong frame, not an event")


def queue_frame(name: str = "sync", **data: object) -> str:
    return json.dumps(
        {"action": "event", "subscribed_key": "qubicle.queue", "name": name, "data": data}
    )


def test_queue_sync_events_decode_with_their_numbers() -> None:
    event = decode_frame(
        queue_frame(
            queue_id=QUEUE,
            queue_name="Sales",
            event_timestamp=GREGORIAN_NOW,
            available_recipient_count=2,
            stats={"active_session_count": 3, "longest_wait": 81, "estimated_wait": "40"},
        )
    )
    assert isinstance(event, QueueSynced)
    assert (event.queue_id, event.queue_name, event.available_recipient_count) == (
        QUEUE,
        "Sales",
        2,
    )
    assert event.stats is not None
    assert (event.stats.active_session_count, event.stats.longest_wait) == (3, 81)
    assert event.stats.estimated_wait == 40
    assert event.occurred_at == UNIX_NOW


def test_other_queue_events_are_ignored_and_broken_ones_are_errors() -> None:
    assert decode_frame(queue_frame("flush")) == Ignored(
        "queue event 'flush', which is not followed"
    )
    broken = decode_frame(queue_frame(stats=[1]))
    assert isinstance(broken, DecodeError)
    assert broken.reason.startswith("queue sync event")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "not valid JSON"),
        (b"{", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[1, 2]", "not a blackhole frame"),
        (b'{"action": 5}', "not a blackhole frame"),
        (b'{"action":"event","name":"ready"}', "without data"),
        (b'{"action":"event","name":"ready","data":[]}', "ready event"),
        (b'{"action":"event","name":"ready","data":{"recipient_id":5}}', "recipient_id"),
        (b'{"action":"event","name":"ready","data":' + b"[" * 5000 + b"]" * 5000 + b"}", "JSON"),
    ],
)
def test_unreadable_frames_are_typed_errors(raw: bytes, words: str) -> None:
    result = decode_frame(raw)
    assert isinstance(result, DecodeError)
    assert words in result.reason
