"""What the engine shows of itself: frozen views of its records, and a queue's numbers.

Computed on demand from the mutable records, so a view can never disagree with the
truth it was taken from.
"""

from agent_toolbar.simulator.model import (
    Agent,
    AgentStats,
    AgentView,
    CallerView,
    Queue,
    QueueStats,
    QueueView,
)


def queue_stats(queue: Queue, now: float) -> QueueStats:
    """A queue's numbers at `now`; only its members can be handling its sessions."""
    waits = [now - caller.entered for caller in queue.waiting]
    connected = sum(
        1 for agent in queue.members if agent.call is not None and agent.call.caller.queue is queue
    )
    active = [agent for agent in queue.members if agent.status != "logged_out"]
    available = [agent for agent in queue.members if agent.can_take(queue)]
    average = queue.wait_total / queue.answered if queue.answered else 0.0
    estimated = 0.0 if available else average * (len(waits) + 1) / max(1, len(active))
    return QueueStats(
        total_sessions=queue.total,
        answered_sessions=queue.answered,
        missed_sessions=queue.missed,
        abandoned_sessions=queue.abandoned,
        active_session_count=len(waits) + connected,
        average_wait=average,
        longest_wait=max(waits, default=0.0),
        estimated_wait=estimated,
        recipient_count=len(queue.members),
        active_recipient_count=len(active),
        available_recipient_count=len(available),
    )


def announced_counts(stats: QueueStats) -> tuple[int, ...]:
    """The numbers whose change is announced (waits change every second, so not those)."""
    return (
        stats.total_sessions,
        stats.answered_sessions,
        stats.missed_sessions,
        stats.abandoned_sessions,
        stats.active_session_count,
        stats.recipient_count,
        stats.active_recipient_count,
        stats.available_recipient_count,
    )


def agent_view(agent: Agent) -> AgentView:
    return AgentView(
        user_id=agent.id,
        username=agent.config.username,
        display_name=agent.config.display_name or agent.config.username,
        queues=tuple(queue.id for queue in agent.queues),
        supervisor=agent.config.supervisor,
        status=agent.status,
        away_reason=agent.away_reason,
        queue_availability=dict(agent.queue_flags),
        paused_queues=tuple(
            sorted(queue_id for queue_id, flag in agent.queue_flags.items() if not flag)
        ),
        activity=agent.activity,
        offer_session_id=None if agent.offer is None else agent.offer.caller.session_id,
        call_session_id=None if agent.call is None else agent.call.caller.session_id,
        wrapup_ends=None if agent.wrapup is None else agent.wrapup.ends,
        external_call_id=agent.external_call_id,
        monitoring=None if agent.monitoring is None else agent.monitoring.target.id,
        monitored_by=None if agent.monitored_by is None else agent.monitored_by.supervisor.id,
        stats=AgentStats(
            offered_calls=agent.offered,
            total_calls=agent.answered,
            missed_calls=agent.missed,
            rescinded_calls=agent.rescinded,
            talk_time=agent.talk_total,
            avg_call_time=agent.avg_call_time,
            login_time=agent.login_time,
            last_action_time=agent.last_action,
            last_handled_time=agent.last_handled,
        ),
    )


def queue_view(queue: Queue, now: float) -> QueueView:
    return QueueView(
        id=queue.id,
        name=queue.name,
        ring_timeout=queue.config.ring_timeout,
        wrapup_time=queue.config.wrapup_time,
        force_away_on_reject=queue.config.force_away_on_reject,
        members=tuple(agent.id for agent in queue.members),
        waiting=tuple(
            CallerView(
                session_id=caller.session_id,
                name=caller.name,
                number=caller.number,
                entered=caller.entered,
                offered_to=None if caller.offered_to is None else caller.offered_to.id,
            )
            for caller in queue.waiting
        ),
        stats=queue_stats(queue, now),
    )
