"""Kazoo's error bodies in plain words."""

from dataclasses import dataclass
from typing import Any


def kazoo_message(body: Any) -> str:
    """`{"data":{"message":"invalid credentials"},"message":"invalid_credentials"}` → words.

    Validation errors nest the reason under the field (`{"data":{"status":{"enum":
    {"message":...}}}}`); the first message found is the one shown.
    """
    if not isinstance(body, dict):
        return "no details"
    found = _first_message(body.get("data"))
    if found:
        return found
    message = body.get("message")
    return message.replace("_", " ") if isinstance(message, str) and message else "no details"


@dataclass(frozen=True)
class Refused:
    """One field of Crossbar's 400 validation error: the rules it broke, in plain words."""

    rules: frozenset[str]
    words: str


def refused_fields(body: Any) -> dict[str, Refused]:
    """Crossbar's 400 validation error, field by field.

    `{"data":{"status":{"enum":{"message":"Value not found…","target":[…]}}}}` reads
    `{"status": Refused({"enum"}, "Value not found… (allowed: login, logout, ready, away)")}`.
    """
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        return {}
    found: dict[str, Refused] = {}
    for field, rules in list(data.items())[:20]:
        if not isinstance(rules, dict) or field == "message":
            continue
        broken = list(rules.items())[:5]
        words = "; ".join(_rule_words(rule, detail) for rule, detail in broken)
        found[str(field)[:64]] = Refused(frozenset(str(rule) for rule, _ in broken), words)
    return found


def _rule_words(rule: object, detail: Any) -> str:
    message = detail.get("message") if isinstance(detail, dict) else None
    words = message if isinstance(message, str) and message else str(rule)
    target = detail.get("target") if isinstance(detail, dict) else None
    if isinstance(target, list) and target:
        words += " (allowed: " + ", ".join(str(each)[:32] for each in target[:12]) + ")"
    return words[:200]


def _first_message(node: Any, depth: int = 0) -> str | None:
    if depth > 4 or not isinstance(node, dict):
        return None
    message = node.get("message")
    if isinstance(message, str) and message:
        return message
    for value in node.values():
        found = _first_message(value, depth + 1)
        if found:
            return found
    return None
