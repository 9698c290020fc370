"""How each Qubicle recipient event changes the agent's state.

One rule per event. A rule returns the new state with who caused the change and
why, or `Skip` with the reason the event does not apply (out of date, about
another offer or call). `why_ignored` holds the checks common to every event.
"""

from collections.abc import Callable
from typing import Any

from msgspec.structs import replace

from agent_toolbar.domain import causes
from agent_toolbar.domain.events import (
    BecameReady,
    Delivered,
    ExternalCallEnded,
    ExternalCallStarted,
    HungUp,
    LoggedIn,
    LoggedOut,
    Offered,
    PhoneUnreachable,
    QueuePaused,
    QueueResumed,
    RecipientEvent,
    Rejected,
    Rescinded,
    Synced,
    WentAway,
    WiretapFailed,
    WiretapStarted,
    WiretapStopped,
    WrapupCompleted,
    WrapupStarted,
)
from agent_toolbar.domain.queue_rules import ring_facts, ring_seen
from agent_toolbar.domain.rules import (
    MAX_RING_SECONDS,
    MAX_WRAPUP_SECONDS,
    Outcome,
    Skip,
    activity_since,
    asked_away,
    caller,
    clipped,
    keep_reason,
    matches,
    new_session,
    older,
    seconds_within,
    set_status,
    status_word,
    text,
    when,
    wiretap_mode,
)
from agent_toolbar.domain.state import (
    AgentState,
    Call,
    ExternalCall,
    MissedOffer,
    Offer,
    QueuePause,
    Source,
    Wiretap,
    Wrapup,
)
from agent_toolbar.domain.timestamps import to_unix

_NEEDS_LOGIN = (
    QueuePaused,
    QueueResumed,
    WrapupStarted,
    WrapupCompleted,
    Rejected,
    Rescinded,
    Delivered,
    HungUp,
    ExternalCallStarted,
    ExternalCallEnded,
)
"""Events that mean nothing to a logged-out agent (an offer still means it is ready)."""

DECLINE_MARGIN_SECONDS = 2.0
"""A reject this long before the offer's deadline was a decline, not a ring that ran out."""

_STALE_STATUS = Skip("older than the current status")
_STALE_ACTIVITY = Skip("older than the current offer, call or wrap-up")
_OTHER_OFFER = Skip("about another offer than the one ringing")
_EARLIER_RING = Skip("about an earlier ring than the one ringing")


def why_ignored(state: AgentState, event: RecipientEvent, at: float | None) -> str | None:
    """Why the event, which happened at server time `at`, does not apply at all, or None."""
    if not _concerns(state, event):
        return f"event of another recipient ({event.recipient_id})"
    if event.msg_id is not None and event.msg_id in state.seen:
        return f"message {event.msg_id} was already applied"
    if older(at, state.session_since):
        return "older than the agent's last log in or out"
    if state.status == "logged_out" and isinstance(event, _NEEDS_LOGIN):
        return "the agent is logged out"
    return None


def apply_event(state: AgentState, event: RecipientEvent, at: float | None) -> Outcome | Skip:
    return _HANDLERS[type(event)](state, event, at)


def _concerns(state: AgentState, event: RecipientEvent) -> bool:
    me = state.recipient_id
    if event.recipient_id == me:
        return True
    if isinstance(event, WiretapStarted):
        return me in (event.target, event.monitor)
    if isinstance(event, WiretapStopped):
        tap = state.wiretap
        return tap is not None and event.call_id is not None and event.call_id == tap.call_id
    return False


def _logged_in(state: AgentState, event: LoggedIn, at: float | None) -> Outcome | Skip:
    if older(at, state.status_since):
        return _STALE_STATUS
    status = status_word(event.state) or "away"  # Qubicle logs agents in as away
    return new_session(state, status, at), "server", causes.LOGGED_IN


def _logged_out(state: AgentState, event: LoggedOut, at: float | None) -> Outcome | Skip:
    if older(at, state.status_since):
        return _STALE_STATUS
    cause = (
        causes.LOGGED_OUT_BECAUSE.format(reason=clipped(event.reason))
        if event.reason
        else causes.LOGGED_OUT
    )
    return new_session(state, "logged_out", at), "server", cause


