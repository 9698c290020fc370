"""What the agent must be told, and whether telling it now would be spam: no Qt, no clock.

`alerts(before, after, now, wrapup_warning)` compares the state the agent saw with
the new one and names what deserves a notification (an offer, a missed offer, a
forced Away, a sign-out, wrap-up about to end) and the sound cues that go with them.
It reports events when they appear. Two are also reported by their mere presence: a
ringing offer when the state has just become the server's confirmed word (an offer
found by the check after a reconnect is real), and wrap-up ending, which is a matter
of time: it is reported on every call while the warning window is open, so the lead
must also call `alerts` when `next_alert_check` says, not only on a new state.

`AlertGate` stands between those findings and the desktop. It lets nothing through
twice, a few per minute of each kind at most, and while the link is not online
nothing but a sign-out: a state that was stale, or is re-delivered after a
reconnect, must not replay an offer or an Away.
"""

from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.countdowns import answer_left
from agent_toolbar.domain.state import Change, Offer

AlertKind = Literal[
    "offer",
    "missed",
    "forced_away",
    "logged_out",
    "signed_out",
    "wrapup_ending",
    "phone_unreachable",
    "ring_start",
    "ring_stop",
    "chime",
]
NOTICES: frozenset[AlertKind] = frozenset(
    (
        "offer",
        "missed",
        "forced_away",
        "logged_out",
        "signed_out",
        "wrapup_ending",
        "phone_unreachable",
    )
)
"""Kinds the agent is shown; the others are sound cues."""

PER_MINUTE = 3
"""At most this many alerts of one kind in any minute: a flapping link cannot spam."""
SIGN_OUTS_PER_MINUTE = 1
WINDOW_SECONDS = 60.0
REMEMBERED = 1024
"""Keys of alerts let through that the gate remembers, newest kept (about a day of offers)."""


@dataclass(frozen=True)
class Alert:
    """One thing to tell the agent, or one sound cue.

    `token` says which occurrence it is about (the offer's session, the wrap-up, the
    status change); kind and token together are its `key`. `state` is the state it was
    found in, for the words. A cue that goes with a notice `follows` it and has its
    token: the gate lets the cue through only with the notice.
    """

    kind: AlertKind
    token: str
    state: AgentState
    follows: AlertKind | None = None
    left: float | None = None
    """Seconds left: to answer an offer (and to ring), or of wrap-up."""
    change: Change | None = None
    """For a forced Away: the timeline's entry saying who set it and why."""

    @property
    def key(self) -> tuple[AlertKind, str]:
        token = self.token if self.follows is None else f"{self.follows}:{self.token}"
        return self.kind, token

    @property
    def companion(self) -> tuple[AlertKind, str] | None:
        """The notice a cue goes with."""
        return None if self.follows is None else (self.follows, self.token)


def alerts(
    before: AgentState | None, after: AgentState, now: float, wrapup_warning: float
) -> list[Alert]:
    """What changed from `before` to `after` that the agent must hear of, in order.

    `before` is the state last passed as `after` (None at the start); `now` is the
    server's time (the presenter's `now()`); `wrapup_warning` is the preference, in
    seconds (0: no warning).
    """
    return [
        *_ringing(before, after, now),
        *_missed(before, after),
        *_forced_away(before, after),
        *_logged_out(before, after),
        *_signed_out(before, after, now),
        *_wrapup_ending(after, now, wrapup_warning),
        *_phone_unreachable(before, after),
    ]


def next_alert_check(state: AgentState, now: float, wrapup_warning: float) -> float | None:
    """Seconds until `alerts` would find something by time alone (the wrap-up warning),
    or None: then only a new state can bring one."""
    wrapup = state.wrapup
    if wrapup is None or wrapup.ends is None or wrapup_warning <= 0:
        return None
    due = wrapup.ends - wrapup_warning - now
    return due if due > 0 else None


def offer_token(offer: Offer) -> str:
    """The offer's session; without one, who calls from which queue."""
    if offer.session_id is not None:
        return offer.session_id
    return f"{offer.queue_id}|{offer.caller_id_name}|{offer.caller_id_number}"


def _confirmed_now(before: AgentState | None, after: AgentState) -> bool:
    """The state has just become the server's word: what it shows was never announced
    while confirmed (an offer found by the check after a reconnect)."""
    return before is None or (before.connection != "online" and after.connection == "online")


def _ringing(before: AgentState | None, after: AgentState, now: float) -> list[Alert]:
    old = before.offer if before is not None else None
    new = after.offer
    found = []
    if old is not None and (new is None or offer_token(old) != offer_token(new)):
        found.append(Alert("ring_stop", offer_token(old), after))
    if new is None:
        return found
    if old is None or offer_token(old) != offer_token(new) or _confirmed_now(before, after):
        token = offer_token(new)
        left = answer_left(new, now)
        found.append(Alert("offer", token, after, left=left))
        found.append(Alert("ring_start", token, after, follows="offer", left=left))
    return found


def _missed(before: AgentState | None, after: AgentState) -> list[Alert]:
    missed = after.missed_offer
    if missed is None or (before is not None and before.missed_offer == missed):
        return []
    token = f"{missed.at}|{missed.queue_id}|{missed.caller_id_number}"
    return _with_chime(Alert("missed", token, after))


