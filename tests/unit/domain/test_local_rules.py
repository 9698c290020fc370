"""Snapshots, the link and commands: the inputs the session adds to the event stream."""

import math
from typing import Any

from agent_toolbar.domain import (
    CapabilityRefused,
    CommandAccepted,
    CommandFailed,
    CommandIssued,
    ConnectionChanged,
    DeferralCleared,
    DeferralSet,
    ResumePlansLoaded,
    ServerClockStepped,
    Snapshot,
    SnapshotCall,
    Tick,
    step,
)
from agent_toolbar.domain.commands import (
    Away,
    Command,
    Dial,
    Login,
    Logout,
    Pause,
    Ready,
    Resume,
    WrapupExtend,
    WrapupFinish,
)
from agent_toolbar.domain.events import (
    BecameReady,
    Delivered,
    ExternalCallStarted,
    HungUp,
    LoggedIn,
    LoggedOut,
    PhoneUnreachable,
    QueuePaused,
    QueueResumed,
    Rejected,
    Synced,
    WentAway,
    WrapupCompleted,
    WrapupStarted,
)
from agent_toolbar.domain.local_rules import deferral_due
from agent_toolbar.domain.rules import SNAPSHOT_MARGIN_SECONDS
from agent_toolbar.domain.state import SETTLED_COMMANDS_KEPT, AgentState, Connection, ResumePlan
from tests.helpers.events import SALES, SUPPORT, ev, offer, ready_agent, run
from tests.helpers.seed import SUPERVISOR, UNIX_NOW

NOW = UNIX_NOW + 100


def snapshot(**fields: Any) -> Snapshot:
    fields.setdefault("taken_at", NOW)
    fields.setdefault("logged_in", True)
    return Snapshot(**fields)


# --- snapshots --------------------------------------------------------------


def test_a_snapshot_saying_logged_out_ends_the_session() -> None:
    busy = run(offer(10), state=ready_agent())
    state = run(snapshot(logged_in=False, cause="reconciled after reconnecting"), state=busy)
    assert state.status == "logged_out"
    assert state.offer is None
    assert state.session_since == NOW - SNAPSHOT_MARGIN_SECONDS
    assert state.history[-1].source == "reconnect"
    assert state.history[-1].cause == "reconciled after reconnecting"


def test_a_snapshot_corrects_a_status_missed_while_disconnected() -> None:
    state = run(snapshot(status="away", away_reason="supervisor"), state=ready_agent())
    assert (state.status, state.away_reason) == ("away", "supervisor")
    assert state.status_since == NOW - SNAPSHOT_MARGIN_SECONDS
    assert state.history[-1].source == "reconnect"


def test_a_snapshot_without_a_reason_keeps_the_known_one() -> None:
    away = run(ev(WentAway, 50, reason="lunch"), state=ready_agent())
    assert run(snapshot(status="away"), state=away).away_reason == "lunch"
    assert run(snapshot(status="away"), state=ready_agent()).away_reason is None


def test_a_snapshot_confirming_our_away_takes_the_reason_we_asked_for() -> None:
    state = run(issue(1, Away(reason="lunch")), snapshot(status="away"), state=ready_agent())
    assert (state.away_reason, state.commands[-1].phase) == ("lunch", "confirmed")


def test_a_snapshot_shows_a_login_made_elsewhere() -> None:
    state = run(snapshot(status="ready"))
    assert state.status == "ready"
    assert state.session_since == NOW - SNAPSHOT_MARGIN_SECONDS


def test_a_snapshot_that_agrees_adds_nothing_to_the_timeline() -> None:
    before = ready_agent()
    after = run(snapshot(status="ready", paused_queues=()), state=before)
    assert after.history == before.history


def test_a_snapshot_read_while_events_arrived_is_not_believed() -> None:
    state = ready_agent()
    basis = state.applied
    newer = run(ev(WentAway, 99, reason="lunch"), state=state)
    result = step(newer, snapshot(status="ready", basis=basis))
    assert result.state is newer
    assert result.ignored == "events arrived while the server was read; it must be read again"


def test_a_consistent_snapshot_wins_over_an_event_of_the_same_second() -> None:
    state = run(ev(BecameReady, 100), state=run(ev(LoggedIn, 0)))
    state = run(snapshot(status="away", away_reason="supervisor", basis=state.applied), state=state)
    assert (state.status, state.away_reason) == ("away", "supervisor")


