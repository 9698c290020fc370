"""The Kazoo client's pure parts: credentials, tokens, error words and the assumed REST shapes."""

import base64
import hashlib
import json

import pytest

from agent_toolbar.backends.kazoo import assumptions
from agent_toolbar.backends.kazoo.auth import Credentials, _expiry, _websocket_url
from agent_toolbar.backends.kazoo.errors import kazoo_message
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


def test_md5_credentials_hash_the_lower_cased_user_and_password() -> None:
    path, body = Credentials(account_name="Demo", username="Ada", password="Se:cret").request()
    assert path == "user_auth"
    expected = hashlib.md5(b"ada:Se:cret").hexdigest()
    assert body == {"data": {"credentials": expected, "account_name": "Demo", "method": "md5"}}


def test_sha_credentials_and_api_keys() -> None:
    _, body = Credentials(account_name="d", username="u", password="p", method="sha").request()
    assert body["data"]["credentials"] == hashlib.sha1(b"u:p").hexdigest()
    assert Credentials(api_key="k").request() == ("api_auth", {"data": {"api_key": "k"}})


def test_credentials_never_show_their_secrets() -> None:
    shown = repr(Credentials(account_name="d", username="u", password="hunter2", api_key="key9"))
    assert "hunter2" not in shown
    assert "key9" not in shown


def jwt(claims: object) -> str:
    def part(value: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256'})}.{part(claims)}.c2ln"


def test_token_expiry_is_read_from_the_jwt() -> None:
    assert _expiry(jwt({"exp": 1_795_255_200})) == 1_795_255_200


@pytest.mark.parametrize("token", ["opaque", "a.b.c", jwt({"exp": "soon"}), jwt([1])])
def test_unreadable_tokens_have_no_expiry(token: str) -> None:
    assert _expiry(token) is None


def test_the_advertised_websocket_url_is_found_only_where_kazoo_puts_it() -> None:
    data = {"ui_config": {"api": {"kazoo_websocket": {"url": "wss://pbx:7777"}}}}
    assert _websocket_url(data) == "wss://pbx:7777"
    assert _websocket_url({"ui_config": {"api": "nope"}}) is None
    assert _websocket_url({}) is None


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            {"data": {"message": "invalid credentials"}, "message": "invalid_credentials"},
            "invalid credentials",
        ),
        ({"data": {"status": {"enum": {"message": "Value not found"}}}}, "Value not found"),
        ({"message": "bad_identifier"}, "bad identifier"),
        ("not json", "no details"),
        ({}, "no details"),
    ],
)
def test_kazoo_error_bodies_in_plain_words(body: object, words: str) -> None:
    assert kazoo_message(body) == words


def test_status_bodies_for_each_command() -> None:
    assert assumptions.status_body(Login()) == {"data": {"status": "login"}}
    assert assumptions.status_body(Logout()) == {"data": {"status": "logout"}}
    assert assumptions.status_body(Ready()) == {"data": {"status": "ready"}}
    assert assumptions.status_body(Away()) == {"data": {"status": "away"}}
    assert assumptions.status_body(Away(reason="lunch")) == {
        "data": {"status": "away", "reason": "lunch"}
    }
    assert assumptions.status_body(Pause(queue_id="q1", timeout=90.4)) == {
        "data": {"status": "pause", "queue_id": "q1", "timeout": 90}
    }
    assert assumptions.status_body(Resume(queue_id="q1")) == {
        "data": {"status": "resume", "queue_id": "q1"}
    }
    assert assumptions.action_body(WrapupExtend()) == {"data": {"action": "wrapup_extend"}}
    assert assumptions.action_body(WrapupFinish()) == {"data": {"action": "wrapup_cancel"}}


def test_a_full_status_reply_becomes_a_snapshot() -> None:
    data = {
        "available": True,
        "availability_state": "Ready",
        "queue_availability": {"q1": True, "q2": False},
        "offered_call": {"queue_id": "q1", "session_id": "s1", "caller_id_number": 4420},
        "handling_call": {},
        "wrapup_time_seconds": 0,
        "wiretapping_recipient": "boss",
        "wiretap_mode": "whisper",
        "stats": {"total_calls": 3, "avg_call_time": 61.5, "login_time": True},
    }
    snapshot = assumptions.read_status(data, 100.0)
    assert (snapshot.logged_in, snapshot.status, snapshot.paused_queues) == (True, "ready", ("q2",))
    assert snapshot.offer is not None
    assert (snapshot.offer.session_id, snapshot.offer.caller_id_number) == ("s1", "4420")
    assert snapshot.call is None
    assert snapshot.wrapup_left == 0
    assert (snapshot.monitored_by, snapshot.monitor_mode) == ("boss", "whisper")
    assert snapshot.stats is not None
    assert (snapshot.stats.total_calls, snapshot.stats.avg_call_time) == (3, 61.5)
    assert snapshot.stats.login_time is None


def test_a_sparse_or_odd_status_reply_still_gives_a_snapshot() -> None:
    assert assumptions.read_status({"available": False}, 5.0).status == "away"
    unknown = assumptions.read_status({"availability_state": "Busy"}, 5.0)
    assert (unknown.logged_in, unknown.status, unknown.paused_queues) == (True, None, None)
    assert assumptions.read_status("garbage", 5.0).logged_in is False


def test_queue_lists_and_numbers_become_queue_facts() -> None:
    listed = [{"id": "q1", "name": "Sales"}, {"id": "q2", "name": "Support"}, "junk"]
    keyed = {
        "q1": {
            "available_recipient_count": 2,
            "stats": {"active_session_count": 3, "longest_wait": 80},
        },
        "q3": {"queue_name": "Backlog"},
    }
    report = assumptions.read_queues(listed, keyed, 10.0)
    assert [(f.queue_id, f.name, f.in_queue, f.agents_available) for f in report.queues] == [
        ("q1", "Sales", 3, 2),
        ("q2", "Support", None, None),
        ("q3", "Backlog", None, None),
    ]
    assert report.taken_at == 10.0
    as_list = assumptions.read_queues([], [{"queue_id": "q1", "stats": {"longest_wait": 5}}], 1.0)
    assert as_list.queues[0].longest_wait == 5
    assert assumptions.read_queues(None, "nope", 1.0).queues == ()


def test_the_agents_queues_are_the_keys_of_its_queue_availability() -> None:
    snapshot = assumptions.read_status({"queue_availability": {"q2": False, "q1": True}}, 1.0)
    assert snapshot.member_queues == ("q1", "q2")
