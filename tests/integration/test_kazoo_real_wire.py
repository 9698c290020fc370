"""The Kazoo client against each plausible Qubicle: the simulator's `[kazoo]` switches.

Public sources leave parts of Qubicle's REST unknown (the per-queue key, the away
reason's key, the shape of queue membership). Each test starts the real simulator
behaving one plausible way and the real client against it, and checks the client
shows the truth and says what it cannot do, rather than retrying or lying.
"""

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from agent_toolbar.backends.base import SignedOut, Unreachable
from agent_toolbar.backends.kazoo.wire import Wire
from agent_toolbar.config.resume_plans import PlanFile
from agent_toolbar.domain.commands import Away, Login, Pause, Ready, Resume
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Simulator
from agent_toolbar.simulator.scenario import KazooSettings as Server
from tests.helpers.kazoo import FAST, Connected, backend, connected, queue_id, scenario, until

pytestmark = pytest.mark.asyncio


@contextlib.asynccontextmanager
async def server(**switches: Any) -> AsyncIterator[Simulator]:
    """The simulator as a Qubicle with these `[kazoo]` switches."""
    chosen = msgspec.structs.replace(scenario(), kazoo=Server(**switches))
    async with Simulator(chosen) as sim:
        yield sim


async def ready(ada: Connected) -> None:
    assert (await ada.session.execute(Login())).phase == "confirmed"
    assert (await ada.session.execute(Ready())).phase == "confirmed"


# --- 1. per-queue pause is a per-queue away; resume a per-queue ready ---------


@pytest.mark.parametrize("key", ["target_queue", "queue_id"])
async def test_per_queue_away_and_ready_under_the_servers_key(key: str) -> None:
    async with server(queue_key=key) as sim, connected(sim, wire=Wire(queue_key=key)) as ada:
        await ready(ada)
        sales = queue_id(sim, "Sales")
        assert (await ada.session.execute(Pause(queue_id=sales))).phase == "confirmed"
        assert (ada.state.status, ada.state.paused_queues) == ("ready", (sales,))
        assert sim.engine.agent(ada.me).paused_queues == (sales,)
        assert (await ada.session.execute(Resume(queue_id=sales))).phase == "confirmed"
        assert ada.state.paused_queues == ()


async def test_a_server_refusing_per_queue_changes_turns_them_off_with_its_words() -> None:
    async with server(queue_key="", unknown_keys="refuse") as sim, connected(sim) as ada:
        await ready(ada)
        sales = queue_id(sim, "Sales")
        refused = await ada.session.execute(Pause(queue_id=sales))
        assert refused.phase == "failed"
        # The server's own words for the field it refused, not a made-up reason.
        assert "(target_queue: " in (refused.reason or "")
        assert ada.state.refusal("pause_queues") == refused.reason
        assert (ada.state.status, sim.engine.agent(ada.me).status) == ("ready", "ready")
        assert sim.engine.carried_out(ada.me)[f"pause:{sales}"] == 0


async def test_a_pause_taken_as_a_full_away_is_undone_and_turned_off() -> None:
    # A lenient server that reads the queue under another key drops ours: a global away.
    async with server(queue_key="queue_id") as sim, connected(sim) as ada:
        await ready(ada)
        sales = queue_id(sim, "Sales")
        assert (await ada.session.execute(Pause(queue_id=sales))).phase == "failed"
        await until(ada.session, lambda state: state.refusal("pause_queues") is not None)
        back = await until(
            ada.session,
            lambda state: state.status == "ready" and not state.pending,
        )
        assert "full Away" in (back.refusal("pause_queues") or "")
        assert sim.engine.agent(ada.me).status == "ready"


# --- 2. the six state words, and a logged-out agent answered with a 200 ---------


@pytest.mark.parametrize("answer", ["not_logged_in", "not_found"])
async def test_a_logged_out_agent_is_shown_logged_out(answer: str) -> None:
    async with server(logged_out_status=answer) as sim, connected(sim) as ada:
        assert ada.state.status == "logged_out"
        await ready(ada)
        sim.engine.set_status(ada.me, "logout")
        await ada.session.reconcile("checked")
        assert ada.state.status == "logged_out"


async def test_another_refusal_of_the_status_read_is_a_problem_not_a_sign_out() -> None:
    async with server() as sim, connected(sim) as ada:
        await ready(ada)
        sim.faults.fail_rest(status=403, times=20)
        with pytest.raises(Unreachable, match="would not show this agent's status"):
            await ada.session.reconcile("checked")
        assert ada.state.status == "ready"


async def test_a_call_found_by_a_check_is_shown_as_a_call_not_as_away() -> None:
    async with server() as sim, connected(sim) as ada:
        await ready(ada)
        sim.engine.add_caller("Sales", "Marie Curie", "+33123456789")
        await until(ada.session, lambda state: state.offer is not None)
        sim.engine.answer(ada.me)
        await until(ada.session, lambda state: state.call is not None)
        status = sim.engine.recipient_status(ada.me)
        assert status is not None
        assert (status["availability_state"], status["available"]) == ("On-A-Call", False)
        await ada.session.reconcile("checked")
        assert (ada.state.status, ada.state.activity) == ("ready", "on_call")


# --- 5. queue membership from the queues, whatever its shape -----------------


