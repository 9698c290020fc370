"""How the toolbar knows the account's queues: names, which ones the agent takes
calls from, and how busy each is.

Numbers come from `qubicle.queue` events and the REST queue status; membership
comes from the queues' recipient lists, when the server lets the agent read them. Queue events are
account-wide and carry no agent, so they are not filtered by recipient.
"""

from msgspec.structs import replace

from agent_toolbar.domain.events import QueueSynced
from agent_toolbar.domain.inputs import QueueFacts, QueuesReported
from agent_toolbar.domain.rules import SNAPSHOT_MARGIN_SECONDS, Skip, clipped, older, when
from agent_toolbar.domain.state import AgentState, QueueInfo


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
    )


def _find(queues: tuple[QueueInfo, ...], queue_id: str) -> QueueInfo | None:
    return next((queue for queue in queues if queue.queue_id == queue_id), None)


def _with(queues: tuple[QueueInfo, ...], info: QueueInfo) -> tuple[QueueInfo, ...]:
    return _ordered([*(queue for queue in queues if queue.queue_id != info.queue_id), info])


def _ordered(queues: list[QueueInfo]) -> tuple[QueueInfo, ...]:
    return tuple(
        sorted(queues, key=lambda queue: ((queue.name or queue.queue_id).lower(), queue.queue_id))
    )