def test_an_event_of_the_snapshots_own_second_still_applies() -> None:
    state = run(snapshot(status="ready"), state=ready_agent())
    assert run(ev(WentAway, 100, reason="lunch"), state=state).status == "away"


def test_a_snapshot_keeps_the_known_offer_and_its_deadline() -> None:
    ringing = run(offer(90, "s1", ring=20), state=ready_agent())
    listed = SnapshotCall(session_id="s1", queue_id=SALES)
    state = run(snapshot(status="ready", offer=listed), state=ringing)
    assert state.offer == ringing.offer


def test_an_offer_only_the_snapshot_knows_rings_with_no_made_up_deadline() -> None:
    listed = SnapshotCall(session_id="s9", queue_id=SALES, caller_id_name="Ada")
    state = run(snapshot(status="ready", offer=listed), state=ready_agent())
    assert state.offer is not None
    assert state.offer.ring_timeout is None
    assert state.offer.deadline is None
    assert (state.offer.offered_at, state.offer.start_known) == (NOW, False)


def test_a_snapshot_shows_a_call_answered_while_disconnected() -> None:
    listed = SnapshotCall(session_id="s2", queue_id=SALES, caller_id_number="+4420")
    state = run(snapshot(status="ready", call=listed), state=run(offer(10), state=ready_agent()))
    assert state.activity == "on_call"
    assert state.call is not None
    assert (state.call.session_id, state.call.since) == ("s2", None)


def test_a_snapshot_keeps_the_known_call() -> None:
    on_call = run(offer(10), ev(Delivered, 12, session_id="s1"), state=ready_agent())
    listed = SnapshotCall(session_id="s1", queue_id=SALES)
    assert run(snapshot(status="ready", call=listed), state=on_call).call == on_call.call


def test_a_wrapup_first_seen_in_a_reply_has_no_made_up_countdown() -> None:
    # Qubicle's wrapup_time_seconds is the wrap-up's length, not the time left.
    state = run(snapshot(activity="wrapup", wrapup_seconds=30), state=ready_agent())
    assert state.wrapup is not None
    assert (state.wrapup.seconds, state.wrapup.ends) == (30, None)
    assert run(snapshot(status="ready", activity="idle"), state=state).wrapup is None


def test_a_wrapup_counts_down_from_its_event_whatever_the_reply_says() -> None:
    state = run(ev(WrapupStarted, 90, queue_id=SALES, wrapup_time_seconds=30), state=ready_agent())
    again = run(snapshot(activity="wrapup", wrapup_seconds=30), state=state)
    assert again.wrapup == state.wrapup


def test_a_reply_without_a_word_leaves_a_known_wrapup() -> None:
    state = run(ev(WrapupStarted, 90, queue_id=SALES, wrapup_time_seconds=30), state=ready_agent())
    assert run(snapshot(status="ready"), state=state).wrapup == state.wrapup


def test_the_word_shows_a_call_or_an_offer_the_reply_does_not_list() -> None:
    on_call = run(snapshot(activity="on_call"), state=ready_agent())
    assert (on_call.activity, on_call.status) == ("on_call", "ready")
    ringing = run(snapshot(status="ready", activity="offered"), state=ready_agent())
    assert ringing.activity == "offered"
    known = run(offer(10), state=ready_agent())
    listed = snapshot(status="ready", activity="offered", taken_at=UNIX_NOW + 12)
    assert run(listed, state=known).offer == known.offer


def test_during_a_call_an_accepted_away_is_taken_at_its_word() -> None:
    # On-A-Call says nothing of the status: the away the server said yes to stands.
    asked = run(issue(1, Away(reason="lunch")), CommandAccepted(id=1, at=NOW), state=ready_agent())
    state = run(snapshot(activity="on_call"), state=asked)
    assert (state.status, state.away_reason, state.reason_standing) == ("away", "lunch", "note")
    assert state.commands[-1].phase == "confirmed"


def test_a_call_found_on_connecting_means_the_agent_was_ready() -> None:
    assert run(snapshot(activity="on_call")).status == "ready"
    assert run(snapshot(activity="idle")).status == "away"


def test_a_reply_that_names_no_status_changes_no_status() -> None:
    away = run(ev(WentAway, 50, reason="lunch"), state=ready_agent())
    unknown = snapshot(status_known=False, logged_in=True, calls_known=False)
    assert run(unknown, state=away).status == "away"
    assert run(snapshot(status_known=False, logged_in=False, calls_known=False)).status == (
        "logged_out"
    )


