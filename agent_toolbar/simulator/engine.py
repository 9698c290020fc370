"""The simulated call center: queues, agents, callers and their timers.

Pure and synchronous: no I/O and no asyncio, the time comes from the injected clock
and every random choice from `random.Random(scenario.simulator.seed)`, so a run with
a manual clock is reproducible. Each public call first fires the timers that fell
due, so the engine is right even when nobody ran it for a while; the Simulator calls
`advance()` when `next_deadline()` comes and is woken by every call, so that it can
sleep until the new earliest deadline.

Events are produced only by changes: asking for the state an agent is already in
changes nothing and sends nothing, as on the real servers.
"""

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from agent_toolbar.simulator.clock import Clock
from agent_toolbar.simulator.kazoo import wire
from agent_toolbar.simulator.kazoo.views import (
    agent_view,
    announced_counts,
    queue_stats,
    queue_view,
)
from agent_toolbar.simulator.model import (
    QUEUE_BINDING,
    RECIPIENT_BINDING,
    Agent,
    AgentView,
    Call,
    Caller,
    Event,
    Forbidden,
    InvalidRequest,
    NotFound,
    Offer,
    PlacedCall,
    Queue,
    QueueStats,
    QueueView,
    Tap,
    Wrapup,
)
from agent_toolbar.simulator.scenario import RandomCallers, Scenario
from agent_toolbar.support.log import simulator_engine as log

FORCED_AWAY_REASON = "missed_call"
"""[assumed] The away reason Qubicle gives when a queue forces away after a missed offer."""
LOGOUT_REASON = "requested"
"""[assumed] The `reason` of a `delete` event when the agent (or a supervisor) logged out."""
WIRETAP_MODES = ("eavesdrop", "whisper", "barge")
STATUS_CHANGES = ("login", "logout", "ready", "away")

CALLER_NAMES = (
    "Ada Lovelace",
    "Barbara Liskov",
    "Charles Babbage",
    "Donald Knuth",
    "Edsger Dijkstra",
    "Frances Allen",
    "Guido van Rossum",
    "Hedy Lamarr",
    "Ivan Sutherland",
    "John Backus",
    "Ken Thompson",
    "Leslie Lamport",
    "Margaret Hamilton",
    "Niklaus Wirth",
    "Radia Perlman",
    "Shafi Goldwasser",
)

Listener = Callable[[Event], None]


@dataclass(eq=False)
class _Arrivals:
    """One `[[random_callers]]` rule and when its next caller comes."""

    rule: RandomCallers
    queues: list[Queue]
    next_at: float


