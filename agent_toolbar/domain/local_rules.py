"""How snapshots, the link to the server and the agent's own commands change the state.

A snapshot is the server's word, read over REST: it replaces what events may have
left wrong (source "reconnect"). The link decides whether the state is confirmed or
stale. A command is pending from the click until the server shows its effect, then
confirmed; or it fails with a reason. Its target shown by the server is what
confirms it, whichever input brings the news.
"""

import math

from msgspec.structs import replace

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
    slot,
)
from agent_toolbar.domain.inputs import (
    CapabilityRefused,
    CommandAccepted,
    CommandFailed,
    CommandIssued,
    ConnectionChanged,
    DeferralSet,
    ResumePlansLoaded,
    Snapshot,
    SnapshotCall,
)
from agent_toolbar.domain.queue_rules import ring_facts
from agent_toolbar.domain.rules import (
    MAX_WRAPUP_SECONDS,
    SNAPSHOT_MARGIN_SECONDS,
    Outcome,
    Skip,
    asked_away,
    clipped,
    matches,
    new_session,
    seconds_within,
    set_status,
    wiretap_mode,
)
from agent_toolbar.domain.state import (
    SETTLED_COMMANDS_KEPT,
    Activity,
    AgentState,
    Call,
    CommandProgress,
    Deferral,
    Offer,
    Phase,
    QueuePause,
    ReasonStanding,
    Refusal,
    ResumePlan,
    Status,
    Wiretap,
    Wrapup,
)


def apply_snapshot(state: AgentState, snapshot: Snapshot) -> Outcome | Skip:
    """Make the state say what the server says, keeping what it does not contradict."""
    if snapshot.basis is not None and snapshot.basis != state.applied:
        return Skip("events arrived while the server was read; it must be read again")
    taken = snapshot.taken_at
    dated = None if taken is None else taken - SNAPSHOT_MARGIN_SECONDS
    if snapshot.status_known and (not snapshot.logged_in or snapshot.status == "logged_out"):
        if state.status == "logged_out":
            return state, "reconnect", snapshot.cause
        return new_session(state, "logged_out", dated), "reconnect", snapshot.cause
    if not snapshot.status_known and state.status == "logged_out":
        return state, "reconnect", snapshot.cause  # nothing is known to be going on
    after = _status(state, snapshot, dated) if snapshot.status_known else state
    if snapshot.calls_known:
        # No server lists external calls: one ends when the server names another activity
        # (idle included), and stays while the server does not say what the agent does.
        activity = snapshot.activity
        offer = _offer(after, snapshot.offer, named=activity == "offered")
        call = _call(after.call, snapshot.call, named=activity == "on_call")
        wrapup = None if offer or call else _wrapup(after.wrapup, activity, snapshot.wrapup_seconds)
        after = replace(
            after,
            offer=offer,
            call=call,
            wrapup=wrapup,
            external_call=after.external_call if activity in (None, "external_call") else None,
            wiretap=_wiretap(after, snapshot),
        )
    if snapshot.phone_registered is not None:
        registered = snapshot.phone_registered
        if registered != (after.phone_unreachable_since is None):
            since = None if registered else (dated if dated is not None else state.server_time)
            after = replace(after, phone_unreachable_since=since)
    if snapshot.paused_queues is not None:
        after = replace(after, queue_pauses=_pauses(after, snapshot.paused_queues, dated))
    return after, "reconnect", snapshot.cause


def _status(state: AgentState, snapshot: Snapshot, dated: float | None) -> AgentState:
    status = snapshot.status or _status_during(state, snapshot)
    if status != "away":
        return state if status == state.status else set_status(state, status, dated)
    reason, standing, since = _away_reason(state, snapshot)
    if (status, reason, standing) == (state.status, state.away_reason, state.reason_standing):
        return state
    return set_status(state, status, dated, reason, standing=standing, unconfirmed_since=since)


