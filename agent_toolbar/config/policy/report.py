"""The settings in force as text and JSON: one key a line, its value and where it came
from, then the policy's problems. Settings hold no secret, so neither does this."""

from typing import Any

import msgspec

from agent_toolbar.config.policy.layers import leaves
from agent_toolbar.config.policy.model import Effective
from agent_toolbar.config.policy.sources import settings_in_force
from agent_toolbar.config.settings_file import config_path
from agent_toolbar.support.redaction import redact


def in_force_lines() -> list[str]:
    """`report_lines` of this computer's settings file and policy. Blocking: it reads them."""
    return report_lines(settings_in_force(config_path()))


def report_lines(settings: Effective) -> list[str]:
    """Each key as `key = value  (source)`, then a line per problem (or that there is none)."""
    lines = [
        f"{'.'.join(key)} = {_shown(value)}  ({settings.sources.get(key, 'built-in')})"
        for key, value in leaves(msgspec.to_builtins(settings.config))
    ]
    problems = settings.problems()
    lines += [f"problem: {each}" for each in problems] or ["problems: none"]
    return [redact(line) for line in lines]


def report_json(settings: Effective) -> dict[str, Any]:
    """The same as a JSON object: settings (key, value, source) and problems."""
    rows = [
        {
            "key": ".".join(key),
            "value": redact(value) if isinstance(value, str) else value,
            "source": settings.sources.get(key, "built-in"),
        }
        for key, value in leaves(msgspec.to_builtins(settings.config))
    ]
    return {"settings": rows, "problems": settings.problems()}


def _shown(value: Any) -> str:
    return msgspec.json.encode(value).decode()
