"""The tray's tooltip says in words what the icon's colours and shapes show."""

import pytest
from msgspec.structs import replace

from agent_toolbar.domain import AgentState, ConnectionChanged
from agent_toolbar.domain.events import QueuePaused, Rejected, WentAway
from agent_toolbar.domain.state import QueueInfo
from agent_toolbar.ui.tray.menu import tray_tooltip
from tests.helpers.events import SALES, SUPPORT, ev, offer, ready_agent, run
from tests.helpers.seed import UNIX_NOW

pytestmark = pytest.mark.usefixtures("english")


def local(at: float) -> str:
    return f"T+{at - UNIX_NOW:g}"


def ready_online() -> AgentState:
    queues = (
        QueueInfo(queue_id=SALES, name="Sales", member=True),
        QueueInfo(queue_id=SUPPORT, name="Support", member=True),
    )
    state = replace(ready_agent(), queues=queues)
    return run(ConnectionChanged(connection="online", at=UNIX_NOW + 1), state=state)


def test_status_link_and_queues_in_words() -> None:
    state = ready_online()
    assert tray_tooltip(state, local) == "Agent toolbar\nReady\nOnline\nQueues: Taking calls"
    paused = run(ev(QueuePaused, 3, queue_id=SALES), ev(WentAway, 4, reason="lunch"), state=state)
    assert tray_tooltip(paused, local).splitlines()[1:] == [
        "Away · lunch",
        "Online",
        "Queues: 1 of 2 paused",
    ]


def test_an_unconfirmed_state_says_so() -> None:
    state = ready_online()
    stale = run(ConnectionChanged(connection="connecting", at=UNIX_NOW + 5, attempt=2), state=state)
    assert tray_tooltip(stale, local).splitlines()[2] == "Reconnecting, stale since T+5, attempt 2"
    out = run(
        ConnectionChanged(connection="offline", at=UNIX_NOW + 6, problem="signed out: no"),
        state=stale,
    )
    assert tray_tooltip(out, local).splitlines()[2] == "Signed out"


def test_a_ringing_call_and_a_missed_one_are_named() -> None:
    ringing = run(offer(3, ring=6, force_away_on_reject=True), state=ready_online())
    assert tray_tooltip(ringing, local).splitlines()[-1] == "Call from Marie Curie"
    missed = run(ev(Rejected, 9, session_id="s1", queue_id=SALES), state=ringing)  # rang out
    assert tray_tooltip(missed, local).splitlines()[-1] == (
        "You missed a call from Marie Curie (+33123456789) in Sales."
    )
