"""Telphin's wire format: REST bodies and callback fields, built from engine views.

Everything a Telphin client parses is shaped here, in one place, so that a difference
from the real API is fixed once. Callback values are all strings (they travel
form-urlencoded); times in callbacks are whole microseconds since 1970.
"""

from typing import Any

from agent_toolbar.simulator.model import AgentView, QueueView
from agent_toolbar.simulator.telphin.directory import QueueExtension, TelphinLogin
from agent_toolbar.simulator.telphin.tokens import IssuedTokens

AGENT_EVENTS = ("agent-login", "agent-logout")
EXTENSION_EVENTS = ("dial-in", "dial-out", "answer", "hangup")
METHODS = ("GET", "POST")
AGENT_STATUSES = ("available", "logged_out")
AGENT_TYPE = "local"
"""Every scenario agent is a local agent (an extension of the PBX); none is remote."""
TIMEZONE = "Europe/Moscow"
ACCESS = "full"
CALL_FLOW = "in"
"""Queue calls come in."""
PLACED_FLOW = "out"
"""[assumed] A call placed through the callback API goes out (its first leg still rings
the agent's phone: `dial-in`, never `dial-out`)."""

_STATE_OF_ACTIVITY = {"offered": "c", "on_call": "i", "external_call": "b", "wrapup": "w"}


def microseconds(seconds: float) -> int:
    return round(seconds * 1_000_000)


def agent_status(view: AgentView) -> str:
    """`available` for any logged-in agent (ready or away in the engine), else `logged_out`."""
    return "logged_out" if view.status == "logged_out" else "available"


def agent_state(view: AgentView, plugged: bool) -> str:
    """The state letter: l logged out, u phone unplugged (unregistered), c being called,
    i on a queue call, b busy outside the queue, w wrap-up, r ready; [assumed] d for an
    idle agent the engine holds away (Telphin has no away)."""
    if view.status == "logged_out":
        return "l"
    if not plugged:
        return "u"
    state = _STATE_OF_ACTIVITY.get(view.activity)
    if state is not None:
        return state
    return "r" if view.status == "ready" else "d"


def agent(
    login: TelphinLogin, view: AgentView, plugged: bool, status_field: str, state_field: str
) -> dict[str, Any]:
    """An agent object; no public source names its fields: the status and state letter go
    under the scenario's names (none for ""), [assumed] `name` is the display name."""
    body: dict[str, Any] = {
        "id": login.agent_id,
        "extension_id": login.extension_id,
        "name": login.display_name,
    }
    if status_field:
        body[status_field] = agent_status(view)
    if state_field:
        body[state_field] = agent_state(view, plugged)
    return body


def user(client_id: int | None, login: str, extension_id: int | None) -> dict[str, Any]:
    """`GET /user/`: `extension_id` is null for the PBX owner; `client_id` is null for a
    user bound to one extension (`extension_users`)."""
    return {
        "client_id": client_id,
        "extension_id": extension_id,
        "login": login,
        "access": ACCESS,
        "timezone": TIMEZONE,
    }


def subscription(event_id: int, url: str, method: str, event_type: str) -> dict[str, Any]:
    return {"id": event_id, "url": url, "method": method, "event_type": event_type}


def limits(agent_events: int, extension_events: int) -> dict[str, Any]:
    """[assumed] `GET /client/{id}/limit/`: the most subscriptions per agent and extension."""
    return {"agent_event": agent_events, "extension_event": extension_events}


def extension(extension_id: int, name: str, kind: str, label: str) -> dict[str, Any]:
    """An extension in a list: `name` is `PREFIX*NUMBER` without the domain, `label` the
    name people read; [assumed] agents' phones are `phone`, named `000*101`."""
    return {"id": extension_id, "name": name, "type": kind, "label": label}


def page(items: list[Any], number: int, size: int) -> list[Any]:
    """Page `number` (from 1) of `size` items: empty past the last one."""
    start = (number - 1) * size
    return items[start : start + size]


def queue_status(view: QueueView) -> dict[str, Any]:
    """[assumed] `GET /extension/{queue}/queue/status/`; waits in whole seconds."""
    return {
        "waiting": len(view.waiting),
        "longest_wait": round(view.stats.longest_wait),
        "agents_available": view.stats.available_recipient_count,
    }


