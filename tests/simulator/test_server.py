"""The Simulator as a whole: addresses, logins, timers on the real clock, a clean life cycle."""

import re
import socket
import subprocess
import sys

import aiohttp
import msgspec
import pytest

from agent_toolbar.simulator import (
    DemoLogin,
    QueueConfig,
    Simulator,
    bundled_scenario,
    default_scenario,
)
from agent_toolbar.simulator.server import BLACKHOLE_PORT
from tests.simulator.helpers import Client, small_scenario


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.asyncio
async def test_addresses_and_logins() -> None:
    rest_port, websocket_port = free_port(), free_port()
    async with Simulator(default_scenario(), port=rest_port, websocket_port=websocket_port) as sim:
        assert sim.api_url == f"http://127.0.0.1:{rest_port}/v2"
        assert sim.websocket_url == f"ws://127.0.0.1:{websocket_port}"
        demo = sim.logins[0]
        assert isinstance(demo, DemoLogin)
        assert (demo.account_name, demo.username, demo.password, demo.display_name) == (
            "demo",
            "agent",
            "demo",
            "Ada Agent",
        )
        assert re.fullmatch(r"[0-9a-f]{32}", demo.user_id)
        assert re.fullmatch(r"[0-9a-f]{32}", demo.account_id)
        assert re.fullmatch(r"[0-9a-f]{64}", demo.api_key)
        assert sim.engine.agent(demo.user_id).status == "logged_out"
        assert len(sim.logins) == 4


@pytest.mark.asyncio
async def test_close_is_idempotent_and_addresses_need_a_start() -> None:
    sim = Simulator(small_scenario())
    with pytest.raises(RuntimeError, match="not started"):
        _ = sim.api_url
    await sim.start()
    with pytest.raises(RuntimeError, match="only once"):
        await sim.start()
    await sim.__aexit__(None, None, None)
    await sim.__aexit__(None, None, None)
    await sim.close()
    await Simulator(small_scenario()).close()  # never started: nothing to close


@pytest.mark.asyncio
async def test_a_port_in_use_raises_oserror_naming_it() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port}"):
            async with Simulator(small_scenario(), websocket_port=port):
                pass


@pytest.mark.asyncio
async def test_timers_fire_on_the_real_clock(http: aiohttp.ClientSession) -> None:
    base = small_scenario()
    sales = QueueConfig(name="Sales", ring_timeout=0.2, force_away_on_reject=True)
    scenario = msgspec.structs.replace(base, queues=(sales, base.queues[1]))
    async with Simulator(scenario) as sim:
        bob = Client(sim, http, "bob")
        await bob.log_in()
        listener = await bob.listen()
        sim.engine.add_caller("Sales", "Ann", "1")
        assert (await listener.event("offer"))["data"]["ring_timeout"] == 0.2
        assert (await listener.event("reject"))["data"]["recipient_id"] == bob.login.user_id
        assert (await listener.event("away"))["data"]["reason"] == "missed_call"
        await bob.close()


@pytest.mark.asyncio
async def test_the_default_demo_comes_alive_and_stops_cleanly(
    http: aiohttp.ClientSession,
) -> None:
    async with Simulator(default_scenario()) as sim:
        async with http.get(sim.api_url.removesuffix("/v2") + "/sim/state") as answer:
            state = await answer.json()
        statuses = {agent["username"]: agent["status"] for agent in state["agents"]}
        assert statuses == {
            "agent": "logged_out",
            "grace": "ready",
            "alan": "ready",
            "katherine": "ready",
        }


def hold_blackhole_port() -> socket.socket | None:
    """A listening socket on 5555, or None when something else already has it (a socket
    of an earlier test in TIME_WAIT does not count)."""
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        holder.bind(("127.0.0.1", BLACKHOLE_PORT))
    except OSError:
        holder.close()
        return None
    holder.listen()
    return holder


@pytest.mark.asyncio
async def test_a_bare_install_listens_on_5555_when_free_and_advertises_no_url(
    http: aiohttp.ClientSession,
) -> None:
    holder = hold_blackhole_port()
    if holder is None:
        pytest.skip("port 5555 is in use on this machine")
    holder.close()
    async with Simulator(bundled_scenario("bare")) as sim:
        assert sim.websocket_url == f"ws://127.0.0.1:{BLACKHOLE_PORT}"
        client = Client(sim, http, "agent")
        answer = await client.log_in()
        assert "ui_config" not in answer["data"]
        listener = await client.listen()
        await listener.events_until_quiet()
        await client.close()


@pytest.mark.asyncio
async def test_a_bare_install_takes_any_port_when_5555_is_taken_or_another_is_asked() -> None:
    holder = hold_blackhole_port()
    try:
        async with Simulator(bundled_scenario("bare")) as sim:
            port = int(sim.websocket_url.rsplit(":", 1)[1])
            assert port != BLACKHOLE_PORT
    finally:
        if holder is not None:
            holder.close()
    asked = free_port()
    async with Simulator(bundled_scenario("bare"), websocket_port=asked) as sim:
        assert sim.websocket_url == f"ws://127.0.0.1:{asked}"
    async with Simulator(small_scenario()) as sim:  # advertised: any free port, as before
        assert sim.websocket_url != f"ws://127.0.0.1:{BLACKHOLE_PORT}"


def test_the_simulator_loads_no_qt() -> None:
    probe = (
        "import sys\n"
        "import agent_toolbar.simulator.cli\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'PySide6', 'qasync'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