def _status_during(state: AgentState, snapshot: Snapshot) -> Status:
    """A word that names only what the agent does (a call, wrap-up) does not say the status:
    a Ready or an Away the server answered yes to is taken at its word, else the status
    known stays; an agent who was logged out and is on a queue's call was made ready."""
    for each in reversed(state.pending):
        if each.accepted and isinstance(each.command, Ready | Away):
            return "ready" if isinstance(each.command, Ready) else "away"
    if state.status != "logged_out":
        return state.status
    return "ready" if snapshot.activity in ("offered", "on_call", "wrapup") else "away"


def _away_reason(
    state: AgentState, snapshot: Snapshot
) -> tuple[str | None, ReasonStanding, float | None]:
    """The reason to show, and whose word it is: a status read that states none never
    makes a reason the server's. One the server said before the link was lost is kept
    as unconfirmed since then; one of an away the agent asked for is the agent's note."""
    if snapshot.away_reason is not None:
        return snapshot.away_reason, "server", None
    accepted = asked_away(state, accepted=True)
    if accepted is not None and accepted.reason:
        return accepted.reason, "note", None
    if state.status != "away":
        # Gone away while the agent's away was on its way: most likely that one.
        asked = asked_away(state)
        return (asked.reason, "note", None) if asked and asked.reason else (None, "server", None)
    if state.away_reason is None:
        return None, "server", None  # away before: an away asked since is not shown yet
    if state.reason_standing == "server" and state.stale_since is not None:
        return state.away_reason, "unconfirmed", state.stale_since
    return state.away_reason, state.reason_standing, state.reason_unconfirmed_since


def _offer(state: AgentState, listed: SnapshotCall | None, *, named: bool) -> Offer | None:
    """The offer listed; one the state word names but the reply does not list stays as
    known, or is shown without details rather than not at all. The offer known from its
    event stays as it was (its ring time, start and cost are facts the reply lacks)."""
    known = state.offer
    if listed is None:
        if not named or known is not None:
            return known if named else None
        listed = SnapshotCall()
    if (
        known is not None
        and matches(listed.session_id, known.session_id)
        and matches(listed.queue_id, known.queue_id)
    ):
        return known
    # The server does not say when it began ringing: its start is when it is first seen.
    ring = ring_facts(state, listed.queue_id, None, None)
    return Offer(
        session_id=listed.session_id,
        queue_id=listed.queue_id,
        caller_id_name=clipped(listed.caller_id_name),
        caller_id_number=clipped(listed.caller_id_number),
        ring_timeout=ring.ring_timeout,
        offered_at=None,
        deadline=None,
        force_away_on_reject=ring.force_away,
        position=None,
        waiting_since=None,
        ring_learned=ring.learned,
        start_known=False,
    )


def _call(known: Call | None, listed: SnapshotCall | None, *, named: bool) -> Call | None:
    if listed is None:
        if not named or known is not None:
            return known if named else None
        listed = SnapshotCall()
    if known is not None and known.session_id == listed.session_id:
        return known
    return Call(
        session_id=listed.session_id,
        queue_id=listed.queue_id,
        queue_name=None,
        caller_id_name=clipped(listed.caller_id_name),
        caller_id_number=clipped(listed.caller_id_number),
        since=None,
    )


def _wrapup(
    known: Wrapup | None, activity: Activity | None, seconds: float | None
) -> Wrapup | None:
    """Wrap-up as the word says; its end counts from the wrap-up event where one was seen.

    The reply gives the wrap-up's length, not when it began: a wrap-up first seen in a
    reply is shown without a countdown rather than with a made-up one.
    """
    if activity is None:
        return known
    if activity != "wrapup":
        return None
    if known is not None:
        return known
    length = seconds_within(seconds, MAX_WRAPUP_SECONDS) or None
    return Wrapup(queue_id=None, seconds=length, since=None, ends=None)


def _wiretap(state: AgentState, snapshot: Snapshot) -> Wiretap | None:
    tap = state.wiretap
    if snapshot.monitored_by is None:
        return tap if tap is not None and tap.role == "monitoring" else None
    if tap is not None and tap.role == "monitored" and tap.monitor == snapshot.monitored_by:
        return tap
    return Wiretap(
        role="monitored",
        mode=wiretap_mode(snapshot.monitor_mode),
        monitor=snapshot.monitored_by,
        target=state.recipient_id,
        call_id=None,
        since=None,
    )


