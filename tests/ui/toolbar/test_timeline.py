"""The timeline adds new changes at the top and drops fallen-off ones at the bottom,
and shows what a timeline drawn from scratch would show."""

import pytest
from msgspec.structs import replace
from pytestqt.qtbot import QtBot

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.events import BecameReady, QueuePaused, QueueResumed, WentAway
from agent_toolbar.domain.state import HISTORY_LIMIT, QueueInfo
from agent_toolbar.ui.toolbar.timeline import TimelineView
from tests.helpers.events import SALES, ev, ready_agent, run
from tests.helpers.seed import UNIX_NOW

pytestmark = pytest.mark.usefixtures("english")


def local(at: float) -> str:
    return f"T+{at - UNIX_NOW:g}"


def rows(view: TimelineView) -> list[tuple[str, ...]]:
    tree = view.tree
    items = [tree.topLevelItem(n) for n in range(tree.topLevelItemCount())]
    return [tuple(item.text(c) for c in range(4)) for item in items if item is not None]


def drawn_afresh(qtbot: QtBot, state: AgentState) -> list[tuple[str, ...]]:
    fresh = TimelineView()
    qtbot.addWidget(fresh)
    fresh.show_history(state, local)
    return rows(fresh)


def test_changes_are_added_on_top_and_old_ones_fall_off(qtbot: QtBot) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    state = ready_agent()
    view.show_history(state, local)
    first_item = view.tree.topLevelItem(0)
    for n in range(HISTORY_LIMIT // 2 + 5):
        at = 10 + 3 * n
        state = run(ev(WentAway, at, reason="Lunch"), ev(BecameReady, at + 1), state=state)
        view.show_history(state, local)
        if n in (0, 7, HISTORY_LIMIT // 2 + 4):
            assert rows(view) == drawn_afresh(qtbot, state)
    assert view.tree.topLevelItemCount() == HISTORY_LIMIT
    assert rows(view)[0][1] == "Away (Lunch) → Ready"
    assert view.tree.topLevelItem(0) is not first_item


def test_only_new_rows_are_made(qtbot: QtBot) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    state = ready_agent()
    view.show_history(state, local)
    before = [view.tree.topLevelItem(n) for n in range(view.tree.topLevelItemCount())]
    state = run(ev(WentAway, 10), state=state)
    view.show_history(state, local)
    after = [view.tree.topLevelItem(n) for n in range(view.tree.topLevelItemCount())]
    assert after[1:] == before
    assert rows(view) == drawn_afresh(qtbot, state)


def test_a_queue_renamed_redraws_its_rows(qtbot: QtBot) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    paused_and_resumed = (ev(QueuePaused, 10, queue_id=SALES), ev(QueueResumed, 20, queue_id=SALES))
    state = run(*paused_and_resumed, state=ready_agent())
    state = replace(state, queues=(QueueInfo(queue_id=SALES, name="Sales", member=True),))
    view.show_history(state, local)
    assert rows(view)[0][1] == "Sales: Paused → Taking calls"
    state = replace(state, queues=(QueueInfo(queue_id=SALES, name="Sales EU", member=True),))
    view.show_history(state, local)
    assert [row[1] for row in rows(view)[:2]] == [
        "Sales EU: Paused → Taking calls",
        "Sales EU: Taking calls → Paused",
    ]
    assert rows(view) == drawn_afresh(qtbot, state)


def test_a_history_that_is_not_a_continuation_is_redrawn(qtbot: QtBot) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    view.show_history(run(ev(WentAway, 10), state=ready_agent()), local)
    other = run(ev(BecameReady, 5), state=run(ev(WentAway, 1)))
    view.show_history(other, local)
    assert rows(view) == drawn_afresh(qtbot, other)


def test_queue_pressure_changes_no_row(qtbot: QtBot) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    sales = QueueInfo(queue_id=SALES, name="Sales", member=True)
    state = replace(run(ev(QueuePaused, 10, queue_id=SALES), state=ready_agent()), queues=(sales,))
    view.show_history(state, local)
    shown = [view.tree.topLevelItem(n) for n in range(view.tree.topLevelItemCount())]
    busier = replace(state, queues=(replace(sales, in_queue=7, agents_available=1),))
    view.show_history(busier, local)
    assert [view.tree.topLevelItem(n) for n in range(view.tree.topLevelItemCount())] == shown
