"""Kazoo's error bodies in plain words."""

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
