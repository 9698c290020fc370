"""What the window says, from the state and the time (no Qt needed)."""

import pytest
from msgspec.structs import replace

from agent_toolbar.domain import AgentState, CommandIssued, reduce
from agent_toolbar.domain.commands import Away, Dial, Pause
from agent_toolbar.domain.events import (
    Delivered,
    QueuePaused,
    Rejected,
    WentAway,
    WiretapStarted,
    WrapupStarted,
)
from agent_toolbar.domain.state import Aspect, Change, CommandProgress, QueueInfo, Source, Stats
from agent_toolbar.ui import text
from tests.helpers.events import SALES, SUPPORT, ev, local, offer, ready_agent, run
from tests.helpers.seed import SUPERVISOR, UNIX_NOW

pytestmark = pytest.mark.usefixtures("english")


def with_queues(state: AgentState, *paused: str) -> AgentState:
    queues = (
        QueueInfo(queue_id=SALES, name="Sales", member=True),
        QueueInfo(queue_id=SUPPORT, name="Support", member=True),
    )
    state = replace(state, queues=queues)
    for number, queue in enumerate(paused):
        state = run(ev(QueuePaused, 2 + number, queue_id=queue), state=state)
    return state


@pytest.mark.parametrize(
    ("seconds", "clock", "words"),
    [
        (0, "0:00", "under a minute"),
        (59.9, "0:59", "under a minute"),
        (61, "1:01", "1 min"),
        (3723, "1:02:03", "1 h 02 min"),
        (-5, "0:00", "under a minute"),
    ],
)
def test_durations(seconds: float, clock: str, words: str) -> None:
    assert text.duration(seconds) == clock
    assert text.rough(seconds) == words


def test_the_headline_is_the_activity_or_else_the_status_with_its_reason() -> None:
    assert text.headline(AgentState(recipient_id="a")) == text.Headline(
        "Logged out", None, "logged_out"
    )
    away = run(ev(WentAway, 5, reason="lunch"), state=ready_agent())
    assert text.headline(away) == text.Headline("Away", "lunch", "away")
    ringing = run(offer(10), state=ready_agent())
    assert text.headline(ringing).word == "Ringing"
    assert text.headline(run(ev(Delivered, 12, session_id="s1"), state=ringing)).tone == "busy"
    wrapup = run(ev(WrapupStarted, 20, wrapup_time_seconds=30), state=ready_agent())
    assert text.headline(wrapup) == text.Headline("Wrap-up", None, "wrapup")


def test_time_in_status() -> None:
    assert text.time_in_status(ready_agent(), UNIX_NOW + 1 + 125) == "for 2:05"
    assert text.time_in_status(AgentState(recipient_id="a"), UNIX_NOW) is None


def test_connection_words_say_whether_the_state_is_confirmed() -> None:
    state = ready_agent()
    assert text.connection(replace(state, connection="online"), local) == ("Online", "ready")
    stale = replace(state, connection="stale", reconnect_attempt=3, stale_since=UNIX_NOW + 40)
    assert text.connection(stale, local) == ("Reconnecting, stale since T+40, attempt 3", "away")
    assert text.connection(replace(state, connection="connecting"), local) == ("Connecting", "away")
    signed_out = replace(
        state, connection="offline", connection_problem="signed out: wrong password"
    )
    assert text.connection(signed_out, local) == ("Signed out", "problem")


def test_reconnecting_says_how_soon_the_next_try_comes() -> None:
    stale = replace(
        ready_agent(),
        connection="stale",
        reconnect_attempt=9,
        stale_since=UNIX_NOW + 40,
        next_try_at=UNIX_NOW + 100,
    )
    assert text.connection(stale, local, UNIX_NOW + 88.5) == (
        "Reconnecting, stale since T+40, next try in 12 s, attempt 9",
        "away",
    )
    assert text.connection(stale, local, UNIX_NOW + 101)[0] == (
        "Reconnecting, stale since T+40, attempt 9"
    )


def test_queue_summary_reads_ready_partly_paused_paused_or_logged_out() -> None:
    assert text.queue_summary(AgentState(recipient_id="a")) == "Logged out"
    assert text.queue_summary(with_queues(ready_agent())) == "Taking calls"
    assert text.queue_summary(with_queues(ready_agent(), SALES)) == "1 of 2 paused"
    assert text.queue_summary(with_queues(ready_agent(), SALES, SUPPORT)) == "All paused"
    unknown = run(ev(QueuePaused, 2, queue_id=SALES), state=ready_agent())
    assert text.queue_summary(unknown) == "1 queue paused"


