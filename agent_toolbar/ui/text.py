"""Everything the window says, from the state and the time: pure, so it is tested without Qt.

Times in the state are the server's; `now` is the server's time too (the session's
estimate). Clock times shown to the agent go through `LocalTime`, which turns a
server time into the local wall-clock text.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Pause, describe
from agent_toolbar.domain.state import (
    Change,
    CommandProgress,
    Offer,
    QueueInfo,
    Source,
    Stats,
    Wiretap,
)

Tone = Literal["ready", "away", "logged_out", "ringing", "busy", "wrapup", "problem", "quiet"]
"""How a piece of text is coloured; the words always say the same without the colour."""

LocalTime = Callable[[float], str]
"""A server time as the agent's wall-clock text, such as `10:42`."""

_NOTHING = "\N{EN DASH}"
"""Shown where a number or a time is not known."""

WRAPUP_WARNING_SECONDS = 10.0
"""From this many seconds before the end, wrap-up is shown as ending."""

_STATUS_WORDS = {"ready": "Ready", "away": "Away", "logged_out": "Logged out"}
_SOURCE_WORDS: dict[Source, str] = {
    "you": "You",
    "phone": "You, on the phone",
    "server": "Server",
    "supervisor": "Supervisor",
    "reconnect": "Reconnect",
}
_ACTIVITY_WORDS = {
    "idle": "Idle",
    "offered": "Ringing",
    "on_call": "On a call",
    "wrapup": "Wrap-up",
    "external_call": "On another call",
}
_TAP_WORDS = {"listen": "listening", "whisper": "whispering", "barge": "on the call"}


@dataclass(frozen=True)
class Headline:
    """The one word an agent reads at a glance, its detail and its colour."""

    word: str
    detail: str | None
    tone: Tone


def headline(state: AgentState) -> Headline:
    """What the agent is doing now; while idle, the status itself."""
    match state.activity:
        case "offered":
            return Headline("Ringing", None, "ringing")
        case "on_call":
            return Headline("On a call", None, "busy")
        case "wrapup":
            return Headline("Wrap-up", None, "wrapup")
        case "external_call":
            return Headline("On another call", None, "busy")
    status = state.status
    reason = state.away_reason if status == "away" and state.away_reason else None
    return Headline(_STATUS_WORDS[status], reason and reason_words(reason), status)


