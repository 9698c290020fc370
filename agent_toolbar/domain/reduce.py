"""`reduce(state, input) -> state`: the rules that decide what the toolbar believes.

The rules a trustworthy toolbar needs:
- only events about this agent count (the binding covers the whole account);
- a message seen before changes nothing;
- an event older than what it would overwrite does not overwrite it, and nothing
  older than the last log in or out counts at all;
- logging out ends offer, call, wrap-up and pauses, and while logged out none
  of them comes back (only a login, a status or an offer logs the agent in);
- an offer stops ringing once the server's time passes its deadline.
Every change of status, activity, queue pause or monitoring is written to the
timeline with who caused it and why. `step` also says why an input was ignored.
"""

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import msgspec
from msgspec.structs import replace

from agent_toolbar.domain.events import (
    BecameReady,
    CallerId,
    Delivered,
    ExternalCallEnded,
    ExternalCallStarted,
    HungUp,
    LoggedIn,
    LoggedOut,
    Offered,
    QueuePaused,
    QueueResumed,
    RecipientEvent,
    Rejected,
    Rescinded,
    Synced,
    Tick,
    WentAway,
    WiretapFailed,
    WiretapStarted,
    WiretapStopped,
    WrapupCompleted,
    WrapupStarted,
)
from agent_toolbar.domain.state import (
    HISTORY_LIMIT,
    AgentState,
    Aspect,
    Call,
    Change,
    ExternalCall,
    MissedOffer,
    Offer,
    QueuePause,
    Source,
    Stats,
    Status,
    Wiretap,
    Wrapup,
)
from agent_toolbar.domain.timestamps import to_unix

Input = RecipientEvent | Tick

FALLBACK_RING_SECONDS = 60.0
"""Ring time assumed when an offer states none, so that it cannot ring forever."""

RING_GRACE_SECONDS = 5.0
"""How long past its deadline an offer waits for the server's own reject or delivered."""

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

_STATUS_WORDS: dict[str, Status] = {
    "ready": "ready",
    "away": "away",
    "logged_out": "logged_out",
    "logged-out": "logged_out",
    "logout": "logged_out",
    "offline": "logged_out",
}
_WIRETAP_MODES = {"eavesdrop": "listen", "listen": "listen", "whisper": "whisper", "barge": "barge"}
_SESSION_CLEARED = {
    "away_reason": None,
    "offer": None,
    "call": None,
    "wrapup": None,
    "external_call": None,
    "wiretap": None,
    "missed_offer": None,
    "queue_pauses": (),
}


class Step(NamedTuple):
    """The state after one input, and why the input was ignored (None if it applied)."""

    state: AgentState
    ignored: str | None


class Skip(msgspec.Struct, frozen=True):
    """A handler's answer for an event that is out of date or about something else."""

    reason: str


Outcome = tuple[AgentState, Source, str]
"""A handler's answer for an event that applies: new state, who caused it, and why."""


def reduce(state: AgentState, item: Input) -> AgentState:
    """The state after one input; one that does not apply moves at most the server's time."""
    return step(state, item).state


def step(state: AgentState, item: Input) -> Step:
    """Like `reduce`, and also say why an ignored input was ignored.

    An ignored event still tells the server's time, as a tick does: an offer must
    stop ringing even when only other agents' events arrive.
    """
    if isinstance(item, Tick):
        if not math.isfinite(item.now):
            return Step(state, "a tick without a finite time")
        return Step(_tick(state, item.now), None)
    at = item.occurred_at
    reason = _why_ignored(state, item)
    if reason is not None:
        return Step(_tick(state, at), reason)
    handled = _HANDLERS[type(item)](state, item, at)
    if isinstance(handled, Skip):
        return Step(_tick(state, at), handled.reason)
    after, source, cause = handled
    after = _bookkeep(state, after, item, at)
    return Step(_settle(_record(state, after, at, source, cause)), None)


def status_word(text: str | None) -> Status | None:
    """The status a server's state word names (`Ready`, `away`, ...), if it names one."""
    return None if text is None else _STATUS_WORDS.get(text.lower())


def _why_ignored(state: AgentState, event: RecipientEvent) -> str | None:
    if not _concerns(state, event):
        return f"event of another recipient ({event.recipient_id})"
    if event.msg_id is not None and event.msg_id in state.seen:
        return f"message {event.msg_id} was already applied"
    if _older(event.occurred_at, state.session_since):
        return "older than the agent's last log in or out"
    if state.status == "logged_out" and isinstance(event, _NEEDS_LOGIN):
        return "the agent is logged out"
    return None


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


def _tick(state: AgentState, now: float | None) -> AgentState:
    return _settle(_advance(state, now))


def _advance(state: AgentState, now: float | None) -> AgentState:
    if now is None or (state.server_time is not None and now <= state.server_time):
        return state
    return replace(state, server_time=now)


