"""Telphin's callbacks as domain events (pure parts), field combination by field
combination: which queue rang, talk time, and a phone that is not registered."""

import pytest

from agent_toolbar.backends.telphin.callback_events import (
    CallbackError,
    agent_event,
    call_event,
    queue_of,
    talk_time,
)
from agent_toolbar.domain import AgentState, reduce
from agent_toolbar.domain.events import (
    BecameReady,
    Delivered,
    ExternalCallEnded,
    ExternalCallStarted,
    HungUp,
    LoggedOut,
    Offered,
    PhoneUnreachable,
    Rejected,
    Rescinded,
)

AGENT = "1001"
QUEUES = {"13596*501": "3001", "13596*502": "3002"}
"""Queue extensions' names (`PREFIX*NAME`, as the extension list gives them) to ids."""
LOGIN = {
    "agent_id": AGENT,
    "agent_status": "available",
    "agent_type": "local",
    "extension_name": "000*101@demo",
    "event_source": "api",
}


def call(kind: str, status: str = "CALLING", **fields: str) -> dict[str, str]:
    """A callback of a call rung by queue 3001, named as the provider names it."""
    return {
        "EventType": kind,
        "CallID": "call-1",
        "SubCallID": "sub-1",
        "CallerIDNum": "+33123456789",
        "CallerIDName": "Marie Curie",
        "CallerExtension": "13596*501@sipproxy.telphin.ru",
        "CallerExtensionID": "3001",
        "CallStatus": status,
        "CallFlow": "in",
        "EventTime": "1795251600500000",
        **fields,
    }


def test_agent_login_and_logout_say_who_did_it() -> None:
    login = agent_event(LOGIN, AGENT)
    assert isinstance(login, BecameReady)
    assert (login.recipient_id, login.origin) == (AGENT, "server")
    phone = agent_event({**LOGIN, "agent_status": "logged_out", "event_source": "phone"}, AGENT)
    assert isinstance(phone, LoggedOut)
    assert (phone.origin, phone.reason) == ("phone", "from the phone")


def test_a_repeated_login_callback_changes_nothing() -> None:
    once = reduce(AgentState(recipient_id=AGENT), agent_event(LOGIN, AGENT))  # type: ignore[arg-type]
    assert once.status == "ready"
    again = reduce(once, agent_event(LOGIN, AGENT))  # type: ignore[arg-type]
    assert (again.status, again.status_since, again.history) == (
        once.status,
        once.status_since,
        once.history,
    )


def test_callbacks_about_another_agent_are_not_ours() -> None:
    assert agent_event({**LOGIN, "agent_id": "1002"}, AGENT) is None


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"agent_status": "available"}, "missing agent_id"),
        ({"agent_id": AGENT, "agent_status": "busy"}, "neither available nor logged_out"),
    ],
)
def test_malformed_agent_callbacks_are_errors(fields: dict[str, str], words: str) -> None:
    with pytest.raises(CallbackError, match=words):
        agent_event(fields, AGENT)


def test_a_queue_call_rings_is_answered_and_hung_up() -> None:
    offer = call_event(call("dial-in"), AGENT, QUEUES)
    assert isinstance(offer, Offered)
    assert (offer.queue_id, offer.session_id, offer.caller_id_name, offer.caller_id_number) == (
        "3001",
        "sub-1",  # the ring, not the call: a caller is rung again under the same CallID
        "Marie Curie",
        "+33123456789",
    )
    assert offer.occurred_at == 1795251600.5
    assert offer.msg_id == "sub-1:dial-in:CALLING"
    assert isinstance(call_event(call("answer"), AGENT, QUEUES), Delivered)
    ended = call_event(
        call("hangup", "ANSWER", Duration="95000000", BridgedDuration="80000000"), AGENT, QUEUES
    )
    assert isinstance(ended, HungUp)
    assert (ended.queue_id, ended.talk_time) == ("3001", 80)


@pytest.mark.parametrize(
    ("caller_extension", "caller_extension_id", "queue"),
    [
        ("13596*501@sipproxy.telphin.ru", "3001", "3001"),  # both say queue 3001
        ("13596*502@sipproxy.telphin.ru", "3001", "3001"),  # the id comes first
        ("13596*501@sipproxy.telphin.ru", "", "3001"),  # no id: the name without @domain
        ("13596*502@other.example", "2001", "3002"),  # an id of no queue: the name
        ("13596*502", "", "3002"),  # a name without a domain
        ("", "3002", "3002"),  # only the id
        ("13596*501@sipproxy.telphin.ru", "9999", "3001"),
        ("000*101@sipproxy.telphin.ru", "2001", None),  # another phone: no queue
        ("13596*501x@sipproxy.telphin.ru", "", None),  # only the whole name matches
        ("", "", None),
        ("@sipproxy.telphin.ru", "", None),
    ],
)
def test_the_queue_is_found_by_its_id_first_then_by_its_name(
    caller_extension: str, caller_extension_id: str, queue: str | None
) -> None:
    fields = call(
        "dial-in", CallerExtension=caller_extension, CallerExtensionID=caller_extension_id
    )
    assert queue_of(fields, QUEUES) == queue


def test_the_whole_caller_extension_with_its_domain_is_no_queue_name() -> None:
    """What the old client did: match `CallerExtension` as it comes. It never matched."""
    fields = call("dial-in", CallerExtensionID="")
    del fields["CallerExtensionID"]
    assert queue_of(fields, {"13596*501@sipproxy.telphin.ru": "3001"}) is None
    assert queue_of(fields, QUEUES) == "3001"


