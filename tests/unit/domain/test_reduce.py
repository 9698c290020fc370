from typing import Any

import pytest
from msgspec.structs import replace

from agent_toolbar.domain import AgentState, Tick, step
from agent_toolbar.domain.events import (
    BecameReady,
    Delivered,
    ExternalCallEnded,
    ExternalCallStarted,
    HungUp,
    LoggedIn,
    LoggedOut,
    QueuePaused,
    QueueResumed,
    Rejected,
    Rescinded,
    StatsPayload,
    Synced,
    WentAway,
    WiretapFailed,
    WiretapStarted,
    WiretapStopped,
    WrapupCompleted,
    WrapupStarted,
)
from agent_toolbar.domain.reduce import RING_GRACE_SECONDS
from agent_toolbar.domain.rules import MAX_RING_SECONDS, MAX_TEXT
from agent_toolbar.domain.state import DEDUP_GENERATION, HISTORY_LIMIT
from tests.helpers.events import SALES, SUPPORT, ev, offer, ready_agent, run
from tests.helpers.seed import AGENT, GREGORIAN_NOW, SUPERVISOR, UNIX_NOW

OTHER = "another-agent"


def ignored(state: AgentState, event: Any) -> str | None:
    """Why the event was ignored, after checking it changed nothing but the server's time."""
    result = step(state, event)
    assert replace(result.state, server_time=state.server_time) == state
    assert result.state.server_time == max(state.server_time or 0, event.occurred_at or 0)
    return result.ignored


# --- status -----------------------------------------------------------------


def test_login_puts_the_agent_away_as_qubicle_does() -> None:
    state = run(ev(LoggedIn, 0))
    assert state.status == "away"
    assert state.status_since == UNIX_NOW
    assert state.session_since == UNIX_NOW


def test_login_state_word_is_respected() -> None:
    assert run(ev(LoggedIn, 0, state="ready")).status == "ready"


def test_ready_and_away_with_reason() -> None:
    state = run(ev(LoggedIn, 0), ev(BecameReady, 5))
    assert (state.status, state.status_since) == ("ready", UNIX_NOW + 5)
    state = run(ev(WentAway, 9, reason="lunch"), state=state)
    assert (state.status, state.away_reason, state.status_since) == ("away", "lunch", UNIX_NOW + 9)


def test_time_in_status_does_not_restart_when_the_status_repeats() -> None:
    state = run(ev(BecameReady, 10), state=ready_agent())
    assert state.status_since == UNIX_NOW + 1


def test_logout_clears_offer_call_wrapup_pauses_and_monitoring() -> None:
    busy = run(
        ev(QueuePaused, 2, queue_id=SUPPORT),
        offer(3),
        ev(ExternalCallStarted, 4),
        ev(WiretapStarted, 5, target=AGENT, monitoring_recipient_id=SUPERVISOR),
        state=ready_agent(),
    )
    assert busy.offer is not None
    assert busy.paused_queues == (SUPPORT,)
    state = run(ev(LoggedOut, 6, reason="end of shift"), state=busy)
    assert state.status == "logged_out"
    assert (state.offer, state.call, state.wrapup, state.external_call) == (None, None, None, None)
    assert (state.wiretap, state.missed_offer, state.paused_queues) == (None, None, ())
    assert state.activity == "idle"
    assert state.history[-1].cause == "logged out: end of shift"


def test_logout_during_a_call_ends_it_and_later_call_events_do_not_bring_it_back() -> None:
    on_call = run(offer(2), ev(Delivered, 3, session_id="s1"), state=ready_agent())
    state = run(ev(LoggedOut, 10), state=on_call)
    for late in (
        ev(WrapupStarted, 11, wrapup_time_seconds=30),
        ev(QueuePaused, 12, queue_id=SALES),
    ):
        assert ignored(state, late) == "the agent is logged out"


def test_a_logout_without_timestamp_still_bounds_the_session_by_the_known_time() -> None:
    state = run(ev(LoggedIn, 0), Tick(UNIX_NOW + 10), ev(LoggedOut, None))
    assert state.session_since == UNIX_NOW + 10
    assert ignored(state, offer(9)) == "older than the agent's last log in or out"


def test_an_offer_shows_the_agent_ready_even_if_the_ready_event_was_lost() -> None:
    state = run(ev(LoggedIn, 0), offer(5))
    assert state.status == "ready"
    assert state.activity == "offered"


