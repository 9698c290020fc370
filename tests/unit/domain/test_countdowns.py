"""How long is left and when the window next changes by itself, from the state and `now`."""

import pytest
from msgspec.structs import replace

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.countdowns import next_redraw, ring_fraction, wrapup_fraction
from agent_toolbar.domain.events import Delivered, WrapupStarted
from agent_toolbar.domain.state import Stats
from tests.helpers.events import ev, offer, ready_agent, run
from tests.helpers.seed import UNIX_NOW


def test_the_ring_bar_empties_towards_the_servers_deadline() -> None:
    ringing = run(offer(10, ring=20), state=ready_agent())
    assert ringing.offer is not None
    assert ring_fraction(ringing.offer, UNIX_NOW + 15) == 0.75


def test_the_wrapup_bar_empties_towards_its_end() -> None:
    wrapup = run(ev(WrapupStarted, 20, wrapup_time_seconds=30), state=ready_agent())
    assert wrapup_fraction(wrapup, UNIX_NOW + 35) == 0.5


def test_redraws_follow_what_changes_by_itself() -> None:
    assert next_redraw(run(offer(10), state=ready_agent()), UNIX_NOW + 11) == 0.25
    on_call = run(offer(10), ev(Delivered, 12, session_id="s1"), state=ready_agent())
    assert next_redraw(on_call, UNIX_NOW + 12.5) == pytest.approx(0.51)
    # The time in status is m:ss: it changes every second.
    assert next_redraw(ready_agent(), UNIX_NOW + 31.5) == pytest.approx(0.51)
    logged_out = AgentState(recipient_id="a", stats=Stats(login_time=UNIX_NOW))
    assert next_redraw(logged_out, UNIX_NOW + 31) == pytest.approx(29.01)
    assert next_redraw(AgentState(recipient_id="a"), UNIX_NOW) is None


def test_while_reconnecting_the_redraw_follows_the_next_try() -> None:
    stale = replace(
        ready_agent(), connection="stale", reconnect_attempt=9, next_try_at=UNIX_NOW + 100
    )
    assert next_redraw(stale, UNIX_NOW + 88.5) == pytest.approx(0.51)
