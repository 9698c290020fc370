"""Every fact about Telphin's API that public sources do not confirm, in one place.

The protocol notes mark these **[assumed]**. If the real API disagrees, this module
is the one to change: how a status change is sent, how an agent's status is read,
what the limits resource is called, and where remote agents live.
"""

from typing import Any, Literal

from agent_toolbar.domain import Snapshot, causes

AgentType = Literal["local", "remote"]

STATUS_FIELD = "status"
"""[assumed] An agent object's `status`: `available` or `logged_out`."""
STATE_FIELD = "state"
"""[assumed] An agent object's one-letter state (r, i, b, c, u, d, w, l), when present."""
_IDLE_STATES = frozenset({"r", "l", "u"})
"""Letters that mean no call is on: ready, logged out, phone unregistered."""

AGENT_EVENT_LIMIT = "agent_event"
EXTENSION_EVENT_LIMIT = "extension_event"
"""[assumed] The keys of `GET /client/{id}/limit/` that cap event subscriptions."""


def agent_path(client_id: str, agent_type: AgentType, agent_id: str) -> str:
    """`local` agents are documented; [assumed] `remote` (external) agents sit beside them."""
    return f"client/{client_id}/agent/{agent_type}/{agent_id}"


def status_body(available: bool) -> dict[str, Any]:
    """[assumed] `PUT /client/{id}/agent/local/{agent_id}` with the new status."""
    return {STATUS_FIELD: "available" if available else "logged_out"}


def read_agent(agent: Any, taken_at: float | None) -> Snapshot:
    """An agent object as a Snapshot: available means logged in to the queues, and ready.

    Only a state letter that says no call is on lets the snapshot end calls that
    callbacks reported; otherwise calls are left to the callbacks.
    """
    if not isinstance(agent, dict):
        return Snapshot(taken_at=taken_at, logged_in=False)
    available = agent.get(STATUS_FIELD) == "available"
    state = agent.get(STATE_FIELD)
    return Snapshot(
        taken_at=taken_at,
        logged_in=available,
        status="ready" if available else "logged_out",
        calls_known=isinstance(state, str) and state in _IDLE_STATES,
        cause=causes.CHECKED,
    )