def test_a_snapshot_that_knows_nothing_of_calls_leaves_them_alone() -> None:
    on_call = run(offer(10), ev(Delivered, 12, session_id="s1"), state=ready_agent())
    state = run(snapshot(status="ready", calls_known=False), state=on_call)
    assert state.call == on_call.call
    assert run(snapshot(logged_in=False, calls_known=False), state=on_call).call is None


def test_a_snapshot_naming_another_activity_ends_an_external_call() -> None:
    state = run(ev(ExternalCallStarted, 90), state=ready_agent())
    assert run(snapshot(status="ready", activity="idle"), state=state).external_call is None
    assert run(snapshot(status="ready", activity="wrapup"), state=state).external_call is None


def test_a_snapshot_not_saying_what_the_agent_does_keeps_an_external_call() -> None:
    state = run(ev(ExternalCallStarted, 90, external_call_id="c1"), state=ready_agent())
    kept = run(snapshot(status="ready"), state=state).external_call
    assert kept is not None
    assert kept.call_id == "c1"


def test_a_snapshot_shows_monitoring() -> None:
    state = run(snapshot(status="ready", monitored_by=SUPERVISOR, monitor_mode="eavesdrop"))
    assert state.wiretap is not None
    assert (state.wiretap.role, state.wiretap.mode) == ("monitored", "listen")
    assert run(snapshot(status="ready"), state=state).wiretap is None


def test_a_snapshot_replaces_the_paused_queues() -> None:
    state = run(ev(QueuePaused, 5, queue_id=SALES), state=ready_agent())
    state = run(snapshot(status="ready", paused_queues=(SUPPORT,)), state=state)
    assert state.paused_queues == (SUPPORT,)
    assert [(c.queue_id, c.new, c.source) for c in state.history[-2:]] == [
        (SUPPORT, "paused", "reconnect"),
        (SALES, "taking calls", "reconnect"),
    ]


# --- the link ---------------------------------------------------------------


def link(connection: Connection, at: float | None = NOW, **fields: Any) -> ConnectionChanged:
    return ConnectionChanged(connection=connection, at=at, **fields)


def test_first_connection_is_not_stale() -> None:
    state = run(link("connecting", attempt=1))
    assert (state.connection, state.stale_since, state.reconnect_attempt) == ("connecting", None, 1)
    state = run(link("online"), state=state)
    assert (state.connection, state.stale_since) == ("online", None)


def test_a_lost_link_makes_the_state_stale_from_that_moment() -> None:
    online = run(link("online"), state=ready_agent())
    state = run(link("connecting", attempt=1, problem="server unreachable"), state=online)
    assert (state.connection, state.stale_since, state.connection_problem) == (
        "stale",
        NOW,
        "server unreachable",
    )
    state = run(link("connecting", at=NOW + 30, attempt=2), state=state)
    assert (state.stale_since, state.reconnect_attempt) == (NOW, 2)
    back = run(link("online", at=NOW + 40), state=state)
    assert (back.connection, back.stale_since, back.reconnect_attempt) == ("online", None, 0)
    assert back.connection_problem is None


def test_signed_out_keeps_the_state_stale_and_says_why() -> None:
    online = run(link("online"), state=ready_agent())
    state = run(link("offline", problem="signed out: wrong password"), state=online)
    assert (state.connection, state.stale_since) == ("offline", NOW)
    assert state.connection_problem == "signed out: wrong password"


# --- commands ---------------------------------------------------------------


def issue(command_id: int, command: Command, at: float = NOW) -> CommandIssued:
    return CommandIssued(id=command_id, command=command, at=at)


def test_a_command_is_pending_until_the_server_shows_it() -> None:
    state = run(issue(1, Ready()), state=run(ev(LoggedIn, 0)))
    assert [(c.id, c.phase) for c in state.pending] == [(1, "pending")]
    state = run(ev(BecameReady, 101), state=state)
    assert state.pending == ()
    assert state.commands[-1].phase == "confirmed"
    assert state.commands[-1].settled_at == UNIX_NOW + 101
    assert state.history[-1].source == "you"


def test_an_unrelated_event_does_not_confirm_a_command() -> None:
    state = run(issue(1, Away(reason="lunch")), ev(Synced, 101), state=ready_agent())
    assert state.commands[-1].phase == "pending"