# --- filtering, duplicates and staleness ------------------------------------


def test_events_of_other_recipients_are_ignored() -> None:
    reason = ignored(ready_agent(), ev(WentAway, 5, recipient_id=OTHER))
    assert reason == f"event of another recipient ({OTHER})"


def test_events_of_other_recipients_still_move_the_servers_clock() -> None:
    ringing = run(offer(10, ring=20), state=ready_agent())
    late = UNIX_NOW + 31 + RING_GRACE_SECONDS
    assert run(ev(BecameReady, late - UNIX_NOW, recipient_id=OTHER), state=ringing).offer is None


def test_a_repeated_message_id_changes_nothing() -> None:
    away = ev(WentAway, 5, reason="lunch", msg_id="dup")
    state = run(away, ev(BecameReady, 6))
    again = step(state, away)
    assert again.state is state
    assert again.ignored == "message dup was already applied"


def test_message_ids_are_remembered_for_at_least_one_generation() -> None:
    state = ready_agent()
    first = ev(Synced, 2, msg_id="first")
    state = run(first, state=state)
    for n in range(DEDUP_GENERATION - 1):
        state = run(ev(Synced, 3, msg_id=f"filler-{n}"), state=state)
    assert step(state, first).ignored is not None
    for n in range(2 * DEDUP_GENERATION):
        state = run(ev(Synced, 4, msg_id=f"more-{n}"), state=state)
    assert step(state, first).ignored is None


def test_an_older_status_event_does_not_overwrite_a_newer_one() -> None:
    state = run(ev(WentAway, 50, reason="lunch"), state=ready_agent())
    result = step(state, ev(BecameReady, 40))
    assert result.state is state
    assert result.ignored == "older than the current status"


def test_an_event_with_the_same_second_still_applies() -> None:
    state = run(ev(WentAway, 50), ev(BecameReady, 50), state=ready_agent())
    assert state.status == "ready"


def test_events_older_than_the_last_login_are_ignored() -> None:
    state = run(ev(LoggedOut, 10), ev(LoggedIn, 20))
    result = step(state, ev(BecameReady, 15))
    assert result.ignored == "older than the agent's last log in or out"


def test_an_older_pause_does_not_undo_a_newer_resume() -> None:
    state = run(
        ev(QueuePaused, 10, queue_id=SALES),
        ev(QueueResumed, 20, queue_id=SALES),
        state=ready_agent(),
    )
    result = step(state, ev(QueuePaused, 15, queue_id=SALES))
    assert result.state is state
    assert "older than the last pause or resume" in (result.ignored or "")


def test_an_older_offer_does_not_replace_the_current_call() -> None:
    on_call = run(offer(10, "s2"), ev(Delivered, 12, session_id="s2"), state=ready_agent())
    result = step(on_call, offer(5, "s1"))
    assert result.state is on_call
    assert result.ignored == "older than the current offer, call or wrap-up"


def test_events_without_timestamps_apply_in_arrival_order() -> None:
    state = run(
        offer(2),
        ev(Delivered, 3, session_id="s1"),
        ev(HungUp, None, session_id="s1"),
        state=ready_agent(),
    )
    assert state.call is None
    assert state.activity == "idle"


# --- queues -----------------------------------------------------------------


def test_per_queue_pause_and_resume() -> None:
    state = run(
        ev(QueuePaused, 2, queue_id=SUPPORT),
        ev(QueuePaused, 3, queue_id=SALES),
        state=ready_agent(),
    )
    assert state.paused_queues == (SALES, SUPPORT)
    assert state.status == "ready"
    state = run(ev(QueueResumed, 4, queue_id=SUPPORT), state=state)
    assert state.paused_queues == (SALES,)
    assert [(c.queue_id, c.new, c.cause) for c in state.history if c.aspect == "queue"] == [
        (SUPPORT, "paused", "queue paused"),
        (SALES, "paused", "queue paused"),
        (SUPPORT, "taking calls", "queue resumed"),
    ]


def test_pause_without_a_queue_is_ignored() -> None:
    assert ignored(ready_agent(), ev(QueuePaused, 2)) == "names no queue"


# --- offers -----------------------------------------------------------------


