"""The agent object as a Snapshot, read tolerantly: pure, so every shape is tested.

No public source names the agent object's fields, so the reader looks for the
configured name and then the other plausible spellings ([agent_status_field],
[agent_state_field]). A reply it cannot read says "unknown", never "logged out":
the status then stays as the callbacks left it.
"""

from typing import Any

from agent_toolbar.backends.telphin import wire
from agent_toolbar.domain import Snapshot, causes


def status_fields(config: wire.Wire) -> tuple[str, ...]:
    """Where the status may be, in the order it is looked for."""
    return _names(config.status_field, wire.STATUS_FIELDS)


def state_fields(config: wire.Wire) -> tuple[str, ...]:
    return _names(config.state_field, wire.STATE_FIELDS)


def read_agent(agent: Any, taken_at: float | None, config: wire.Wire) -> Snapshot:
    """Available means logged in to the queues, and ready; only a state letter that says
    no call is on lets the snapshot end the calls that callbacks reported."""
    letter = _letter(agent, config)
    registered = None if letter in (None, wire.LOGGED_OUT_LETTER) else letter != wire.UNREGISTERED
    status = _status(agent, config)
    if status is None:
        return Snapshot(
            taken_at=taken_at,
            logged_in=True,
            status=None,
            status_known=False,
            calls_known=False,
            phone_registered=registered,
            cause=causes.CHECKED,
        )
    available = status == wire.AVAILABLE
    return Snapshot(
        taken_at=taken_at,
        logged_in=available,
        status="ready" if available else "logged_out",
        calls_known=letter is not None and letter in wire.IDLE_LETTERS,
        phone_registered=registered,
        cause=causes.CHECKED,
    )


def keys_seen(agent: Any) -> str:
    """The reply's keys (never its values: they may be personal), for a warning."""
    if not isinstance(agent, dict):
        return f"no object but {type(agent).__name__}"
    keys = sorted(str(key)[:40] for key in agent)
    return ", ".join(keys[:30]) or "none"


def _status(agent: Any, config: wire.Wire) -> str | None:
    """`available` or `logged_out` from the first status field that holds one of them."""
    if not isinstance(agent, dict):
        return None
    for name in status_fields(config):
        value = agent.get(name)
        if isinstance(value, str) and value.lower() in (wire.AVAILABLE, wire.LOGGED_OUT):
            return value.lower()
    return None


def _letter(agent: Any, config: wire.Wire) -> str | None:
    if not isinstance(agent, dict):
        return None
    for name in state_fields(config):
        value = agent.get(name)
        if isinstance(value, str) and value.lower() in wire.STATE_LETTERS:
            return value.lower()
    return None


def _names(first: str, plausible: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in dict.fromkeys((first, *plausible)) if name)