@pytest.mark.parametrize("shape", ["ids", "objects"])
async def test_membership_comes_from_the_queues_recipients(shape: str) -> None:
    async with server(membership_shape=shape) as sim, connected(sim) as ada:
        members = {queue.name for queue in ada.state.queues if queue.member}
        assert members == {"Sales", "Support"}


async def test_membership_an_agent_may_not_read_leaves_the_queues_unknown() -> None:
    async with server(membership="forbidden") as sim, connected(sim) as ada:
        assert ada.state.connection == "online"
        assert not any(queue.member for queue in ada.state.queues)
        await ready(ada)
        assert ada.state.status == "ready"


# --- away reasons: the server's word, or the agent's note --------------------


async def test_a_reason_the_server_holds_is_its_own() -> None:
    async with server() as sim, connected(sim) as ada:
        await ready(ada)
        assert (await ada.session.execute(Away(reason="lunch"))).phase == "confirmed"
        assert (ada.state.away_reason, ada.state.reason_standing) == ("lunch", "server")


async def test_a_reason_the_server_ignores_is_the_agents_note() -> None:
    async with server(reason_key="") as sim, connected(sim) as ada:
        await ready(ada)
        assert (await ada.session.execute(Away(reason="lunch"))).phase == "confirmed"
        assert (ada.state.away_reason, ada.state.reason_standing) == ("lunch", "note")
        assert sim.engine.agent(ada.me).status == "away"


async def test_a_reason_the_server_refuses_is_left_out_once_and_kept_as_a_note() -> None:
    async with server(reason_key="", unknown_keys="refuse") as sim, connected(sim) as ada:
        await ready(ada)
        away = await ada.session.execute(Away(reason="lunch"))
        assert away.phase == "confirmed"
        assert (ada.state.away_reason, ada.state.reason_standing) == ("lunch", "note")
        assert "no away reason" in (ada.state.refusal("away_reason") or "")
        assert sim.engine.carried_out(ada.me)["away"] == 1
        assert (await ada.session.execute(Ready())).phase == "confirmed"
        assert (await ada.session.execute(Away(reason="break"))).phase == "confirmed"
        assert sim.engine.carried_out(ada.me)["away"] == 2


# --- timed pauses are the toolbar's own timer ---------------------------------


async def test_a_timed_pause_is_resumed_by_the_toolbar_and_survives_a_restart(
    tmp_path: Path,
) -> None:
    plans = PlanFile("sim", tmp_path / "plans.json")
    async with server() as sim:
        async with connected(sim, plans=plans) as ada:
            await ready(ada)
            support = queue_id(sim, "Support")
            timed = await ada.session.execute(Pause(queue_id=support, timeout=2))
            assert timed.phase == "confirmed"
            assert ada.state.resume_due(support) is not None
        # The toolbar quit with the queue paused: the next one resumes it when it is due.
        assert plans.load(ada.me)
        assert sim.engine.agent(ada.me).paused_queues == (support,)
        async with connected(sim, plans=plans) as again:
            assert again.state.resume_due(support) is not None
            resumed = await until(again.session, lambda state: state.paused_queues == ())
            assert resumed.resume_plans == ()
            assert resumed.commands[-1].command == Resume(queue_id=support)
            assert resumed.commands[-1].phase == "confirmed"
        assert plans.load(ada.me) == ()


async def test_logging_out_drops_a_planned_resume_visibly(tmp_path: Path) -> None:
    plans = PlanFile("sim", tmp_path / "plans.json")
    async with server() as sim, connected(sim, plans=plans) as ada:
        await ready(ada)
        sales = queue_id(sim, "Sales")
        assert (await ada.session.execute(Pause(queue_id=sales, timeout=60))).phase == ("confirmed")
        sim.engine.set_status(ada.me, "logout")
        gone = await until(ada.session, lambda state: state.status == "logged_out")
        assert gone.resume_plans == ()
        assert any(change.new == "resume dropped" for change in gone.history)
        assert plans.load(ada.me) == ()


# --- 6. a server that does not advertise its websocket URL --------------------


def _free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as a server binds it
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _some_free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_without_an_advertised_url_blackholes_default_port_is_tried() -> None:
    if not _free(5555):
        pytest.skip("port 5555 is taken on this machine: the bare install cannot be modelled")
    bare = msgspec.structs.replace(scenario(advertise_websocket_url=False), kazoo=Server())
    async with Simulator(bare, websocket_port=5555) as sim, connected(sim) as ada:
        assert ada.state.connection == "online"
        assert sim.websocket_url.endswith(":5555")


async def test_without_any_websocket_the_sign_in_names_the_setting() -> None:
    if not _free(5555):
        pytest.skip("port 5555 is taken on this machine")
    elsewhere = _some_free_port()  # Blackhole listens, but not where a default would be
    async with Simulator(scenario(advertise_websocket_url=False), websocket_port=elsewhere) as sim:
        session = Session(backend(sim), FAST)
        with pytest.raises(SignedOut, match=r"ws://127\.0\.0\.1:5555") as refused:
            async with asyncio.timeout(10):
                await session.sign_in()
        assert refused.value.setting == "websocket_url"
        assert "ask your administrator" in str(refused.value)
        await session.close()