def _became_ready(state: AgentState, event: BecameReady, at: float | None) -> Outcome | Skip:
    if older(at, state.status_since):
        return _STALE_STATUS
    return replace(set_status(state, "ready", at), missed_offer=None), "server", causes.READY


def _went_away(state: AgentState, event: WentAway, at: float | None) -> Outcome | Skip:
    if older(at, state.status_since):
        return _STALE_STATUS
    missed = state.missed_offer
    if missed is not None and missed.forced_away and state.status != "away":
        who = caller(missed.caller_id_name, missed.caller_id_number)
        forced = causes.FORCED_AWAY_DECLINED if missed.declined else causes.FORCED_AWAY
        cause = forced.format(who=who)
        reason = clipped(event.reason)
    else:
        # A server that holds no reason: the one the agent asked for is the agent's note.
        asked = asked_away(state)
        if event.reason is None and asked is not None and asked.reason:
            cause = causes.AWAY_BECAUSE.format(reason=asked.reason)
            return set_status(state, "away", at, asked.reason, standing="note"), "server", cause
        reason = clipped(event.reason)
        cause = causes.AWAY_BECAUSE.format(reason=reason) if reason else causes.AWAY
    return set_status(state, "away", at, reason), "server", cause


def _queue_paused(state: AgentState, event: QueuePaused, at: float | None) -> Outcome | Skip:
    return _pause(state, event.queue_id, at, paused=True)


def _queue_resumed(state: AgentState, event: QueueResumed, at: float | None) -> Outcome | Skip:
    return _pause(state, event.queue_id, at, paused=False)


def _pause(
    state: AgentState, queue: str | None, at: float | None, *, paused: bool
) -> Outcome | Skip:
    if queue is None:
        return Skip("names no queue")
    previous = next((mark for mark in state.queue_pauses if mark.queue_id == queue), None)
    if previous is not None and older(at, previous.since):
        return Skip(f"older than the last pause or resume of queue {queue}")
    mark = QueuePause(queue_id=queue, paused=paused, since=when(state, at))
    others = [mark for mark in state.queue_pauses if mark.queue_id != queue]
    marks = tuple(sorted([*others, mark], key=lambda item: item.queue_id))
    cause = causes.QUEUE_PAUSED if paused else causes.QUEUE_RESUMED
    return replace(state, queue_pauses=marks), "server", cause


def _wrapup_started(state: AgentState, event: WrapupStarted, at: float | None) -> Outcome | Skip:
    if older(at, activity_since(state)):
        return _STALE_ACTIVITY
    since = when(state, at)
    seconds = seconds_within(event.wrapup_time_seconds, MAX_WRAPUP_SECONDS)
    ends = since + seconds if since is not None and seconds is not None else None
    wrapup = Wrapup(queue_id=event.queue_id, seconds=seconds, since=since, ends=ends)
    after = replace(state, wrapup=wrapup, call=None, offer=None, external_call=None)
    return after, "server", causes.WRAPUP_STARTED


def _wrapup_completed(
    state: AgentState, event: WrapupCompleted, at: float | None
) -> Outcome | Skip:
    wrapup = state.wrapup
    after = state
    if wrapup is not None and matches(event.queue_id, wrapup.queue_id):
        if older(at, wrapup.since):
            return Skip("older than the current wrap-up")
        after = replace(after, wrapup=None)
    status = status_word(event.availability_state)
    if status is not None and not older(at, state.status_since):
        after = keep_reason(after, status, at)
    return after, "server", causes.WRAPUP_ENDED


def _offered(state: AgentState, event: Offered, at: float | None) -> Outcome | Skip:
    if older(at, activity_since(state)):
        return _STALE_ACTIVITY
    if event.queue_id is None and state.status == "logged_out":
        return Skip("the agent is logged out, and the offer names no queue")
    stated = seconds_within(event.ring_timeout, MAX_RING_SECONDS) or None
    ring = ring_facts(state, event.queue_id, stated, event.force_away_on_reject)
    offered_at = when(state, at)
    deadline = None
    if offered_at is not None and ring.ring_timeout is not None:
        deadline = offered_at + ring.ring_timeout
    number = event.caller_id_number if event.caller_id_number is not None else event.caller_id_num
    offer = Offer(
        session_id=event.session_id,
        queue_id=event.queue_id,
        caller_id_name=text(event.caller_id_name),
        caller_id_number=text(number),
        ring_timeout=ring.ring_timeout,
        offered_at=offered_at,
        deadline=deadline,
        force_away_on_reject=ring.force_away,
        position=event.enter_pos,
        waiting_since=to_unix(event.queue_enter_time),
        ring_learned=ring.learned,
    )
    # Queues offer only to free, ready agents: anything else the state holds is out of date.
    ready = state
    from_queue = event.queue_id is not None
    if from_queue and state.status != "ready" and not older(at, state.status_since):
        ready = set_status(state, "ready", at)
    after = replace(
        ready, offer=offer, call=None, wrapup=None, external_call=None, missed_offer=None
    )
    who = caller(offer.caller_id_name, offer.caller_id_number)
    return after, "server", causes.OFFERED.format(who=who)