class CallCenter:
    """Queues, agents and callers; the server-side truth that REST and events report."""

    def __init__(self, scenario: Scenario, clock: Clock) -> None:
        self._settings = scenario.simulator
        self._extend_event = scenario.kazoo.extend_event
        self._clock = clock
        self._rng = random.Random(scenario.simulator.seed)
        self._listeners: list[Listener] = []
        self._waker: Callable[[], None] | None = None
        self.account_id = scenario.account_id()
        self.started = clock()
        self._at = self.started
        """The time of what is being done now; timers fire at their own time."""
        self._queues = [
            Queue(config=queue, id=scenario.queue_id(queue)) for queue in scenario.queues
        ]
        by_config = {id(queue.config): queue for queue in self._queues}
        self._agents: list[Agent] = []
        for order, config in enumerate(scenario.agents):
            agent = Agent(config=config, id=scenario.user_id(config), order=order)
            for ref in config.queues:
                found = scenario.find_queue(ref)
                queue = by_config[id(found)]
                if queue not in agent.queues:
                    agent.queues.append(queue)
                    queue.members.append(agent)
            self._agents.append(agent)
        self._script = sorted(scenario.callers, key=lambda caller: caller.at)
        self._script_next = 0
        self._arrivals = [
            _Arrivals(
                rule=rule,
                queues=[by_config[id(scenario.find_queue(ref))] for ref in rule.queues]
                or list(self._queues),
                next_at=self.started + self._rng.uniform(*rule.interval),
            )
            for rule in scenario.random_callers
        ]
        self._next_queue_sync = self.started + self._settings.sync_interval
        self._carried_out: dict[str, Counter[str]] = {}
        for agent in self._agents:
            if agent.config.start != "logged_out":
                self._login(agent)
            if agent.config.start == "ready":
                self._set_ready(agent)
        self._settle()

    # -- listening -----------------------------------------------------------------------

    def add_listener(self, listener: Listener) -> None:
        """Call `listener` with every event from now on (synchronously, in order)."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def set_waker(self, waker: Callable[[], None] | None) -> None:
        """Called after every change, so a timer loop can re-read `next_deadline()`."""
        self._waker = waker

    # -- time ----------------------------------------------------------------------------

    def now(self) -> float:
        return self._clock()

    def next_deadline(self) -> float | None:
        """When the next timer fires (it may already be due), or None if none is set."""
        due = min(self._timers(), key=lambda item: item[0], default=None)
        return None if due is None else due[0]

    def advance(self) -> None:
        """Fire every timer that is due by the clock, each at its own time, in time order."""
        now = self._clock()
        while True:
            due = min(self._timers(), key=lambda item: item[0], default=None)
            if due is None or due[0] > now:
                break
            self._at = max(self._at, due[0])
            due[1]()
            self._dispatch()
            self._sync_changed_queues()
        self._at = max(self._at, now)

    # -- reading -------------------------------------------------------------------------

    def agent(self, user_id: str) -> AgentView:
        agent = self._agent(user_id)
        self.advance()
        return agent_view(agent)

    def agents(self) -> list[AgentView]:
        self.advance()
        return [agent_view(agent) for agent in self._agents]

    def queues(self) -> list[QueueView]:
        self.advance()
        return [queue_view(queue, self._at) for queue in self._queues]

    def recipient_status(self, user_id: str) -> dict[str, Any]:
        """The REST status `data` of an agent (`Not-Logged-In` when logged out)."""
        agent = self._agent(user_id)
        self.advance()
        return wire.recipient_status(agent)

    def queue_members(self, queue_id: str) -> list[AgentView]:
        """A queue's recipients, in the scenario's order."""
        queue = self._queue(queue_id)
        self.advance()
        return [agent_view(agent) for agent in queue.members]

    def carried_out(self, user_id: str) -> Counter[str]:
        """How often each asked-for change was made for this agent (asks that changed
        nothing are not counted), so that a test can tell a change made twice.

        Keys name the change: `login`, `logout`, `ready`, `away` or `away:REASON`,
        `pause:QUEUE_ID` and `resume:QUEUE_ID` (a per-queue away and ready),
        `wrapup_extend`, `wrapup_cancel`. Timers (a forced away) are not asks.
        """
        self._agent(user_id)
        return Counter(self._carried_out.get(user_id, {}))

    def queue_document(self, queue_id: str) -> dict[str, Any]:
        """The queue's document (`GET qubicle_queues/{Q}`): its name and settings."""
        queue = self._queue(queue_id)
        return wire.queue_document(queue.id, queue.config)

    def queue_status(self, queue_id: str) -> dict[str, Any]:
        queue = self._queue(queue_id)
        self.advance()
        return wire.queue_status(queue.id, queue.name, queue_stats(queue, self._at))

    # -- callers -------------------------------------------------------------------------

    def add_caller(
        self,
        queue: str,
        name: str,
        number: str,
        *,
        talk_seconds: float = 60.0,
        patience: float = 120.0,
    ) -> str:
        """A caller enters `queue` (its id or name) now; returns the session id."""
        target = self._queue(queue)
        if not talk_seconds > 0 or not patience > 0:
            raise InvalidRequest("talk_seconds and patience must be positive numbers of seconds")
        self.advance()
        caller = self._enter(target, name, number, talk_seconds, patience)
        self._settle()
        return caller.session_id

    # -- the softphone's stand-ins -------------------------------------------------------

    def answer(self, user_id: str) -> None:
        """Pick up the ringing phone: a queue's offer, or the first leg of a placed call."""
        agent = self._agent(user_id)
        self.advance()
        if agent.offer is not None:
            self._answer(agent)
        elif agent.placing is not None:
            self._connect_placed(agent)
        else:
            raise InvalidRequest(f"no call is ringing for {agent.config.username}")
        self._settle()

    def decline(self, user_id: str) -> None:
        agent = self._agent(user_id)
        self.advance()
        if agent.offer is None:
            raise InvalidRequest(f"no call is ringing for {agent.config.username}")
        self._reject(agent)
        self._settle()

    def hang_up(self, user_id: str) -> None:
        """Put the phone down: a queue call, else an external call."""
        agent = self._agent(user_id)
        self.advance()
        if agent.call is not None:
            self._hang_up(agent)
        elif agent.external_call_id is not None:
            self._end_external(agent)
        else:
            raise InvalidRequest(f"{agent.config.username} is not on a call")
        self._settle()

    def start_external_call(self, user_id: str) -> None:
        agent = self._agent(user_id)
        self.advance()
        self._require_login(agent)
        self._require_free(agent)
        self._start_external(agent, self._new_id(), None)
        self._settle()

    def end_external_call(self, user_id: str) -> None:
        agent = self._agent(user_id)
        self.advance()
        if agent.external_call_id is None:
            raise InvalidRequest(f"{agent.config.username} is not on an external call")
        self._end_external(agent)
        self._settle()

    def place_call(self, user_id: str, number: str) -> str:
        """What quickcall and Telphin's callback do: ring the agent's phone, and once it is
        picked up call `number` (an external call). Returns the call's id at once, as both
        APIs do; a phone nobody picks up gives up after `placed_call_ring` seconds."""
        agent = self._agent(user_id)
        self.advance()
        if not number or not number.lstrip("+").isdigit():
            raise InvalidRequest(f"{number!r} is not a number to call")
        self._require_free(agent)
        auto_at = None
        if agent.config.answer == "auto":
            auto_at = self._at + self._rng.uniform(*self._settings.auto_answer_delay)
        call_id = self._new_id()
        agent.placing = PlacedCall(
            number=number,
            call_id=call_id,
            gives_up_at=self._at + self._settings.placed_call_ring,
            auto_answer_at=auto_at,
        )
        log.info("%s's phone rings to call %s", agent.config.username, number)
        self._settle()
        return call_id

    # -- what the REST API changes -------------------------------------------------------

    def set_status(self, user_id: str, status: str, reason: str | None = None) -> None:
        """`login`, `logout`, `ready` or `away` (with an optional reason)."""
        agent = self._agent(user_id)
        if status not in STATUS_CHANGES:
            raise InvalidRequest(
                f"unknown status {status!r}; use one of {', '.join(STATUS_CHANGES)}"
            )
        self.advance()
        before = (agent.status, agent.away_reason)
        if status == "login":
            if agent.status == "logged_out":
                self._login(agent)
        elif status == "logout":
            if agent.status != "logged_out":
                self._logout(agent, reason or LOGOUT_REASON)
        else:
            self._require_login(agent)
            if status == "ready":
                self._set_ready(agent)
            else:
                self._set_away(agent, reason)
        if (agent.status, agent.away_reason) != before:
            self._count(agent, status if status != "away" or reason is None else f"away:{reason}")
        self._settle()

    def pause(self, user_id: str, queue_id: str) -> None:
        """A per-queue away: no more offers from this queue (a `pause` event); the agent's
        own status is untouched. Qubicle has no timed pause: a timer is the client's."""
        self._set_queue_flag(user_id, queue_id, False)

    def resume(self, user_id: str, queue_id: str) -> None:
        """A per-queue ready: offers from this queue again (a `resume` event)."""
        self._set_queue_flag(user_id, queue_id, True)

    def wrapup_extend(self, user_id: str) -> None:
        """Add the queue's wrap-up time once more; [doc] no event says so, unless the
        scenario's `extend_event` has a new `wrapup_start` announce it."""
        agent = self._agent(user_id)
        self.advance()
        wrapup = self._require_wrapup(agent)
        wrapup.ends += wrapup.queue.config.wrapup_time
        wrapup.length += wrapup.queue.config.wrapup_time
        self._count(agent, "wrapup_extend")
        if self._extend_event:
            self._emit(
                agent,
                "wrapup_start",
                state=agent.status,
                queue_id=wrapup.queue.id,
                wrapup_time_seconds=wire.whole_seconds(wrapup.ends - self._at),
            )
        self._settle()

    def wrapup_cancel(self, user_id: str) -> None:
        agent = self._agent(user_id)
        self.advance()
        self._require_wrapup(agent)
        self._count(agent, "wrapup_cancel")
        self._complete_wrapup(agent)
        self._settle()

    def monitor(self, supervisor_id: str, target_id: str, mode: str) -> None:
        """Listen to `target`'s call; `wiretap_failed` goes to the supervisor if there is none."""
        supervisor, target = self._agent(supervisor_id), self._agent(target_id)
        if not supervisor.config.supervisor:
            raise Forbidden(f"{supervisor.config.username} is not a supervisor")
        if mode not in WIRETAP_MODES:
            raise InvalidRequest(f"unknown mode {mode!r}; use one of {', '.join(WIRETAP_MODES)}")
        if supervisor is target:
            raise InvalidRequest("a supervisor cannot monitor their own calls")
        self.advance()
        if supervisor.monitoring is not None:
            raise InvalidRequest(
                f"already monitoring {supervisor.monitoring.target.config.username}; stop first"
            )
        if target.call is None or target.monitored_by is not None:
            why = (
                "target is not on a call" if target.call is None else "target is already monitored"
            )
            self._emit(supervisor, "wiretap_failed", target=target.id, mode=mode, reason=why)
        else:
            tap = Tap(supervisor=supervisor, target=target, mode=mode, call_id=self._new_id())
            supervisor.monitoring = target.monitored_by = tap
            for who in (supervisor, target):
                self._emit(
                    who,
                    "wiretap_start",
                    target=target.id,
                    mode=mode,
                    **{"monitoring-recipient-id": supervisor.id, "wiretap-call-id": tap.call_id},
                )
        self._settle()

    def stop_monitor(self, supervisor_id: str) -> None:
        supervisor = self._agent(supervisor_id)
        self.advance()
        if supervisor.monitoring is None:
            raise InvalidRequest(f"{supervisor.config.username} is not monitoring anyone")
        self._stop_tap(supervisor.monitoring)
        self._settle()

    # -- rules ---------------------------------------------------------------------------

    def _login(self, agent: Agent) -> None:
        agent.status, agent.away_reason, agent.queue_flags = "away", None, {}
        agent.status_since = agent.available_since = self._at
        agent.login_time = self._at
        agent.next_sync = self._at + self._settings.sync_interval
        self._emit(agent, "create", state="away", username=agent.config.username, pid="<0.0.0>")

    def _logout(self, agent: Agent, reason: str) -> None:
        """Logging out ends the offer, the call, wrap-up, per-queue flags and monitoring."""
        if agent.offer is not None:
            self._withdraw_offer(agent)
        if agent.call is not None:
            self._end_call(agent)
        if agent.monitoring is not None:
            self._stop_tap(agent.monitoring)
        agent.wrapup, agent.external_call_id, agent.queue_flags = None, None, {}
        agent.external_number = None
        agent.status, agent.away_reason, agent.status_since = "logged_out", None, self._at
        agent.next_sync = None
        self._emit(agent, "delete", reason=reason)

    def _set_ready(self, agent: Agent) -> None:
        if agent.status == "ready":
            return
        away_time = self._at - agent.status_since
        agent.status, agent.away_reason = "ready", None
        agent.status_since = agent.available_since = self._at
        self._emit(agent, "ready", state="ready", away_time=round(away_time))

    def _set_away(self, agent: Agent, reason: str | None) -> None:
        if agent.status == "away" and agent.away_reason == reason:
            return
        if agent.status != "away":
            agent.status_since = self._at
        agent.status, agent.away_reason = "away", reason
        fields: dict[str, Any] = {"state": "away"}
        if reason is not None:
            fields["reason"] = reason
        self._emit(agent, "away", **fields)

    def _set_queue_flag(self, user_id: str, queue_id: str, flag: bool) -> None:
        """Record the flag; only a change of whether the queue offers sends an event and
        counts ([assumed]: a first per-queue ready only sets the flag, offers go on)."""
        agent, queue = self._member(user_id, queue_id)
        self.advance()
        self._require_login(agent)
        offered_before = agent.queue_flags.get(queue.id, True)
        agent.queue_flags[queue.id] = flag
        if flag != offered_before:
            change = "resume" if flag else "pause"
            self._emit(agent, change, queue_id=queue.id)
            self._count(agent, f"{change}:{queue.id}")
        self._settle()

    def _enter(
        self, queue: Queue, name: str, number: str, talk_seconds: float, patience: float
    ) -> Caller:
        caller = Caller(
            session_id=self._new_id(),
            queue=queue,
            name=name,
            number=number,
            talk_seconds=talk_seconds,
            patience=patience,
            entered=self._at,
            position=len(queue.waiting) + 1,
        )
        queue.waiting.append(caller)
        queue.total += 1
        log.debug("caller %s (%s) entered %s", name, caller.session_id, queue.name)
        return caller

    def _dispatch(self) -> None:
        """Offer each waiting caller, oldest first, to the member agent idle longest."""
        waiting = sorted(
            (
                caller
                for queue in self._queues
                for caller in queue.waiting
                if caller.offered_to is None
            ),
            key=lambda caller: caller.entered,
        )
        for caller in waiting:
            free = [agent for agent in caller.queue.members if agent.can_take(caller.queue)]
            if free:
                self._offer(
                    min(free, key=lambda agent: (agent.available_since, agent.order)), caller
                )

    def _offer(self, agent: Agent, caller: Caller) -> None:
        queue = caller.queue
        auto_at = None
        if agent.config.answer == "auto":
            auto_at = self._at + self._rng.uniform(*self._settings.auto_answer_delay)
        agent.offer = Offer(
            caller=caller,
            at=self._at,
            deadline=self._at + queue.config.ring_timeout,
            auto_answer_at=auto_at,
        )
        caller.offered_to = agent
        agent.offered += 1
        entered = wire.gregorian(caller.entered)
        self._emit(
            agent,
            "offer",
            state=agent.status,
            queue_id=queue.id,
            session_id=caller.session_id,
            session_zone="local",
            caller_id_name=caller.name,
            caller_id_num=caller.number,
            caller_id_number=caller.number,
            ring_timeout=queue.config.ring_timeout,
            queue_wrapup=queue.config.wrapup_time,
            force_away_on_reject=queue.config.force_away_on_reject,
            enter_pos=caller.position,
            est_wait=round(queue_stats(queue, self._at).estimated_wait),
            queue_enter_time=entered,
            offer_data={},
            session={"session_id": caller.session_id, "queue_id": queue.id, "enter_time": entered},
        )

    def _answer(self, agent: Agent) -> None:
        assert agent.offer is not None
        caller = agent.offer.caller
        queue = caller.queue
        agent.offer = None
        queue.waiting.remove(caller)
        queue.answered += 1
        queue.wait_total += self._at - caller.entered
        agent.answered += 1
        agent.call = Call(caller=caller, answered=self._at, ends=self._at + caller.talk_seconds)
        self._emit(
            agent,
            "delivered",
            queue_id=queue.id,
            queue_name=queue.name,
            session_id=caller.session_id,
            caller_id_name=caller.name,
            caller_id_number=caller.number,
            queue_enter_time=wire.gregorian(caller.entered),
        )

    def _connect_placed(self, agent: Agent) -> None:
        placing = agent.placing
        assert placing is not None
        agent.placing = None
        self._start_external(agent, placing.call_id, placing.number)

    def _give_up_placed(self, agent: Agent) -> None:
        assert agent.placing is not None
        log.info("%s's phone was not picked up: no call", agent.config.username)
        agent.placing = None

    def _start_external(self, agent: Agent, call_id: str, number: str | None) -> None:
        agent.external_call_id, agent.external_number = call_id, number
        self._emit(agent, "external_call_start", state=agent.status, external_call_id=call_id)

    def _end_external(self, agent: Agent) -> None:
        call_id = agent.external_call_id
        agent.external_call_id, agent.external_number = None, None
        agent.available_since = self._at
        self._emit(agent, "external_call_end", state=agent.status, external_call_id=call_id)

    def _reject(self, agent: Agent) -> None:
        """Declined or rang out: the caller goes back to the queue, the agent to its end."""
        assert agent.offer is not None
        caller = agent.offer.caller
        queue = caller.queue
        agent.offer, caller.offered_to = None, None
        agent.missed += 1
        queue.missed += 1
        agent.available_since = self._at
        self._emit(agent, "reject", queue_id=queue.id, session_id=caller.session_id)
        if queue.config.force_away_on_reject and agent.status == "ready":
            self._set_away(agent, FORCED_AWAY_REASON)

    def _withdraw_offer(self, agent: Agent) -> None:
        assert agent.offer is not None
        caller = agent.offer.caller
        agent.offer, caller.offered_to = None, None
        agent.rescinded += 1
        self._emit(
            agent,
            "rescind",
            state=agent.status,
            queue_id=caller.queue.id,
            session_id=caller.session_id,
        )

    def _abandon(self, caller: Caller) -> None:
        caller.queue.waiting.remove(caller)
        caller.queue.abandoned += 1
        agent = caller.offered_to
        if agent is not None:
            self._withdraw_offer(agent)
        log.debug("caller %s abandoned %s", caller.name, caller.queue.name)

    def _end_call(self, agent: Agent) -> Queue:
        assert agent.call is not None
        call, agent.call = agent.call, None
        talk = self._at - call.answered
        agent.finished_calls += 1
        agent.talk_total += talk
        agent.last_handled = self._at
        self._emit(
            agent,
            "hangup",
            queue_id=call.caller.queue.id,
            session_id=call.caller.session_id,
            talk_time=round(talk),
        )
        if agent.monitored_by is not None:
            self._stop_tap(agent.monitored_by)
        return call.caller.queue

    def _hang_up(self, agent: Agent) -> None:
        queue = self._end_call(agent)
        wrapup_time = queue.config.wrapup_time
        if wrapup_time <= 0:
            agent.available_since = self._at
            return
        agent.wrapup = Wrapup(
            queue=queue, started=self._at, ends=self._at + wrapup_time, length=wrapup_time
        )
        self._emit(
            agent,
            "wrapup_start",
            state=agent.status,
            queue_id=queue.id,
            wrapup_time_seconds=wire.whole_seconds(wrapup_time),
        )

    def _complete_wrapup(self, agent: Agent) -> None:
        assert agent.wrapup is not None
        wrapup, agent.wrapup = agent.wrapup, None
        agent.available_since = self._at
        self._emit(
            agent,
            "wrapup_complete",
            state=agent.status,
            queue_id=wrapup.queue.id,
            available=wire.available(agent),
            availability_state=wire.availability_state(agent),
            total_time=round(self._at - wrapup.started),
        )

    def _stop_tap(self, tap: Tap) -> None:
        tap.supervisor.monitoring = tap.target.monitored_by = None
        for who in (tap.supervisor, tap.target):
            self._emit(who, "wiretap_stop", **{"wiretap-call-id": tap.call_id})

    def _sync(self, agent: Agent) -> None:
        assert agent.next_sync is not None
        agent.next_sync += self._settings.sync_interval
        self._emit(
            agent,
            "sync",
            availability_state=wire.availability_state(agent),
            available=wire.available(agent),
            wrapup_time_seconds=wire.wrapup_length(agent),
            node=wire.NODE,
        )

    def _scripted_arrival(self) -> None:
        spec = self._script[self._script_next]
        self._script_next += 1
        self._enter(
            self._queue(spec.queue), spec.name, spec.number, spec.talk_seconds, spec.patience
        )

    def _random_arrival(self, arrivals: _Arrivals) -> None:
        rule = arrivals.rule
        queue = self._rng.choice(arrivals.queues)
        name = self._rng.choice(CALLER_NAMES)
        number = f"+1555{self._rng.randrange(1_000_000, 10_000_000)}"
        talk = self._rng.uniform(*rule.talk_seconds)
        patience = self._rng.uniform(*rule.patience)
        self._enter(queue, name, number, talk, patience)
        arrivals.next_at += self._rng.uniform(*rule.interval)

    def _timers(self) -> Iterator[tuple[float, Callable[[], None]]]:
        """Every pending timer, always in the same order, so that ties resolve the same way."""
        if self._script_next < len(self._script):
            yield self.started + self._script[self._script_next].at, self._scripted_arrival
        for arrivals in self._arrivals:
            yield arrivals.next_at, partial(self._random_arrival, arrivals)
        for queue in self._queues:
            for caller in queue.waiting:
                yield caller.entered + caller.patience, partial(self._abandon, caller)
        for agent in self._agents:
            if agent.offer is not None:
                if agent.offer.auto_answer_at is not None:
                    yield agent.offer.auto_answer_at, partial(self._answer, agent)
                yield agent.offer.deadline, partial(self._reject, agent)
            if agent.call is not None:
                yield agent.call.ends, partial(self._hang_up, agent)
            if agent.wrapup is not None:
                yield agent.wrapup.ends, partial(self._complete_wrapup, agent)
            if agent.placing is not None:
                if agent.placing.auto_answer_at is not None:
                    yield agent.placing.auto_answer_at, partial(self._connect_placed, agent)
                yield agent.placing.gives_up_at, partial(self._give_up_placed, agent)
            if agent.next_sync is not None:
                yield agent.next_sync, partial(self._sync, agent)
        yield self._next_queue_sync, self._sync_queues

    # -- queues --------------------------------------------------------------------------

    def _sync_queues(self) -> None:
        self._next_queue_sync += self._settings.sync_interval
        for queue in self._queues:
            self._emit_queue(queue, queue_stats(queue, self._at))

    def _sync_changed_queues(self) -> None:
        """A queue's `sync` goes out whenever one of its counts changes, not only periodically."""
        for queue in self._queues:
            stats = queue_stats(queue, self._at)
            if announced_counts(stats) != queue.last_synced:
                self._emit_queue(queue, stats)

    def _emit_queue(self, queue: Queue, stats: QueueStats) -> None:
        queue.last_synced = announced_counts(stats)
        data = wire.queue_event(self.account_id, queue.id, queue.name, self._at, stats)
        self._publish(Event(QUEUE_BINDING, "sync", self.account_id, queue.id, data, self._at))

    # -- plumbing ------------------------------------------------------------------------

    def _emit(self, agent: Agent, name: str, **fields: Any) -> None:
        if name != "sync":
            agent.last_action = self._at
        data = wire.recipient_event(self.account_id, agent, name, self._at, fields)
        self._publish(Event(RECIPIENT_BINDING, name, self.account_id, agent.id, data, self._at))

    def _publish(self, event: Event) -> None:
        for listener in list(self._listeners):
            listener(event)

    def _count(self, agent: Agent, change: str) -> None:
        self._carried_out.setdefault(agent.id, Counter())[change] += 1

    def _settle(self) -> None:
        """After any change: offer waiting callers, announce changed queues, wake the timers."""
        self._dispatch()
        self._sync_changed_queues()
        if self._waker is not None:
            self._waker()

    def _new_id(self) -> str:
        return f"{self._rng.getrandbits(128):032x}"

    def _agent(self, user_id: str) -> Agent:
        for agent in self._agents:
            if agent.id == user_id:
                return agent
        raise NotFound(f"no agent has id {user_id!r}", user_id)

    def _queue(self, ref: str) -> Queue:
        for queue in self._queues:
            if ref == queue.id or ref.lower() == queue.name.lower():
                return queue
        raise NotFound(f"no queue has id or name {ref!r}", ref)

    def _member(self, user_id: str, queue_id: str) -> tuple[Agent, Queue]:
        agent, queue = self._agent(user_id), self._queue(queue_id)
        if queue not in agent.queues:
            raise InvalidRequest(f"{agent.config.username} is not a member of queue {queue.name}")
        return agent, queue

    def _require_login(self, agent: Agent) -> None:
        if agent.status == "logged_out":
            raise InvalidRequest(f"{agent.config.username} is not logged in; log in first")

    def _require_free(self, agent: Agent) -> None:
        """The phone must be free: no call ringing, on it, or being placed."""
        busy = agent.activity not in ("idle", "wrapup") or agent.placing is not None
        if busy:
            raise InvalidRequest(f"{agent.config.username}'s phone is busy ({agent.activity})")

    def _require_wrapup(self, agent: Agent) -> Wrapup:
        if agent.wrapup is None:
            raise InvalidRequest(f"{agent.config.username} is not in wrap-up")
        return agent.wrapup
