"""The Kazoo examination's reads: the agent's status and the queues, raw, where the
shape is the question (which status word, which membership shape, which settings)."""

from typing import Any

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.backends.kazoo import wire
from agent_toolbar.doctor.kazoo.context import Context, Failed, data, words
from agent_toolbar.doctor.report import CAPTURE_FIX, COPES_FIX
from agent_toolbar.domain import Snapshot
from agent_toolbar.domain.timestamps import GREGORIAN_UNIX_OFFSET

_STATUS_FACTS = (
    "status_words",
    "queue_availability",
    "no_reason_in_status",
    "wrapup_seconds",
    "no_ring_in_status",
)
"""The facts a logged-in agent's status read shows."""
SHOWN_QUEUES = 20
"""Queues whose membership and document are read: enough to see the shapes."""


async def read_status(context: Context) -> Snapshot:
    """The status read, raw: which word, which keys; the toolbar's reading of it."""
    found = context.findings
    context.say("reading the agent's status…")
    answer = await context.get(f"{context.recipient}/status")
    if answer.status == 403:
        raise SignedOut(f"this sign-in may not act as agent {context.me} ({words(answer)})")
    if answer.status in wire.NOT_LOGGED_IN_STATUSES:
        found.differs(
            "logged_out_status", f"{answer.status} for the status of a logged-out agent", COPES_FIX
        )
        for name in _STATUS_FACTS:
            found.not_seen(name, "a logged-out agent's status read (404) shows none")
        configuration = await context.get(context.recipient)
        context.note(
            f"the agent is logged out; the recipient's document answers {configuration.status}"
        )
        return Snapshot(taken_at=None, logged_in=False, status="logged_out")
    status = data(answer)
    if not isinstance(status, dict):
        found.differs("status_words", f"the status read answered {words(answer)}", CAPTURE_FIX)
        raise Failed("the agent's status cannot be read")
    _judge_status(context, status)
    snapshot = wire.read_status(status, None)
    shown = status.get("availability_state")
    context.note(f"the agent's status: {shown}")
    return snapshot


def _judge_status(context: Context, status: dict[str, Any]) -> None:
    found = context.findings
    word = status.get("availability_state")
    if isinstance(word, str) and word.lower() in wire.STATUS_WORDS:
        found.matches("status_words", f"availability_state {word}")
    else:
        found.differs("status_words", f"availability_state {word!r}", CAPTURE_FIX)
    if word == "Not-Logged-In":
        found.matches("logged_out_status", "200 with Not-Logged-In for a logged-out agent")
    else:
        found.not_seen("logged_out_status", "the agent is logged in (the doctor logs no one out)")
    flags = status.get("queue_availability")
    if flags is None or (
        isinstance(flags, dict) and all(isinstance(v, bool) for v in flags.values())
    ):
        found.matches("queue_availability", f"{len(flags or {})} flag(s) set")
    else:
        found.differs(
            "queue_availability", f"queue_availability {type(flags).__name__}", CAPTURE_FIX
        )
    reasons = sorted(key for key in status if "reason" in key)
    if reasons:
        found.differs(
            "no_reason_in_status", f"the status read has {', '.join(reasons)}", CAPTURE_FIX
        )
    else:
        found.matches("no_reason_in_status", "no reason in the status read")
    _judge_wrapup_and_offer(context, status)
    _judge_stats_times(context, status.get("stats"), "the status read's stats")


def _judge_wrapup_and_offer(context: Context, status: dict[str, Any]) -> None:
    found = context.findings
    if status.get("availability_state") == "Wrapup-Time":
        seconds = status.get("wrapup_time_seconds")
        if isinstance(seconds, int | float) and not isinstance(seconds, bool):
            found.matches("wrapup_seconds", f"wrapup_time_seconds {seconds:g} in Wrapup-Time")
        else:
            found.differs("wrapup_seconds", f"wrapup_time_seconds {seconds!r}", CAPTURE_FIX)
    else:
        found.not_seen("wrapup_seconds", "the agent was not in wrap-up")
    offered = status.get("offered_call")
    if isinstance(offered, dict) and offered:
        ring = sorted(key for key in offered if "ring" in key or "force" in key)
        if ring:
            found.differs("no_ring_in_status", f"offered_call has {', '.join(ring)}", CAPTURE_FIX)
        else:
            found.matches("no_ring_in_status", "offered_call without ring time or cost")
    else:
        found.not_seen("no_ring_in_status", "no call was ringing at the status read")