def _is_offer(offer: Offer, queue: str | None, session: str | None) -> bool:
    return matches(queue, offer.queue_id) and matches(session, offer.session_id)


def _before_offer(offer: Offer, at: float | None) -> bool:
    """An end dated before the offer began is an earlier ring's (a caller rung again)."""
    return offer.start_known and older(at, offer.offered_at)


def _rejected(state: AgentState, event: Rejected, at: float | None) -> Outcome | Skip:
    offer = state.offer
    if offer is not None and not _is_offer(offer, event.queue_id, event.session_id):
        return _OTHER_OFFER
    if offer is not None and _before_offer(offer, at):
        return _EARLIER_RING
    declined = event.declined if event.declined is not None else _ended_early(offer, at)
    missed = MissedOffer(
        queue_id=event.queue_id if offer is None else offer.queue_id,
        caller_id_name=None if offer is None else offer.caller_id_name,
        caller_id_number=None if offer is None else offer.caller_id_number,
        at=when(state, at),
        forced_away=offer is not None and offer.force_away_on_reject,
        declined=declined,
    )
    who = caller(missed.caller_id_name, missed.caller_id_number)
    after = replace(state, offer=None, missed_offer=missed)
    if offer is not None and offer.start_known and offer.answer_by is None and not declined:
        rang = None if at is None or offer.offered_at is None else at - offer.offered_at
        if rang is not None:
            after = ring_seen(after, offer.queue_id, rang)
    cause = causes.DECLINED if declined else causes.NOT_ANSWERED
    return after, "server", cause.format(who=who)


def _ended_early(offer: Offer | None, at: float | None) -> bool:
    """A reject well before the server's deadline is the agent's decline: a ring that ran
    out ends at it (stamps are whole seconds, truncated, hence the margin)."""
    if offer is None or not offer.start_known or at is None or offer.answer_by is None:
        return False
    return at < offer.answer_by - DECLINE_MARGIN_SECONDS


def _rescinded(state: AgentState, event: Rescinded, at: float | None) -> Outcome | Skip:
    offer = state.offer
    if offer is None:
        return Skip("no offer is ringing")
    if not _is_offer(offer, event.queue_id, event.session_id):
        return _OTHER_OFFER
    if _before_offer(offer, at):
        return _EARLIER_RING
    return replace(state, offer=None), "server", causes.WITHDRAWN


def _delivered(state: AgentState, event: Delivered, at: float | None) -> Outcome | Skip:
    if older(at, activity_since(state)):
        return _STALE_ACTIVITY
    offer = state.offer
    same = offer if offer is not None and matches(event.session_id, offer.session_id) else None
    name = text(event.caller_id_name)
    number = text(event.caller_id_number)
    call = Call(
        session_id=event.session_id,
        queue_id=event.queue_id,
        queue_name=clipped(event.queue_name),
        caller_id_name=name if name is not None or same is None else same.caller_id_name,
        caller_id_number=number if number is not None or same is None else same.caller_id_number,
        since=when(state, at),
    )
    after = replace(
        state, call=call, offer=None, wrapup=None, external_call=None, phone_unreachable_since=None
    )
    who = caller(call.caller_id_name, call.caller_id_number)
    return after, "server", causes.ANSWERED.format(who=who)


def _hung_up(state: AgentState, event: HungUp, at: float | None) -> Outcome | Skip:
    call = state.call
    if call is None:
        return state, "server", causes.SOME_CALL_ENDED
    if not matches(event.session_id, call.session_id):
        return Skip("about another call than the current one")
    if older(at, call.since):
        return _STALE_ACTIVITY
    return replace(state, call=None), "server", causes.CALL_ENDED


