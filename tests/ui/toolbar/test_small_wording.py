"""The smaller wording defects of issue 15: a declined call is not "missed", the timeline
says "Ready" as the strip does, a supervisor is not a hex id, and a deferred Away made at
wrap-up start is shown as done, not offered again."""

import pytest
from pytestqt.qtbot import QtBot

from agent_toolbar.backends.telphin.callback_events import call_event
from agent_toolbar.domain import AgentState, DeferralCleared, DeferralSet
from agent_toolbar.domain.commands import Away, Logout
from agent_toolbar.domain.events import (
    Delivered,
    HungUp,
    Rejected,
    WentAway,
    WiretapStarted,
    WrapupStarted,
)
from agent_toolbar.ui import text
from agent_toolbar.ui.toolbar.cards import MissedCard
from tests.helpers.events import SALES, ev, local, offer, ready_agent, run
from tests.helpers.seed import SUPERVISOR, UNIX_NOW

pytestmark = pytest.mark.usefixtures("english")


def declined() -> AgentState:
    """Qubicle says only "reject": one 15 s before the deadline is the agent's decline."""
    return run(
        offer(10, ring=20, force_away_on_reject=True),
        ev(Rejected, 15, queue_id=SALES, session_id="s1"),
        ev(WentAway, 15, reason="missed_call"),
        state=ready_agent(),
    )


def test_a_declined_call_is_worded_declined_in_the_card_the_alert_and_the_timeline(
    qtbot: QtBot,
) -> None:
    state = declined()
    assert text.missed_text(state) == (
        "You declined a call from Marie Curie (+33123456789) in queue queue-sa. "
        "The queue set you Away because of it."
    )
    assert text.missed_title(state) == "Declined call"
    assert text.timeline_row(state, state.history[-1], local)[3] == (
        "declined the call from Marie Curie <+33123456789>; "
        "the queue sets agents away after a missed call"
    )
    card = MissedCard([])
    qtbot.addWidget(card)
    card.show_state(state, dismissed=False)
    assert card.title.text() == "Declined call"


def test_a_call_that_rang_out_is_still_missed() -> None:
    state = run(offer(10, ring=20), ev(Rejected, 30, queue_id=SALES), state=ready_agent())
    assert text.missed_title(state) == "Missed call"
    assert text.missed_text(state) is not None
    assert text.missed_text(state).startswith("You missed a call")  # type: ignore[union-attr]


@pytest.mark.parametrize(("status", "declined"), [("BUSY", True), ("NOANSWER", False)])
def test_telphin_says_which_ring_the_agent_declined(status: str, declined: bool) -> None:
    fields = {
        "EventType": "hangup",
        "CallID": "call-1",
        "CallerExtensionID": "3001",
        "CallStatus": status,
    }
    ended = call_event(fields, "1001", {"13596*501": "3001"})
    assert isinstance(ended, Rejected)
    assert ended.declined is declined


def test_the_timeline_says_ready_where_the_strip_does() -> None:
    state = run(offer(10, ring=20), ev(Rejected, 30, queue_id=SALES), state=ready_agent())
    words = [text.timeline_row(state, change, local)[1] for change in state.history]
    assert "Ringing → Ready" in words
    assert all("Idle" not in each for each in words)
    away = declined()
    rows = [text.timeline_row(away, change, local)[1] for change in away.history]
    assert rows[-2:] == ["Ringing → Away", "Ready → Away (missed call)"]


def test_a_supervisor_is_never_shown_as_a_hex_id() -> None:
    state = run(
        ev(WiretapStarted, 5, monitoring_recipient_id=SUPERVISOR, mode="eavesdrop"),
        state=ready_agent(),
    )
    row = text.timeline_row(state, state.history[-1], local)
    assert SUPERVISOR not in " ".join(row)
    assert row[3] == "a supervisor started monitoring (listening)"


def test_a_deferred_away_made_at_wrapup_start_is_shown_done_and_not_offered_again() -> None:
    on_call = run(offer(10, ring=20), ev(Delivered, 12, session_id="s1"), state=ready_agent())
    assert text.defer_away_label(on_call) == "Away after this call"
    deferred = run(DeferralSet(command=Away(), after="call", at=UNIX_NOW + 13), state=on_call)
    wrapping = run(
        ev(HungUp, 20, session_id="s1"),
        ev(WrapupStarted, 20, queue_id=SALES, wrapup_time_seconds=30),
        state=deferred,
    )
    assert text.defer_away_label(wrapping) == "Away after wrap-up"
    # The session made the Away at wrap-up start; the server shows it.
    done = run(ev(WentAway, 21), state=replace_deferred(wrapping))
    shown = text.headline(done)
    assert (shown.word, shown.detail) == ("Wrap-up", "Away")
    assert text.defer_away_label(done) is None
    again = run(DeferralSet(command=Away(), after="wrapup", at=UNIX_NOW + 22), state=done)
    assert again.deferred is None
    later = run(DeferralSet(command=Logout(), after="wrapup", at=UNIX_NOW + 22), state=done)
    assert later.deferred is not None


def replace_deferred(state: AgentState) -> AgentState:
    """What the session does before making a deferred change: clear it."""
    return run(DeferralCleared(at=UNIX_NOW + 20.5), state=state)
