"""Kazoo's wire facts: request bodies, how replies are read, and the table in docs/kazoo.md."""

import re
from pathlib import Path

import pytest

from agent_toolbar.backends.kazoo import wire
from agent_toolbar.backends.kazoo.errors import Refused, refused_fields
from agent_toolbar.backends.kazoo.websocket_url import candidates
from agent_toolbar.backends.wire_facts import WireOverrideError, overrides
from agent_toolbar.domain.commands import (
    Away,
    Login,
    Logout,
    Pause,
    Ready,
    Resume,
    WrapupExtend,
    WrapupFinish,
)

DOC = Path(__file__).resolve().parents[4] / "docs" / "kazoo.md"


def test_the_four_statuses_and_per_queue_away_and_ready() -> None:
    keys = wire.Wire()
    assert wire.status_body(Login(), keys) == {"data": {"status": "login"}}
    assert wire.status_body(Logout(), keys) == {"data": {"status": "logout"}}
    assert wire.status_body(Ready(), keys) == {"data": {"status": "ready"}}
    assert wire.status_body(Away(), keys) == {"data": {"status": "away"}}
    assert wire.status_body(Away(reason="lunch"), keys) == {
        "data": {"status": "away", "reason": "lunch"}
    }
    # Qubicle has no pause status and no timeout: a timed pause is the toolbar's own timer.
    assert wire.status_body(Pause(queue_id="q1", timeout=90.4), keys) == {
        "data": {"status": "away", "target_queue": "q1"}
    }
    assert wire.status_body(Resume(queue_id="q1"), keys) == {
        "data": {"status": "ready", "target_queue": "q1"}
    }
    assert wire.action_body(WrapupExtend()) == {"data": {"action": "wrapup_extend"}}
    assert wire.action_body(WrapupFinish()) == {"data": {"action": "wrapup_cancel"}}


def test_a_profile_overrides_the_unknown_keys() -> None:
    keys = overrides(wire.Wire(), {"queue_key": "queue_id", "reason_key": ""})
    assert wire.status_body(Pause(queue_id="q1"), keys) == {
        "data": {"status": "away", "queue_id": "q1"}
    }
    assert wire.status_body(Away(reason="lunch"), keys) == {"data": {"status": "away"}}


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ({"queue_kye": "q"}, "unknown wire fact 'queue_kye': use one of queue_key, reason_key"),
        ({"queue_key": 5}, "queue_key must be a string"),
        ({"queue_key": "two words"}, "is not a JSON key a server reads"),
        ({"queue_key": ""}, "is not a JSON key a server reads"),
    ],
)
def test_a_wrong_override_is_refused_with_the_fix(table: dict[str, object], says: str) -> None:
    with pytest.raises(WireOverrideError, match=re.escape(says)):
        overrides(wire.Wire(), table)


@pytest.mark.parametrize(
    ("word", "status", "activity"),
    [
        ("Ready", "ready", "idle"),
        ("Away", "away", "idle"),
        ("Call-Offer", "ready", "offered"),
        ("On-A-Call", None, "on_call"),
        ("Wrapup-Time", None, "wrapup"),
        ("wrapup-time", None, "wrapup"),
    ],
)
def test_the_state_word_decides_status_and_activity(
    word: str, status: str | None, activity: str
) -> None:
    # During a call `available` may be false: the word, not the flag, says what happens.
    available = activity == "idle"
    snapshot = wire.read_status({"availability_state": word, "available": available}, 5.0)
    assert (snapshot.logged_in, snapshot.status, snapshot.activity) == (True, status, activity)


@pytest.mark.parametrize(("word", "status"), [("Ready", "ready"), ("Away", "away")])
def test_a_ready_or_away_agent_not_available_is_busy_with_a_call_the_word_does_not_name(
    word: str, status: str
) -> None:
    snapshot = wire.read_status({"availability_state": word, "available": False}, 5.0)
    assert (snapshot.status, snapshot.activity) == (status, None)


def test_not_logged_in_is_logged_out() -> None:
    snapshot = wire.read_status({"availability_state": "Not-Logged-In", "available": False}, 5.0)
    assert (snapshot.logged_in, snapshot.status) == (False, "logged_out")
    assert frozenset({404}) == wire.NOT_LOGGED_IN_STATUSES


def test_available_decides_only_where_no_word_is_known() -> None:
    assert wire.read_status({"available": False}, 5.0).status == "away"
    assert wire.read_status({"availability_state": "Busy", "available": True}, 5.0).status == (
        "ready"
    )
    unknown = wire.read_status({"availability_state": "Busy"}, 5.0)
    assert (unknown.status_known, unknown.calls_known) == (False, False)
    assert wire.read_status("garbage", 5.0).status_known is False