def test_a_forced_away_with_another_reason_does_not_confirm_the_agents_away() -> None:
    state = run(issue(1, Away(reason="lunch")), state=ready_agent())
    state = run(ev(WentAway, 101, reason="missed_offer"), state=state)
    assert state.commands[-1].phase == "pending"
    assert state.history[-1].source == "server"
    assert run(ev(WentAway, 102, reason="lunch"), state=state).commands[-1].phase == "confirmed"


def test_away_is_confirmed_when_the_server_does_not_echo_reasons() -> None:
    state = run(issue(1, Away(reason="lunch")), ev(WentAway, 101), state=ready_agent())
    assert state.commands[-1].phase == "confirmed"
    assert (state.status, state.away_reason) == ("away", "lunch")


def test_another_away_reason_is_not_shown_until_the_server_has_it() -> None:
    away = run(link("online"), ev(WentAway, 50), state=ready_agent())
    asked = run(issue(1, Away(reason="lunch")), CommandAccepted(id=1, at=NOW), state=away)
    assert asked.commands[-1].phase == "pending"
    assert asked.commands[-1].accepted
    assert asked.away_reason is None
    checked = run(snapshot(status="away", basis=asked.applied), state=asked)
    assert (checked.status, checked.away_reason) == ("away", "lunch")
    assert checked.commands[-1].phase == "confirmed"


def test_queue_commands_are_confirmed_by_their_queue_only() -> None:
    state = run(issue(1, Pause(queue_id=SALES, timeout=600)), state=ready_agent())
    state = run(ev(QueuePaused, 101, queue_id=SUPPORT), state=state)
    assert state.commands[-1].phase == "pending"
    state = run(ev(QueuePaused, 102, queue_id=SALES), state=state)
    assert state.commands[-1].phase == "confirmed"
    later = snapshot(taken_at=NOW + 10, status="ready", paused_queues=())
    state = run(issue(2, Resume(queue_id=SALES)), later, state=state)
    assert state.commands[-1].phase == "confirmed"


def test_a_snapshot_confirms_a_command_the_server_applied_silently() -> None:
    state = run(issue(1, Login()), snapshot(status="away"))
    assert state.commands[-1].phase == "confirmed"
    state = run(issue(2, Logout()), snapshot(logged_in=False), state=state)
    assert state.commands[-1].phase == "confirmed"


def test_a_newer_wish_replaces_a_pending_one_in_the_same_slot() -> None:
    state = run(
        issue(1, Away(reason="lunch")), issue(2, Pause(queue_id=SALES)), state=ready_agent()
    )
    state = run(issue(3, Ready()), state=state)
    assert [(c.id, c.phase) for c in state.commands] == [
        (1, "replaced"),
        (2, "pending"),
        (3, "pending"),
    ]


def test_failures_keep_their_reason_and_unknown_ids_change_nothing() -> None:
    state = run(issue(1, Ready()), state=ready_agent())
    failed = run(CommandFailed(id=1, reason="the server is unreachable", at=NOW), state=state)
    assert (failed.commands[-1].phase, failed.commands[-1].reason) == (
        "failed",
        "the server is unreachable",
    )
    assert run(CommandFailed(id=7, reason="?", at=NOW), state=failed) is failed
    assert run(CommandAccepted(id=1, at=NOW), state=failed) is failed


def test_wrapup_extend_is_confirmed_by_the_servers_answer_and_finish_by_the_event() -> None:
    state = run(ev(WrapupStarted, 90, queue_id=SALES, wrapup_time_seconds=30), state=ready_agent())
    state = run(issue(1, WrapupExtend()), ev(Synced, 101), state=state)
    assert state.commands[-1].phase == "pending"
    state = run(CommandAccepted(id=1, at=NOW), issue(2, WrapupFinish()), state=state)
    assert state.commands[0].phase == "confirmed"
    state = run(ev(WrapupCompleted, 103, queue_id=SALES), state=state)
    assert state.commands[-1].phase == "confirmed"


def test_a_dial_is_confirmed_by_the_call_showing_up_not_by_the_servers_answer() -> None:
    state = run(issue(1, Dial(number="+15550100")), state=ready_agent())
    accepted = run(CommandAccepted(id=1, at=NOW), state=state)
    assert (accepted.commands[-1].phase, accepted.commands[-1].accepted) == ("pending", True)
    on_call = run(ev(ExternalCallStarted, 101, external_call_id="c1"), state=accepted)
    assert on_call.commands[-1].phase == "confirmed"


