"""The call center's data: the mutable truth the engine keeps, the frozen views it hands
out, the events it emits and the errors it raises.

Views are msgspec structs so that `/sim/state` can serialise them as they are; the
mutable records stay inside the engine and are never given to callers.
"""

from dataclasses import dataclass, field
from typing import Any, Literal

import msgspec

from agent_toolbar.simulator.scenario import AgentConfig, QueueConfig

Status = Literal["logged_out", "away", "ready"]
Activity = Literal["idle", "offered", "on_call", "wrapup", "external_call"]
Binding = Literal["qubicle.recipient", "qubicle.queue"]

RECIPIENT_BINDING: Binding = "qubicle.recipient"
QUEUE_BINDING: Binding = "qubicle.queue"


class EngineError(Exception):
    """A request the call center refuses; `status` is the HTTP status Crossbar answers."""

    status = 400


class InvalidRequest(EngineError):
    """The request makes no sense in the current state (not logged in, nothing to answer)."""


class NotFound(EngineError):
    """No agent or queue has the given id."""

    status = 404

    def __init__(self, message: str, cause: str) -> None:
        super().__init__(message)
        self.cause = cause


class Forbidden(EngineError):
    """The agent may not do this (monitoring without being a supervisor)."""

    status = 403


@dataclass(frozen=True)
class Event:
    """One event for the websocket: `data` is the payload exactly as it goes on the wire."""

    binding: Binding
    name: str
    account_id: str
    subject_id: str
    """The recipient id or queue id the event is about (the last routing-key segment)."""
    data: dict[str, Any]
    at: float
    """When the change happened (Unix seconds, simulator clock): a timer fires at its own
    time, which may be earlier than the clock when nobody ran the engine for a while."""


class AgentStats(msgspec.Struct, frozen=True, kw_only=True):
    """Counters that add up: offered = total (answered) + missed + rescinded (+ ringing now)."""

    offered_calls: int
    total_calls: int
    missed_calls: int
    rescinded_calls: int
    talk_time: float
    avg_call_time: float
    login_time: float | None
    last_action_time: float | None
    last_handled_time: float | None


class AgentView(msgspec.Struct, frozen=True, kw_only=True):
    """The server's truth about one agent at one moment; times in Unix seconds."""

    user_id: str
    username: str
    display_name: str
    queues: tuple[str, ...]
    supervisor: bool
    status: Status
    away_reason: str | None
    queue_availability: dict[str, bool]
    """Per-queue flags, only for queues where one was set (false: away for that queue)."""
    paused_queues: tuple[str, ...]
    """The queues whose flag is false: no offers come from them."""
    activity: Activity
    offer_session_id: str | None
    call_session_id: str | None
    wrapup_ends: float | None
    external_call_id: str | None
    monitoring: str | None
    monitored_by: str | None
    stats: AgentStats


class CallerView(msgspec.Struct, frozen=True, kw_only=True):
    """A caller waiting in a queue, or being offered to `offered_to`."""

    session_id: str
    name: str
    number: str
    entered: float
    offered_to: str | None


class QueueStats(msgspec.Struct, frozen=True, kw_only=True):
    """total_sessions = answered + abandoned + still waiting; waits in seconds."""

    total_sessions: int
    answered_sessions: int
    missed_sessions: int
    abandoned_sessions: int
    active_session_count: int
    average_wait: float
    longest_wait: float
    estimated_wait: float
    recipient_count: int
    active_recipient_count: int
    available_recipient_count: int


class QueueView(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    ring_timeout: float
    wrapup_time: float
    force_away_on_reject: bool
    members: tuple[str, ...]
    waiting: tuple[CallerView, ...]
    stats: QueueStats


@dataclass(eq=False)
class Caller:
    session_id: str
    queue: "Queue"
    name: str
    number: str
    talk_seconds: float
    patience: float
    entered: float
    position: int
    offered_to: "Agent | None" = None


@dataclass(eq=False)
class Offer:
    caller: Caller
    at: float
    deadline: float
    auto_answer_at: float | None


@dataclass(eq=False)
class PlacedCall:
    """A call placed through the API (Kazoo's quickcall, Telphin's callback): the
    agent's own phone rings first, and only once it is picked up is `number` called."""

    number: str
    call_id: str
    gives_up_at: float
    auto_answer_at: float | None


@dataclass(eq=False)
class Call:
    caller: Caller
    answered: float
    ends: float


@dataclass(eq=False)
class Wrapup:
    queue: "Queue"
    started: float
    ends: float
    length: float
    """The queue's wrap-up time, plus one more for each extension."""


@dataclass(eq=False)
class Tap:
    """A supervisor listening to an agent's call."""

    supervisor: "Agent"
    target: "Agent"
    mode: str
    call_id: str


@dataclass(eq=False)
class Queue:
    config: QueueConfig
    id: str
    members: list["Agent"] = field(default_factory=list)
    waiting: list[Caller] = field(default_factory=list)
    """Callers not yet connected to an agent, in arrival order (including offered ones)."""
    total: int = 0
    answered: int = 0
    missed: int = 0
    abandoned: int = 0
    wait_total: float = 0.0
    last_synced: tuple[int, ...] | None = None

    @property
    def name(self) -> str:
        return self.config.name


@dataclass(eq=False)
class Agent:
    config: AgentConfig
    id: str
    order: int
    """Position in the scenario: breaks ties between agents idle equally long."""
    queues: list[Queue] = field(default_factory=list)
    status: Status = "logged_out"
    away_reason: str | None = None
    status_since: float = 0.0
    queue_flags: dict[str, bool] = field(default_factory=dict)
    """Per-queue availability set by a per-queue away (false) or ready (true); a queue
    without a flag offers as the agent's status says. Cleared at login and logout."""
    offer: Offer | None = None
    call: Call | None = None
    wrapup: Wrapup | None = None
    external_call_id: str | None = None
    external_number: str | None = None
    """The number the agent called out to, when the call was placed through the API."""
    placing: PlacedCall | None = None
    monitoring: Tap | None = None
    monitored_by: Tap | None = None
    available_since: float = 0.0
    next_sync: float | None = None
    offered: int = 0
    answered: int = 0
    missed: int = 0
    rescinded: int = 0
    finished_calls: int = 0
    talk_total: float = 0.0
    login_time: float | None = None
    last_action: float | None = None
    last_handled: float | None = None

    @property
    def activity(self) -> Activity:
        if self.offer is not None:
            return "offered"
        if self.call is not None:
            return "on_call"
        if self.external_call_id is not None:
            return "external_call"
        if self.wrapup is not None:
            return "wrapup"
        return "idle"

    def can_take(self, queue: Queue) -> bool:
        """Whether `queue` may offer this agent a session now."""
        return (
            self.status == "ready"
            and self.activity == "idle"
            and self.queue_flags.get(queue.id, True)
            and self.monitoring is None
            and self.placing is None
        )

    @property
    def avg_call_time(self) -> float:
        return self.talk_total / self.finished_calls if self.finished_calls else 0.0
