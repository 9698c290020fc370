"""How long is left, and when what is shown next changes: arithmetic on the state and `now`.

No words and no clock here: `now` is passed in (the server's time, the session's
estimate), so the window's words (`ui/text.py`), its bars and its redraws share one
reckoning, tested without Qt.
"""

from agent_toolbar.domain.state import AgentState, Offer

COUNTDOWN_REDRAW = 0.25
"""While a countdown runs its bar moves four times a second: smooth enough for a 20 s
ring, where ten times a second cost 1 % of a core (benchmarks/idle_cpu.py)."""


def ring_left(offer: Offer, now: float) -> float | None:
    return None if offer.deadline is None else max(0.0, offer.deadline - now)


def answer_left(offer: Offer, now: float) -> float | None:
    """Seconds left by the server's deadline; None for an estimate or no deadline, which
    must never look urgent."""
    answer_by = offer.answer_by
    return None if answer_by is None else max(0.0, answer_by - now)


def ring_counts_down(offer: Offer, now: float) -> bool:
    """Whether the offer has a countdown to show: a deadline the server gave (or the
    latest it can be), or an estimate learned from the queue's last rings, not yet past."""
    left = ring_left(offer, now)
    return left is not None and (left > 0 or not offer.ring_learned)


def ring_fraction(offer: Offer, now: float) -> float:
    """How much of the ring time is left, from 1 down to 0 (1 when unknown)."""
    left = ring_left(offer, now)
    if left is None or offer.offered_at is None or offer.deadline is None:
        return 1.0
    total = offer.deadline - offer.offered_at
    return 1.0 if total <= 0 else min(1.0, left / total)


def talk_seconds(state: AgentState, now: float) -> float | None:
    """How long the agent has been talking, when a call with a known start is on."""
    call = state.call
    return None if call is None or call.since is None else now - call.since


def wrapup_left(state: AgentState, now: float) -> float | None:
    wrapup = state.wrapup
    return None if wrapup is None or wrapup.ends is None else max(0.0, wrapup.ends - now)


def wrapup_fraction(state: AgentState, now: float) -> float:
    wrapup, left = state.wrapup, wrapup_left(state, now)
    if wrapup is None or left is None or not wrapup.seconds:
        return 1.0
    return min(1.0, left / wrapup.seconds)


def next_try_left(state: AgentState, now: float) -> float | None:
    """Seconds until the next reconnection attempt, while one is still to come."""
    due = state.next_try_at
    return None if due is None or due <= now else due - now


def next_redraw(state: AgentState, now: float) -> float | None:
    """Seconds until what is shown changes by itself: soon while counting down, else rarely."""
    if state.offer is not None or (state.wrapup is not None and state.wrapup.ends is not None):
        return COUNTDOWN_REDRAW
    next_try = next_try_left(state, now)
    if state.connection != "online" and next_try is not None:
        return _until_next(next_try, 1.0)
    talk = talk_seconds(state, now)
    if talk is not None:
        return _until_next(talk, 1.0)
    if state.status_since is not None:  # the time in status counts in seconds
        return _until_next(now - state.status_since, 1.0)
    if state.stats.login_time is None:
        return None
    return _until_next(now - state.stats.login_time, 60.0)


def _until_next(elapsed: float, step: float) -> float:
    """Time until `elapsed` crosses the next multiple of `step` (a little after it)."""
    return step - (elapsed % step) + 0.01
