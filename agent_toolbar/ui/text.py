"""Everything the window says, from the state and the time, in the agent's language.

No widgets here, so it is tested without a window. Times in the state are the
server's; `now` is the server's time too (the session's estimate). Clock times shown
to the agent go through `LocalTime`, which turns a server time into the local
wall-clock text. Causes and reasons come from the domain in English and are
translated here when they are ones the toolbar wrote. How long is left, and when the
window next changes by itself, is reckoned in `domain/countdowns.py`.
"""

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from PySide6.QtCore import QObject

from agent_toolbar.domain import AgentState, causes
from agent_toolbar.domain.causes import marked
from agent_toolbar.domain.commands import (
    Away,
    Command,
    Dial,
    Login,
    Logout,
    Pause,
    Ready,
    Resume,
    WrapupExtend,
    WrapupFinish,
)
from agent_toolbar.domain.countdowns import (
    next_try_left,
    ring_counts_down,
    ring_left,
    talk_seconds,
    wrapup_left,
)
from agent_toolbar.domain.local_rules import worth_deferring
from agent_toolbar.domain.state import (
    Change,
    CommandProgress,
    Offer,
    QueueInfo,
    Source,
    Stats,
    Wiretap,
)
from agent_toolbar.ui.i18n import translate

Tone = Literal["ready", "away", "logged_out", "ringing", "busy", "wrapup", "problem", "quiet"]
"""How a piece of text is coloured; the words always say the same without the colour."""

LocalTime = Callable[[float], str]
"""A server time as the agent's wall-clock text, such as `10:42`."""

_NOTHING = "\N{EN DASH}"
"""Shown where a number or a time is not known."""

WRAPUP_WARNING_SECONDS = 10.0
"""From this many seconds before the end, wrap-up is shown as ending."""


_STATUSES = {
    "ready": marked("text", "Ready"),
    "away": marked("text", "Away"),
    "logged_out": marked("text", "Logged out"),
}
_ACTIVITIES = {
    "idle": marked("text", "Idle"),
    "offered": marked("text", "Ringing"),
    "on_call": marked("text", "On a call"),
    "wrapup": marked("text", "Wrap-up"),
    "external_call": marked("text", "On another call"),
}
_SOURCES = {
    "you": marked("text", "You"),
    "phone": marked("text", "You, on the phone"),
    "server": marked("text", "Server"),
    "supervisor": marked("text", "Supervisor"),
    "reconnect": marked("text", "Reconnect"),
}
_TAP_MODES = {
    "listen": marked("text", "listening"),
    "whisper": marked("text", "whispering"),
    "barge": marked("text", "on the call"),
}
_PHONE_CHANGES = {
    "registered": marked("text", "Phone reachable"),
    "not registered": marked("text", "Phone not registered"),
}
_QUEUE_CHANGES = {
    "paused": marked("text", "Paused"),
    "taking calls": marked("text", "Taking calls"),
    "paused, resume planned": marked("text", "Paused, resume planned"),
    "resume dropped": marked("text", "Planned resume dropped"),
}
_WIRETAP_ROLES = {
    "monitored": marked("text", "Monitored ({mode})"),
    "monitoring": marked("text", "Monitoring ({mode})"),
    "none": marked("text", "No monitoring"),
}


def _word(table: Mapping[str, str], value: str | None) -> str | None:
    """`value`'s words from `table`, in the agent's language; None if it has none.

    The tables above give the domain's words (a status, an activity, a source, a
    change) as English marked for lupdate: data, translated only when looked up.
    """
    source = None if value is None else table.get(value)
    return None if source is None else translate("text", source)


def source_word(source: Source) -> str:
    return _word(_SOURCES, source) or source


def _tap_word(mode: str | None) -> str:
    return _word(_TAP_MODES, mode) or mode or translate("text", "monitoring")


@dataclass(frozen=True)
class Headline:
    """The one word an agent reads at a glance, its detail and its colour."""

    word: str
    detail: str | None
    tone: Tone


def headline(state: AgentState, local: LocalTime | None = None) -> Headline:
    """What the agent is doing now; while idle, the status itself (with `local`, an
    unconfirmed away reason says since when)."""
    activity = _word(_ACTIVITIES, state.activity) or ""
    match state.activity:
        case "offered":
            return Headline(activity, None, "ringing")
        case "on_call" | "external_call":
            return Headline(activity, None, "busy")
        case "wrapup":
            # Away already (a deferred Away made at wrap-up start): say so, or the agent
            # would wait for a change that is done.
            return Headline(activity, _away_words(state, local), "wrapup")
    status = state.status
    if status == "ready" and _all_paused(state):
        # Green "Ready" would promise calls that no queue will send.
        return Headline(
            _word(_STATUSES, status) or status, translate("text", "all queues paused"), "away"
        )
    return Headline(_word(_STATUSES, status) or status, reason_detail(state, local), status)


