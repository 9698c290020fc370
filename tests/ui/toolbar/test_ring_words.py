"""How long the agent has to answer, in words that say whose word it is (issue 15, item 3):
the server's deadline counts down, a learned one is "about", none counts up, with no bar."""

import pytest
from pytestqt.qtbot import QtBot

from agent_toolbar.domain import AgentState, QueueFacts, QueuesReported, Snapshot, SnapshotCall
from agent_toolbar.domain.countdowns import answer_left, ring_counts_down
from agent_toolbar.domain.events import Rejected
from agent_toolbar.ui import text
from agent_toolbar.ui.toolbar.cards import OfferCard
from tests.helpers.events import SALES, ev, offer, ready_agent, run
from tests.helpers.seed import UNIX_NOW

pytestmark = pytest.mark.usefixtures("english")


def learned() -> AgentState:
    """Sales rang 20 s before a miss; now it rings again, with no ring time stated."""
    missed = run(
        offer(10, "s1", ring=None),
        ev(Rejected, 30, queue_id=SALES, session_id="s1"),
        state=ready_agent(),
    )
    return run(offer(40, "s2", ring=None), state=missed)


def test_no_ring_time_counts_up_and_is_never_a_deadline() -> None:
    state = run(offer(10, ring=None), state=ready_agent())
    assert state.offer is not None
    assert text.ring_text(state.offer, UNIX_NOW + 22) == "ringing for 0:12"
    assert not ring_counts_down(state.offer, UNIX_NOW + 22)
    assert text.time_in_status(state, UNIX_NOW + 22) == "ringing for 0:12"
    assert text.ring_note(state.offer) == "The server does not say how long this queue rings."


def test_a_learned_ring_time_is_about_and_never_urgent() -> None:
    state = learned()
    assert state.offer is not None
    assert text.ring_text(state.offer, UNIX_NOW + 45) == "about 0:15 left"
    assert answer_left(state.offer, UNIX_NOW + 58) is None
    assert text.ring_note(state.offer) is not None
    # Past the estimate it still rings: say how long, not "over".
    assert text.ring_text(state.offer, UNIX_NOW + 65) == "ringing for 0:25"


def test_the_servers_deadline_counts_down_and_one_found_mid_ring_is_at_most() -> None:
    state = run(offer(10, ring=20), state=ready_agent())
    assert state.offer is not None
    assert text.ring_text(state.offer, UNIX_NOW + 15) == "0:15 to answer"
    assert text.ring_note(state.offer) is None
    queues = QueuesReported(
        queues=(QueueFacts(queue_id=SALES, ring_timeout=25),), taken_at=UNIX_NOW + 1
    )
    listed = SnapshotCall(session_id="s9", queue_id=SALES)
    seen = run(
        queues,
        Snapshot(taken_at=UNIX_NOW + 100, logged_in=True, status="ready", offer=listed),
        state=ready_agent(),
    )
    assert seen.offer is not None
    assert text.ring_text(seen.offer, UNIX_NOW + 110) == "at most 0:15 to answer"


def test_the_offer_card_shows_no_bar_without_a_deadline(qtbot: QtBot) -> None:
    card = OfferCard([])
    qtbot.addWidget(card)
    card.show()
    state = run(offer(10, ring=None), state=ready_agent())
    card.show_state(state, UNIX_NOW + 22)
    assert card.bar.words.text() == "ringing for 0:12"
    assert not card.bar.bar.isVisible()
    card.show_state(learned(), UNIX_NOW + 45)
    assert card.bar.words.text() == "about 0:15 left"
    assert card.bar.bar.isVisible()
    assert card.bar.toolTip() == text.ring_note(learned().offer)  # type: ignore[arg-type]
