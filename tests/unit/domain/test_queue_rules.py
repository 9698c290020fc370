"""The account's queues: names and numbers from events and REST, membership from snapshots."""

from typing import Any

from agent_toolbar.domain import QueueFacts, QueuesReported, QueueSynced, reduce, step
from agent_toolbar.domain.events import LoggedOut, QueueStatsPayload
from agent_toolbar.domain.rules import SNAPSHOT_MARGIN_SECONDS
from agent_toolbar.domain.state import QueueInfo
from tests.helpers.events import SALES, SUPPORT, ev, ready_agent, run
from tests.helpers.seed import UNIX_NOW


def synced(queue: str | None, at: float, name: str | None = None, **stats: Any) -> QueueSynced:
    return QueueSynced(
        queue_id=queue,
        queue_name=name,
        event_timestamp=UNIX_NOW + at,
        available_recipient_count=1,
        stats=QueueStatsPayload(**stats),
    )


def report(*facts: QueueFacts) -> QueuesReported:
    return QueuesReported(queues=facts, taken_at=UNIX_NOW + 50)


def test_queue_events_of_any_queue_update_its_numbers() -> None:
    state = run(synced(SALES, 10, "Sales", active_session_count=3, longest_wait=81))
    assert state.queues == (
        QueueInfo(
            queue_id=SALES,
            name="Sales",
            in_queue=3,
            longest_wait=81,
            agents_available=1,
            updated_at=UNIX_NOW + 10,
        ),
    )
    assert state.server_time == UNIX_NOW + 10
    assert state.history == ()


def test_older_queue_numbers_do_not_replace_newer_ones() -> None:
    state = run(synced(SALES, 10, "Sales", active_session_count=3))
    result = step(state, synced(SALES, 5, active_session_count=9))
    assert result.ignored == "older than the queue's last numbers"
    assert result.state.queues == state.queues


def test_a_queue_event_without_a_queue_is_ignored() -> None:
    assert step(ready_agent(), synced(None, 10)).ignored == "a queue event that names no queue"


def test_membership_comes_from_the_queues_recipients_with_their_names() -> None:
    state = run(QueuesReported(queues=(), taken_at=UNIX_NOW, members=(SUPPORT,)))
    assert [(q.queue_id, q.member, q.name) for q in state.queues] == [(SUPPORT, True, None)]
    state = run(
        report(
            QueueFacts(queue_id=SUPPORT, name="Support", in_queue=0),
            QueueFacts(queue_id=SALES, name="Sales", in_queue=4, agents_available=0),
        ),
        state=state,
    )
    assert [(q.name, q.member, q.in_queue) for q in state.queues] == [
        ("Sales", False, 4),
        ("Support", True, 0),
    ]
    assert state.queues[0].updated_at == UNIX_NOW + 50 - SNAPSHOT_MARGIN_SECONDS
    same_second = run(synced(SALES, 49.4, "Sales", active_session_count=5), state=state)
    assert same_second.queues[0].in_queue == 5


def test_membership_the_server_would_not_list_stays_as_it_was() -> None:
    state = run(QueuesReported(queues=(), taken_at=UNIX_NOW, members=(SALES,)))
    unknown = run(report(QueueFacts(queue_id=SALES, name="Sales")), state=state)
    assert [(q.queue_id, q.member) for q in unknown.queues] == [(SALES, True)]
    left = run(
        QueuesReported(queues=(QueueFacts(queue_id=SALES),), taken_at=UNIX_NOW, members=()),
        state=state,
    )
    assert [(q.queue_id, q.member) for q in left.queues] == [(SALES, False)]


def test_queue_events_keep_membership_and_logout_keeps_the_queues() -> None:
    state = run(QueuesReported(queues=(), taken_at=UNIX_NOW, members=(SALES,)))
    state = run(synced(SALES, 10, "Sales", active_session_count=1), state=state)
    assert state.queues[0].member
    assert reduce(state, ev(LoggedOut, 20)).queues == state.queues