def _pauses(
    state: AgentState, paused: tuple[str, ...], dated: float | None
) -> tuple[QueuePause, ...]:
    marks = {mark.queue_id: mark for mark in state.queue_pauses}
    for queue in set(paused) | set(marks):
        is_paused = queue in paused
        mark = marks.get(queue)
        if mark is None or mark.paused != is_paused:
            marks[queue] = QueuePause(queue_id=queue, paused=is_paused, since=dated)
    return tuple(marks[queue] for queue in sorted(marks))


def set_deferral(state: AgentState, wanted: DeferralSet) -> AgentState | Skip:
    """A change for when the call (or the wrap-up after it) is over; only while one is on."""
    if wanted.after == "call" and state.call is None:
        return Skip("there is no call to wait for")
    if wanted.after == "wrapup" and state.call is None and state.wrapup is None:
        return Skip("there is no call or wrap-up to wait for")
    if not worth_deferring(state, wanted.command):
        return Skip("the server already shows that change")
    return replace(
        state, deferred=Deferral(command=wanted.command, after=wanted.after, since=wanted.at)
    )


def worth_deferring(state: AgentState, command: Command) -> bool:
    """Whether a change is still to be made: one the server already shows (an Away made
    at wrap-up start by an earlier deferral) is not offered again."""
    return not _is_shown(command, state)


def deferral_due(state: AgentState) -> bool:
    """Whether the deferred change should be made now.

    After a call, wrap-up may follow in the next event: whoever acts on this lets
    the events settle for a moment and asks again before acting.
    """
    deferred = state.deferred
    if deferred is None or state.call is not None:
        return False
    return deferred.after == "call" or state.wrapup is None


def apply_connection(state: AgentState, change: ConnectionChanged) -> AgentState:
    """Online clears staleness; anything else leaves the state unconfirmed since then."""
    if change.connection == "online":
        return replace(
            state,
            connection="online",
            stale_since=None,
            reconnect_attempt=0,
            next_try_at=None,
            connection_problem=None,
        )
    was_confirmed = state.connection in ("online", "stale") or state.stale_since is not None
    stale_since = state.stale_since if state.stale_since is not None else change.at
    connection = change.connection
    if connection == "connecting" and was_confirmed:
        connection = "stale"
    return replace(
        state,
        connection=connection,
        stale_since=stale_since if was_confirmed else None,
        reconnect_attempt=change.attempt,
        next_try_at=change.next_try_at,
        connection_problem=change.problem,
    )


def apply_refusal(state: AgentState, refused: CapabilityRefused) -> AgentState:
    """The server refuses a kind of change for good: say so once, with its newest words."""
    kept = tuple(each for each in state.refused if each.capability != refused.capability)
    refusal = Refusal(capability=refused.capability, reason=refused.reason)
    return replace(state, refused=(*kept, refusal))


def load_plans(state: AgentState, loaded: ResumePlansLoaded) -> AgentState:
    """Plans of an earlier run still hold only for queues that are still paused."""
    if state.status == "logged_out":
        return state
    planned = {plan.queue_id for plan in state.resume_plans}
    paused = set(state.paused_queues)
    added = tuple(
        plan for plan in loaded.plans if plan.queue_id in paused and plan.queue_id not in planned
    )
    return replace(state, resume_plans=state.resume_plans + added) if added else state


def _plan(state: AgentState, command: Command, at: float | None) -> tuple[ResumePlan, ...]:
    """A pause with a timeout plans its resume; any other change of that queue drops it."""
    if not isinstance(command, Pause | Resume):
        return state.resume_plans
    plans = tuple(plan for plan in state.resume_plans if plan.queue_id != command.queue_id)
    timeout = command.timeout if isinstance(command, Pause) else None
    if timeout is None or at is None or not math.isfinite(timeout) or timeout <= 0:
        return plans
    return (*plans, ResumePlan(queue_id=command.queue_id, due=at + timeout))


