"""The call history against the real simulator and the real Kazoo client (issue 18): a
scripted shift with a reconnect mid-call and a missed call leaves exactly the rows the
simulator's calls were, through the same `History.follow` the desktop uses."""

from pathlib import Path

import pytest

from agent_toolbar.config.history import History, HistoryFile, history_path
from agent_toolbar.domain.commands import Login, Ready
from agent_toolbar.simulator import Simulator
from tests.helpers.kazoo import connected, queue_id, scenario, until

pytestmark = pytest.mark.asyncio


async def test_a_shift_with_a_reconnect_mid_call_and_a_missed_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_TOOLBAR_CONFIG_DIR", str(tmp_path))
    async with Simulator(scenario()) as sim, connected(sim) as ada:
        history = History.follow(ada.session.subscribe, "work", days=30)
        assert (await ada.session.execute(Login())).phase == "confirmed"
        assert (await ada.session.execute(Ready())).phase == "confirmed"

        answered = sim.engine.add_caller("Sales", "Marie Curie", "+33123456789", talk_seconds=2.5)
        await until(ada.session, lambda state: state.offer is not None)
        sim.engine.answer(ada.me)
        await until(ada.session, lambda state: state.activity == "on_call")
        await sim.faults.drop_sockets()
        await until(ada.session, lambda state: state.connection == "stale")
        back = await until(ada.session, lambda state: state.connection == "online")
        assert back.call is not None  # the reconnect came mid-call
        await until(ada.session, lambda state: state.activity == "wrapup")
        await until(ada.session, lambda state: state.activity == "idle")

        missed = sim.engine.add_caller("Support", "Alan Turing", "+442071234567")
        await until(ada.session, lambda state: state.offer is not None)
        await until(ada.session, lambda state: state.offer is None, timeout=10)
        history.close()

    rows = HistoryFile(history_path()).rows()
    assert [(row.key, row.outcome) for row in rows] == [(missed, "missed"), (answered, "answered")]
    last, first = rows
    assert (first.caller_name, first.caller_number, first.queue_name) == (
        "Marie Curie",
        "+33123456789",
        "Sales",
    )
    assert first.queue_id == queue_id(sim, "Sales")
    assert first.talk_seconds == pytest.approx(2.5, abs=1)  # stamps are whole seconds
    assert first.wrapup_seconds == pytest.approx(1, abs=1)  # Sales wraps up for 1 s
    assert (last.caller_number, last.queue_id) == ("+442071234567", queue_id(sim, "Support"))
    assert last.ring_seconds == pytest.approx(3, abs=1)  # Support rings for 3 s
    assert last.talk_seconds is None