def _bookkeep(
    before: AgentState, after: AgentState, event: RecipientEvent, at: float | None
) -> AgentState:
    """Clock, stats and the seen message ids, which every applied event updates."""
    after = _advance(after, at)
    if event.stats is not None and not _older(at, before.server_time):
        payload = event.stats
        after = replace(
            after,
            stats=Stats(
                total_calls=payload.total_calls,
                offered_calls=payload.offered_calls,
                missed_calls=payload.missed_calls,
                avg_call_time=payload.avg_call_time,
                login_time=to_unix(payload.login_time),
                last_action_time=to_unix(payload.last_action_time),
                last_handled_time=to_unix(payload.last_handled_time),
            ),
        )
    if event.msg_id is not None:
        after = replace(after, seen=after.seen.add(event.msg_id))
    return after


def _settle(state: AgentState) -> AgentState:
    """Give a timeless offer a deadline, and stop an offer whose deadline has passed."""
    offer, now = state.offer, state.server_time
    if offer is None or now is None:
        return state
    if offer.deadline is None:
        ring = offer.ring_timeout if offer.ring_timeout is not None else FALLBACK_RING_SECONDS
        return replace(state, offer=replace(offer, offered_at=now, deadline=now + ring))
    if now <= offer.deadline + RING_GRACE_SECONDS:
        return state
    cause = f"offer from {_caller(offer.caller_id_name, offer.caller_id_number)} rang out"
    return _record(state, replace(state, offer=None), offer.deadline, "server", cause)


def _record(
    before: AgentState, after: AgentState, at: float | None, source: Source, cause: str
) -> AgentState:
    """Append a timeline entry for each aspect that changed; the status change comes last."""
    when = at if at is not None else after.server_time
    changes: list[Change] = []

    def note(aspect: Aspect, old: str, new: str) -> None:
        changes.append(Change(at=when, aspect=aspect, old=old, new=new, source=source, cause=cause))

    if before.wiretap != after.wiretap:
        note("wiretap", _wiretap_text(before.wiretap), _wiretap_text(after.wiretap))
    if before.queue_pauses != after.queue_pauses:
        paused_before, paused_after = set(before.paused_queues), set(after.paused_queues)
        for queue in sorted(paused_after - paused_before):
            note("queue", f"{queue}: taking calls", f"{queue}: paused")
        for queue in sorted(paused_before - paused_after):
            note("queue", f"{queue}: paused", f"{queue}: taking calls")
    if before.activity != after.activity:
        note("activity", before.activity, after.activity)
    if (before.status, before.away_reason) != (after.status, after.away_reason):
        note("status", _status_text(before), _status_text(after))
    if not changes:
        return after
    return replace(after, history=(*after.history, *changes)[-HISTORY_LIMIT:])


def _status_text(state: AgentState) -> str:
    return state.status if state.away_reason is None else f"{state.status}: {state.away_reason}"


def _wiretap_text(tap: Wiretap | None) -> str:
    if tap is None:
        return "none"
    return f"{tap.role} ({tap.mode or 'unknown mode'})"


def _caller(name: str | None, number: str | None) -> str:
    if name and number and name != number:
        return f"{name} <{number}>"
    return name or number or "an unknown caller"


def _text(value: CallerId | None) -> str | None:
    return None if value is None else str(value)


def _when(state: AgentState, at: float | None) -> float | None:
    return at if at is not None else state.server_time


def _older(at: float | None, than: float | None) -> bool:
    """True only when both times are known and `at` is strictly earlier."""
    return at is not None and than is not None and at < than


def _matches(wanted: str | None, actual: str | None) -> bool:
    """Ids match unless both are known and differ (payloads often leave one out)."""
    return wanted is None or actual is None or wanted == actual


def _activity_since(state: AgentState) -> float | None:
    if state.offer is not None:
        return state.offer.offered_at
    if state.call is not None:
        return state.call.since
    if state.external_call is not None:
        return state.external_call.since
    if state.wrapup is not None:
        return state.wrapup.since
    return None


_STALE_STATUS = Skip("older than the current status")
_STALE_ACTIVITY = Skip("older than the current offer, call or wrap-up")


def _set_status(
    state: AgentState, status: Status, at: float | None, reason: str | None = None
) -> AgentState:
    """Change the status; logging out by any route ends everything of the session."""
    if status == state.status:
        return replace(state, away_reason=reason)
    if status == "logged_out":
        return _new_session(state, status, at)
    return replace(state, status=status, away_reason=reason, status_since=_when(state, at))


def _new_session(state: AgentState, status: Status, at: float | None) -> AgentState:
    since = _when(state, at)
    return replace(
        state, **_SESSION_CLEARED, status=status, status_since=since, session_since=since
    )