def _away_words(state: AgentState, local: LocalTime | None) -> str | None:
    if state.status != "away":
        return None
    away = _word(_STATUSES, "away") or "away"
    reason = reason_detail(state, local)
    return f"{away} ({reason})" if reason else away


def defer_away_label(state: AgentState) -> str | None:
    """The "Away after…" control's words, or None when it has nothing to do: no call or
    wrap-up to wait for, or the agent is Away already."""
    if state.call is None and state.wrapup is None:
        return None
    if not worth_deferring(state, Away()):
        return None
    if state.call is not None:
        return translate("text", "Away after this call")
    return translate("text", "Away after wrap-up")


def _all_paused(state: AgentState) -> bool:
    members = [queue.queue_id for queue in state.queues if queue.member]
    return bool(members) and all(queue in state.paused_queues for queue in members)


def reason_detail(state: AgentState, local: LocalTime | None = None) -> str | None:
    """The away reason, saying whose word it is when it is not the server's."""
    reason = state.away_reason if state.status == "away" and state.away_reason else None
    if reason is None:
        return None
    words = reason_words(reason)
    match state.reason_standing:
        case "note":
            return translate("text", "{reason} (your note)").format(reason=words)
        case "unconfirmed":
            since = state.reason_unconfirmed_since
            if since is not None and local is not None:
                text = translate("text", "{reason}? not confirmed since {time}")
                return text.format(reason=words, time=local(since))
            return translate("text", "{reason}? not confirmed").format(reason=words)
    return words


def phone_text(state: AgentState) -> str | None:
    """The phone the server could not ring: why calls do not reach the agent."""
    if state.phone_unreachable_since is None:
        return None
    return translate(
        "text",
        "The server could not ring your phone: it is not registered. "
        "Start the softphone or plug in the desk phone.",
    )


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
        return translate("text", "under a minute")
    hours, minutes = divmod(minutes, 60)
    if hours:
        return translate("text", "{hours} h {minutes} min").format(
            hours=hours, minutes=f"{minutes:02d}"
        )
    return translate("text", "{minutes} min").format(minutes=minutes)


def time_in_status(state: AgentState, now: float) -> str | None:
    """Beside the headline: the time that matters now (to answer, talking, wrap-up left),
    or how long the agent has been in its status."""
    if state.offer is not None:
        return ring_text(state.offer, now)
    talk = talk_time(state, now)
    if talk is not None:
        return translate("text", "talking {time}").format(time=talk)
    left = wrapup_left(state, now)
    if left is not None:
        return translate("text", "{time} left").format(time=duration(left))
    since = state.status_since
    if since is None:
        return None
    return translate("text", "for {time}").format(time=duration(now - since))


def connection(state: AgentState, local: LocalTime, now: float | None = None) -> tuple[str, Tone]:
    """Whether what is shown is confirmed: online, reconnecting, stale or signed out; with
    `now`, also how soon the next attempt comes."""
    attempt = state.reconnect_attempt
    match state.connection:
        case "online":
            return translate("text", "Online"), "ready"
        case "stale":
            # What matters first, as the strip may cut the end: what is shown is old.
            parts = [translate("text", "Reconnecting")]
            if state.stale_since:
                since = translate("text", "stale since {time}")
                parts.append(since.format(time=local(state.stale_since)))
            parts += _next_try(state, now)
            parts.append(translate("text", "attempt {attempt}").format(attempt=attempt))
            return ", ".join(parts), "away"
        case "connecting":
            if attempt:
                words = translate("text", "Connecting, attempt {attempt}")
                return ", ".join([words.format(attempt=attempt), *_next_try(state, now)]), "away"
            return translate("text", "Connecting"), "away"
    problem = state.connection_problem or ""
    if problem.startswith("signed out"):
        return translate("text", "Signed out"), "problem"
    return translate("text", "Offline"), "problem"


def _next_try(state: AgentState, now: float | None) -> list[str]:
    left = None if now is None else next_try_left(state, now)
    if left is None:
        return []
    return [translate("text", "next try in {seconds} s").format(seconds=math.ceil(left))]


