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
    CommandAccepted,
    CommandFailed,
    CommandIssued,
    ConnectionChanged,
    DeferralSet,
    Snapshot,
    SnapshotCall,
)
from agent_toolbar.domain.queue_rules import mark_members
from agent_toolbar.domain.rules import (
    SNAPSHOT_MARGIN_SECONDS,
    Outcome,
    Skip,
    asked_away,
    new_session,
    set_status,
    wiretap_mode,
)
from agent_toolbar.domain.state import (
    SETTLED_COMMANDS_KEPT,
    AgentState,
    Call,
    CommandProgress,
    Deferral,
    Offer,
    QueuePause,
    Wiretap,
    Wrapup,
)


def apply_snapshot(state: AgentState, snapshot: Snapshot) -> Outcome | Skip:
    """Make the state say what the server says, keeping what it does not contradict."""
    if snapshot.basis is not None and snapshot.basis != state.applied:
        return Skip("events arrived while the server was read; it must be read again")
    taken = snapshot.taken_at
    dated = None if taken is None else taken - SNAPSHOT_MARGIN_SECONDS
    if not snapshot.logged_in or snapshot.status == "logged_out":
        if state.status == "logged_out":
            return state, "reconnect", snapshot.cause
        return new_session(state, "logged_out", dated), "reconnect", snapshot.cause
    after = _status(state, snapshot, dated)
    if snapshot.calls_known:
        offer = _offer(after.offer, snapshot.offer)
        call = _call(after.call, snapshot.call)
        wrapup = None if offer or call else _wrapup(after.wrapup, snapshot.wrapup_left, taken)
        after = replace(
            after,
            offer=offer,
            call=call,
            wrapup=wrapup,
            external_call=None,  # the server lists no external calls: believe it over memory
            wiretap=_wiretap(after, snapshot),
        )
    if snapshot.paused_queues is not None:
        after = replace(after, queue_pauses=_pauses(after, snapshot.paused_queues, dated))
    if snapshot.member_queues is not None:
        after = replace(after, queues=mark_members(after.queues, snapshot.member_queues))
    return after, "reconnect", snapshot.cause


def _status(state: AgentState, snapshot: Snapshot, dated: float | None) -> AgentState:
    status = snapshot.status or ("away" if state.status == "logged_out" else state.status)
    reason = _away_reason(state, snapshot) if status == "away" else None
    if status == state.status and reason == state.away_reason:
        return state
    return set_status(state, status, dated, reason)


def _away_reason(state: AgentState, snapshot: Snapshot) -> str | None:
    """Kazoo's status reply states no reason: take the one of an away the server
    accepted, else keep the one known, else the one we asked for."""
    if snapshot.away_reason is not None:
        return snapshot.away_reason
    accepted = asked_away(state, accepted=True)
    if accepted is not None:
        return accepted.reason
    if state.status == "away":
        return state.away_reason
    asked = asked_away(state)
    return asked.reason if asked is not None else None


def _offer(known: Offer | None, listed: SnapshotCall | None) -> Offer | None:
    if listed is None:
        return None
    if known is not None and known.session_id == listed.session_id:
        return known
    # The server does not say when it began ringing: the deadline is found on the next tick.
    return Offer(
        session_id=listed.session_id,
        queue_id=listed.queue_id,
        caller_id_name=listed.caller_id_name,
        caller_id_number=listed.caller_id_number,
        ring_timeout=None,
        offered_at=None,
        deadline=None,
        force_away_on_reject=False,
        position=None,
        waiting_since=None,
    )


def _call(known: Call | None, listed: SnapshotCall | None) -> Call | None:
    if listed is None:
        return None
    if known is not None and known.session_id == listed.session_id:
        return known
    return Call(
        session_id=listed.session_id,
        queue_id=listed.queue_id,
        queue_name=None,
        caller_id_name=listed.caller_id_name,
        caller_id_number=listed.caller_id_number,
        since=None,
    )


def _wrapup(known: Wrapup | None, left: float | None, taken: float | None) -> Wrapup | None:
    if left is None or not math.isfinite(left):
        return known
    if left <= 0:
        return None
    ends = None if taken is None else taken + left
    if known is not None:
        return replace(known, ends=ends)
    return Wrapup(queue_id=None, seconds=None, since=None, ends=ends)


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
    return replace(
        state, deferred=Deferral(command=wanted.command, after=wanted.after, since=wanted.at)
    )


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
        connection_problem=change.problem,
    )


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
    return _keep_commands(state, [*commands, pending])


def settle_command(state: AgentState, settled: CommandAccepted | CommandFailed) -> AgentState:
    progress = next(
        (each for each in state.commands if each.id == settled.id and each.phase == "pending"),
        None,
    )
    if progress is None:
        return state
    if isinstance(settled, CommandFailed):
        done = replace(progress, phase="failed", settled_at=settled.at, reason=settled.reason)
    elif isinstance(progress.command, WrapupExtend) or (
        state.connection == "online" and _is_shown(progress.command, state)
    ):
        done = replace(progress, phase="confirmed", settled_at=settled.at)
    else:
        done = replace(progress, accepted=True)
    return _keep_commands(state, [done if each is progress else each for each in state.commands])


def confirm_shown(state: AgentState, at: float | None) -> tuple[AgentState, bool]:
    """Confirm every pending command whose effect the state now shows from the server."""
    if not state.commands:
        return state, False
    shown = [
        each
        for each in state.commands
        if each.phase == "pending" and _is_shown(each.command, state)
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
    return False


def _keep_commands(state: AgentState, commands: list[CommandProgress]) -> AgentState:
    settled = [each for each in commands if each.phase != "pending"]
    dropped = {each.id for each in settled[:-SETTLED_COMMANDS_KEPT]}
    return replace(state, commands=tuple(each for each in commands if each.id not in dropped))
