"""Primitives shared by the rules for events and for local inputs."""

import math

import msgspec
from msgspec.structs import replace

from agent_toolbar.domain.commands import Away
from agent_toolbar.domain.events import CallerId
from agent_toolbar.domain.state import AgentState, ReasonStanding, Source, Status

MAX_RING_SECONDS = 600.0
"""A longer ring time is no queue's setting: taken as none stated. An offer with no known
deadline that rings this long is taken as over, so that nothing rings for ever."""
MAX_WRAPUP_SECONDS = 4 * 3600.0
"""A longer wrap-up is no queue's setting: taken as none stated."""
MAX_TEXT = 200
"""Names, numbers and reasons are cut to this many characters: a megabyte is no name."""

SNAPSHOT_MARGIN_SECONDS = 2.0
"""How far before its estimated time a snapshot's news is dated.

Events are stamped in whole seconds, truncated: an event that follows a snapshot
may carry a stamp up to a second before the snapshot's time. Dating the snapshot's
news a little early keeps such an event from looking older and being dropped.
"""

_STATUS_WORDS: dict[str, Status] = {
    "ready": "ready",
    "away": "away",
    "logged_out": "logged_out",
    "logged-out": "logged_out",
    "logout": "logged_out",
    "not-logged-in": "logged_out",
    "offline": "logged_out",
}
_WIRETAP_MODES = {"eavesdrop": "listen", "listen": "listen", "whisper": "whisper", "barge": "barge"}
_SESSION_CLEARED = {
    "away_reason": None,
    "reason_standing": "server",
    "reason_unconfirmed_since": None,
    "resume_plans": (),
    "offer": None,
    "call": None,
    "wrapup": None,
    "external_call": None,
    "wiretap": None,
    "missed_offer": None,
    "queue_pauses": (),
    "deferred": None,
}


class Skip(msgspec.Struct, frozen=True):
    """A rule's answer for an input that is out of date or about something else."""

    reason: str


Outcome = tuple[AgentState, Source, str]
"""A rule's answer for an input that applies: new state, who caused it, and why."""


def status_word(text: str | None) -> Status | None:
    """The status a server's state word names (`Ready`, `away`, ...), if it names one."""
    return None if text is None else _STATUS_WORDS.get(text.lower())


def wiretap_mode(text: str | None) -> str | None:
    """Monitoring modes in the words agents know: Qubicle's eavesdrop is listening."""
    return _WIRETAP_MODES.get((text or "").lower(), text)


def caller(name: str | None, number: str | None) -> str:
    if name and number and name != number:
        return f"{name} <{number}>"
    return name or number or "an unknown caller"


def text(value: CallerId | None) -> str | None:
    """A caller id as text, cut to a length a window can show (a huge number is cut too)."""
    if value is None:
        return None
    if isinstance(value, int) and not -(10**MAX_TEXT) < value < 10**MAX_TEXT:
        return None  # str() refuses ints this long, and none is a phone number
    return clipped(str(value))


def clipped(words: str | None) -> str | None:
    """A server's text cut to MAX_TEXT characters."""
    return None if words is None else words[:MAX_TEXT]


def seconds_within(value: float | None, limit: float) -> float | None:
    """A length of time the server stated, if it is one: finite, not negative, not absurd."""
    if value is None or not (math.isfinite(value) and 0 <= value <= limit):
        return None
    return value


def when(state: AgentState, at: float | None) -> float | None:
    """The input's time, or the newest server time known when it has none."""
    return at if at is not None else state.server_time


def older(at: float | None, than: float | None) -> bool:
    """True only when both times are known and `at` is strictly earlier."""
    return at is not None and than is not None and at < than


def matches(wanted: str | None, actual: str | None) -> bool:
    """Ids match unless both are known and differ (payloads often leave one out)."""
    return wanted is None or actual is None or wanted == actual


def activity_since(state: AgentState) -> float | None:
    if state.offer is not None:
        return state.offer.offered_at
    if state.call is not None:
        return state.call.since
    if state.external_call is not None:
        return state.external_call.since
    if state.wrapup is not None:
        return state.wrapup.since
    return None


def set_status(
    state: AgentState,
    status: Status,
    at: float | None,
    reason: str | None = None,
    *,
    standing: ReasonStanding = "server",
    unconfirmed_since: float | None = None,
) -> AgentState:
    """Change the status; logging out by any route ends everything of the session."""
    why = {
        "away_reason": reason,
        "reason_standing": standing if reason is not None else "server",
        "reason_unconfirmed_since": unconfirmed_since if standing == "unconfirmed" else None,
    }
    if status == state.status:
        return replace(state, **why)
    if status == "logged_out" or state.status == "logged_out":
        return replace(new_session(state, status, at), **why)
    return replace(state, status=status, status_since=when(state, at), **why)


def keep_reason(state: AgentState, status: Status, at: float | None) -> AgentState:
    """A status change that says no reason: an away keeps the reason known, as it stood."""
    if status != "away":
        return set_status(state, status, at)
    return set_status(
        state,
        status,
        at,
        state.away_reason,
        standing=state.reason_standing,
        unconfirmed_since=state.reason_unconfirmed_since,
    )


def new_session(state: AgentState, status: Status, at: float | None) -> AgentState:
    """A login or logout: nothing of the previous session carries over."""
    since = when(state, at)
    return replace(
        state, **_SESSION_CLEARED, status=status, status_since=since, session_since=since
    )


def asked_away(state: AgentState, *, accepted: bool = False) -> Away | None:
    """The newest Away the agent asked for that is still pending (with `accepted`, only
    one the server answered yes to): its reason is the one a server that does not echo
    reasons means."""
    return next(
        (
            each.command
            for each in reversed(state.pending)
            if isinstance(each.command, Away) and (each.accepted or not accepted)
        ),
        None,
    )