def test_offer_has_the_servers_deadline() -> None:
    state = run(
        offer(10, ring=20, enter_pos=3, queue_enter_time=GREGORIAN_NOW - 5), state=ready_agent()
    )
    assert state.activity == "offered"
    assert state.offer is not None
    assert state.offer.offered_at == UNIX_NOW + 10
    assert state.offer.deadline == UNIX_NOW + 30
    assert state.offer.position == 3
    assert state.offer.waiting_since == UNIX_NOW - 5
    assert state.offer.caller_id_name == "Marie Curie"


def test_caller_id_num_and_numeric_caller_ids_are_read() -> None:
    state = run(offer(10, caller_id_number=None, caller_id_num=33123456789), state=ready_agent())
    assert state.offer is not None
    assert state.offer.caller_id_number == "33123456789"


def test_an_offer_stops_ringing_after_its_deadline_without_any_event() -> None:
    state = run(offer(10, ring=20), state=ready_agent())
    assert run(Tick(UNIX_NOW + 30 + RING_GRACE_SECONDS), state=state).activity == "offered"
    expired = run(Tick(UNIX_NOW + 31 + RING_GRACE_SECONDS), state=state)
    assert expired.offer is None
    assert expired.activity == "idle"
    assert expired.history[-1].cause == "offer from Marie Curie <+33123456789> rang out"
    assert expired.history[-1].at == UNIX_NOW + 30


def test_a_later_event_also_ends_an_offer_past_its_deadline() -> None:
    state = run(offer(10, ring=20), ev(Synced, 60, availability_state="Ready"), state=ready_agent())
    assert state.offer is None


def test_an_offer_that_arrives_after_its_deadline_never_rings() -> None:
    state = run(ev(Synced, 100), state=ready_agent())
    late = run(offer(10, ring=20), state=state)
    assert late.offer is None
    assert late.activity == "idle"


def test_an_offer_without_ring_timeout_gets_no_made_up_deadline_and_still_ends() -> None:
    state = run(offer(10, ring=None), state=ready_agent())
    assert state.offer is not None
    assert state.offer.deadline is None
    assert run(Tick(UNIX_NOW + 10 + 60 + RING_GRACE_SECONDS + 1), state=state).offer is not None
    assert (
        run(Tick(UNIX_NOW + 10 + MAX_RING_SECONDS + RING_GRACE_SECONDS + 1), state=state).offer
        is None
    )


@pytest.mark.parametrize("ring", [0, -5, float("nan"), float("inf")])
def test_impossible_ring_timeouts_are_taken_as_none(ring: float) -> None:
    state = run(offer(10, ring=ring), state=ready_agent())
    assert state.offer is not None
    assert state.offer.ring_timeout is None
    assert state.offer.deadline is None


def test_an_offer_without_any_time_gets_its_deadline_from_the_next_tick() -> None:
    state = run(offer(None, ring=20), state=AgentState(recipient_id=AGENT, status="ready"))
    assert state.offer is not None
    assert state.offer.deadline is None
    state = run(Tick(UNIX_NOW), state=state)
    assert state.offer is not None
    assert state.offer.deadline == UNIX_NOW + 20


def test_ticks_with_impossible_times_are_ignored() -> None:
    state = ready_agent()
    assert step(state, Tick(float("nan"))).state is state


def test_answered_offer_becomes_the_call() -> None:
    state = run(
        offer(10), ev(Delivered, 14, session_id="s1", queue_name="Sales"), state=ready_agent()
    )
    assert state.activity == "on_call"
    assert state.offer is None
    assert state.call is not None
    assert state.call.since == UNIX_NOW + 14
    assert state.call.queue_name == "Sales"
    assert state.call.caller_id_name == "Marie Curie"  # from the offer: delivered had none
    assert state.history[-1].cause == "answered the call from Marie Curie <+33123456789>"


def test_rejected_offer_is_remembered_as_missed_and_explains_the_forced_away() -> None:
    state = run(
        offer(10, force_away_on_reject=True), ev(Rejected, 30, queue_id=SALES), state=ready_agent()
    )
    assert state.offer is None
    assert state.missed_offer is not None
    assert state.missed_offer.caller_id_name == "Marie Curie"
    assert state.missed_offer.forced_away
    state = run(ev(WentAway, 30, reason="missed"), state=state)
    assert state.status == "away"
    assert state.history[-1].cause.startswith("missed the call from Marie Curie")
    back = run(ev(BecameReady, 40), state=state)
    assert back.missed_offer is None