@pytest.mark.parametrize(
    ("durations", "talk"),
    [
        ({"Duration": "95000000", "BridgedDuration": "80000000"}, 80),
        ({"Duration": "95000000"}, 95),  # no BridgedDuration: the leg, ringing included
        ({"Duration": "95000000", "BridgedDuration": ""}, 95),
        ({"Duration": "95000000", "BridgedDuration": "soon"}, 95),
        ({"Duration": "95000000", "BridgedDuration": "-5"}, 95),
        ({"BridgedDuration": "80500000"}, 80.5),
        ({"BridgedDuration": "0", "Duration": "3000000"}, 0),
        ({}, None),
        ({"Duration": "x"}, None),
    ],
)
def test_talk_time_is_the_bridged_duration_where_there_is_one(
    durations: dict[str, str], talk: float | None
) -> None:
    assert talk_time(durations) == talk
    ended = call_event(call("hangup", "ANSWER", **durations), AGENT, QUEUES)
    assert isinstance(ended, HungUp)
    assert ended.talk_time == talk


@pytest.mark.parametrize(
    ("status", "kind"),
    [("NOANSWER", Rejected), ("BUSY", Rejected), ("CANCEL", Rescinded), ("CONGESTION", Rescinded)],
)
def test_a_queue_call_that_ends_unanswered(status: str, kind: type) -> None:
    assert type(call_event(call("hangup", status), AGENT, QUEUES)) is kind


def test_chanunavail_on_a_queue_ring_says_the_phone_is_not_registered() -> None:
    fault = call_event(call("hangup", "CHANUNAVAIL", Duration="0"), AGENT, QUEUES)
    assert isinstance(fault, PhoneUnreachable)
    assert (fault.queue_id, fault.session_id) == ("3001", "sub-1")
    assert (fault.recipient_id, fault.occurred_at, fault.msg_id) == (
        AGENT,
        1795251600.5,
        "sub-1:hangup:CHANUNAVAIL",
    )


def test_chanunavail_on_another_call_to_the_phone_says_so_too() -> None:
    direct = call("hangup", "CHANUNAVAIL", CallerExtension="", CallerExtensionID="")
    fault = call_event(direct, AGENT, QUEUES)
    assert isinstance(fault, PhoneUnreachable)
    assert (fault.queue_id, fault.session_id, fault.recipient_id) == (None, "call-1", AGENT)
    assert fault.msg_id == "sub-1:hangup:CHANUNAVAIL"


def test_a_phone_that_cannot_be_rung_ends_the_offer_and_is_not_a_withdrawn_one() -> None:
    ringing = reduce(AgentState(recipient_id=AGENT), call_event(call("dial-in"), AGENT, QUEUES))  # type: ignore[arg-type]
    assert ringing.offer is not None
    fault = call_event(call("hangup", "CHANUNAVAIL"), AGENT, QUEUES)
    after = reduce(ringing, fault)  # type: ignore[arg-type]
    assert after.offer is None
    assert after.missed_offer is None
    assert after.phone_unreachable_since is not None
    phone = [change for change in after.history if change.aspect == "phone"]
    assert [(change.old, change.new) for change in phone] == [("registered", "not registered")]
    answered = reduce(after, call_event(call("answer", SubCallID="sub-2"), AGENT, QUEUES))  # type: ignore[arg-type]
    assert answered.phone_unreachable_since is None


def test_calls_from_no_queue_are_other_calls() -> None:
    direct = call("dial-in", CallerExtension="", CallerExtensionID="")
    assert isinstance(call_event(direct, AGENT, QUEUES), ExternalCallStarted)
    assert call_event({**direct, "EventType": "answer"}, AGENT, QUEUES) is None
    ended = call_event({**direct, "EventType": "hangup", "CallStatus": "ANSWER"}, AGENT, QUEUES)
    assert isinstance(ended, ExternalCallEnded)


def test_unknown_call_events_are_ignored_and_incomplete_ones_refused() -> None:
    assert call_event(call("voicemail"), AGENT, QUEUES) is None
    with pytest.raises(CallbackError, match="missing CallID"):
        call_event({"EventType": "dial-in"}, AGENT, QUEUES)


@pytest.mark.parametrize("event_time", ["", "soon", "-1", "9" * 30, "9" * 400, "9" * 5000])
def test_an_event_time_that_is_no_count_of_microseconds_is_no_time(event_time: str) -> None:
    offer = call_event(call("dial-in", EventTime=event_time), AGENT, QUEUES)
    assert offer is not None
    assert offer.event_unix_timestamp is None


def test_a_late_hangup_of_one_ring_does_not_end_the_next_ring_of_the_same_caller() -> None:
    """The queue rings a caller again at once: the first ring's hangup (a callback of
    another subscription, sent in parallel) may arrive after the second ring's dial-in."""
    second = call_event(call("dial-in", SubCallID="sub-2"), AGENT, QUEUES)
    late = call_event(call("hangup", "NOANSWER"), AGENT, QUEUES)
    ringing = reduce(AgentState(recipient_id=AGENT), second)  # type: ignore[arg-type]
    assert reduce(ringing, late).offer == ringing.offer  # type: ignore[arg-type]