def queue_summary(state: AgentState) -> str:
    """ready / partly paused / paused / logged out, across the agent's queues."""
    if state.status == "logged_out":
        return translate("text", "Logged out")
    members = [queue.queue_id for queue in state.queues if queue.member]
    paused = [queue for queue in members if queue in state.paused_queues]
    if not members:  # which queues are the agent's is not known yet: say only what is
        count = len(state.paused_queues)
        if not count:
            return translate("text", "Taking calls")
        return _counted().queues_paused(count)
    if not paused:
        return translate("text", "Taking calls")
    if len(paused) == len(members):
        return translate("text", "All paused")
    words = translate("text", "{paused} of {members} paused")
    return words.format(paused=len(paused), members=len(members))


def queue_name(state: AgentState, queue_id: str | None) -> str:
    if queue_id is None:
        return translate("text", "a queue")
    found = next((queue for queue in state.queues if queue.queue_id == queue_id), None)
    if found and found.name:
        return found.name
    return translate("text", "queue {id}").format(id=queue_id[:8])


def caller(name: str | None, number: str | None) -> tuple[str, str | None]:
    """The caller's name in large and the number below (the number alone if no name)."""
    if name and number and name != number:
        return name, number
    return name or number or translate("text", "Unknown caller"), None


def ring_text(offer: Offer, now: float) -> str:
    """The time to answer, in words that say whose it is: the server's deadline counts
    down; one learned from past rings is "about"; with neither, how long it has rung."""
    left = ring_left(offer, now)
    if left is None or not ring_counts_down(offer, now):
        if offer.offered_at is None or not offer.start_known:
            return translate("text", "Ringing")
        words = translate("text", "ringing for {time}")
        return words.format(time=duration(now - offer.offered_at))
    if left <= 0:
        return translate("text", "Ring time is over")
    if offer.ring_learned:
        words = translate("text", "about {time} left")
    elif not offer.start_known:
        words = translate("text", "at most {time} to answer")
    else:
        words = translate("text", "{time} to answer")
    return words.format(time=duration(math.ceil(left)))


def ring_note(offer: Offer) -> str | None:
    """Where the time to answer comes from, when it is not simply the server's word."""
    if offer.ring_learned:
        return translate(
            "text",
            "The server does not say how long this queue rings: estimated from how long "
            "its last missed calls rang.",
        )
    if offer.deadline is None:
        return translate("text", "The server does not say how long this queue rings.")
    if not offer.start_known:
        return translate(
            "text",
            "The call was already ringing when the toolbar connected: it has at most "
            "this long left.",
        )
    return None


def offer_cost(offer: Offer) -> str | None:
    """What missing the offer costs, when the queue says."""
    if offer.force_away_on_reject:
        return translate("text", "Missing it sets you Away")
    return None


def offer_place(offer: Offer, now: float) -> str | None:
    parts = []
    if offer.position is not None:
        parts.append(translate("text", "position {n} in queue").format(n=offer.position))
    if offer.waiting_since is not None:
        waiting = duration(now - offer.waiting_since)
        parts.append(translate("text", "waiting {time}").format(time=waiting))
    return _sentence(", ".join(parts)) if parts else None


def talk_time(state: AgentState, now: float) -> str | None:
    talk = talk_seconds(state, now)
    return None if talk is None else duration(talk)


def wrapup_text(state: AgentState, now: float) -> tuple[str, bool]:
    """The wrap-up countdown in words, and whether it is about to end."""
    left = wrapup_left(state, now)
    if left is None:
        return translate("text", "Wrap-up: no end given"), False
    if left <= 0:
        return translate("text", "Wrap-up is over: waiting for the server"), False
    if left <= WRAPUP_WARNING_SECONDS:
        return translate("text", "Wrap-up ends in {seconds} s").format(
            seconds=math.ceil(left)
        ), True
    return translate("text", "{time} of wrap-up left").format(time=duration(left)), False


def missed_text(state: AgentState) -> str | None:
    """The recovery card: who was missed and why the status changed."""
    missed = state.missed_offer
    if missed is None:
        return None
    name, number = caller(missed.caller_id_name, missed.caller_id_number)
    who = f"{name} ({number})" if number else name
    if missed.declined:
        words = translate("text", "You declined a call from {caller} in {queue}.")
    else:
        words = translate("text", "You missed a call from {caller} in {queue}.")
    text = words.format(caller=who, queue=queue_name(state, missed.queue_id))
    if missed.forced_away and state.status == "away":
        text += " " + translate("text", "The queue set you Away because of it.")
    return text