def test_reject_without_a_known_offer_is_still_remembered() -> None:
    state = run(ev(Rejected, 30, queue_id=SALES), state=ready_agent())
    assert state.missed_offer is not None
    assert state.missed_offer.queue_id == SALES
    assert not state.missed_offer.forced_away


def test_reject_of_another_offer_is_ignored() -> None:
    state = run(offer(10, "s1"), state=ready_agent())
    assert (
        ignored(state, ev(Rejected, 12, session_id="s0"))
        == "about another offer than the one ringing"
    )


def test_rescind_withdraws_only_the_matching_offer() -> None:
    state = run(offer(10, "s1"), state=ready_agent())
    assert (
        ignored(state, ev(Rescinded, 11, session_id="s0"))
        == "about another offer than the one ringing"
    )
    withdrawn = run(ev(Rescinded, 12, session_id="s1"), state=state)
    assert withdrawn.offer is None
    assert withdrawn.missed_offer is None
    assert ignored(withdrawn, ev(Rescinded, 13, session_id="s1")) == "no offer is ringing"


# --- calls and wrap-up ------------------------------------------------------


def test_hangup_ends_only_the_current_call() -> None:
    state = run(offer(10), ev(Delivered, 12, session_id="s1"), state=ready_agent())
    assert (
        ignored(state, ev(HungUp, 50, session_id="s0")) == "about another call than the current one"
    )
    ended = run(ev(HungUp, 50, session_id="s1", talk_time=38), state=state)
    assert ended.call is None


def test_wrapup_counts_down_to_its_end_and_completes() -> None:
    state = run(
        offer(10),
        ev(Delivered, 12, session_id="s1"),
        ev(WrapupStarted, 50, queue_id=SALES, wrapup_time_seconds=30),
        state=ready_agent(),
    )
    assert state.activity == "wrapup"
    assert state.call is None  # a wrap-up means the call ended, even if the hangup was lost
    assert state.wrapup is not None
    assert (state.wrapup.since, state.wrapup.ends) == (UNIX_NOW + 50, UNIX_NOW + 80)
    done = run(ev(WrapupCompleted, 80, queue_id=SALES, availability_state="Ready"), state=state)
    assert done.wrapup is None
    assert done.activity == "idle"
    assert done.status == "ready"


def test_wrapup_complete_can_leave_the_agent_away() -> None:
    state = run(ev(WrapupStarted, 50, wrapup_time_seconds=30), state=ready_agent())
    done = run(ev(WrapupCompleted, 80, availability_state="Away"), state=state)
    assert done.status == "away"


def test_wrapup_with_impossible_length_has_no_end() -> None:
    state = run(ev(WrapupStarted, 50, wrapup_time_seconds=-3), state=ready_agent())
    assert state.wrapup is not None
    assert (state.wrapup.seconds, state.wrapup.ends) == (None, None)


def test_external_call_start_and_end() -> None:
    state = run(ev(ExternalCallStarted, 5, external_call_id="x1"), state=ready_agent())
    assert state.activity == "external_call"
    assert ignored(state, ev(ExternalCallEnded, 6, external_call_id="x0")) is not None
    assert run(ev(ExternalCallEnded, 9, external_call_id="x1"), state=state).activity == "idle"


# --- sync and stats ---------------------------------------------------------


def test_sync_corrects_a_drifted_status() -> None:
    state = run(ev(Synced, 30, availability_state="Away"), state=ready_agent())
    assert state.status == "away"
    assert state.history[-1].cause == "the server's periodic sync says Away"


def test_sync_that_agrees_adds_nothing_to_the_timeline() -> None:
    before = ready_agent()
    after = run(ev(Synced, 30, availability_state="Ready"), state=before)
    assert after.history == before.history


def test_sync_while_logged_out_shows_the_missed_login() -> None:
    assert run(ev(Synced, 30, availability_state="Ready")).status == "ready"


def test_stats_come_from_the_newest_event_with_times_in_unix() -> None:
    stats = StatsPayload(total_calls=3, login_time=GREGORIAN_NOW, last_handled_time=0)
    state = run(ev(Synced, 30, stats=stats), state=ready_agent())
    assert state.stats.total_calls == 3
    assert state.stats.login_time == UNIX_NOW
    assert state.stats.last_handled_time is None
    older = run(ev(WiretapFailed, 20, stats=StatsPayload(total_calls=1)), state=state)
    assert older.stats.total_calls == 3


# --- monitoring -------------------------------------------------------------