def _external_started(
    state: AgentState, event: ExternalCallStarted, at: float | None
) -> Outcome | Skip:
    if older(at, activity_since(state)):
        return _STALE_ACTIVITY
    external = ExternalCall(call_id=event.external_call_id, since=when(state, at))
    after = replace(state, external_call=external, phone_unreachable_since=None)
    return after, "server", causes.EXTERNAL_STARTED


def _external_ended(
    state: AgentState, event: ExternalCallEnded, at: float | None
) -> Outcome | Skip:
    external = state.external_call
    if external is None:
        return state, "server", causes.SOME_EXTERNAL_ENDED
    if not matches(event.external_call_id, external.call_id):
        return Skip("about another call than the current one")
    return replace(state, external_call=None), "server", causes.EXTERNAL_ENDED


def _phone_unreachable(
    state: AgentState, event: PhoneUnreachable, at: float | None
) -> Outcome | Skip:
    """The phone was not rung: an offer (or another call) for that call is over, and not by
    the caller's doing."""
    offer, external = state.offer, state.external_call
    if offer is not None and _is_offer(offer, event.queue_id, event.session_id):
        state = replace(state, offer=None)
    if external is not None and matches(event.session_id, external.call_id):
        state = replace(state, external_call=None)
    if state.phone_unreachable_since is None:
        state = replace(state, phone_unreachable_since=when(state, at))
    return state, "server", causes.PHONE_UNREACHABLE


def _synced(state: AgentState, event: Synced, at: float | None) -> Outcome | Skip:
    status = status_word(event.availability_state)
    if status is None or status == state.status:
        return state, "server", causes.SYNC
    if older(at, state.status_since):
        return _STALE_STATUS
    cause = causes.SYNC_SAYS.format(status=event.availability_state)
    return keep_reason(state, status, at), "server", cause


def _wiretap_started(state: AgentState, event: WiretapStarted, at: float | None) -> Outcome:
    me = state.recipient_id
    monitoring = event.target is not None and event.target != me
    mode = wiretap_mode(event.mode)
    tap = Wiretap(
        role="monitoring" if monitoring else "monitored",
        mode=mode,
        monitor=me if monitoring else event.monitor,
        target=event.target if monitoring else me,
        call_id=event.call_id,
        since=when(state, at),
    )
    if monitoring:
        cause = causes.MONITORING.format(target=event.target, mode=mode)
        return replace(state, wiretap=tap), "server", cause
    # The event names the supervisor by recipient id only ([wiretap_names]): no name to show.
    cause = causes.MONITORED_BY_SOMEONE.format(mode=mode)
    return replace(state, wiretap=tap), "supervisor", cause


def _wiretap_stopped(state: AgentState, event: WiretapStopped, at: float | None) -> Outcome | Skip:
    tap = state.wiretap
    if tap is None:
        return Skip("no monitoring is active")
    if not matches(event.call_id, tap.call_id):
        return Skip("about another monitoring session")
    source: Source = "supervisor" if tap.role == "monitored" else "server"
    return replace(state, wiretap=None), source, causes.MONITORING_ENDED


def _wiretap_failed(state: AgentState, event: WiretapFailed, at: float | None) -> Outcome:
    return state, "server", causes.MONITORING_FAILED


_HANDLERS: dict[type[RecipientEvent], Callable[[AgentState, Any, float | None], Outcome | Skip]] = {
    LoggedIn: _logged_in,
    LoggedOut: _logged_out,
    BecameReady: _became_ready,
    WentAway: _went_away,
    QueuePaused: _queue_paused,
    QueueResumed: _queue_resumed,
    WrapupStarted: _wrapup_started,
    WrapupCompleted: _wrapup_completed,
    Offered: _offered,
    Rejected: _rejected,
    Rescinded: _rescinded,
    Delivered: _delivered,
    HungUp: _hung_up,
    ExternalCallStarted: _external_started,
    ExternalCallEnded: _external_ended,
    Synced: _synced,
    WiretapStarted: _wiretap_started,
    WiretapStopped: _wiretap_stopped,
    WiretapFailed: _wiretap_failed,
    PhoneUnreachable: _phone_unreachable,
}
