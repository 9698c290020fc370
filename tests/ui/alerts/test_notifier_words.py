"""What each notification says, in the window's words (no bus needed)."""

import pytest
from msgspec.structs import replace

from agent_toolbar.domain import AgentState, ConnectionChanged
from agent_toolbar.domain.alerts import Alert, alerts
from agent_toolbar.domain.events import (
    Delivered,
    HungUp,
    LoggedOut,
    PhoneUnreachable,
    WentAway,
    WrapupStarted,
)
from agent_toolbar.domain.state import QueueInfo
from agent_toolbar.ui.alerts.notifier import Notice, notice_for
from tests.helpers.events import SALES, ev, offer, ready_agent, run
from tests.helpers.seed import UNIX_NOW

pytestmark = pytest.mark.usefixtures("english")

SHOW = ("default", "Show", "show", "Show")


def ready_online() -> AgentState:
    state = replace(ready_agent(), queues=(QueueInfo(queue_id=SALES, name="Sales", member=True),))
    return run(ConnectionChanged(connection="online", at=UNIX_NOW + 1), state=state)


def notices(
    before: AgentState, after: AgentState, at: float, ready: bool = True, warning: float = 10.0
) -> list[Notice]:
    found = alerts(before, after, UNIX_NOW + at, warning)
    return [notice for notice in (notice_for(each, ready) for each in found) if notice]


def test_sound_cues_are_no_notifications() -> None:
    ready = ready_online()
    ringing = run(offer(2), state=ready)
    found = alerts(ready, ringing, UNIX_NOW + 2, 10.0)
    assert [each.kind for each in found] == ["offer", "ring_start"]
    assert notice_for(found[1], True) is None


def test_an_offer_without_a_number_or_a_cost() -> None:
    ready = ready_online()
    ringing = run(offer(2, caller_id_name=None, ring=None), state=ready)
    (notice,) = notices(ready, ringing, 2)
    # No deadline stated: the notice lasts until the ring stops, not a made-up minute.
    assert notice == Notice(
        "offer", "Call from +33123456789", "Queue: Sales", "call-start", SHOW, True, -1
    )


def test_an_away_set_by_the_server_says_why_and_by_whom() -> None:
    ready = ready_online()
    away = run(ev(WentAway, 5, reason="meeting"), state=ready)
    (notice,) = notices(ready, away, 5)
    assert notice.summary == "You are Away"
    assert notice.body == "Why: away: meeting\nBy: Server"
    assert notice.actions == (*SHOW, "ready", "Ready again")
    (without,) = notices(ready, away, 5, ready=False)  # Telphin: logging in is being ready
    assert without.actions == SHOW


def test_logged_out_by_someone_else_says_why_by_whom_and_what_it_costs() -> None:
    ready = ready_online()
    out = run(ev(LoggedOut, 5, reason="shift over"), state=ready)
    (notice,) = notices(ready, out, 5)
    assert (notice.summary, notice.critical) == ("You were logged out", True)
    assert notice.body == (
        "Why: logged out: shift over\nBy: Server\nNo call can ring until you log in again."
    )


def test_a_phone_that_cannot_ring_is_told() -> None:
    ready = ready_online()
    unreachable = run(ev(PhoneUnreachable, 5, session_id="s9"), state=ready)
    (notice,) = notices(ready, unreachable, 5)
    assert notice.summary == "Your phone did not ring"
    assert "not registered" in notice.body


def test_a_sign_out_says_what_the_server_said() -> None:
    ready = ready_online()
    problem = "signed out: the password was refused"
    out = run(
        ConnectionChanged(connection="offline", at=UNIX_NOW + 9, problem=problem), state=ready
    )
    (notice,) = notices(ready, out, 9)
    assert (notice.place, notice.summary, notice.critical) == ("status", "Signed out", True)
    assert notice.body == (
        "The server signed the toolbar out: the password was refused. "
        "It cannot follow your calls until you sign in again."
    )


def test_wrapup_ending_counts_its_seconds() -> None:
    on_call = run(offer(2), ev(Delivered, 3, session_id="s1"), state=ready_online())
    wrapping = run(
        ev(HungUp, 20, session_id="s1"),
        ev(WrapupStarted, 20, queue_id=SALES, wrapup_time_seconds=30),
        state=on_call,
    )
    (notice,) = notices(wrapping, wrapping, 41)
    assert (notice.place, notice.summary, notice.expires) == (
        "wrapup",
        "Wrap-up ends in 9 s",
        9000,
    )
    (last,) = notices(wrapping, wrapping, 49.5)
    assert last.summary == "Wrap-up ends in 1 s"
    (early,) = notices(
        wrapping, wrapping, 30, warning=30
    )  # a longer warning, as the window says it
    assert early.summary == "0:20 of wrap-up left"


def test_a_forced_away_without_its_change_still_says_it() -> None:
    away = run(ev(WentAway, 5), state=ready_online())
    notice = notice_for(Alert("forced_away", "t", away), True)
    assert notice is not None
    assert (notice.summary, notice.body) == ("You are Away", "")