def test_the_offer_counts_down_to_the_servers_deadline_and_says_what_missing_costs() -> None:
    ringing = run(offer(10, ring=20, force_away_on_reject=True, enter_pos=2), state=ready_agent())
    assert ringing.offer is not None
    now = UNIX_NOW + 15
    assert text.ring_text(ringing.offer, now) == "0:15 to answer"
    assert text.ring_text(ringing.offer, UNIX_NOW + 31) == "Ring time is over"
    assert text.offer_cost(ringing.offer) == "Missing it sets you Away"
    assert text.offer_place(ringing.offer, now) == "Position 2 in queue"
    assert text.caller("Marie Curie", "+33123456789") == ("Marie Curie", "+33123456789")
    assert text.caller(None, "+33123456789") == ("+33123456789", None)


def test_call_and_wrapup_times() -> None:
    on_call = run(offer(10), ev(Delivered, 12, session_id="s1"), state=ready_agent())
    assert text.talk_time(on_call, UNIX_NOW + 75) == "1:03"
    wrapup = run(ev(WrapupStarted, 20, wrapup_time_seconds=30), state=ready_agent())
    assert text.wrapup_text(wrapup, UNIX_NOW + 25) == ("0:25 of wrap-up left", False)
    assert text.wrapup_text(wrapup, UNIX_NOW + 42.5) == ("Wrap-up ends in 8 s", True)
    assert text.wrapup_text(wrapup, UNIX_NOW + 60) == (
        "Wrap-up is over: waiting for the server",
        False,
    )


def test_the_missed_offer_card_says_who_and_why_the_status_changed() -> None:
    state = with_queues(run(offer(10, force_away_on_reject=True), state=ready_agent()))
    missed = run(
        ev(Rejected, 30, queue_id=SALES), ev(WentAway, 30, reason="missed_call"), state=state
    )
    assert text.missed_text(missed) == (
        "You missed a call from Marie Curie (+33123456789) in Sales. "
        "The queue set you Away because of it."
    )


def test_supervisor_monitoring_is_named() -> None:
    agent = ready_agent()
    tap = ev(
        WiretapStarted,
        5,
        target=agent.recipient_id,
        monitoring_recipient_id=SUPERVISOR,
        mode="whisper",
    )
    assert text.wiretap_text(run(tap, state=agent).wiretap) == "Supervisor whispering"


def test_command_progress_in_words() -> None:
    progress = CommandProgress(id=1, command=Away(reason="lunch"), phase="pending", issued_at=None)
    assert text.command_text(AgentState(recipient_id="a"), progress) == (
        "Away (lunch): waiting for the server…",
        "quiet",
    )
    failed = replace(progress, phase="failed", reason="the server refused: 400: no")
    assert text.command_text(AgentState(recipient_id="a"), failed) == (
        "Away (lunch) failed: the server refused: 400: no",
        "problem",
    )


def test_a_call_the_server_took_asks_the_agent_to_answer_their_phone() -> None:
    dial = CommandProgress(id=1, command=Dial(number="+15550100"), phase="pending", issued_at=None)
    state = AgentState(recipient_id="a")
    assert text.command_text(state, dial)[0] == "Call +15550100: waiting for the server…"
    assert text.command_text(state, replace(dial, accepted=True)) == (
        "Call +15550100: answer your phone to place the call…",
        "quiet",
    )


def test_a_timed_pause_says_until_when() -> None:
    state = with_queues(ready_agent())
    state = reduce(
        state, CommandIssued(id=1, command=Pause(queue_id=SALES, timeout=600), at=UNIX_NOW + 3)
    )
    state = run(ev(QueuePaused, 4, queue_id=SALES), state=state)
    assert text.pause_text(state, state.queues[0], local) == (
        "Paused until T+603: the toolbar will resume it"
    )
    assert text.pause_text(state, state.queues[1], local) == "Taking calls"


def test_an_away_reason_says_whose_word_it_is() -> None:
    away = run(ev(WentAway, 5, reason="lunch"), state=ready_agent())
    assert text.headline(away).detail == "lunch"
    note = replace(away, reason_standing="note")
    assert text.headline(note).detail == "lunch (your note)"
    unconfirmed = replace(
        away, reason_standing="unconfirmed", reason_unconfirmed_since=UNIX_NOW + 2
    )
    assert text.headline(unconfirmed, local).detail == "lunch? not confirmed since T+2"
    assert text.headline(unconfirmed).detail == "lunch? not confirmed"


def test_a_phone_the_server_cannot_ring_is_said_plainly() -> None:
    assert text.phone_text(ready_agent()) is None
    state = replace(ready_agent(), phone_unreachable_since=UNIX_NOW)
    assert "not registered" in (text.phone_text(state) or "")


def test_queue_pressure() -> None:
    queue = QueueInfo(queue_id=SALES, in_queue=3, longest_wait=80, agents_available=1)
    assert text.pressure(queue) == "3 in queue · longest wait 1:20 · 1 agent free"
    assert text.pressure(QueueInfo(queue_id=SALES)) == "No numbers yet"