def missed_title(state: AgentState) -> str:
    """The missed-call card's and notification's title: declined is not missed."""
    if state.missed_offer is not None and state.missed_offer.declined:
        return translate("text", "Declined call")
    return translate("text", "Missed call")


def wiretap_text(tap: Wiretap | None) -> str | None:
    if tap is None:
        return None
    if tap.role == "monitored":
        return translate("text", "Supervisor {mode}").format(mode=_tap_word(tap.mode))
    words = translate("text", "You are monitoring a call ({mode})")
    return words.format(mode=tap.mode or translate("text", "monitoring"))


def command_words(state: AgentState, command: Command) -> str:
    """A change the agent asked for, as a sentence's start: "Away (Lunch)"."""
    match command:
        case Login():
            return translate("text", "Log in")
        case Logout():
            return translate("text", "Log out")
        case Ready():
            return translate("text", "Ready")
        case Away(reason=reason):
            if reason:
                return translate("text", "Away ({reason})").format(reason=reason)
            return translate("text", "Away")
        case Pause(queue_id=queue, timeout=timeout):
            name = queue_name(state, queue)
            if timeout:
                words = translate("text", "Pause {queue} for {time}")
                return words.format(queue=name, time=rough(timeout))
            return translate("text", "Pause {queue}").format(queue=name)
        case Resume(queue_id=queue):
            return translate("text", "Resume {queue}").format(queue=queue_name(state, queue))
        case WrapupExtend():
            return translate("text", "Extend wrap-up")
        case WrapupFinish():
            return translate("text", "Finish wrap-up")
        case Dial(number=number):
            return translate("text", "Call {number}").format(number=number)


def command_text(state: AgentState, progress: CommandProgress) -> tuple[str, Tone]:
    what = command_words(state, progress.command)
    match progress.phase:
        case "pending" if isinstance(progress.command, Dial) and progress.accepted:
            # The server took it and rings the agent's phone: the call starts once answered.
            words = translate("text", "{change}: answer your phone to place the call…")
            return words.format(change=what), "quiet"
        case "pending":
            return translate("text", "{change}: waiting for the server…").format(
                change=what
            ), "quiet"
        case "confirmed":
            return translate("text", "{change}: done").format(change=what), "ready"
        case "replaced":
            words = translate("text", "{change}: replaced by a newer change")
            return words.format(change=what), "quiet"
        case "unknown":
            words = translate("text", "{change}: no answer, it may or may not have been made")
            return words.format(change=what), "problem"
    words = translate("text", "{change} failed: {reason}")
    return words.format(change=what, reason=progress.reason), "problem"


def deferred_text(state: AgentState) -> str | None:
    deferred = state.deferred
    if deferred is None:
        return None
    what = command_words(state, deferred.command)
    if deferred.after == "call":
        return translate("text", "{change} after this call").format(change=what)
    return translate("text", "{change} after wrap-up").format(change=what)


def pause_text(state: AgentState, queue: QueueInfo, local: LocalTime) -> str:
    """Whether the agent takes the queue's calls, and until when a timed pause lasts:
    the toolbar resumes it itself (Qubicle has no timed pause)."""
    if queue.queue_id not in state.paused_queues:
        if state.status != "ready":
            return translate("text", "Taking calls when you are Ready")
        return translate("text", "Taking calls")
    until = state.resume_due(queue.queue_id)
    if until is None:
        return translate("text", "Paused")
    words = translate("text", "Paused until {time}: the toolbar will resume it")
    return words.format(time=local(until))


def pressure(queue: QueueInfo) -> str:
    """What pausing costs: callers in the queue, the longest wait, agents free."""
    if queue.in_queue is None and queue.agents_available is None:
        return translate("text", "No numbers yet")
    parts = []
    if queue.in_queue is not None:
        parts.append(translate("text", "{n} in queue").format(n=queue.in_queue))
    if queue.in_queue and queue.longest_wait:
        wait = duration(queue.longest_wait)
        parts.append(translate("text", "longest wait {time}").format(time=wait))
    if queue.agents_available is not None:
        parts.append(_counted().agents_free(queue.agents_available))
    return " · ".join(parts)


def stats_text(stats: Stats, now: float, *, logged_in: bool = True) -> list[tuple[str, str]]:
    """The server's counters; how long logged in only while the agent is."""
    since = None if stats.login_time is None or not logged_in else rough(now - stats.login_time)
    average = None if stats.avg_call_time is None else duration(stats.avg_call_time)
    items = [
        (translate("text", "Calls taken"), stats.total_calls),
        (translate("text", "Missed"), stats.missed_calls),
        (translate("text", "Average talk"), average),
        (translate("text", "Logged in"), since),
    ]
    return [(label, _NOTHING if value is None else str(value)) for label, value in items]