def test_supervisor_monitoring_the_agent_is_shown_even_from_the_supervisors_event() -> None:
    start = ev(
        WiretapStarted,
        None,
        recipient_id=SUPERVISOR,
        target=AGENT,
        monitoring_recipient_id_dashed=SUPERVISOR,
        mode="eavesdrop",
        wiretap_call_id_dashed="tap-1",
    )
    state = run(start, state=ready_agent())
    assert state.wiretap is not None
    assert (state.wiretap.role, state.wiretap.mode, state.wiretap.monitor) == (
        "monitored",
        "listen",
        SUPERVISOR,
    )
    assert state.history[-1].source == "supervisor"
    stop = ev(WiretapStopped, 30, recipient_id=SUPERVISOR, wiretap_call_id="tap-1")
    stopped = run(stop, state=state)
    assert stopped.wiretap is None
    assert stopped.history[-1].source == "supervisor"


def test_agent_monitoring_someone_else() -> None:
    state = run(ev(WiretapStarted, 5, target=OTHER, mode="barge"), state=ready_agent())
    assert state.wiretap is not None
    assert (state.wiretap.role, state.wiretap.target) == ("monitoring", OTHER)


# --- timeline ---------------------------------------------------------------


def test_every_change_is_on_the_timeline_with_source_and_cause() -> None:
    state = run(offer(10), ev(Delivered, 12, session_id="s1"), state=ready_agent())
    assert [(c.aspect, c.old, c.new, c.source) for c in state.history] == [
        ("status", "logged_out", "away", "server"),
        ("status", "away", "ready", "server"),
        ("activity", "idle", "offered", "server"),
        ("activity", "offered", "on_call", "server"),
    ]
    assert state.history[0].at == UNIX_NOW


def test_the_status_change_is_the_last_entry_of_a_step() -> None:
    busy = run(ev(QueuePaused, 2, queue_id=SALES), offer(3), state=ready_agent())
    state = run(ev(LoggedOut, 4), state=busy)
    assert [c.aspect for c in state.history[-3:]] == ["queue", "activity", "status"]


def test_the_timeline_is_bounded() -> None:
    state = ready_agent()
    for n in range(HISTORY_LIMIT):
        state = run(ev(WentAway, 10 + 2 * n), ev(BecameReady, 11 + 2 * n), state=state)
    assert len(state.history) == HISTORY_LIMIT
    assert state.history[-1].new == "ready"


def test_the_backend_can_say_the_agent_did_it_from_the_phone() -> None:
    state = run(ev(BecameReady, 5, origin="phone"), state=run(ev(LoggedIn, 0)))
    assert state.history[-1].source == "phone"


def test_an_offer_from_no_queue_does_not_say_the_agent_is_ready() -> None:
    away = run(ev(WentAway, 5), state=ready_agent())
    assert run(offer(10, queue_id=None), state=away).status == "away"
    logged_out = run(ev(LoggedOut, 5), state=ready_agent())
    assert step(logged_out, offer(10, queue_id=None)).ignored == (
        "the agent is logged out, and the offer names no queue"
    )


# --- what a hostile server sends is bounded -----------------------------------


def test_an_absurd_ring_time_is_taken_as_none_so_the_offer_cannot_ring_for_ever() -> None:
    state = run(offer(10, ring=1e308), state=ready_agent())
    assert state.offer is not None
    assert state.offer.ring_timeout is None
    assert state.offer.deadline is None
    assert run(Tick(UNIX_NOW + 10 + MAX_RING_SECONDS + 60), state=state).offer is None


def test_an_absurd_wrapup_length_is_taken_as_none() -> None:
    state = run(
        ev(WrapupStarted, 10, queue_id=SALES, wrapup_time_seconds=1e300), state=ready_agent()
    )
    assert state.wrapup is not None
    assert (state.wrapup.seconds, state.wrapup.ends) == (None, None)


def test_a_megabyte_of_reason_or_name_is_cut_to_what_a_window_can_show() -> None:
    huge = "x" * 1_000_000
    away = run(ev(WentAway, 10, reason=huge), state=ready_agent())
    assert away.away_reason == huge[:MAX_TEXT]
    assert len(away.history[-1].cause) < 300
    ringing = run(offer(20, caller_id_name=huge, caller_id_number=10**400), state=ready_agent())
    assert ringing.offer is not None
    assert ringing.offer.caller_id_name == huge[:MAX_TEXT]
    assert ringing.offer.caller_id_number is None