def test_a_full_status_reply_becomes_a_snapshot() -> None:
    data = {
        "available": False,
        "availability_state": "Call-Offer",
        "queue_availability": {"q1": True, "q2": False},
        "offered_call": {"queue_id": "q1", "session_id": "s1", "caller_id_number": 4420},
        "handling_call": {},
        "wrapup_time_seconds": 30,
        "wiretapping_recipient": "boss",
        "wiretap_mode": "whisper",
        "stats": {"total_calls": 3, "avg_call_time": 61.5, "login_time": True},
    }
    snapshot = wire.read_status(data, 100.0)
    assert (snapshot.status, snapshot.activity, snapshot.paused_queues) == (
        "ready",
        "offered",
        ("q2",),
    )
    assert snapshot.offer is not None
    assert (snapshot.offer.session_id, snapshot.offer.caller_id_number) == ("s1", "4420")
    assert snapshot.call is None
    # The wrap-up length is a setting: read only while the word is Wrapup-Time.
    assert snapshot.wrapup_seconds is None
    assert (snapshot.monitored_by, snapshot.monitor_mode) == ("boss", "whisper")
    assert snapshot.stats is not None
    assert (snapshot.stats.total_calls, snapshot.stats.avg_call_time) == (3, 61.5)
    assert snapshot.stats.login_time is None
    wrapup = wire.read_status({"availability_state": "Wrapup-Time", "wrapup_time_seconds": 30}, 1)
    assert wrapup.wrapup_seconds == 30


def test_queue_availability_is_flags_not_membership() -> None:
    snapshot = wire.read_status({"availability_state": "Ready", "queue_availability": {}}, 1.0)
    assert snapshot.paused_queues == ()
    flagged = {"availability_state": "Ready", "queue_availability": {"q2": False, "q1": True}}
    assert wire.read_status(flagged, 1.0).paused_queues == ("q2",)


@pytest.mark.parametrize(
    ("recipients", "member"),
    [
        (["me", "you"], True),
        ([{"id": "me", "name": "Ada"}], True),
        ([{"recipient_id": "me"}], True),
        ({"me": {"name": "Ada"}}, True),
        ({"recipients": ["me"]}, True),
        (["you"], False),
        ("garbage", False),
        (None, False),
    ],
)
def test_membership_is_read_from_any_plausible_shape(recipients: object, member: bool) -> None:
    assert wire.is_member(recipients, "me") is member


def test_queue_lists_and_numbers_become_queue_facts() -> None:
    listed = [{"id": "q1", "name": "Sales"}, {"id": "q2", "name": "Support"}, "junk"]
    keyed = {
        "q1": {
            "available_recipient_count": 2,
            "stats": {"active_session_count": 3, "longest_wait": 80},
        },
        "q3": {"queue_name": "Backlog"},
    }
    report = wire.read_queues(listed, keyed, 10.0, members=("q1",))
    assert [(f.queue_id, f.name, f.in_queue, f.agents_available) for f in report.queues] == [
        ("q1", "Sales", 3, 2),
        ("q2", "Support", None, None),
        ("q3", "Backlog", None, None),
    ]
    assert (report.taken_at, report.members) == (10.0, ("q1",))
    as_list = wire.read_queues([], [{"queue_id": "q1", "stats": {"longest_wait": 5}}], 1.0)
    assert as_list.queues[0].longest_wait == 5
    assert wire.read_queues(None, "nope", 1.0).queues == ()


def test_a_validation_error_in_plain_words() -> None:
    body = {
        "data": {
            "status": {
                "enum": {
                    "message": "Value not found in enumerated list of values",
                    "target": ["login", "logout", "ready", "away"],
                }
            },
            "reason": {"additionalProperties": {"message": "Field is not allowed"}},
        },
        "error": "400",
        "message": "validation error",
    }
    assert refused_fields(body) == {
        "status": Refused(
            frozenset({"enum"}),
            "Value not found in enumerated list of values (allowed: login, logout, ready, away)",
        ),
        "reason": Refused(frozenset({"additionalProperties"}), "Field is not allowed"),
    }
    assert refused_fields({"data": {"message": "bad"}}) == {}
    assert refused_fields("nope") == {}


def test_blackhole_is_looked_for_on_the_api_host() -> None:
    assert candidates("https://pbx.example.com:8443/v2") == (
        "wss://pbx.example.com:5556",
        "ws://pbx.example.com:5555",
    )
    assert candidates("http://127.0.0.1:8000/v2") == ("ws://127.0.0.1:5555",)


def test_every_fact_has_a_standing_and_a_source() -> None:
    names = [fact.name for fact in wire.FACTS]
    assert len(names) == len(set(names))
    for fact in wire.FACTS:
        assert fact.standing in ("confirmed", "inferred", "unknown")
        assert fact.says
        assert fact.source
    overridable = {fact.override for fact in wire.FACTS if fact.override}
    assert overridable == {"queue_key", "reason_key"}


def test_the_docs_table_lists_exactly_the_facts() -> None:
    rows = re.findall(r"^\| `(\w+)` \| (\w+) \|", DOC.read_text(), re.MULTILINE)
    assert rows == [(fact.name, fact.standing) for fact in wire.FACTS]


def test_a_queues_settings_are_read_tolerantly_and_reach_its_facts() -> None:
    assert wire.read_queue_settings([]) == wire.QueueSettings()
    assert wire.read_queue_settings({"ring_timeout": "20", "force_away_on_reject": 1}) == (
        wire.QueueSettings()
    )
    settings = wire.read_queue_settings({"ring_timeout": 25, "force_away_on_reject": True})
    assert settings == wire.QueueSettings(ring_timeout=25.0, force_away_on_reject=True)
    report = wire.read_queues([{"id": "q1", "name": "Sales"}], {}, None, None, {"q1": settings})
    (facts,) = report.queues
    assert (facts.ring_timeout, facts.force_away_on_reject) == (25.0, True)
