"""Telphin's event subscriptions, and the callbacks the engine's changes send to them.

An agent's subscriptions hear its logins and logouts (`agent-login`, `agent-logout`);
an extension's hear the queue calls that ring it (`dial-in`, `answer`, `hangup`).
Only real changes send anything: the engine emits no event for a change that changes
nothing, and ready/away inside the engine mean nothing to Telphin. A callback goes to
every subscription of the right owner and type that exists when the change happens.
A ring to an unplugged phone is dialled only when it fails (`Phones`): its `dial-in`
and its `hangup` with `CHANUNAVAIL` go out together. A call placed through the callback
API calls back as a call no queue rang: [assumed] `dial-in` and `answer` when the
agent's phone is picked up (the engine says nothing while it rings), `hangup` at its end.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from yarl import URL

from agent_toolbar.simulator.model import RECIPIENT_BINDING, Event, InvalidRequest, NotFound
from agent_toolbar.simulator.telphin import wire as telphin_wire
from agent_toolbar.simulator.telphin.courier import Callback, Courier
from agent_toolbar.simulator.telphin.directory import QueueExtension, TelphinDirectory, TelphinLogin
from agent_toolbar.simulator.telphin.phones import Phones
from agent_toolbar.support.log import simulator_telphin_hooks as log

OwnerKind = Literal["agent", "extension"]
Owner = tuple[OwnerKind, int]
"""Whose subscription it is: an agent id or an extension id."""
Source = Literal["api", "phone"]

LIMIT_MESSAGE = "event limit reached"
"""[assumed] The `message` of the 400 answer to one subscription too many."""


@dataclass
class Subscription:
    id: int
    url: str
    method: str
    event_type: str


class Subscriptions:
    """Every subscription, by owner, with a cap per owner; ids are unique across owners."""

    def __init__(self, agent_limit: int, extension_limit: int) -> None:
        self.limits: dict[OwnerKind, int] = {"agent": agent_limit, "extension": extension_limit}
        self._by_owner: dict[Owner, list[Subscription]] = {}
        self._last_id = 0

    def add(self, owner: Owner, url: str, method: str, event_type: str) -> Subscription:
        mine = self._by_owner.setdefault(owner, [])
        if len(mine) >= self.limits[owner[0]]:
            raise InvalidRequest(LIMIT_MESSAGE)
        self._last_id += 1
        subscription = Subscription(self._last_id, url, method, event_type)
        mine.append(subscription)
        # The URL's path is the subscriber's secret: only where it goes is logged.
        log.info("%s %d subscribed to %s (%s %s)", *owner, event_type, method, URL(url).origin())
        return subscription

    def of(self, owner: Owner) -> list[Subscription]:
        return list(self._by_owner.get(owner, []))

    def get(self, owner: Owner, event_id: int) -> Subscription:
        for subscription in self._by_owner.get(owner, []):
            if subscription.id == event_id:
                return subscription
        raise NotFound(f"{owner[0]} {owner[1]} has no event {event_id}", str(event_id))

    def remove(self, owner: Owner, event_id: int) -> None:
        self._by_owner[owner].remove(self.get(owner, event_id))

    def clear(self, owner: Owner) -> None:
        self._by_owner.pop(owner, None)

    def matching(self, owner: Owner, event_type: str) -> list[Subscription]:
        return [sub for sub in self._by_owner.get(owner, []) if sub.event_type == event_type]


@dataclass(eq=False)
class _Ring:
    """The queue ringing one agent: one sub-call of a call, from `dial-in` to `hangup`."""

    call_id: str
    sub_call_id: str
    call_api_id: str
    caller_name: str
    caller_number: str
    queue: QueueExtension
    started: float
    answered: float | None = None
    held: bool = False
    """Rung while the phone was unplugged: its `dial-in` waits until the ring ends."""


@dataclass(eq=False)
class _Placed:
    """A call the callback API placed from the agent's phone, from pickup to hangup."""

    call_id: str
    sub_call_id: str
    number: str
    started: float


_HANGUP_STATUS = {"hangup": "ANSWER", "reject": "NOANSWER", "rescind": "CANCEL"}
DECLINED = "BUSY"
"""[inferred] The hangup status of a ring the agent declined (a phone's reject is busy)."""
UNREACHABLE = "CHANUNAVAIL"
"""The hangup status of a ring to an unplugged (unregistered) phone."""


