"""Every fact about Qubicle's REST API that public sources do not confirm, in one place.

The protocol notes mark these **[assumed]**. If a real server disagrees, this module
is the one to change: the request bodies the commands send, how a status reply is
read into a Snapshot, and which answer means "not logged in".
"""

from typing import Any

from agent_toolbar.domain import QueueFacts, QueuesReported, Snapshot, SnapshotCall, causes
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
)
from agent_toolbar.domain.events import StatsPayload
from agent_toolbar.domain.rules import status_word

NOT_LOGGED_IN_STATUSES = frozenset({404})
"""[assumed] The recipient status GET answers 404 for an agent who is not logged in."""


def status_body(command: Login | Logout | Ready | Away | Pause | Resume) -> dict[str, Any]:
    """The body of `POST .../qubicle_recipients/{id}/status` for a status command.

    login/logout/ready/away are documented; [assumed] the away `reason` key, and the
    per-queue `pause` (with `queue_id`, `timeout`) and `resume`, modelled on Kazoo's
    ACDc agent API.
    """
    match command:
        case Login():
            return {"data": {"status": "login"}}
        case Logout():
            return {"data": {"status": "logout"}}
        case Ready():
            return {"data": {"status": "ready"}}
        case Away(reason=reason):
            data: dict[str, Any] = {"status": "away"}
            if reason:
                data["reason"] = reason
            return {"data": data}
        case Pause(queue_id=queue, timeout=timeout):
            data = {"status": "pause", "queue_id": queue}
            if timeout:
                data["timeout"] = round(timeout)
            return {"data": data}
        case Resume(queue_id=queue):
            return {"data": {"status": "resume", "queue_id": queue}}


def action_body(command: WrapupExtend | WrapupFinish) -> dict[str, Any]:
    """[assumed] The body of `POST .../qubicle_recipients/{id}` for wrap-up actions."""
    action = "wrapup_extend" if isinstance(command, WrapupExtend) else "wrapup_cancel"
    return {"data": {"action": action}}


def is_status_command(command: Command) -> bool:
    return not isinstance(command, WrapupExtend | WrapupFinish)


def read_status(data: Any, taken_at: float | None) -> Snapshot:
    """Read `GET .../qubicle_recipients/{id}/status` `data` into a Snapshot.

    Documented keys; [assumed] meanings: `queue_availability` false means paused,
    `wrapup_time_seconds` is the wrap-up time left, and an absent or unknown
    `availability_state` with `available` true means ready.
    """
    if not isinstance(data, dict):
        return Snapshot(taken_at=taken_at, logged_in=False)
    status = status_word(_text(data.get("availability_state")))
    if status is None and isinstance(data.get("available"), bool):
        status = "ready" if data["available"] else "away"
    queues = data.get("queue_availability")
    paused = members = None
    if isinstance(queues, dict):
        paused = tuple(sorted(str(queue) for queue, open_ in queues.items() if open_ is False))
        members = tuple(sorted(str(queue) for queue in queues))
    wrapup = data.get("wrapup_time_seconds")
    monitor = _text(data.get("wiretapping_recipient"))
    return Snapshot(
        taken_at=taken_at,
        logged_in=status != "logged_out",
        status=status,
        away_reason=_text(data.get("away_reason") or data.get("reason")),
        paused_queues=paused,
        offer=_call(data.get("offered_call")),
        call=_call(data.get("handling_call")),
        wrapup_left=float(wrapup) if isinstance(wrapup, int | float) else None,
        monitored_by=monitor,
        monitor_mode=_text(data.get("wiretap_mode")) if monitor else None,
        stats=_stats(data.get("stats")),
        cause=causes.CHECKED,
        member_queues=members,
    )


def read_queues(listed: Any, status: Any, taken_at: float | None) -> QueuesReported:
    """`GET .../qubicle_queues` (`[{id, name}]`) and `GET .../qubicle_queues/status`.

    [assumed] The status `data` is keyed by queue id (a list of objects with
    `queue_id` is read too), and `active_session_count` counts the calls in a
    queue, waiting or being answered.
    """
    names = {
        item["id"]: _text(item.get("name"))
        for item in (listed if isinstance(listed, list) else [])
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }
    numbers: dict[str, Any] = {}
    if isinstance(status, dict):
        numbers = {str(queue): data for queue, data in status.items() if isinstance(data, dict)}
    elif isinstance(status, list):
        numbers = {
            item["queue_id"]: item
            for item in status
            if isinstance(item, dict) and isinstance(item.get("queue_id"), str)
        }
    facts = []
    for queue in sorted(names.keys() | numbers.keys()):
        data = numbers.get(queue, {})
        stats = data.get("stats") if isinstance(data.get("stats"), dict) else {}
        facts.append(
            QueueFacts(
                queue_id=queue,
                name=names.get(queue) or _text(data.get("queue_name")),
                in_queue=_count(stats.get("active_session_count")),
                longest_wait=_number(stats.get("longest_wait")),
                estimated_wait=_number(stats.get("estimated_wait")),
                agents_available=_count(data.get("available_recipient_count")),
            )
        )
    return QueuesReported(queues=tuple(facts), taken_at=taken_at)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _count(value: Any) -> int | None:
    number = _number(value)
    return None if number is None else int(number)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _call(value: Any) -> SnapshotCall | None:
    if not isinstance(value, dict) or not value:
        return None
    number = value.get("caller_id_number")
    return SnapshotCall(
        queue_id=_text(value.get("queue_id")),
        session_id=_text(value.get("session_id")),
        caller_id_name=_text(value.get("caller_id_name")),
        caller_id_number=str(number) if isinstance(number, str | int) else None,
    )


def _stats(value: Any) -> StatsPayload | None:
    if not isinstance(value, dict):
        return None
    return StatsPayload(
        total_calls=_count(value.get("total_calls")),
        offered_calls=_count(value.get("offered_calls")),
        missed_calls=_count(value.get("missed_calls")),
        avg_call_time=_number(value.get("avg_call_time")),
        login_time=_number(value.get("login_time")),
        last_action_time=_number(value.get("last_action_time")),
        last_handled_time=_number(value.get("last_handled_time")),
    )
