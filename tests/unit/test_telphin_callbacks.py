"""Telphin's callbacks as domain events, and the status reply as a snapshot (pure parts)."""

import pytest

from agent_toolbar.backends.telphin import assumptions
from agent_toolbar.backends.telphin.callback_events import (
    CallbackError,
    agent_event,
    call_event,
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
    Rejected,
    Rescinded,
)

AGENT = "1001"
QUEUES = {"Sales": "3001"}
LOGIN = {
    "agent_id": AGENT,
    "agent_status": "available",
    "agent_type": "local",
    "extension_name": "000*101@demo",
    "event_source": "api",
}


def call(kind: str, status: str = "CALLING", **fields: str) -> dict[str, str]:
    return {
        "EventType": kind,
        "CallID": "call-1",
        "SubCallID": "sub-1",
        "CallerIDNum": "+33123456789",
        "CallerIDName": "Marie Curie",
        "CallerExtension": "Sales",
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
        "call-1",
        "Marie Curie",
        "+33123456789",
    )
    assert offer.occurred_at == 1795251600.5
    assert offer.msg_id == "sub-1:dial-in:CALLING"
    assert isinstance(call_event(call("answer"), AGENT, QUEUES), Delivered)
    ended = call_event(call("hangup", "ANSWER", Duration="95000000"), AGENT, QUEUES)
    assert isinstance(ended, HungUp)
    assert ended.talk_time == 95


@pytest.mark.parametrize(
    ("status", "kind"),
    [("NOANSWER", Rejected), ("BUSY", Rejected), ("CANCEL", Rescinded), ("CONGESTION", Rescinded)],
)
def test_a_queue_call_that_ends_unanswered(status: str, kind: type) -> None:
    assert type(call_event(call("hangup", status), AGENT, QUEUES)) is kind


def test_calls_from_no_queue_are_other_calls() -> None:
    direct = call("dial-in", CallerExtension="")
    assert isinstance(call_event(direct, AGENT, QUEUES), ExternalCallStarted)
    assert call_event({**direct, "EventType": "answer"}, AGENT, QUEUES) is None
    assert isinstance(
        call_event({**direct, "EventType": "hangup"}, AGENT, QUEUES), ExternalCallEnded
    )


def test_unknown_call_events_are_ignored_and_incomplete_ones_refused() -> None:
    assert call_event(call("voicemail"), AGENT, QUEUES) is None
    with pytest.raises(CallbackError, match="missing CallID"):
        call_event({"EventType": "dial-in"}, AGENT, QUEUES)


def test_an_agent_object_as_a_snapshot() -> None:
    ready = assumptions.read_agent({"id": 1001, "status": "available", "state": "r"}, 5.0)
    assert (ready.logged_in, ready.status, ready.calls_known) == (True, "ready", True)
    busy = assumptions.read_agent({"status": "available", "state": "i"}, 5.0)
    assert busy.calls_known is False
    out = assumptions.read_agent({"status": "logged_out"}, 5.0)
    assert (out.logged_in, out.status) == (False, "logged_out")
    assert assumptions.read_agent(["odd"], 5.0).logged_in is False
    assert assumptions.status_body(True) == {"status": "available"}
    assert assumptions.agent_path("100", "remote", "7") == "client/100/agent/remote/7"