def _logged_in(state: AgentState, event: LoggedIn, at: float | None) -> Outcome | Skip:
    if _older(at, state.status_since):
        return _STALE_STATUS
    status = status_word(event.state) or "away"  # Qubicle logs agents in as away
    return _new_session(state, status, at), "server", "logged in"


def _logged_out(state: AgentState, event: LoggedOut, at: float | None) -> Outcome | Skip:
    if _older(at, state.status_since):
        return _STALE_STATUS
    cause = f"logged out: {event.reason}" if event.reason else "logged out"
    return _new_session(state, "logged_out", at), "server", cause


def _became_ready(state: AgentState, event: BecameReady, at: float | None) -> Outcome | Skip:
    if _older(at, state.status_since):
        return _STALE_STATUS
    return replace(_set_status(state, "ready", at), missed_offer=None), "server", "ready"


def _went_away(state: AgentState, event: WentAway, at: float | None) -> Outcome | Skip:
    if _older(at, state.status_since):
        return _STALE_STATUS
    missed = state.missed_offer
    if missed is not None and missed.forced_away:
        who = _caller(missed.caller_id_name, missed.caller_id_number)
        cause = f"missed the call from {who}; the queue sets agents away after a missed call"
    else:
        cause = f"away: {event.reason}" if event.reason else "away"
    return _set_status(state, "away", at, event.reason), "server", cause


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
    if previous is not None and _older(at, previous.since):
        return Skip(f"older than the last pause or resume of queue {queue}")
    mark = QueuePause(queue_id=queue, paused=paused, since=_when(state, at))
    others = [mark for mark in state.queue_pauses if mark.queue_id != queue]
    marks = tuple(sorted([*others, mark], key=lambda item: item.queue_id))
    verb = "paused" if paused else "resumed"
    return replace(state, queue_pauses=marks), "server", f"queue {queue} {verb}"


def _wrapup_started(state: AgentState, event: WrapupStarted, at: float | None) -> Outcome | Skip:
    if _older(at, _activity_since(state)):
        return _STALE_ACTIVITY
    since = _when(state, at)
    seconds = event.wrapup_time_seconds
    if seconds is not None and not (math.isfinite(seconds) and seconds >= 0):
        seconds = None
    ends = since + seconds if since is not None and seconds is not None else None
    wrapup = Wrapup(queue_id=event.queue_id, seconds=seconds, since=since, ends=ends)
    after = replace(state, wrapup=wrapup, call=None, offer=None, external_call=None)
    return after, "server", "wrap-up started"


def _wrapup_completed(
    state: AgentState, event: WrapupCompleted, at: float | None
) -> Outcome | Skip:
    wrapup = state.wrapup
    after = state
    if wrapup is not None and _matches(event.queue_id, wrapup.queue_id):
        if _older(at, wrapup.since):
            return Skip("older than the current wrap-up")
        after = replace(after, wrapup=None)
    status = status_word(event.availability_state)
    if status is not None and not _older(at, state.status_since):
        after = _set_status(after, status, at, after.away_reason if status == "away" else None)
    return after, "server", "wrap-up ended"


def _offered(state: AgentState, event: Offered, at: float | None) -> Outcome | Skip:
    if _older(at, _activity_since(state)):
        return _STALE_ACTIVITY
    ring = event.ring_timeout
    if ring is not None and not (math.isfinite(ring) and ring > 0):
        ring = None
    offered_at = _when(state, at)
    deadline = None
    if offered_at is not None:
        deadline = offered_at + (ring if ring is not None else FALLBACK_RING_SECONDS)
    number = event.caller_id_number if event.caller_id_number is not None else event.caller_id_num
    offer = Offer(
        session_id=event.session_id,
        queue_id=event.queue_id,
        caller_id_name=_text(event.caller_id_name),
        caller_id_number=_text(number),
        ring_timeout=ring,
        offered_at=offered_at,
        deadline=deadline,
        force_away_on_reject=bool(event.force_away_on_reject),
        position=event.enter_pos,
        waiting_since=to_unix(event.queue_enter_time),
    )
    # Queues offer only to free, ready agents: anything else the state holds is out of date.
    after = replace(
        state, offer=offer, call=None, wrapup=None, external_call=None, missed_offer=None
    )
    if state.status != "ready" and not _older(at, state.status_since):
        after = _set_status(after, "ready", at)
    who = _caller(offer.caller_id_name, offer.caller_id_number)
    return after, "server", f"call from {who} offered"


_OTHER_OFFER = Skip("about another offer than the one ringing")


def _is_offer(offer: Offer, queue: str | None, session: str | None) -> bool:
    return _matches(queue, offer.queue_id) and _matches(session, offer.session_id)


