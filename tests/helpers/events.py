"""Our agent's events and states, built by the real reducer: the domain tests' vocabulary,
shared by every test that needs an offer, a ready agent or a queue."""

import itertools
from typing import Any

from agent_toolbar.domain import AgentState, reduce
from agent_toolbar.domain.events import BecameReady, LoggedIn, Offered, RecipientEvent
from tests.helpers.seed import AGENT, UNIX_NOW

SALES, SUPPORT = "queue-sales", "queue-support"
_ids = itertools.count()


def ev(kind: type[RecipientEvent], at: float | None, **fields: Any) -> Any:
    """An event of our agent `at` seconds after UNIX_NOW (None: without a timestamp)."""
    fields.setdefault("recipient_id", AGENT)
    fields.setdefault("msg_id", f"message-{next(_ids)}")
    stamp = None if at is None else UNIX_NOW + at
    return kind(event_timestamp=stamp, **fields)


def run(*inputs: Any, state: AgentState | None = None) -> AgentState:
    state = state or AgentState(recipient_id=AGENT)
    for item in inputs:
        state = reduce(state, item)
    return state


def offer(at: float, session: str = "s1", ring: float | None = 20, **fields: Any) -> Any:
    fields.setdefault("queue_id", SALES)
    fields.setdefault("caller_id_name", "Marie Curie")
    fields.setdefault("caller_id_number", "+33123456789")
    return ev(Offered, at, session_id=session, ring_timeout=ring, **fields)


def ready_agent() -> AgentState:
    return run(ev(LoggedIn, 0), ev(BecameReady, 1))


def local(at: float) -> str:
    """A time as its distance from UNIX_NOW ("T+40"): the window's clock words, made
    readable in assertions."""
    return f"T+{at - UNIX_NOW:g}"
