"""What the toolbar knows about its agent, as one immutable value.

Times are the server's, in Unix seconds. The state says only what events (and,
later, server snapshots) established; `reduce` in `reduce.py` is the one way to
change it.
"""

from typing import Literal

import msgspec

from agent_toolbar.domain.commands import Command

Status = Literal["logged_out", "away", "ready"]
Activity = Literal["idle", "offered", "on_call", "wrapup", "external_call"]
Connection = Literal["offline", "connecting", "online", "stale"]
Source = Literal["you", "phone", "server", "supervisor", "reconnect"]
"""Who caused a change: the agent's own command (here, or on the phone), the server, a
supervisor, a reconcile."""
Aspect = Literal["status", "activity", "queue", "wiretap", "phone"]
After = Literal["call", "wrapup"]
ReasonStanding = Literal["server", "note", "unconfirmed"]
"""Whose word an away reason is: the server's (an event said it), the agent's own note
(the server holds no reason, or refused it), or the server's once but not confirmed
since the link was lost (the status read states no reason)."""
Capability = Literal["pause_queues", "away_reason"]
Phase = Literal["pending", "confirmed", "failed", "unknown", "replaced"]
"""`replaced`: a newer change of the same kind was asked for before this one was shown;
`unknown`: the server did not answer and could not be asked, so the change may or may not
have been made (it is confirmed still if the server shows it later)."""
NOT_DONE: frozenset[Phase] = frozenset({"failed", "unknown"})
"""Outcomes the agent must see and may retry: the change failed, or may not have been made."""

HISTORY_LIMIT = 200
"""Changes kept for the timeline; older ones fall off."""

DEDUP_GENERATION = 64
"""Message ids remembered per generation; two generations are kept (64 to 128 ids)."""

SETTLED_COMMANDS_KEPT = 8
"""Settled (confirmed, failed, replaced) commands kept so the window can show how they ended."""


class Offer(msgspec.Struct, frozen=True, kw_only=True):
    """A session ringing the agent, and when it stops ringing as far as anyone said.

    `ring_timeout` is the server's (the offer's or its queue's setting) unless
    `ring_learned`: then it is the ring time seen on the queue's last missed offers, an
    estimate. `deadline` is `offered_at + ring_timeout` when both are known. Without
    `start_known`, `offered_at` is when a check first saw the offer ringing: it began
    earlier, so a deadline from it is the latest the ring can end.
    """

    session_id: str | None
    queue_id: str | None
    caller_id_name: str | None
    caller_id_number: str | None
    ring_timeout: float | None
    offered_at: float | None
    deadline: float | None
    force_away_on_reject: bool
    position: int | None
    waiting_since: float | None
    ring_learned: bool = False
    start_known: bool = True

    @property
    def answer_by(self) -> float | None:
        """The server's deadline (or the latest it can be), never an estimate."""
        return None if self.ring_learned else self.deadline


class Call(msgspec.Struct, frozen=True, kw_only=True):
    """A queue session the agent is handling."""

    session_id: str | None
    queue_id: str | None
    queue_name: str | None
    caller_id_name: str | None
    caller_id_number: str | None
    since: float | None


class Wrapup(msgspec.Struct, frozen=True, kw_only=True):
    """Wrap-up time after a call; no sessions are offered until it ends."""

    queue_id: str | None
    seconds: float | None
    since: float | None
    ends: float | None


class ExternalCall(msgspec.Struct, frozen=True, kw_only=True):
    """A call that did not come from a queue."""

    call_id: str | None
    since: float | None


class Wiretap(msgspec.Struct, frozen=True, kw_only=True):
    """Monitoring in progress: `monitored` means a supervisor listens to this agent."""

    role: Literal["monitored", "monitoring"]
    mode: str | None
    monitor: str | None
    target: str | None
    call_id: str | None
    since: float | None


class MissedOffer(msgspec.Struct, frozen=True, kw_only=True):
    """The last offer the agent did not take, kept until the agent is ready again."""

    queue_id: str | None
    caller_id_name: str | None
    caller_id_number: str | None
    at: float | None
    forced_away: bool
    declined: bool = False
    """The agent declined it (the server said so, or it ended well before its deadline)."""


class QueuePause(msgspec.Struct, frozen=True, kw_only=True):
    """The last pause or resume seen for one queue, so older ones cannot undo it."""

    queue_id: str
    paused: bool
    since: float | None


class QueueInfo(msgspec.Struct, frozen=True, kw_only=True):
    """One queue of the account: its name, whether the agent takes its calls, its pressure."""

    queue_id: str
    name: str | None = None
    member: bool = False
    in_queue: int | None = None
    """Calls in the queue, waiting or being answered (Qubicle's `active_session_count`)."""
    longest_wait: float | None = None
    estimated_wait: float | None = None
    agents_available: int | None = None
    updated_at: float | None = None
    ring_timeout: float | None = None
    """How long the queue rings an agent, by its setting (None: the server does not say)."""
    force_away_on_reject: bool | None = None
    """Whether a missed offer of this queue sets the agent Away, by its setting."""
    rings_seen: tuple[float, ...] = ()
    """How long the queue's last missed offers rang (newest last): its ring time is learned
    from them where the server states none."""

    @property
    def learned_ring(self) -> float | None:
        """The queue's ring time as seen: the longest of the last misses (a decline is shorter)."""
        return max(self.rings_seen) if self.rings_seen else None