def _rejected(state: AgentState, event: Rejected, at: float | None) -> Outcome | Skip:
    offer = state.offer
    if offer is not None and not _is_offer(offer, event.queue_id, event.session_id):
        return _OTHER_OFFER
    missed = MissedOffer(
        queue_id=event.queue_id if offer is None else offer.queue_id,
        caller_id_name=None if offer is None else offer.caller_id_name,
        caller_id_number=None if offer is None else offer.caller_id_number,
        at=_when(state, at),
        forced_away=offer is not None and offer.force_away_on_reject,
    )
    who = _caller(missed.caller_id_name, missed.caller_id_number)
    after = replace(state, offer=None, missed_offer=missed)
    return after, "server", f"call from {who} not answered"


def _rescinded(state: AgentState, event: Rescinded, at: float | None) -> Outcome | Skip:
    offer = state.offer
    if offer is None:
        return Skip("no offer is ringing")
    if not _is_offer(offer, event.queue_id, event.session_id):
        return _OTHER_OFFER
    return replace(state, offer=None), "server", "the queue withdrew the offer (caller left)"


def _delivered(state: AgentState, event: Delivered, at: float | None) -> Outcome | Skip:
    if _older(at, _activity_since(state)):
        return _STALE_ACTIVITY
    offer = state.offer
    same = offer if offer is not None and _matches(event.session_id, offer.session_id) else None
    name = _text(event.caller_id_name)
    number = _text(event.caller_id_number)
    call = Call(
        session_id=event.session_id,
        queue_id=event.queue_id,
        queue_name=event.queue_name,
        caller_id_name=name if name is not None or same is None else same.caller_id_name,
        caller_id_number=number if number is not None or same is None else same.caller_id_number,
        since=_when(state, at),
    )
    after = replace(state, call=call, offer=None, wrapup=None, external_call=None)
    who = _caller(call.caller_id_name, call.caller_id_number)
    return after, "server", f"answered the call from {who}"


def _hung_up(state: AgentState, event: HungUp, at: float | None) -> Outcome | Skip:
    call = state.call
    if call is None:
        return state, "server", "a call ended"
    if not _matches(event.session_id, call.session_id):
        return Skip("about another call than the current one")
    if _older(at, call.since):
        return _STALE_ACTIVITY
    return replace(state, call=None), "server", "call ended"


def _external_started(
    state: AgentState, event: ExternalCallStarted, at: float | None
) -> Outcome | Skip:
    if _older(at, _activity_since(state)):
        return _STALE_ACTIVITY
    external = ExternalCall(call_id=event.external_call_id, since=_when(state, at))
    return replace(state, external_call=external), "server", "call outside the queues started"


def _external_ended(
    state: AgentState, event: ExternalCallEnded, at: float | None
) -> Outcome | Skip:
    external = state.external_call
    if external is None:
        return state, "server", "a call outside the queues ended"
    if not _matches(event.external_call_id, external.call_id):
        return Skip("about another call than the current one")
    return replace(state, external_call=None), "server", "call outside the queues ended"


def _synced(state: AgentState, event: Synced, at: float | None) -> Outcome | Skip:
    status = status_word(event.availability_state)
    if status is None or status == state.status:
        return state, "server", "periodic sync"
    if _older(at, state.status_since):
        return _STALE_STATUS
    reason = state.away_reason if status == "away" else None
    cause = f"the server's periodic sync says {event.availability_state}"
    return _set_status(state, status, at, reason), "server", cause


def _wiretap_started(state: AgentState, event: WiretapStarted, at: float | None) -> Outcome:
    me = state.recipient_id
    monitoring = event.target is not None and event.target != me
    mode = _WIRETAP_MODES.get((event.mode or "").lower(), event.mode)
    tap = Wiretap(
        role="monitoring" if monitoring else "monitored",
        mode=mode,
        monitor=me if monitoring else event.monitor,
        target=event.target if monitoring else me,
        call_id=event.call_id,
        since=_when(state, at),
    )
    if monitoring:
        return replace(state, wiretap=tap), "server", f"monitoring {event.target} ({mode})"
    who = event.monitor or "a supervisor"
    return replace(state, wiretap=tap), "supervisor", f"{who} started monitoring ({mode})"


def _wiretap_stopped(state: AgentState, event: WiretapStopped, at: float | None) -> Outcome | Skip:
    tap = state.wiretap
    if tap is None:
        return Skip("no monitoring is active")
    if not _matches(event.call_id, tap.call_id):
        return Skip("about another monitoring session")
    source: Source = "supervisor" if tap.role == "monitored" else "server"
    return replace(state, wiretap=None), source, "monitoring ended"


def _wiretap_failed(state: AgentState, event: WiretapFailed, at: float | None) -> Outcome:
    return state, "server", "a monitoring attempt failed"


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
}
