"""`reduce(state, input) -> state`: the rules that decide what the toolbar believes.

The rules a trustworthy toolbar needs:
- only events about this agent count (the binding covers the whole account);
- a message seen before changes nothing;
- an event older than what it would overwrite does not overwrite it, and nothing
  older than the last log in or out counts at all;
- logging out ends offer, call, wrap-up and pauses, and while logged out none
  of them comes back (only a login, a status or an offer logs the agent in);
- an offer stops ringing once the server's time passes its deadline (never an
  estimated one);
- the server's word read over REST (a snapshot) replaces what events left wrong;
- a command is pending until the server shows its effect.
Every change of status, activity, queue pause or monitoring is written to the
timeline with who caused it and why. `step` also says why an input was ignored.
The rules themselves live in `event_rules` and `local_rules`.
"""

import math
from typing import NamedTuple

from msgspec.structs import replace

from agent_toolbar.domain import causes
from agent_toolbar.domain.event_rules import apply_event, why_ignored
from agent_toolbar.domain.events import QueueSynced, RecipientEvent
from agent_toolbar.domain.inputs import (
    CapabilityRefused,
    CommandAccepted,
    CommandFailed,
    CommandIssued,
    ConnectionChanged,
    DeferralCleared,
    DeferralSet,
    Input,
    QueuesReported,
    ResumePlansLoaded,
    ServerClockStepped,
    Snapshot,
    Tick,
)
from agent_toolbar.domain.local_rules import (
    apply_connection,
    apply_refusal,
    apply_snapshot,
    confirm_shown,
    issue_command,
    load_plans,
    set_deferral,
    settle_command,
)
from agent_toolbar.domain.queue_rules import apply_queue_sync, apply_queues_reported
from agent_toolbar.domain.rules import MAX_RING_SECONDS, Skip, caller
from agent_toolbar.domain.state import (
    HISTORY_LIMIT,
    AgentState,
    Change,
    Source,
    Stats,
    Wiretap,
)
from agent_toolbar.domain.time_shift import apply_clock_step
from agent_toolbar.domain.timestamps import UNIX_LIMIT, to_unix

RING_GRACE_SECONDS = 5.0
"""How long past its deadline an offer waits for the server's own reject or delivered."""


class Step(NamedTuple):
    """The state after one input, and why the input was ignored (None if it applied)."""

    state: AgentState
    ignored: str | None


def reduce(state: AgentState, item: Input) -> AgentState:
    """The state after one input; one that does not apply moves at most the server's time."""
    return step(state, item).state


def step(state: AgentState, item: Input) -> Step:
    """Like `reduce`, and also say why an ignored input was ignored.

    An ignored event still tells the server's time, as a tick does: an offer must
    stop ringing even when only other agents' events arrive.
    """
    match item:
        case RecipientEvent():
            return _event(state, item)
        case QueueSynced():
            return _queue_event(state, item)
        case Tick(now=now):
            if not math.isfinite(now):
                return Step(state, "a tick without a finite time")
            return Step(_tick(state, now), None)
        case Snapshot():
            return _snapshot(state, replace(item, taken_at=_known(item.taken_at)))
        case QueuesReported():
            taken = _known(item.taken_at)
            return Step(apply_queues_reported(state, replace(item, taken_at=taken)), None)
        case ServerClockStepped(by=by):
            if not math.isfinite(by):
                return Step(state, "a clock step that is no number")
            if abs(by) > UNIX_LIMIT:
                return Step(state, "a clock step longer than any Unix time")
            return Step(apply_clock_step(state, item), None)
        case _:
            return _local(state, replace(item, at=_known(item.at)))