def duration(seconds: float) -> str:
    """`0:42`, `12:05`, `1:02:03`: a clock-like length for counting up or down."""
    whole = max(0, math.floor(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def rough(seconds: float) -> str:
    """`under a minute`, `12 min`, `1 h 05 min`: a length that changes once a minute."""
    minutes = max(0, math.floor(seconds / 60))
    if minutes == 0:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def time_in_status(state: AgentState, now: float) -> str | None:
    """Beside the headline: the time that matters now (to answer, talking, wrap-up left),
    or how long the agent has been in its status."""
    if state.offer is not None:
        return ring_text(state.offer, now)
    talk = talk_time(state, now)
    if talk is not None:
        return f"talking {talk}"
    left = wrapup_left(state, now)
    if left is not None:
        return f"{duration(left)} left"
    since = state.status_since
    return None if since is None else f"for {rough(now - since)}"


def connection(state: AgentState, local: LocalTime) -> tuple[str, Tone]:
    """Whether what is shown is confirmed: online, reconnecting, stale or signed out."""
    match state.connection:
        case "online":
            return "Online", "ready"
        case "stale":
            since = f", stale since {local(state.stale_since)}" if state.stale_since else ""
            return f"Reconnecting, attempt {state.reconnect_attempt}{since}", "away"
        case "connecting":
            attempt = f", attempt {state.reconnect_attempt}" if state.reconnect_attempt else ""
            return f"Connecting{attempt}", "away"
    problem = state.connection_problem or ""
    if problem.startswith("signed out"):
        return "Signed out", "problem"
    return "Offline", "problem"


def queue_summary(state: AgentState) -> str:
    """ready / partly paused / paused / logged out, across the agent's queues."""
    if state.status == "logged_out":
        return "Logged out"
    members = [queue.queue_id for queue in state.queues if queue.member]
    paused = [queue for queue in members if queue in state.paused_queues]
    if not members:  # which queues are the agent's is not known yet: say only what is
        count = len(state.paused_queues)
        if not count:
            return "Taking calls"
        return f"{count} queue paused" if count == 1 else f"{count} queues paused"
    if not paused:
        return "Taking calls"
    if len(paused) == len(members):
        return "All queues paused"
    return f"Partly paused ({len(paused)} of {len(members)})"


def queue_name(state: AgentState, queue_id: str | None) -> str:
    if queue_id is None:
        return "a queue"
    found = next((queue for queue in state.queues if queue.queue_id == queue_id), None)
    return found.name if found and found.name else f"queue {queue_id[:8]}"


def caller(name: str | None, number: str | None) -> tuple[str, str | None]:
    """The caller's name in large and the number below (the number alone if no name)."""
    if name and number and name != number:
        return name, number
    return name or number or "Unknown caller", None


def ring_left(offer: Offer, now: float) -> float | None:
    return None if offer.deadline is None else max(0.0, offer.deadline - now)


def ring_fraction(offer: Offer, now: float) -> float:
    """How much of the ring time is left, from 1 down to 0 (1 when unknown)."""
    left = ring_left(offer, now)
    if left is None or offer.offered_at is None or offer.deadline is None:
        return 1.0
    total = offer.deadline - offer.offered_at
    return 1.0 if total <= 0 else min(1.0, left / total)


def ring_text(offer: Offer, now: float) -> str:
    left = ring_left(offer, now)
    if left is None:
        return "Ringing"
    if left <= 0:
        return "Ring time is over"
    estimated = "" if offer.ring_timeout is not None else " (estimated)"
    return f"{math.ceil(left)} s to answer{estimated}"


def offer_cost(offer: Offer) -> str | None:
    """What missing the offer costs, when the queue says."""
    if offer.force_away_on_reject:
        return "Missing it sets you Away"
    return None


def offer_place(offer: Offer, now: float) -> str | None:
    parts = []
    if offer.position is not None:
        parts.append(f"position {offer.position} in queue")
    if offer.waiting_since is not None:
        parts.append(f"waiting {duration(now - offer.waiting_since)}")
    return _sentence(", ".join(parts)) if parts else None


def talk_time(state: AgentState, now: float) -> str | None:
    call = state.call
    if call is None or call.since is None:
        return None
    return duration(now - call.since)


def wrapup_left(state: AgentState, now: float) -> float | None:
    wrapup = state.wrapup
    return None if wrapup is None or wrapup.ends is None else max(0.0, wrapup.ends - now)


def wrapup_fraction(state: AgentState, now: float) -> float:
    wrapup, left = state.wrapup, wrapup_left(state, now)
    if wrapup is None or left is None or not wrapup.seconds:
        return 1.0
    return min(1.0, left / wrapup.seconds)


def wrapup_text(state: AgentState, now: float) -> tuple[str, bool]:
    """The wrap-up countdown in words, and whether it is about to end."""
    left = wrapup_left(state, now)
    if left is None:
        return "Wrap-up: no end given", False
    if left <= 0:
        return "Wrap-up is over: waiting for the server", False
    if left <= WRAPUP_WARNING_SECONDS:
        return f"Wrap-up ends in {math.ceil(left)} s", True
    return f"{duration(left)} of wrap-up left", False


def missed_text(state: AgentState) -> str | None:
    """The recovery card: who was missed and why the status changed."""
    missed = state.missed_offer
    if missed is None:
        return None
    name, number = caller(missed.caller_id_name, missed.caller_id_number)
    who = f"{name} ({number})" if number else name
    text = f"You missed a call from {who} in {queue_name(state, missed.queue_id)}."
    if missed.forced_away and state.status == "away":
        text += " The queue set you Away because of it."
    return text


def wiretap_text(tap: Wiretap | None) -> str | None:
    if tap is None:
        return None
    if tap.role == "monitored":
        return f"Supervisor {_TAP_WORDS.get(tap.mode or '', tap.mode or 'monitoring')}"
    return f"You are monitoring a call ({tap.mode or 'monitoring'})"


def command_text(progress: CommandProgress) -> tuple[str, Tone]:
    what = _sentence(describe(progress.command))
    match progress.phase:
        case "pending":
            return f"{what}: waiting for the server…", "quiet"
        case "confirmed":
            return f"{what}: done", "ready"
        case "replaced":
            return f"{what}: replaced by a newer change", "quiet"
    return f"{what} failed: {progress.reason}", "problem"


def deferred_text(state: AgentState) -> str | None:
    deferred = state.deferred
    if deferred is None:
        return None
    when = "after this call" if deferred.after == "call" else "after wrap-up"
    return f"{_sentence(describe(deferred.command))} {when}"


def pause_text(state: AgentState, queue: QueueInfo, local: LocalTime) -> str:
    """Whether the agent takes the queue's calls, and until when a timed pause lasts."""
    if queue.queue_id not in state.paused_queues:
        return "Taking calls"
    until = _pause_ends(state, queue.queue_id)
    return "Paused" if until is None else f"Paused until {local(until)}"


def _pause_ends(state: AgentState, queue_id: str) -> float | None:
    """A timed pause the agent made: the server resumes the queue by itself then."""
    for progress in reversed(state.commands):
        command = progress.command
        if isinstance(command, Pause) and command.queue_id == queue_id:
            if progress.phase != "confirmed" or not command.timeout or progress.issued_at is None:
                return None
            return progress.issued_at + command.timeout
    return None


def pressure(queue: QueueInfo) -> str:
    """What pausing costs: callers in the queue, the longest wait, agents free."""
    if queue.in_queue is None and queue.agents_available is None:
        return "No numbers yet"
    parts = []
    if queue.in_queue is not None:
        parts.append(f"{queue.in_queue} in queue")
    if queue.in_queue and queue.longest_wait:
        parts.append(f"longest wait {duration(queue.longest_wait)}")
    if queue.agents_available is not None:
        agents = "agent" if queue.agents_available == 1 else "agents"
        parts.append(f"{queue.agents_available} {agents} free")
    return " · ".join(parts)


def stats_text(stats: Stats, now: float) -> list[tuple[str, str]]:
    logged_in = None if stats.login_time is None else rough(now - stats.login_time)
    average = None if stats.avg_call_time is None else duration(stats.avg_call_time)
    items = [
        ("Calls taken", stats.total_calls),
        ("Missed", stats.missed_calls),
        ("Average talk", average),
        ("Logged in", logged_in),
    ]
    return [(label, _NOTHING if value is None else str(value)) for label, value in items]


def timeline_row(state: AgentState, change: Change, local: LocalTime) -> tuple[str, str, str, str]:
    """Time, what changed, who caused it, why."""
    when = _NOTHING if change.at is None else local(change.at)
    old, new = _change_word(change, change.old), _change_word(change, change.new)
    what = f"{old} → {new}"
    if change.queue_id is not None:
        what = f"{queue_name(state, change.queue_id)}: {what}"
    return when, what, _SOURCE_WORDS[change.source], change.cause


def _change_word(change: Change, word: str) -> str:
    if change.aspect == "status":
        status, _, reason = word.partition(": ")
        text = _STATUS_WORDS.get(status, status)
        return f"{text} ({reason_words(reason)})" if reason else text
    if change.aspect == "activity":
        return _ACTIVITY_WORDS.get(word, word)
    return _sentence(word)


def _sentence(words: str) -> str:
    """Words starting with a capital, the rest as they are (`str.capitalize` lowers it)."""
    return words[:1].upper() + words[1:]


def reason_words(reason: str) -> str:
    """A server's reason as words: `missed_call` reads "missed call"."""
    return reason.replace("_", " ")


def next_redraw(state: AgentState, now: float) -> float | None:
    """Seconds until what is shown changes by itself: soon while counting down, else rarely."""
    if state.offer is not None or (state.wrapup is not None and state.wrapup.ends is not None):
        return 0.1
    if state.call is not None and state.call.since is not None:
        return _until_next(now - state.call.since, 1.0)
    since = state.status_since if state.status_since is not None else state.stats.login_time
    if since is None:
        return None
    return _until_next(now - since, 60.0)


def _until_next(elapsed: float, step: float) -> float:
    """Time until `elapsed` crosses the next multiple of `step` (a little after it)."""
    return step - (elapsed % step) + 0.01