def callback(call_id: str) -> dict[str, Any]:
    """The answer of `POST /extension/{id}/callback/`: the Go SDK's test data gives both ids
    the same value."""
    return {"call_api_id": call_id, "call_id": call_id}


def token(issued: IssuedTokens) -> dict[str, Any]:
    """The answer of `POST /oauth/token`; no `refresh_token` for client credentials."""
    body: dict[str, Any] = {
        "access_token": issued.access_token,
        "token_type": "Bearer",
        "expires_in": issued.expires_in,
    }
    if issued.refresh_token is not None:
        body["refresh_token"] = issued.refresh_token
    return body


def message(text: str) -> dict[str, Any]:
    """The body of a validation, permission or not-found error."""
    return {"message": text}


def oauth_error(code: str) -> dict[str, Any]:
    """The body of an OAuth error: `invalid_token`, `invalid_client`, `invalid_grant`..."""
    return {"error": code}


def agent_event(login: TelphinLogin, status: str, source: str) -> dict[str, str]:
    """The fields of an `agent-login` / `agent-logout` callback, exactly these five."""
    return {
        "agent_id": str(login.agent_id),
        "agent_status": status,
        "agent_type": AGENT_TYPE,
        "extension_name": login.extension_name,
        "event_source": source,
    }


def call_event(
    event_type: str,
    *,
    call_id: str,
    sub_call_id: str,
    call_api_id: str,
    caller_name: str,
    caller_number: str,
    queue: QueueExtension,
    login: TelphinLogin,
    status: str,
    at: float,
    duration: float | None = None,
    bridged: float | None = None,
) -> dict[str, str]:
    """The fields of an extension callback; `Duration` (the leg, ringing included) only on
    `hangup`, `BridgedDuration` (talk time) only on the hangup of an answered leg.

    `CallerExtension` is the queue's `PREFIX*NUMBER@DOMAIN`, `CallerExtensionID` its id;
    [assumed] `CalledNumber` is the agent's short extension (`000*101`), `CalledDID` the
    queue's number.
    """
    fields = {
        "EventType": event_type,
        "CallID": call_id,
        "SubCallID": sub_call_id,
        "CallAPIID": call_api_id,
        "CallerIDNum": caller_number,
        "CallerIDName": caller_name,
        "CalledDID": queue.did,
        "CalledExtension": login.extension_name,
        "CalledExtensionID": str(login.extension_id),
        "CallerExtension": queue.address,
        "CallerExtensionID": str(queue.extension_id),
        "CalledNumber": login.extension_number,
        "CallStatus": status,
        "CallFlow": CALL_FLOW,
        "EventTime": str(microseconds(at)),
    }
    if duration is not None:
        fields["Duration"] = str(microseconds(duration))
    if bridged is not None:
        fields["BridgedDuration"] = str(microseconds(bridged))
    return fields


def placed_call_event(
    event_type: str,
    *,
    call_id: str,
    sub_call_id: str,
    number: str,
    login: TelphinLogin,
    status: str,
    at: float,
    duration: float | None = None,
) -> dict[str, str]:
    """The fields of an extension callback about a call the callback API placed from the
    agent's phone: no queue rang it. [assumed] The phone is shown the number it calls
    (`CallerIDNum`, `CalledNumber`); the call comes from the agent's own extension
    (`CallerExtension`); `Duration` and `BridgedDuration` only on `hangup`, both the talk."""
    fields = {
        "EventType": event_type,
        "CallID": call_id,
        "SubCallID": sub_call_id,
        "CallAPIID": call_id,
        "CallerIDNum": number,
        "CallerIDName": number,
        "CalledExtension": login.extension_name,
        "CalledExtensionID": str(login.extension_id),
        "CallerExtension": login.extension_name,
        "CallerExtensionID": str(login.extension_id),
        "CalledNumber": number,
        "CallStatus": status,
        "CallFlow": PLACED_FLOW,
        "EventTime": str(microseconds(at)),
    }
    if duration is not None:
        fields["Duration"] = fields["BridgedDuration"] = str(microseconds(duration))
    return fields