def timeline_row(state: AgentState, change: Change, local: LocalTime) -> tuple[str, str, str, str]:
    """Time, what changed, who caused it, why."""
    when = _NOTHING if change.at is None else local(change.at)
    old, new = _change_word(state, change, change.old), _change_word(state, change, change.new)
    what = f"{old} → {new}"
    if change.queue_id is not None:
        what = f"{queue_name(state, change.queue_id)}: {what}"
    return when, what, source_word(change.source), cause_words(change.cause)


def _status_at(state: AgentState, change: Change) -> str:
    """The status in effect once `change` was made: the status change made with it (a
    status change comes after the others of the same input), else the last before it."""
    history = state.history
    index = next((n for n, each in enumerate(history) if each is change), len(history))
    later = next((each for each in history[index + 1 :] if each.aspect == "status"), None)
    if later is not None and later.at == change.at:
        return later.new.partition(": ")[0]
    earlier = next((each for each in reversed(history[:index]) if each.aspect == "status"), None)
    if earlier is not None:
        return earlier.new.partition(": ")[0]
    return later.old.partition(": ")[0] if later is not None else state.status


def _change_word(state: AgentState, change: Change, word: str) -> str:
    if change.aspect == "status":
        status, _, reason = word.partition(": ")
        text = _word(_STATUSES, status) or status
        return f"{text} ({reason_words(reason)})" if reason else text
    if change.aspect == "activity":
        if word == "idle":  # what the strip shows while no call is on: the status
            status = _status_at(state, change)
            return _word(_STATUSES, status) or status
        return _word(_ACTIVITIES, word) or word
    if change.aspect == "queue":
        return _word(_QUEUE_CHANGES, word) or _sentence(word)
    if change.aspect == "phone":
        return _word(_PHONE_CHANGES, word) or _sentence(word)
    return _wiretap_word(word)


def _wiretap_word(word: str) -> str:
    """The domain's `monitored (listen)`, `monitoring (barge)` or `none`."""
    role, _, mode = word.partition(" (")
    words = _word(_WIRETAP_ROLES, role)
    if words is None:
        return _sentence(word)
    return words.format(mode=_tap_word(mode.rstrip(")")) if mode else "")


def _cause_pattern(template: str) -> re.Pattern[str]:
    pattern = re.escape(template)
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.+)", pattern))


_CAUSES = [
    (template, _cause_pattern(template))
    for template in sorted(causes.TEMPLATES, key=len, reverse=True)
]
"""The longest template first: "declined the call from {who}" would also match the
cause that goes on "; the queue sets agents away…", with the rest taken as the caller."""


def cause_words(cause: str) -> str:
    """A cause the toolbar wrote, in the agent's language; any other as it came."""
    for template, pattern in _CAUSES:
        found = pattern.fullmatch(cause)
        if found is not None:
            values = {name: _cause_value(name, value) for name, value in found.groupdict().items()}
            return translate("cause", template).format(**values)
    return cause


def _cause_value(name: str, value: str) -> str:
    if name == "reason":
        return reason_words(value)
    if name == "status":
        return _word(_STATUSES, value.lower()) or value
    if name == "mode":
        return _tap_word(value)
    return value


def _sentence(words: str) -> str:
    """Words starting with a capital, the rest as they are (`str.capitalize` lowers it)."""
    return words[:1].upper() + words[1:]


MISSED_CALL_REASON = marked("reason", "missed call")
"""The away reason a queue gives when a missed call set the agent away (`missed_call`,
as the simulator says it), marked so that it is translated; any other reason shows as
the server gave it."""


def reason_words(reason: str) -> str:
    """A server's reason as words: `missed_call` reads "missed call", translated if it is
    one the toolbar knows."""
    return translate("reason", reason.replace("_", " "))


class Counted(QObject):
    """Words with a count in the right plural form. A class of their own: the lupdate of
    PySide6 6.11 finds plural forms only in `self.tr` calls."""

    def queues_paused(self, count: int) -> str:
        return self.tr("%n queue(s) paused", "", count)

    def agents_free(self, count: int) -> str:
        return self.tr("%n agent(s) free", "", count)


@cache
def _counted() -> Counted:
    return Counted()