def test_a_new_dial_replaces_a_pending_one_and_leaves_the_status_alone() -> None:
    state = run(issue(1, Ready()), issue(2, Dial(number="100")), state=ready_agent())
    state = run(issue(3, Dial(number="200")), state=state)
    assert [(each.id, each.phase) for each in state.commands] == [
        (1, "pending"),
        (2, "replaced"),
        (3, "pending"),
    ]


def test_an_extended_wrapup_stops_counting_down_unless_a_new_start_says_its_end() -> None:
    state = run(ev(WrapupStarted, 90, queue_id=SALES, wrapup_time_seconds=30), state=ready_agent())
    extended = run(issue(1, WrapupExtend()), CommandAccepted(id=1, at=NOW), state=state)
    assert extended.wrapup is not None
    assert (extended.wrapup.queue_id, extended.wrapup.ends) == (SALES, None)
    announced = run(
        issue(1, WrapupExtend(), at=UNIX_NOW + 95.5),
        ev(WrapupStarted, 95, queue_id=SALES, wrapup_time_seconds=25),
        CommandAccepted(id=1, at=UNIX_NOW + 95.6),
        state=state,
    )
    assert announced.wrapup is not None
    assert announced.wrapup.ends == UNIX_NOW + 120


def test_acceptance_confirms_a_change_the_online_state_already_shows() -> None:
    online = run(link("online"), state=ready_agent())
    state = run(issue(1, Ready()), CommandAccepted(id=1, at=NOW), state=online)
    assert state.commands[-1].phase == "confirmed"


def test_acceptance_of_a_change_not_yet_shown_waits_for_the_server() -> None:
    online = run(link("online"), state=ready_agent())
    state = run(issue(1, Away(reason="lunch")), CommandAccepted(id=1, at=NOW), state=online)
    assert state.commands[-1].phase == "pending"


def test_acceptance_does_not_confirm_against_a_stale_state() -> None:
    stale = run(link("online"), link("connecting", attempt=1), state=ready_agent())
    state = run(issue(1, Ready()), CommandAccepted(id=1, at=NOW), state=stale)
    assert state.commands[-1].phase == "pending"


def on_call() -> AgentState:
    return run(offer(10), ev(Delivered, 12, session_id="s1"), state=ready_agent())


def test_a_change_can_wait_for_the_end_of_the_call() -> None:
    state = run(DeferralSet(command=Away(reason="lunch"), after="call", at=NOW), state=on_call())
    assert state.deferred is not None
    assert (state.deferred.command, state.deferred.after) == (Away(reason="lunch"), "call")
    assert not deferral_due(state)
    state = run(ev(HungUp, 40, session_id="s1"), state=state)
    assert deferral_due(state)
    assert run(DeferralCleared(at=NOW), state=state).deferred is None


def test_a_change_can_wait_for_the_end_of_wrapup() -> None:
    state = run(DeferralSet(command=Logout(), after="wrapup", at=NOW), state=on_call())
    state = run(ev(HungUp, 40, session_id="s1"), state=state)
    assert deferral_due(state)  # until wrap-up starts: whoever acts lets events settle first
    state = run(ev(WrapupStarted, 40, wrapup_time_seconds=30), state=state)
    assert not deferral_due(state)
    state = run(ev(WrapupCompleted, 70), state=state)
    assert deferral_due(state)


def test_a_deferral_needs_a_call_or_wrapup_and_logout_clears_it() -> None:
    idle = ready_agent()
    assert step(idle, DeferralSet(command=Logout(), after="call", at=NOW)).ignored == (
        "there is no call to wait for"
    )
    assert step(idle, DeferralSet(command=Logout(), after="wrapup", at=NOW)).ignored == (
        "there is no call or wrap-up to wait for"
    )
    state = run(DeferralSet(command=Away(), after="call", at=NOW), state=on_call())
    assert run(ev(LoggedOut, 20), state=state).deferred is None


def test_settled_commands_are_bounded() -> None:
    state = ready_agent()
    for n in range(SETTLED_COMMANDS_KEPT + 5):
        state = run(issue(n, Ready()), CommandFailed(id=n, reason="no", at=NOW), state=state)
    assert len(state.commands) == SETTLED_COMMANDS_KEPT
    assert state.commands[-1].id == SETTLED_COMMANDS_KEPT + 4


