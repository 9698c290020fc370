"""The agent object as a Snapshot, read tolerantly (pure): what it says when the server
names its status otherwise, not at all, or with a phone that is not registered."""

from typing import Any

import pytest

from agent_toolbar.backends.telphin import agent_object
from agent_toolbar.backends.telphin.wire import Wire
from agent_toolbar.domain import AgentState, Snapshot, causes, step

WIRE = Wire()


def read(agent: Any, wire: Wire = WIRE) -> Snapshot:
    return agent_object.read_agent(agent, 5.0, wire)


@pytest.mark.parametrize(
    "agent",
    [
        {"id": 1001, "status": "available", "state": "r"},
        {"id": 1001, "agent_status": "available", "state": "r"},
        {"id": 1001, "status": "AVAILABLE", "state": "R"},
        {"id": 1001, "status": "Available", "agent_state": "r"},
        {"id": 1001, "status": 7, "agent_status": "available", "state": "r"},
    ],
)
def test_available_is_logged_in_and_ready_under_any_plausible_spelling(agent: Any) -> None:
    snapshot = read(agent)
    assert (snapshot.logged_in, snapshot.status, snapshot.status_known) == (True, "ready", True)
    assert (snapshot.calls_known, snapshot.phone_registered) == (True, True)
    assert (snapshot.taken_at, snapshot.cause) == (5.0, causes.CHECKED)


@pytest.mark.parametrize("word", ["logged_out", "LOGGED_OUT", "Logged_Out"])
def test_logged_out_in_any_case_is_logged_out(word: str) -> None:
    snapshot = read({"status": word})
    assert (snapshot.logged_in, snapshot.status, snapshot.status_known) == (
        False,
        "logged_out",
        True,
    )


@pytest.mark.parametrize(
    "agent",
    [
        {"id": 1001, "name": "Ada"},  # no status field at all
        {"id": 1001, "availability": "available"},  # a name the toolbar does not know
        {"id": 1001, "status": "paused"},  # a word it does not know
        {"id": 1001, "status": None},
        {"id": 1001, "status": ["available"]},
        {},
        [],
        None,
        "available",
    ],
)
def test_a_reply_without_a_readable_status_is_unknown_never_logged_out(agent: Any) -> None:
    assert read(agent) == Snapshot(
        taken_at=5.0,
        logged_in=True,
        status=None,
        status_known=False,
        calls_known=False,
        cause=causes.CHECKED,
    )


def test_an_unknown_status_leaves_the_status_the_callbacks_left() -> None:
    ready = AgentState(recipient_id="1001", status="ready", status_since=1.0)
    done = step(ready, read({"id": 1001}))
    assert (done.state.status, done.state.status_since) == ("ready", 1.0)


def test_the_configured_field_is_looked_for_first() -> None:
    wire = Wire(status_field="availability", state_field="letter")
    snapshot = read({"availability": "logged_out", "status": "available", "letter": "l"}, wire)
    assert (snapshot.logged_in, snapshot.status) == (False, "logged_out")
    assert read({"availability": "available", "letter": "u"}, wire).phone_registered is False
    assert agent_object.status_fields(wire) == ("availability", "status", "agent_status")
    assert agent_object.status_fields(Wire(status_field="")) == ("status", "agent_status")


@pytest.mark.parametrize(
    ("letter", "calls_known", "registered"),
    [
        ("r", True, True),
        ("l", True, None),  # logged out: the queue rings nobody, the letter says nothing
        ("u", True, False),
        ("U", True, False),
        ("i", False, True),
        ("b", False, True),
        ("c", False, True),
        ("d", False, True),
        ("w", False, True),
        ("x", False, None),  # no known letter
        ("", False, None),
        ("ri", False, None),
        (None, False, None),
    ],
)
def test_the_state_letter_tells_calls_and_the_phone(
    letter: str | None, calls_known: bool, registered: bool | None
) -> None:
    agent = {"status": "available"} if letter is None else {"status": "available", "state": letter}
    snapshot = read(agent)
    assert (snapshot.calls_known, snapshot.phone_registered) == (calls_known, registered)


def test_a_letter_is_still_read_when_the_status_is_not() -> None:
    snapshot = read({"state": "u"})
    assert (snapshot.status_known, snapshot.calls_known, snapshot.phone_registered) == (
        False,
        False,
        False,
    )


def test_the_keys_seen_are_named_never_the_values() -> None:
    agent = {"name": "Ada Lovelace", "phone": "+441234", "x" * 60: 1}
    seen = agent_object.keys_seen(agent)
    assert seen == f"name, phone, {'x' * 40}"
    assert "Ada" not in seen
    assert "+44" not in seen
    assert agent_object.keys_seen({}) == "none"
    assert agent_object.keys_seen(["a"]) == "no object but list"
