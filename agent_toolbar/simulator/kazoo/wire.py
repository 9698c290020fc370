"""Qubicle's wire format: event payloads and REST status bodies, built from engine records.

Everything a client parses is shaped here, in one place, so that a difference from
the real servers is fixed once. Times on the wire are whole Gregorian seconds
(Unix + 62167219200), 0 meaning "never", as Kazoo sends them.
"""

import math
import uuid
from typing import Any

from agent_toolbar.simulator.model import Agent, AgentView, Caller, QueueStats
from agent_toolbar.simulator.scenario import MembershipShape, QueueConfig

GREGORIAN_UNIX_OFFSET = 62_167_219_200
APP_VERSION = "4.3.0"
"""[assumed] Qubicle's version string; clients must not depend on it."""
NODE = "qubicle@sim.local"
"""The Erlang node name Qubicle reports in `sync` events and REST status."""

_DATA_NAMES = {"wrapup_start": "wrapup-start", "wrapup_complete": "wrapup-complete"}
"""Event names that `data.event_name` spells with a dash, unlike the envelope's `name`."""


def gregorian(unix: float | None) -> int:
    """Whole Gregorian seconds for a Unix time; 0 for "never"."""
    return 0 if unix is None else math.floor(unix) + GREGORIAN_UNIX_OFFSET


def whole_seconds(seconds: float) -> int:
    """Seconds left, rounded up, so that 0.2 s of wrap-up is not reported as none."""
    return max(0, math.ceil(seconds))


def agent_stats(agent: Agent) -> dict[str, Any]:
    return {
        "total_calls": agent.answered,
        "offered_calls": agent.offered,
        "missed_calls": agent.missed,
        "avg_call_time": round(agent.avg_call_time),
        "login_time": gregorian(agent.login_time),
        "last_action_time": gregorian(agent.last_action),
        "last_handled_time": gregorian(agent.last_handled),
    }


NOT_LOGGED_IN = "Not-Logged-In"
"""One of Qubicle's six `availability_state` words [doc, reseller copy of the Recipient
API]: `Ready`, `Away`, `Wrapup-Time`, `Call-Offer`, `On-A-Call`, `Not-Logged-In`."""


def availability_state(agent: Agent) -> str:
    """Qubicle's state word: what the agent is doing, before its status.

    [unknown] On an external (non-queue) call the word Qubicle sends is not public: the
    status word stays (`Ready` or `Away`) and only `available` turns false.
    """
    if agent.status == "logged_out":
        return NOT_LOGGED_IN
    if agent.offer is not None:
        return "Call-Offer"
    if agent.call is not None:
        return "On-A-Call"
    if agent.wrapup is not None:
        return "Wrapup-Time"
    return "Ready" if agent.status == "ready" else "Away"


def available(agent: Agent) -> bool:
    """[inferred] True only while Ready and idle: the word, not this flag, says what the
    agent is doing."""
    return availability_state(agent) == "Ready" and agent.activity == "idle"


def wrapup_length(agent: Agent) -> int:
    """[inferred] `wrapup_time_seconds`: the wrap-up length (a setting), not the time left.

    During wrap-up the current one's length, extensions included; otherwise the wrap-up
    setting of the agent's first queue (0 without a queue).
    """
    if agent.wrapup is not None:
        return whole_seconds(agent.wrapup.length)
    return whole_seconds(agent.queues[0].config.wrapup_time) if agent.queues else 0


def recipient_event(
    account_id: str, agent: Agent, name: str, at: float, fields: dict[str, Any]
) -> dict[str, Any]:
    """The `data` of a `qubicle.recipient` event: common fields, `fields`, then the stats."""
    return {
        "account_id": account_id,
        "recipient_id": agent.id,
        "msg_id": uuid.uuid4().hex,
        "event_name": _DATA_NAMES.get(name, name),
        "event_category": "qubicle-recipient",
        "event_timestamp": gregorian(at),
        "app_name": "qubicle",
        "app_version": APP_VERSION,
        **fields,
        "stats": agent_stats(agent),
    }


def call_summary(caller: Caller) -> dict[str, Any]:
    """A session as `offered_call` / `handling_call` describe it."""
    return {
        "queue_id": caller.queue.id,
        "session_id": caller.session_id,
        "caller_id_name": caller.name,
        "caller_id_number": caller.number,
        "queue_enter_time": gregorian(caller.entered),
    }


def recipient_status(agent: Agent) -> dict[str, Any]:
    """The `data` of `GET .../qubicle_recipients/{id}/status`, logged out or not; absent
    keys mean "none". `queue_availability` holds only the flags set by a per-queue
    away/ready, never the membership list; there is no away reason [doc]."""
    data: dict[str, Any] = {
        "available": available(agent),
        "availability_state": availability_state(agent),
        "queue_availability": dict(agent.queue_flags),
        "wrapup_time_seconds": wrapup_length(agent),
        "stats": agent_stats(agent),
        "node": NODE,
    }
    if agent.offer is not None:
        data["offered_call"] = call_summary(agent.offer.caller)
    if agent.call is not None:
        data["handling_call"] = call_summary(agent.call.caller)
    if agent.monitoring is not None:
        data["wiretapping_recipient"] = agent.monitoring.target.id
        data["wiretap_mode"] = agent.monitoring.mode
    return data


def membership(agents: list[AgentView], shape: MembershipShape) -> list[Any]:
    """[assumed] The `data` of `GET .../qubicle_queues/{id}/recipients` (undocumented):
    recipient ids, or `{"id", "name"}` objects, per the scenario's `membership_shape`."""
    if shape == "ids":
        return [view.user_id for view in agents]
    return [{"id": view.user_id, "name": view.display_name} for view in agents]


def queue_document(queue_id: str, config: QueueConfig) -> dict[str, Any]:
    """The `data` of `GET .../qubicle_queues/{id}`: the queue's settings, as the keys the
    2600Hz docs and a third-party Qubicle client name them [inferred]."""
    return {
        "id": queue_id,
        "name": config.name,
        "queue_type": "call",
        "queue_router": "most_idle",
        "ring_timeout": whole_seconds(config.ring_timeout),
        "agent_wrapup_time": whole_seconds(config.wrapup_time),
        "force_away_on_reject": config.force_away_on_reject,
    }


def queue_status(queue_id: str, name: str, stats: QueueStats) -> dict[str, Any]:
    """The `data` of `GET .../qubicle_queues/{id}/status`."""
    return {
        "queue_id": queue_id,
        "queue_name": name,
        "available_recipient_count": stats.available_recipient_count,
        "active_recipient_count": stats.active_recipient_count,
        "stats": {
            "estimated_wait": round(stats.estimated_wait),
            "average_wait": round(stats.average_wait),
            "longest_wait": round(stats.longest_wait),
            "recipient_count": stats.recipient_count,
            "active_session_count": stats.active_session_count,
            "total_sessions": stats.total_sessions,
            "missed_sessions": stats.missed_sessions,
            "abandoned_sessions": stats.abandoned_sessions,
        },
    }


def queue_event(
    account_id: str, queue_id: str, name: str, at: float, stats: QueueStats
) -> dict[str, Any]:
    """The `data` of a `qubicle.queue` `sync` event."""
    return {
        "account_id": account_id,
        "msg_id": uuid.uuid4().hex,
        "event_name": "sync",
        "event_category": "qubicle-queue",
        "event_timestamp": gregorian(at),
        "app_name": "qubicle",
        "app_version": APP_VERSION,
        "node": NODE,
        **queue_status(queue_id, name, stats),
    }