def test_ticks_do_not_confirm_commands() -> None:
    state = run(issue(1, Ready()), Tick(NOW + 5), state=ready_agent())
    assert state.commands[-1].phase == "pending"
    assert state.commands[-1].issued_at == NOW


# --- whose word an away reason is ---------------------------------------------


def test_a_reason_the_server_does_not_echo_is_the_agents_note() -> None:
    asked = run(CommandIssued(id=1, command=Away(reason="lunch"), at=NOW), state=ready_agent())
    state = run(ev(WentAway, 101), state=asked)
    assert (state.away_reason, state.reason_standing) == ("lunch", "note")
    assert state.commands[-1].phase == "confirmed"


def test_an_away_after_a_forced_away_is_not_blamed_on_the_missed_call() -> None:
    forced = run(
        offer(10, ring=2, force_away_on_reject=True),
        ev(Rejected, 12, queue_id=SALES),  # rang out
        ev(WentAway, 12, reason="missed_call"),
        state=ready_agent(),
    )
    assert forced.history[-1].cause.startswith("missed the call")
    state = run(ev(WentAway, 30, reason="lunch"), state=forced)
    assert state.history[-1].cause == "away: lunch"


def test_a_reason_the_server_says_is_its_own() -> None:
    state = run(ev(WentAway, 50, reason="lunch"), state=ready_agent())
    assert (state.away_reason, state.reason_standing) == ("lunch", "server")


def test_after_a_reconnect_a_reason_the_reply_cannot_confirm_is_unconfirmed() -> None:
    away = run(
        ConnectionChanged(connection="online", at=NOW - 60),
        ev(WentAway, 50, reason="lunch"),
        state=ready_agent(),
    )
    lost = run(ConnectionChanged(connection="connecting", at=NOW - 30), state=away)
    state = run(snapshot(status="away"), state=lost)
    assert (state.away_reason, state.reason_standing) == ("lunch", "unconfirmed")
    assert state.reason_unconfirmed_since == lost.stale_since
    online = run(ConnectionChanged(connection="online", at=NOW), state=state)
    assert online.reason_standing == "unconfirmed"
    assert run(ev(WentAway, 150, reason="training"), state=online).reason_standing == "server"


def test_while_online_a_check_keeps_the_reason_the_events_said() -> None:
    away = run(
        ConnectionChanged(connection="online", at=NOW - 60),
        ev(WentAway, 50, reason="lunch"),
        state=ready_agent(),
    )
    assert run(snapshot(status="away"), state=away).reason_standing == "server"


# --- timed pauses are the toolbar's own ----------------------------------------


def paused_for(seconds: float) -> AgentState:
    asked = run(
        CommandIssued(id=1, command=Pause(queue_id=SALES, timeout=seconds), at=NOW),
        state=ready_agent(),
    )
    return run(ev(QueuePaused, 101, queue_id=SALES), state=asked)


def test_a_timed_pause_plans_its_resume() -> None:
    state = paused_for(300)
    assert state.resume_due(SALES) == NOW + 300
    assert state.commands[-1].phase == "confirmed"


def test_a_resume_from_anywhere_ends_the_plan() -> None:
    assert run(ev(QueueResumed, 120, queue_id=SALES), state=paused_for(300)).resume_plans == ()
    asked = run(CommandIssued(id=2, command=Resume(queue_id=SALES), at=NOW), state=paused_for(300))
    assert asked.resume_plans == ()
    untimed = CommandIssued(id=3, command=Pause(queue_id=SALES), at=NOW)
    assert run(untimed, state=paused_for(300)).resume_plans == ()


def test_a_failed_timed_pause_plans_nothing() -> None:
    asked = run(
        CommandIssued(id=1, command=Pause(queue_id=SALES, timeout=60), at=NOW),
        state=ready_agent(),
    )
    assert run(CommandFailed(id=1, reason="no", at=NOW), state=asked).resume_plans == ()


def test_logging_out_drops_the_plan_and_says_so() -> None:
    state = run(ev(LoggedOut, 130), state=paused_for(300))
    assert state.resume_plans == ()
    dropped = [change for change in state.history if change.new == "resume dropped"]
    assert [(change.queue_id, change.old) for change in dropped] == [
        (SALES, "paused, resume planned")
    ]