def _judge_stats_times(context: Context, stats: Any, where: str) -> None:
    if not isinstance(stats, dict):
        return
    times = [
        value
        for key, value in stats.items()
        if key.endswith("_time") and isinstance(value, int | float) and value > 0
    ]
    if not times:
        return
    kind = "Gregorian" if all(value >= GREGORIAN_UNIX_OFFSET for value in times) else "Unix"
    context.findings.matches("stats_times", f"{kind} seconds in {where}")


async def read_queues(context: Context) -> str | None:
    """The queues, each one's recipients and document; the queue a per-queue change
    would use (one the agent answers, if the server says which)."""
    found = context.findings
    context.say("reading the queues…")
    listed = await context.get(f"{context.account}/qubicle_queues")
    status = await context.get(f"{context.account}/qubicle_queues/status")
    listing, numbers = data(listed), data(status)
    ids = [
        item["id"]
        for item in (listing if isinstance(listing, list) else [])
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]
    if not isinstance(listing, list) or len(ids) != len(listing):
        found.differs("queues", f"the queue list answered {words(listed)}", CAPTURE_FIX)
        return None
    keyed = isinstance(numbers, dict) or (
        isinstance(numbers, list)
        and all(isinstance(item, dict) and "queue_id" in item for item in numbers)
    )
    if not keyed:
        found.differs("queues", f"qubicle_queues/status answered {words(status)}", CAPTURE_FIX)
    else:
        shape = "keyed by queue id" if isinstance(numbers, dict) else "a list with queue_id"
        found.matches("queues", f"{len(ids)} queue(s) listed; their status {shape}")
    ids = ids[:SHOWN_QUEUES]
    members = await _read_membership(context, ids)
    await _read_documents(context, ids)
    names = {item["id"]: item.get("name") for item in listing if isinstance(item, dict)}
    if members is not None:
        shown = ", ".join(str(names.get(queue) or queue) for queue in members) or "none"
        context.note(f"{len(ids)} queue(s); the agent answers: {shown}")
        return members[0] if members else None
    context.note(f"{len(ids)} queue(s); which the agent answers is not known")
    return ids[0] if ids else None


async def _read_membership(context: Context, ids: list[str]) -> list[str] | None:
    found = context.findings
    members: list[str] = []
    shapes: set[str] = set()
    for queue in ids:
        answer = await context.get(f"{context.account}/qubicle_queues/{queue}/recipients")
        if answer.status >= 400:
            found.differs(
                "membership",
                f"qubicle_queues/{{Q}}/recipients answered {words(answer)}",
                "give the agent's token read access to qubicle_queues/{Q}/recipients: "
                "without it the toolbar does not know which queues the agent answers",
            )
            return None
        recipients = data(answer)
        shapes.add(_shape(recipients))
        if wire.is_member(recipients, context.me):
            members.append(queue)
    seen = f"recipients as {' and '.join(sorted(shapes))}"
    if _OTHER_SHAPE in shapes:
        found.differs("membership", "a recipients list of an unknown shape", CAPTURE_FIX)
    elif shapes - {_IDS}:
        found.differs("membership", seen, COPES_FIX)
    elif shapes:
        found.matches("membership", seen)
    return members


_IDS = "ids"
"""[membership] The shape the fact states; the others `wire.is_member` reads too."""
_OTHER_SHAPE = "something else"


def _shape(recipients: Any) -> str:
    if isinstance(recipients, dict):
        return "an object keyed by id"
    if isinstance(recipients, list) and all(isinstance(item, str) for item in recipients):
        return _IDS
    if isinstance(recipients, list) and all(isinstance(item, dict) for item in recipients):
        return "objects"
    return _OTHER_SHAPE


async def _read_documents(context: Context, ids: list[str]) -> None:
    found = context.findings
    for queue in ids:
        answer = await context.get(f"{context.account}/qubicle_queues/{queue}")
        if answer.status >= 400:
            found.differs(
                "queue_settings",
                f"qubicle_queues/{{Q}} answered {words(answer)}",
                "give the agent's token read access to qubicle_queues/{Q}: without it a call "
                "found ringing by a check shows no time to answer",
            )
            return
        settings = wire.read_queue_settings(data(answer))
        if settings == wire.QueueSettings():
            found.differs("queue_settings", "a queue document without ring_timeout", CAPTURE_FIX)
            return
    if ids:
        found.matches("queue_settings", f"{len(ids)} queue document(s) with ring_timeout")