class ResumePlan(msgspec.Struct, frozen=True, kw_only=True):
    """A timed pause: the toolbar itself resumes the queue at `due` (server time)."""

    queue_id: str
    due: float


class Refusal(msgspec.Struct, frozen=True, kw_only=True):
    """A kind of change this server refuses for the whole session, and its words for why."""

    capability: Capability
    reason: str


class Deferral(msgspec.Struct, frozen=True, kw_only=True):
    """A change the agent asked for once the current call (or wrap-up) is over."""

    command: Command
    after: After
    since: float | None


class Stats(msgspec.Struct, frozen=True, kw_only=True):
    """The server's counters for the agent; times in Unix seconds."""

    total_calls: int | None = None
    offered_calls: int | None = None
    missed_calls: int | None = None
    avg_call_time: float | None = None
    login_time: float | None = None
    last_action_time: float | None = None
    last_handled_time: float | None = None


class Change(msgspec.Struct, frozen=True, kw_only=True):
    """One entry of the timeline: what changed, when, who caused it and why."""

    at: float | None
    aspect: Aspect
    old: str
    new: str
    source: Source
    cause: str
    queue_id: str | None = None
    """The queue a `queue` change is about."""


class CommandProgress(msgspec.Struct, frozen=True, kw_only=True):
    """A change the agent asked for: pending until the server shows it, or failed."""

    id: int
    command: Command
    phase: Phase
    issued_at: float | None
    settled_at: float | None = None
    reason: str | None = None
    accepted: bool = False
    """The server answered yes, and the state does not show it yet: a snapshot that
    cannot say (Kazoo's states no away reason) may take the command's word for it."""


class SeenIds(msgspec.Struct, frozen=True):
    """Recently applied message ids, in two generations so lookups stay O(1)."""

    recent: frozenset[str] = frozenset()
    older: frozenset[str] = frozenset()

    def __contains__(self, msg_id: str) -> bool:
        return msg_id in self.recent or msg_id in self.older

    def add(self, msg_id: str) -> "SeenIds":
        if len(self.recent) < DEDUP_GENERATION:
            return SeenIds(self.recent | {msg_id}, self.older)
        return SeenIds(frozenset((msg_id,)), self.recent)


class AgentState(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the toolbar shows about one recipient (agent)."""

    recipient_id: str
    status: Status = "logged_out"
    away_reason: str | None = None
    reason_standing: ReasonStanding = "server"
    reason_unconfirmed_since: float | None = None
    """With standing "unconfirmed": since when the server has not confirmed the reason."""
    status_since: float | None = None
    session_since: float | None = None
    """When the agent last logged in or out: anything older belongs to a past session."""
    offer: Offer | None = None
    call: Call | None = None
    wrapup: Wrapup | None = None
    external_call: ExternalCall | None = None
    wiretap: Wiretap | None = None
    missed_offer: MissedOffer | None = None
    phone_unreachable_since: float | None = None
    """Since when the server could not ring the agent's phone (not registered); None: it could."""
    queue_pauses: tuple[QueuePause, ...] = ()
    resume_plans: tuple[ResumePlan, ...] = ()
    """Timed pauses the toolbar will end itself (Qubicle has no timed pause)."""
    refused: tuple[Refusal, ...] = ()
    """Kinds of change the server refused outright: their controls are off, saying why."""
    queues: tuple[QueueInfo, ...] = ()
    """The account's queues, by name; `member` marks the ones the agent takes calls from."""
    deferred: Deferral | None = None
    stats: Stats = Stats()
    stats_at: float | None = None
    """Server time of the event the stats came from, so older stats cannot replace them."""
    server_time: float | None = None
    """The newest server time seen (event timestamps and ticks)."""
    connection: Connection = "offline"
    stale_since: float | None = None
    """Since when the state may be out of date: set when the link is lost, cleared on reconcile."""
    reconnect_attempt: int = 0
    next_try_at: float | None = None
    """While reconnecting: when the next attempt is due at the latest (it may come sooner,
    as soon as the server takes connections again)."""
    connection_problem: str | None = None
    commands: tuple[CommandProgress, ...] = ()
    history: tuple[Change, ...] = ()
    seen: SeenIds = SeenIds()
    applied: int = 0
    """Events applied so far: a snapshot read while this changed is not believed."""

    @property
    def activity(self) -> Activity:
        """What the agent is doing, derived so it can never disagree with the details."""
        if self.offer is not None:
            return "offered"
        if self.call is not None:
            return "on_call"
        if self.external_call is not None:
            return "external_call"
        if self.wrapup is not None:
            return "wrapup"
        return "idle"

    @property
    def paused_queues(self) -> tuple[str, ...]:
        return tuple(pause.queue_id for pause in self.queue_pauses if pause.paused)

    def refusal(self, capability: Capability) -> str | None:
        """Why the server refuses this kind of change, if it does."""
        return next((each.reason for each in self.refused if each.capability == capability), None)

    def resume_due(self, queue_id: str) -> float | None:
        return next((plan.due for plan in self.resume_plans if plan.queue_id == queue_id), None)

    @property
    def pending(self) -> tuple[CommandProgress, ...]:
        return tuple(progress for progress in self.commands if progress.phase == "pending")