def issue_command(state: AgentState, issued: CommandIssued) -> AgentState:
    """A new wish replaces a pending one in the same slot: only the newest counts."""
    wanted = slot(issued.command)
    commands = [
        replace(each, phase="replaced", settled_at=issued.at)
        if each.phase == "pending" and slot(each.command) == wanted
        else each
        for each in state.commands
    ]
    pending = CommandProgress(
        id=issued.id, command=issued.command, phase="pending", issued_at=issued.at
    )
    planned = replace(state, resume_plans=_plan(state, issued.command, issued.at))
    return _keep_commands(planned, [*commands, pending])


def settle_command(state: AgentState, settled: CommandAccepted | CommandFailed) -> AgentState:
    progress = next(
        (each for each in state.commands if each.id == settled.id and each.phase == "pending"),
        None,
    )
    if progress is None:
        return state
    if isinstance(settled, CommandFailed):
        phase: Phase = "unknown" if settled.unanswered else "failed"
        done = replace(progress, phase=phase, settled_at=settled.at, reason=settled.reason)
        if isinstance(progress.command, Pause) and progress.command.timeout is not None:
            queue = progress.command.queue_id
            plans = tuple(plan for plan in state.resume_plans if plan.queue_id != queue)
            state = replace(state, resume_plans=plans)
    elif isinstance(progress.command, WrapupExtend) or (
        state.connection == "online" and _is_shown(progress.command, state)
    ):
        done = replace(progress, phase="confirmed", settled_at=settled.at)
        if isinstance(progress.command, WrapupExtend):
            state = _extended(state, progress.issued_at)
    else:
        done = replace(progress, accepted=True)
    return _keep_commands(state, [done if each is progress else each for each in state.commands])


def _extended(state: AgentState, asked_at: float | None) -> AgentState:
    """No event tells a wrap-up's new end after an extension: the countdown stops rather
    than run out early, unless a wrap-up start since the ask gave a new one."""
    wrapup = state.wrapup
    if wrapup is None or wrapup.ends is None:
        return state
    if wrapup.since is not None and asked_at is not None and wrapup.since >= asked_at - 1:
        return state  # stamps are whole seconds, truncated: this start came after the ask
    return replace(state, wrapup=replace(wrapup, ends=None, seconds=None))


def confirm_shown(state: AgentState, at: float | None) -> tuple[AgentState, bool]:
    """Confirm every pending command whose effect the state now shows from the server,
    and every one whose outcome was unknown (the server did not answer)."""
    if not state.commands:
        return state, False
    shown = [
        each
        for each in state.commands
        if each.phase in ("pending", "unknown") and _is_shown(each.command, state)
    ]
    if not shown:
        return state, False
    commands = [
        replace(each, phase="confirmed", settled_at=at) if each in shown else each
        for each in state.commands
    ]
    return _keep_commands(state, commands), True


def _is_shown(command: Command, state: AgentState) -> bool:
    match command:
        case Login():
            return state.status != "logged_out"
        case Logout():
            return state.status == "logged_out"
        case Ready():
            return state.status == "ready"
        case Away(reason=reason):
            return state.status == "away" and (reason is None or state.away_reason == reason)
        case Pause(queue_id=queue):
            return queue in state.paused_queues
        case Resume(queue_id=queue):
            return queue not in state.paused_queues
        case WrapupFinish():
            return state.wrapup is None
        case WrapupExtend():
            return False  # no event shows an extension: the server's answer confirms it
        case Dial():
            return state.external_call is not None  # the phone took it: the call is on
    return False


def _keep_commands(state: AgentState, commands: list[CommandProgress]) -> AgentState:
    settled = [each for each in commands if each.phase != "pending"]
    dropped = {each.id for each in settled[:-SETTLED_COMMANDS_KEPT]}
    return replace(state, commands=tuple(each for each in commands if each.id not in dropped))