def test_stats_and_timeline_rows() -> None:
    stats = Stats(total_calls=12, missed_calls=1, avg_call_time=95, login_time=UNIX_NOW)
    assert text.stats_text(stats, UNIX_NOW + 3700) == [
        ("Calls taken", "12"),
        ("Missed", "1"),
        ("Average talk", "1:35"),
        ("Logged in", "1 h 01 min"),
    ]
    change = Change(
        at=UNIX_NOW + 9,
        aspect="status",
        old="ready",
        new="away: missed_call",
        source="server",
        cause="missed",
    )
    state = with_queues(ready_agent())
    row = text.timeline_row(state, change, local)
    assert row == ("T+9", "Ready → Away (missed call)", "Server", "missed")
    paused = Change(
        at=None,
        aspect="queue",
        old="taking calls",
        new="paused",
        source="you",
        cause="queue paused",
        queue_id=SALES,
    )
    assert text.timeline_row(state, paused, local)[:2] == (
        "\N{EN DASH}",
        "Sales: Taking calls → Paused",
    )


@pytest.mark.parametrize(
    ("aspect", "old", "new", "what"),
    [
        ("status", "logged_out", "ready", "Logged out → Ready"),
        ("activity", "offered", "on_call", "Ringing → On a call"),
        ("activity", "external_call", "wrapup", "On another call → Wrap-up"),
        ("queue", "paused", "taking calls", "Paused → Taking calls"),
        (
            "queue",
            "paused, resume planned",
            "resume dropped",
            "Paused, resume planned → Planned resume dropped",
        ),
        ("queue", "taking calls", "left the queue", "Taking calls → Left the queue"),
        ("phone", "registered", "not registered", "Phone reachable → Phone not registered"),
        ("phone", "not registered", "unknown", "Phone not registered → Unknown"),
        ("wiretap", "none", "monitored (whisper)", "No monitoring → Monitored (whispering)"),
        (
            "wiretap",
            "monitoring (barge)",
            "monitored (listen)",
            "Monitoring (on the call) → Monitored (listening)",
        ),
        ("wiretap", "monitored (coach)", "something else", "Monitored (coach) → Something else"),
    ],
)
def test_each_word_the_timeline_knows_and_any_other_as_it_came(
    aspect: Aspect, old: str, new: str, what: str
) -> None:
    change = Change(at=None, aspect=aspect, old=old, new=new, source="you", cause="")
    assert text.timeline_row(ready_agent(), change, local)[1] == what


@pytest.mark.parametrize(
    ("source", "who"),
    [
        ("you", "You"),
        ("phone", "You, on the phone"),
        ("server", "Server"),
        ("supervisor", "Supervisor"),
        ("reconnect", "Reconnect"),
    ],
)
def test_each_source_has_its_words(source: Source, who: str) -> None:
    assert text.source_word(source) == who


def test_sentences_keep_the_capitals_of_what_they_quote() -> None:
    progress = CommandProgress(id=1, command=Away(reason="Lunch"), phase="pending", issued_at=None)
    assert (
        text.command_text(AgentState(recipient_id="a"), progress)[0]
        == "Away (Lunch): waiting for the server…"
    )


def test_a_change_without_an_answer_says_it_may_or_may_not_have_been_made() -> None:
    progress = CommandProgress(
        id=1, command=Away(reason="lunch"), phase="unknown", issued_at=UNIX_NOW
    )
    words, tone = text.command_text(ready_agent(), progress)
    assert (words, tone) == (
        "Away (lunch): no answer, it may or may not have been made",
        "problem",
    )


def test_ready_with_every_queue_paused_does_not_look_ready() -> None:
    state = run(
        ev(QueuePaused, 4, queue_id=SALES),
        ev(QueuePaused, 5, queue_id=SUPPORT),
        state=with_queues(ready_agent()),
    )
    assert text.headline(state) == text.Headline("Ready", "all queues paused", "away")
    one = run(ev(QueuePaused, 4, queue_id=SALES), state=with_queues(ready_agent()))
    assert text.headline(one) == text.Headline("Ready", None, "ready")


def test_a_queue_takes_calls_only_once_the_agent_is_ready() -> None:
    away = run(ev(WentAway, 5), state=with_queues(ready_agent()))
    assert text.pause_text(away, away.queues[0], local) == "Taking calls when you are Ready"


def test_logged_out_shows_no_time_logged_in() -> None:
    stats = Stats(total_calls=12, login_time=UNIX_NOW)
    assert ("Logged in", "1 h 01 min") in text.stats_text(stats, UNIX_NOW + 3700)
    assert ("Logged in", "\N{EN DASH}") in text.stats_text(stats, UNIX_NOW + 3700, logged_in=False)