class Hooks:
    """Listens to the engine and hands the callbacks it owes to the courier."""

    def __init__(
        self,
        directory: TelphinDirectory,
        subscriptions: Subscriptions,
        courier: Courier,
        phones: Phones,
    ) -> None:
        self._directory = directory
        self._subscriptions = subscriptions
        self._courier = courier
        self._phones = phones
        self._source: Source = "api"
        self._rings: dict[str, _Ring] = {}
        """The ring of each agent (by engine id) that is being called or talking now; an
        offer made before the simulator started listening has none, and sends nothing."""
        self._placed: dict[str, _Placed] = {}
        """The placed call each agent (by engine id) is on now."""

    @contextmanager
    def source(self, source: Source) -> Iterator[None]:
        """Label the logins and logouts done inside the block (the engine is synchronous)."""
        previous, self._source = self._source, source
        try:
            yield
        finally:
            self._source = previous

    def on_event(self, event: Event) -> None:
        if event.binding != RECIPIENT_BINDING:
            return
        login = self._directory.by_user_id(event.subject_id)
        if event.name == "create":
            self._agent_event(login, "agent-login", "available")
        elif event.name == "delete":
            self._agent_event(login, "agent-logout", "logged_out")
        elif event.name == "offer":
            self._ring(login, event)
        elif event.name == "delivered":
            ring = self._rings.get(login.user_id)
            if ring is not None:
                self._release(login, ring, event)
                ring.answered = event.at
                self._call_event(login, ring, "answer", "CALLING", event)
        elif event.name in _HANGUP_STATUS:
            ring = self._rings.pop(login.user_id, None)
            if ring is not None:
                self._hang_up(login, ring, event)
        elif event.name == "external_call_start":
            self._start_placed(login, event)
        if event.name in ("external_call_end", "delete"):  # logging out ends the call too
            placed = self._placed.pop(login.user_id, None)
            if placed is not None:
                duration = event.at - placed.started
                self._placed_event(login, placed, "hangup", "ANSWER", event, duration=duration)

    def _start_placed(self, login: TelphinLogin, event: Event) -> None:
        """An external call that the callback API placed; any other sends nothing."""
        call_id = event.data["external_call_id"]
        number = self._phones.placed(login.user_id, call_id)
        if number is None:
            return
        sub_call_id = f"{login.extension_id}-{uuid.uuid4().hex}"
        placed = _Placed(call_id, sub_call_id, number, event.at)
        self._placed[login.user_id] = placed
        self._placed_event(login, placed, "dial-in", "CALLING", event)
        self._placed_event(login, placed, "answer", "CALLING", event)

    def _placed_event(
        self,
        login: TelphinLogin,
        placed: _Placed,
        event_type: str,
        status: str,
        event: Event,
        *,
        duration: float | None = None,
    ) -> None:
        fields = telphin_wire.placed_call_event(
            event_type,
            call_id=placed.call_id,
            sub_call_id=placed.sub_call_id,
            number=placed.number,
            login=login,
            status=status,
            at=event.at,
            duration=duration,
        )
        self._send(("extension", login.extension_id), event_type, fields)

    def _send(self, owner: Owner, event_type: str, fields: dict[str, str]) -> None:
        for subscription in self._subscriptions.matching(owner, event_type):
            self._courier.send(
                Callback(subscription.id, subscription.url, subscription.method, fields)
            )

    def _agent_event(self, login: TelphinLogin, event_type: str, status: str) -> None:
        fields = telphin_wire.agent_event(login, status, self._source)
        self._send(("agent", login.agent_id), event_type, fields)

    def _ring(self, login: TelphinLogin, event: Event) -> None:
        data = event.data
        ring = _Ring(
            call_id=data["session_id"],
            sub_call_id=f"{login.extension_id}-{uuid.uuid4().hex}",
            call_api_id=f"{login.extension_id}-{uuid.uuid4()}",
            caller_name=data["caller_id_name"],
            caller_number=data["caller_id_number"],
            queue=self._directory.queue_by_id(data["queue_id"]),
            started=event.at,
            held=not self._phones.plugged(login.user_id),
        )
        self._rings[login.user_id] = ring
        if ring.held:
            self._phones.ring(login.user_id, ring.call_id, event.at)
        else:
            self._call_event(login, ring, "dial-in", "CALLING", event)

    def _hang_up(self, login: TelphinLogin, ring: _Ring, event: Event) -> None:
        """A ring to an unplugged phone that ends unanswered ends `CHANUNAVAIL`, dialled and
        failed at once; one the caller gave up on before it was dialled sends nothing."""
        if ring.held and event.name == "rescind":
            return
        status = _HANGUP_STATUS[event.name]
        if event.name == "reject" and event.at < ring.started + ring.queue.ring_timeout:
            status = DECLINED
        if ring.held:
            status = UNREACHABLE
            self._phones.failed(login.user_id, event.at)
        self._release(login, ring, event)
        self._call_event(login, ring, "hangup", status, event)

    def _release(self, login: TelphinLogin, ring: _Ring, event: Event) -> None:
        """Send the `dial-in` a held ring kept back, when it is dialled after all."""
        if ring.held:
            ring.held, ring.started = False, event.at
            self._call_event(login, ring, "dial-in", "CALLING", event)

    def _call_event(
        self, login: TelphinLogin, ring: _Ring, event_type: str, status: str, event: Event
    ) -> None:
        """Callbacks of one ring: a hangup's `Duration` is the whole leg, from `dial-in`;
        its `BridgedDuration` the talk, from `answer` (answered legs only)."""
        owner: Owner = ("extension", login.extension_id)
        subscriptions = self._subscriptions.matching(owner, event_type)
        if not subscriptions:
            return
        hangup = event_type == "hangup"
        fields = telphin_wire.call_event(
            event_type,
            call_id=ring.call_id,
            sub_call_id=ring.sub_call_id,
            call_api_id=ring.call_api_id,
            caller_name=ring.caller_name,
            caller_number=ring.caller_number,
            queue=ring.queue,
            login=login,
            status=status,
            at=event.at,
            duration=event.at - ring.started if hangup else None,
            bridged=event.at - ring.answered if hangup and ring.answered is not None else None,
        )
        self._send(owner, event_type, fields)