def _local(
    state: AgentState,
    item: DeferralSet
    | DeferralCleared
    | ConnectionChanged
    | CommandIssued
    | CommandAccepted
    | CommandFailed
    | CapabilityRefused
    | ResumePlansLoaded,
) -> Step:
    """What the toolbar itself reports: deferrals, the link, the agent's commands."""
    match item:
        case DeferralSet():
            deferred = set_deferral(state, item)
            if isinstance(deferred, Skip):
                return Step(state, deferred.reason)
            return Step(deferred, None)
        case DeferralCleared():
            return Step(replace(state, deferred=None), None)
        case ConnectionChanged():
            return Step(apply_connection(state, item), None)
        case CommandIssued():
            return Step(issue_command(state, item), None)
        case CommandAccepted() | CommandFailed():
            return Step(settle_command(state, item), None)
        case CapabilityRefused():
            return Step(apply_refusal(state, item), None)
        case ResumePlansLoaded():
            return Step(load_plans(state, item), None)


def _snapshot(state: AgentState, snapshot: Snapshot) -> Step:
    handled = apply_snapshot(state, snapshot)
    if isinstance(handled, Skip):
        return Step(state, handled.reason)
    after, source, cause = handled
    after = _advance(after, snapshot.taken_at)
    return Step(_settle(_server_news(state, after, snapshot.taken_at, source, cause)), None)


def _queue_event(state: AgentState, event: QueueSynced) -> Step:
    at = event.occurred_at
    handled = apply_queue_sync(state, event)
    if isinstance(handled, Skip):
        return Step(_tick(state, at), handled.reason)
    return Step(_tick(handled, at), None)


def _known(at: float | None) -> float | None:
    """Local inputs' times come from clocks and estimates: non-finite means unknown."""
    return at if at is not None and math.isfinite(at) else None


def _event(state: AgentState, event: RecipientEvent) -> Step:
    at = event.occurred_at
    reason = why_ignored(state, event, at)
    if reason is not None:
        return Step(_tick(state, at), reason)
    handled = apply_event(state, event, at)
    if isinstance(handled, Skip):
        return Step(_tick(state, at), handled.reason)
    after, source, cause = handled
    if source == "server" and event.origin is not None:
        source = event.origin
    after = _bookkeep(after, event, at)
    return Step(_settle(_server_news(state, after, at, source, cause)), None)


def _server_news(
    before: AgentState, after: AgentState, at: float | None, source: Source, cause: str
) -> AgentState:
    """Confirm the commands the server now shows, drop the plans to resume queues that
    were resumed, then write the timeline."""
    after, confirmed = confirm_shown(after, at)
    if after.resume_plans:
        resumed = set(before.paused_queues) - set(after.paused_queues)
        plans = tuple(plan for plan in after.resume_plans if plan.queue_id not in resumed)
        after = replace(after, resume_plans=plans)
    return _record(before, after, at, "you" if confirmed else source, cause)


def _tick(state: AgentState, now: float | None) -> AgentState:
    return _settle(_advance(state, now))


def _advance(state: AgentState, now: float | None) -> AgentState:
    if now is None or (state.server_time is not None and now <= state.server_time):
        return state
    return replace(state, server_time=now)


def _bookkeep(state: AgentState, event: RecipientEvent, at: float | None) -> AgentState:
    """Clock, stats, seen message ids and the applied count, which every applied event updates.

    One `replace` for all of them: this runs for every applied event.
    """
    server_time = state.server_time
    if at is not None and (server_time is None or at > server_time):
        server_time = at
    stats, stats_at = state.stats, state.stats_at
    payload = event.stats
    if payload is not None and not (at is not None and stats_at is not None and at < stats_at):
        stats = Stats(
            total_calls=payload.total_calls,
            offered_calls=payload.offered_calls,
            missed_calls=payload.missed_calls,
            avg_call_time=payload.avg_call_time,
            login_time=to_unix(payload.login_time),
            last_action_time=to_unix(payload.last_action_time),
            last_handled_time=to_unix(payload.last_handled_time),
        )
        if at is not None:
            stats_at = at
    return replace(
        state,
        server_time=server_time,
        stats=stats,
        stats_at=stats_at,
        seen=state.seen if event.msg_id is None else state.seen.add(event.msg_id),
        applied=state.applied + 1,
    )