def test_plans_of_an_earlier_run_hold_only_for_queues_still_paused() -> None:
    paused = run(ev(QueuePaused, 101, queue_id=SALES), state=ready_agent())
    plans = (ResumePlan(queue_id=SALES, due=NOW + 60), ResumePlan(queue_id=SUPPORT, due=NOW))
    state = run(ResumePlansLoaded(plans=plans, at=NOW), state=paused)
    assert state.resume_plans == plans[:1]
    assert run(ResumePlansLoaded(plans=plans, at=NOW)).resume_plans == ()


# --- what the server refuses for good ------------------------------------------


def test_a_refused_capability_is_kept_with_its_newest_words() -> None:
    state = run(
        CapabilityRefused(capability="pause_queues", reason="first", at=NOW),
        CapabilityRefused(capability="pause_queues", reason="second", at=NOW),
        state=ready_agent(),
    )
    assert state.refusal("pause_queues") == "second"
    assert state.refusal("away_reason") is None


# --- a phone the server cannot ring --------------------------------------------


def test_an_unreachable_phone_ends_the_offer_and_shows_until_a_call_gets_through() -> None:
    ringing = run(offer(10), state=ready_agent())
    state = run(ev(PhoneUnreachable, 12, queue_id=SALES, session_id="s1"), state=ringing)
    assert state.offer is None
    assert state.phone_unreachable_since is not None
    assert state.history[-1].aspect == "activity"
    assert [c.new for c in state.history if c.aspect == "phone"] == ["not registered"]
    answered = run(offer(20), ev(Delivered, 22, session_id="s1"), state=state)
    assert answered.phone_unreachable_since is None


def test_an_unreachable_phone_ends_the_other_call_it_was_rung_for() -> None:
    state = run(ev(ExternalCallStarted, 10, external_call_id="c9"), state=ready_agent())
    assert run(ev(PhoneUnreachable, 11, session_id="c8"), state=state).external_call is not None
    assert run(ev(PhoneUnreachable, 11, session_id="c9"), state=state).external_call is None


def test_a_reply_says_whether_the_phone_is_registered() -> None:
    state = run(snapshot(status="ready", phone_registered=False), state=ready_agent())
    assert state.phone_unreachable_since is not None
    assert (
        run(snapshot(status="ready", phone_registered=True), state=state).phone_unreachable_since
        is None
    )


# --- a server clock that steps back ------------------------------------------------


def test_after_the_servers_clock_steps_back_its_new_stamps_still_count() -> None:
    state = run(offer(10), ev(Delivered, 12, session_id="s1"), ev(HungUp, 40), state=ready_agent())
    assert run(ev(WentAway, 45 - 60, reason="lunch"), state=state).status == "ready"  # dropped
    stepped = run(ServerClockStepped(by=-60), state=state)
    assert stepped.status_since is not None
    assert state.status_since is not None
    assert stepped.status_since == state.status_since - 60
    assert [c.at for c in stepped.history] == [
        None if c.at is None else c.at - 60 for c in state.history
    ]
    away = run(ev(WentAway, 45 - 60, reason="lunch"), state=stepped)
    assert (away.status, away.away_reason) == ("away", "lunch")


def test_a_clock_step_that_is_no_number_changes_nothing() -> None:
    state = ready_agent()
    assert step(state, ServerClockStepped(by=float("nan"))).state is state


def test_a_clock_step_longer_than_any_unix_time_changes_nothing() -> None:
    # Found by `make fuzz`: two steps of 9e307 s made the server time infinite.
    state = ready_agent()
    assert step(state, ServerClockStepped(by=8.98e307)).state is state
    assert step(state, ServerClockStepped(by=-2e10)).state is state
    moved = run(ServerClockStepped(by=-1e9), ServerClockStepped(by=-1e9), state=state)
    assert moved.server_time is not None
    assert math.isfinite(moved.server_time)


def test_a_change_without_an_answer_is_unknown_until_the_server_shows_it() -> None:
    asked = run(issue(1, Ready()), state=run(ev(WentAway, 50), state=ready_agent()))
    unknown = run(CommandFailed(id=1, reason="no answer", at=NOW, unanswered=True), state=asked)
    assert (unknown.commands[-1].phase, unknown.pending) == ("unknown", ())
    shown = run(ev(BecameReady, 101), state=unknown)
    assert shown.commands[-1].phase == "confirmed"
