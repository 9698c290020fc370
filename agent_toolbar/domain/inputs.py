"""Inputs that do not come from the event stream: time, REST snapshots, the link, commands.

The session produces them; the reducer treats them like events, so that the whole
life of the toolbar (reconnects, reconciles, the agent's own clicks) stays pure and
testable.
"""

import msgspec

from agent_toolbar.domain import causes
from agent_toolbar.domain.commands import Command
from agent_toolbar.domain.events import QueueSynced, RecipientEvent, StatsPayload
from agent_toolbar.domain.state import (
    Activity,
    After,
    Capability,
    Connection,
    ResumePlan,
    Status,
)


class Tick(msgspec.Struct, frozen=True):
    """The server's time is now at least `now` (Unix seconds).

    The domain has no clock; whoever runs it says what time it is, so that an offer
    whose ring deadline has passed stops ringing even when no event arrives.
    """

    now: float


class SnapshotCall(msgspec.Struct, frozen=True, kw_only=True):
    """An offered or handled call as the server lists it."""

    queue_id: str | None = None
    session_id: str | None = None
    caller_id_name: str | None = None
    caller_id_number: str | None = None


class Snapshot(msgspec.Struct, frozen=True, kw_only=True):
    """The server's own statement of the agent's state, read on demand (REST).

    It is the truth after a reconnect, after a burst that may have lost events, and
    on a periodic check. Fields left None are ones the server did not state.
    """

    taken_at: float | None
    logged_in: bool
    status: Status | None = None
    away_reason: str | None = None
    paused_queues: tuple[str, ...] | None = None
    offer: SnapshotCall | None = None
    call: SnapshotCall | None = None
    activity: Activity | None = None
    """What the server's state word says the agent is doing, when it has one."""
    wrapup_seconds: float | None = None
    """The wrap-up's length, when the server states it during wrap-up (not the time left)."""
    monitored_by: str | None = None
    monitor_mode: str | None = None
    stats: StatsPayload | None = None
    cause: str = causes.CHECKED
    status_known: bool = True
    """False when the server's answer names no status the toolbar can read: `logged_in`
    and `status` are then not believed, and the status stays as events left it."""
    phone_registered: bool | None = None
    """Whether the server can ring the agent's phone, when it says (Telphin's letter `u`)."""
    calls_known: bool = True
    """False when the server's answer says nothing about calls: offer, call and wrap-up stay."""
    basis: int | None = None
    """The state's `applied` count when the read began; None: believe it regardless.

    Event stamps are whole seconds, so time cannot tell a snapshot from an event of
    the same moment; arrival order can. If an event was applied while the server was
    being read, the snapshot may be older than it and is skipped (read it again).
    """


class QueueFacts(msgspec.Struct, frozen=True, kw_only=True):
    """One queue as the server lists it: its name and numbers."""

    queue_id: str
    name: str | None = None
    in_queue: int | None = None
    longest_wait: float | None = None
    estimated_wait: float | None = None
    agents_available: int | None = None
    ring_timeout: float | None = None
    """How long the queue rings an agent, by its setting, where the server says."""
    force_away_on_reject: bool | None = None
    """Whether a missed offer sets the agent Away, by the queue's setting, where it says."""


class QueuesReported(msgspec.Struct, frozen=True, kw_only=True):
    """The account's queues read over REST: every queue's name and numbers."""

    queues: tuple[QueueFacts, ...]
    taken_at: float | None
    members: tuple[str, ...] | None = None
    """The queues the agent takes calls from, when the server could say (None: unknown)."""


class CapabilityRefused(msgspec.Struct, frozen=True, kw_only=True):
    """The server refuses a whole kind of change: its controls go off, saying why."""

    capability: Capability
    reason: str
    at: float | None


class ServerClockStepped(msgspec.Struct, frozen=True, kw_only=True):
    """The server's clock stepped back `by` seconds (a negative number): its stamps from
    now on are that much earlier than they would have been."""

    by: float


class ResumePlansLoaded(msgspec.Struct, frozen=True, kw_only=True):
    """Timed pauses remembered from an earlier run of the toolbar."""

    plans: tuple[ResumePlan, ...]
    at: float | None


class DeferralSet(msgspec.Struct, frozen=True, kw_only=True):
    """The agent wants `command` once the current call (or wrap-up) is over."""

    command: Command
    after: After
    at: float | None


class DeferralCleared(msgspec.Struct, frozen=True, kw_only=True):
    """The deferred change was cancelled, or is being carried out now."""

    at: float | None


class ConnectionChanged(msgspec.Struct, frozen=True, kw_only=True):
    """The link to the server changed: the state may no longer be confirmed."""

    connection: Connection
    at: float | None
    attempt: int = 0
    problem: str | None = None
    """Plain words for why the link is not online ("wrong password", "server unreachable")."""
    next_try_at: float | None = None
    """When the next attempt to connect is due, at the latest."""


class CommandIssued(msgspec.Struct, frozen=True, kw_only=True):
    """The agent asked for a change; it is pending until the server shows it."""

    id: int
    command: Command
    at: float | None


class CommandAccepted(msgspec.Struct, frozen=True, kw_only=True):
    """The server answered the request with success.

    That confirms a change the state already shows while online (the server sends
    no event for a change that changes nothing), and an extension of wrap-up, which
    no event shows; anything else stays pending until its event or a snapshot.
    """

    id: int
    at: float | None


class CommandFailed(msgspec.Struct, frozen=True, kw_only=True):
    """The change did not happen; `reason` says why in plain words. With `unanswered`, it
    may have: the server did not answer and could not be asked."""

    id: int
    reason: str
    at: float | None
    unanswered: bool = False


LocalInput = (
    Tick
    | Snapshot
    | QueuesReported
    | ConnectionChanged
    | CommandIssued
    | CommandAccepted
    | CommandFailed
    | DeferralSet
    | DeferralCleared
    | CapabilityRefused
    | ResumePlansLoaded
    | ServerClockStepped
)
Input = RecipientEvent | QueueSynced | LocalInput