def _settle(state: AgentState) -> AgentState:
    """Date an offer first seen by a check, and stop an offer whose deadline has passed.

    Only the server's deadline (or the latest it can be) stops an offer; one learned from
    past rings is an estimate, and an offer with none stops after the longest ring any
    queue has, if neither an event nor a check has ended it by then.
    """
    offer, now = state.offer, state.server_time
    if offer is None or now is None:
        return state
    if offer.offered_at is None:
        ring = None if offer.ring_learned else offer.ring_timeout
        deadline = None if ring is None else now + ring
        return replace(state, offer=replace(offer, offered_at=now, deadline=deadline))
    ends = offer.answer_by
    if ends is None:
        ends = offer.offered_at + MAX_RING_SECONDS
    if now <= ends + RING_GRACE_SECONDS:
        return state
    cause = causes.RANG_OUT.format(who=caller(offer.caller_id_name, offer.caller_id_number))
    return _record(state, replace(state, offer=None), ends, "server", cause)


def _record(
    before: AgentState, after: AgentState, at: float | None, source: Source, cause: str
) -> AgentState:
    """Append a timeline entry for each aspect that changed; the status change comes last."""
    when = at if at is not None else after.server_time
    changes: list[Change] = []
    if before.wiretap != after.wiretap:
        old, new = _wiretap_text(before.wiretap), _wiretap_text(after.wiretap)
        changes.append(
            Change(at=when, aspect="wiretap", old=old, new=new, source=source, cause=cause)
        )
    if before.resume_plans and after.status == "logged_out" != before.status:
        for plan in before.resume_plans:
            changes.append(
                _queue_change(
                    when,
                    plan.queue_id,
                    "paused, resume planned",
                    "resume dropped",
                    source=source,
                    cause=cause,
                )
            )
    if before.queue_pauses != after.queue_pauses:
        paused_before, paused_after = set(before.paused_queues), set(after.paused_queues)
        for queue in sorted(paused_after - paused_before):
            changes.append(
                _queue_change(when, queue, "taking calls", "paused", source=source, cause=cause)
            )
        for queue in sorted(paused_before - paused_after):
            changes.append(
                _queue_change(when, queue, "paused", "taking calls", source=source, cause=cause)
            )
    if (before.phone_unreachable_since is None) != (after.phone_unreachable_since is None):
        pair = ("registered", "not registered")
        old, new = pair if after.phone_unreachable_since is not None else pair[::-1]
        changes.append(
            Change(at=when, aspect="phone", old=old, new=new, source=source, cause=cause)
        )
    old, new = before.activity, after.activity
    if old != new:
        changes.append(
            Change(at=when, aspect="activity", old=old, new=new, source=source, cause=cause)
        )
    if before.status != after.status or before.away_reason != after.away_reason:
        old, new = _status_text(before), _status_text(after)
        changes.append(
            Change(at=when, aspect="status", old=old, new=new, source=source, cause=cause)
        )
    if not changes:
        return after
    history = after.history
    overflow = len(history) + len(changes) - HISTORY_LIMIT
    if overflow > 0:
        history = history[overflow:]
    return replace(after, history=history + tuple(changes))


def _queue_change(
    when: float | None, queue: str, old: str, new: str, *, source: Source, cause: str
) -> Change:
    return Change(
        at=when, aspect="queue", old=old, new=new, source=source, cause=cause, queue_id=queue
    )


def _status_text(state: AgentState) -> str:
    return state.status if state.away_reason is None else f"{state.status}: {state.away_reason}"


def _wiretap_text(tap: Wiretap | None) -> str:
    if tap is None:
        return "none"
    return f"{tap.role} ({tap.mode or 'unknown mode'})"