def _forced_away(before: AgentState | None, after: AgentState) -> list[Alert]:
    """Taken from Ready to Away by someone else: the queue after a missed call, a
    supervisor, a server rule. What a reconnect's check found is not said to be forced:
    who made it is unknown, and it may be the agent's own change made meanwhile."""
    if before is None or before.status != "ready" or after.status != "away":
        return []
    change = next((each for each in reversed(after.history) if each.aspect == "status"), None)
    if change is None or change.source not in ("server", "supervisor"):
        return []
    return _with_chime(Alert("forced_away", f"{change.at}|{change.new}", after, change=change))


def _logged_out(before: AgentState | None, after: AgentState) -> list[Alert]:
    """Logged out of the queues by someone else (a supervisor, the phone, a server rule):
    no call will come, and the agent must hear it. As for a forced Away, what a reconnect's
    check found is not said: it may be the agent's own change."""
    if before is None or before.status == "logged_out":
        return []
    change = logged_out_by_other(after)
    if change is None:
        return []
    return _with_chime(Alert("logged_out", f"{change.at}|{change.cause}", after, change=change))


def logged_out_by_other(state: AgentState) -> Change | None:
    """The timeline's entry for a log-out someone else made (a supervisor, the phone, a
    server rule), while the agent is still logged out by it."""
    if state.status != "logged_out":
        return None
    change = next((each for each in reversed(state.history) if each.aspect == "status"), None)
    if change is None or change.source not in ("server", "supervisor", "phone"):
        return None
    return change


def _signed_out_problem(state: AgentState) -> str | None:
    """Why the server signed the toolbar out, when it did."""
    problem = state.connection_problem
    if state.connection == "offline" and problem and problem.startswith("signed out"):
        return problem
    return None


def _signed_out(before: AgentState | None, after: AgentState, now: float) -> list[Alert]:
    problem = _signed_out_problem(after)
    if problem is None or (before is not None and _signed_out_problem(before) is not None):
        return []
    since = after.stale_since if after.stale_since is not None else now
    return _with_chime(Alert("signed_out", f"{since}|{problem}", after))


def _phone_unreachable(before: AgentState | None, after: AgentState) -> list[Alert]:
    """The server could not ring the agent's phone: calls are lost until it is fixed."""
    since = after.phone_unreachable_since
    if since is None or (before is not None and before.phone_unreachable_since is not None):
        return []
    return _with_chime(Alert("phone_unreachable", str(since), after))


def _wrapup_ending(after: AgentState, now: float, warning: float) -> list[Alert]:
    wrapup = after.wrapup
    if wrapup is None or wrapup.ends is None or warning <= 0:
        return []
    left = wrapup.ends - now
    if not 0 < left <= warning:
        return []
    began = wrapup.since if wrapup.since is not None else f"ends {wrapup.ends}"
    return _with_chime(Alert("wrapup_ending", f"{wrapup.queue_id}|{began}", after, left=left))


def _with_chime(notice: Alert) -> list[Alert]:
    return [notice, Alert("chime", notice.token, notice.state, follows=notice.kind)]


class AlertGate:
    """Lets alerts through at most once each and a few a minute, and only while online.

    `ring_stop` always passes: silencing a ring that never started costs nothing, and
    a ring that cannot be stopped is worse than any spam.
    """

    def __init__(self, per_minute: int = PER_MINUTE, remembered: int = REMEMBERED) -> None:
        self._per_minute = per_minute
        self._remembered = remembered
        self._seen: OrderedDict[tuple[AlertKind, str], None] = OrderedDict()
        self._recent: dict[AlertKind, deque[float]] = {}

    def admit(self, found: Iterable[Alert], now: float) -> list[Alert]:
        """The alerts of `found` to deliver now, in order.

        `now` is any steady clock in seconds (`time.monotonic()`), for the per-minute
        limits; whether the link is online is read from each alert's state.
        """
        admitted: list[Alert] = []
        passed: set[tuple[AlertKind, str]] = set()
        for alert in found:
            if alert.kind == "ring_stop":
                admitted.append(alert)
            elif alert.companion is not None:
                if alert.companion in passed and alert.key not in self._seen:
                    self._remember(alert.key)
                    admitted.append(alert)
            elif self._allows(alert, now):
                self._remember(alert.key)
                self._recent.setdefault(alert.kind, deque()).append(now)
                passed.add(alert.key)
                admitted.append(alert)
        return admitted

    def _allows(self, alert: Alert, now: float) -> bool:
        if alert.state.connection != "online" and alert.kind != "signed_out":
            return False
        if alert.key in self._seen:
            return False
        recent = self._recent.get(alert.kind)
        if recent is None:
            return True
        while recent and recent[0] <= now - WINDOW_SECONDS:
            recent.popleft()
        limit = SIGN_OUTS_PER_MINUTE if alert.kind == "signed_out" else self._per_minute
        return len(recent) < limit

    def _remember(self, key: tuple[AlertKind, str]) -> None:
        self._seen[key] = None
        while len(self._seen) > self._remembered:
            self._seen.popitem(last=False)
