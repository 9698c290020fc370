"""How the toolbar knows the account's queues: names, which ones the agent takes
calls from, and how busy each is.

Numbers come from `qubicle.queue` events and the REST queue status; membership
comes from the queues' recipient lists, when the server lets the agent read them. Queue events are
account-wide and carry no agent, so they are not filtered by recipient.
"""

from typing import NamedTuple

from msgspec.structs import replace

from agent_toolbar.domain.events import QueueSynced
from agent_toolbar.domain.inputs import QueueFacts, QueuesReported
from agent_toolbar.domain.rules import (
    MAX_RING_SECONDS,
    SNAPSHOT_MARGIN_SECONDS,
    Skip,
    clipped,
    older,
    seconds_within,
    when,
)
from agent_toolbar.domain.state import AgentState, QueueInfo

RINGS_REMEMBERED = 3
"""Missed offers per queue whose ring time is kept: the longest of them is the ring time."""


def apply_queue_sync(state: AgentState, event: QueueSynced) -> AgentState | Skip:
    queue = event.queue_id
    if queue is None:
        return Skip("a queue event that names no queue")
    at = event.occurred_at
    known = _find(state.queues, queue)
    if known is not None and older(at, known.updated_at):
        return Skip("older than the queue's last numbers")
    stats = event.stats
    info = QueueInfo(
        queue_id=queue,
        name=clipped(event.queue_name) or (known.name if known else None),
        member=known.member if known else False,
        in_queue=stats.active_session_count if stats else None,
        longest_wait=stats.longest_wait if stats else None,
        estimated_wait=stats.estimated_wait if stats else None,
        agents_available=event.available_recipient_count,
        updated_at=when(state, at),
        ring_timeout=known.ring_timeout if known else None,
        force_away_on_reject=known.force_away_on_reject if known else None,
        rings_seen=known.rings_seen if known else (),
    )
    return replace(state, queues=_with(state.queues, info))


def apply_queues_reported(state: AgentState, report: QueuesReported) -> AgentState:
    """The server's list of queues replaces ours; membership as the server lists it, or
    as it was when the server could not say."""
    known = {queue.queue_id: queue for queue in state.queues}
    listed = {facts.queue_id: facts for facts in report.queues}  # a repeated queue: the last wins
    # Dated early like snapshots, so an event of the same whole second still counts after it.
    dated = None if report.taken_at is None else report.taken_at - SNAPSHOT_MARGIN_SECONDS
    queues = [_from_facts(facts, known.get(queue), dated) for queue, facts in listed.items()]
    queues += [queue for queue in state.queues if queue.member and queue.queue_id not in listed]
    if report.members is not None:
        return replace(state, queues=mark_members(tuple(queues), report.members))
    return replace(state, queues=_ordered(queues))


def mark_members(queues: tuple[QueueInfo, ...], members: tuple[str, ...]) -> tuple[QueueInfo, ...]:
    """Membership as the server lists it; queues not yet listed are added by id."""
    wanted = set(members)
    known = {queue.queue_id for queue in queues}
    marked = [replace(queue, member=queue.queue_id in wanted) for queue in queues]
    marked += [QueueInfo(queue_id=queue, member=True) for queue in sorted(wanted - known)]
    return _ordered(marked)


def _from_facts(facts: QueueFacts, known: QueueInfo | None, at: float | None) -> QueueInfo:
    return QueueInfo(
        queue_id=facts.queue_id,
        name=clipped(facts.name) or (known.name if known else None),
        member=known.member if known else False,
        in_queue=facts.in_queue,
        longest_wait=facts.longest_wait,
        estimated_wait=facts.estimated_wait,
        agents_available=facts.agents_available,
        updated_at=at,
        ring_timeout=seconds_within(facts.ring_timeout, MAX_RING_SECONDS) or None,
        force_away_on_reject=facts.force_away_on_reject,
        rings_seen=known.rings_seen if known else (),
    )


def ring_seen(state: AgentState, queue_id: str | None, seconds: float) -> AgentState:
    """Remember how long a missed offer of the queue rang, so that its ring time is learned."""
    if queue_id is None or seconds_within(seconds, MAX_RING_SECONDS) in (None, 0.0):
        return state
    known = _find(state.queues, queue_id) or QueueInfo(queue_id=queue_id)
    seen = (*known.rings_seen, seconds)[-RINGS_REMEMBERED:]
    return replace(state, queues=_with(state.queues, replace(known, rings_seen=seen)))


class RingFacts(NamedTuple):
    """How long an offer rings (and whether that is learned, not the server's word), and
    whether missing it sets the agent Away."""

    ring_timeout: float | None
    learned: bool
    force_away: bool


def ring_facts(
    state: AgentState, queue_id: str | None, stated: float | None, force_away: bool | None
) -> RingFacts:
    """The offer's own word first, then its queue's settings, then the ring time learned
    from the queue's last misses; nothing made up."""
    queue = None if queue_id is None else _find(state.queues, queue_id)
    if force_away is None:
        force_away = bool(queue is not None and queue.force_away_on_reject)
    if stated is not None:
        return RingFacts(stated, False, force_away)
    if queue is not None and queue.ring_timeout is not None:
        return RingFacts(queue.ring_timeout, False, force_away)
    learned = None if queue is None else queue.learned_ring
    return RingFacts(learned, learned is not None, force_away)


def _find(queues: tuple[QueueInfo, ...], queue_id: str) -> QueueInfo | None:
    return next((queue for queue in queues if queue.queue_id == queue_id), None)


def _with(queues: tuple[QueueInfo, ...], info: QueueInfo) -> tuple[QueueInfo, ...]:
    return _ordered([*(queue for queue in queues if queue.queue_id != info.queue_id), info])


def _ordered(queues: list[QueueInfo]) -> tuple[QueueInfo, ...]:
    return tuple(
        sorted(queues, key=lambda queue: ((queue.name or queue.queue_id).lower(), queue.queue_id))
    )
