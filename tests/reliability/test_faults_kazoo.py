"""Issue 9's Kazoo faults, each injected into the real client talking to the real simulator
on loopback: the state must end equal to the server's truth within the reconcile interval,
never be shown online while it disagrees for longer, and every command issued during the
fault must end confirmed or visibly failed, carried out at most once."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace

import msgspec
import pytest
import pytest_asyncio

from agent_toolbar.backends.base import Unreachable
from agent_toolbar.backends.kazoo.auth import Credentials
from agent_toolbar.backends.kazoo.backend import KazooBackend, KazooSettings
from agent_toolbar.domain.commands import Away, Login, Pause, Ready, Resume
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Scenario, Simulator
from agent_toolbar.simulator.kazoo.blackhole import event_frame
from agent_toolbar.simulator.model import Event
from tests.helpers.kazoo import PASSWORDS, backend, scenario
from tests.reliability.kazoo_faults import (
    SETTINGS,
    SETTLE,
    Run,
    change_key,
    claims_truth,
    running,
    same_ports,
    shown,
    truth,
    wait_for,
)
from tests.reliability.ledger import LEDGER

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(scenario()) as simulator:
        yield simulator


@pytest_asyncio.fixture
async def run(sim: Simulator) -> AsyncIterator[Run]:
    async with running(sim) as session:
        yield session


async def ready(run: Run) -> None:
    await run.command(Login())
    await run.command(Ready())


def captured(sim: Simulator) -> list[Event]:
    """Every event the engine sends from now on, as the hub would frame it."""
    events: list[Event] = []
    sim.engine.add_listener(events.append)
    return events


async def test_websocket_dropped_mid_burst(run: Run) -> None:
    await ready(run)
    sales, support, grace = run.queue("Sales"), run.queue("Support"), "grace"
    grace_id = next(each.user_id for each in run.sim.logins if each.username == grace)
    engine = run.sim.engine
    with LEDGER.fault("websocket dropped mid-burst"):
        command = None
        for step in range(80):
            if step % 2:
                engine.pause(run.me, sales)
                engine.set_status(grace_id, "ready")
            else:
                engine.resume(run.me, sales)
                engine.set_status(grace_id, "away")
            engine.set_status(run.me, "away" if step % 3 else "ready")
            if step == 40:
                command = asyncio.create_task(run.command(Pause(queue_id=support)))
                await run.sim.faults.drop_sockets()
            await asyncio.sleep(0)
        assert command is not None
        assert (await command).phase == "confirmed"
        await run.agrees()
        assert "stale" in run.connections
        assert run.sim.engine.agent(run.me).paused_queues == tuple(sorted((sales, support)))
    run.settled()


async def refused_for(run: Run, seconds: float) -> None:
    await run.command(Login())
    sales = run.queue("Sales")
    with LEDGER.fault(f"connections refused for {seconds:g} s"):
        started = time.monotonic()
        await run.sim.faults.refuse_connections(seconds)
        await run.sim.faults.drop_sockets()
        # REST may still answer on a connection kept alive from before: either way the
        # change ends confirmed or failed (Run.command checks), while the link is stale.
        await run.command(Ready())
        assert run.state.connection == "stale"
        assert run.state.stale_since is not None
        await asyncio.sleep(max(0.0, seconds - 1.5 - (time.monotonic() - started)))
        await run.command(Pause(queue_id=sales))
        await run.agrees(within=seconds - (time.monotonic() - started) + SETTLE)
    run.settled()


async def test_server_refusing_connections_for_5_seconds(run: Run) -> None:
    await refused_for(run, 5.0)


@pytest.mark.slow
@pytest.mark.timeout(240)
async def test_server_refusing_connections_for_120_seconds(run: Run) -> None:
    await refused_for(run, 120.0)


async def restart(run: Run, scenario_after: Scenario, before_start: float = 1.0) -> Simulator:
    """Close the server, and start `scenario_after` on the same ports a moment later."""
    old = run.sim
    await old.close()
    await asyncio.sleep(before_start)
    new = same_ports(old, scenario_after)
    await new.start()
    run.replace_sim(new)
    return new


async def test_server_restarted_with_the_agent_logged_out(run: Run) -> None:
    await ready(run)
    await run.command(Pause(queue_id=run.queue("Sales")))
    with LEDGER.fault("server restarted: agent logged out"):
        closing = asyncio.create_task(restart(run, scenario()))
        await asyncio.sleep(0.2)
        refused = await run.command(Away(reason="lunch"))  # reaches the new server: refused
        new = await closing
        try:
            assert refused.phase == "failed"
            await run.agrees()
            assert shown(run.state)[:3] == ("logged_out", None, ())
        finally:
            await new.close()
    run.settled()


async def test_server_restarted_with_another_away_reason(run: Run) -> None:
    """Kazoo's status reply states no reason: after the restart the toolbar cannot know the
    server now holds "training", so it shows "lunch" as not confirmed, never as fact."""
    await run.command(Login())
    await run.command(Away(reason="lunch"))
    ada = msgspec.structs.replace(scenario().agents[0], start="away")
    after = msgspec.structs.replace(scenario(), agents=(ada, *scenario().agents[1:]))
    with LEDGER.fault("server restarted: away with another reason"):
        new = await restart(run, after, before_start=0.3)
        try:
            new.engine.set_status(run.me, "away", "training")
            support = run.queue("Support")
            assert (await run.command(Pause(queue_id=support))).phase == "confirmed"
            await run.agrees()
            state = run.state
            assert (state.away_reason, state.reason_standing) == ("lunch", "unconfirmed")
            assert state.reason_unconfirmed_since is not None
        finally:
            await new.close()
    run.settled()


async def test_half_open_socket(run: Run) -> None:
    await run.command(Login())
    with LEDGER.fault("half-open socket"):
        run.sim.faults.mute_sockets(True)
        assert (await run.command(Ready())).phase == "confirmed"  # REST still answers
        await wait_for(lambda: run.state.connection == "stale")
        lost_at = len(run.connections)
        run.sim.engine.pause(run.me, run.queue("Sales"))  # nothing reaches a muted socket
        await asyncio.sleep(1.5)
        assert "online" not in run.connections[lost_at:]
        run.sim.faults.mute_sockets(False)
        await run.agrees(within=SETTLE + 2.0)  # a subscribe in progress times out first
    run.settled()


async def slow_server(sim: Simulator, seconds: float) -> None:
    async with running(sim, request_timeout=2.0) as run:
        await run.command(Login())
        with LEDGER.fault(f"slow server ({seconds:g} s)"):
            sim.faults.hang_rest(seconds, times=3)
            away = await run.command(Away(reason="lunch"))
            assert away.phase in ("confirmed", "failed")
            await asyncio.sleep(seconds + 0.5)  # every hung request has now been carried out
            assert run.applied("away:lunch") == 1
            await run.agrees()
        run.settled()


async def test_slow_server_5_seconds(sim: Simulator) -> None:
    await slow_server(sim, 5.0)


@pytest.mark.slow
async def test_slow_server_30_seconds(sim: Simulator) -> None:
    await slow_server(sim, 30.0)


async def test_token_expired_on_the_websocket(run: Run) -> None:
    await run.command(Login())
    with LEDGER.fault("token expired (websocket)"):
        run.sim.faults.expire_tokens()
        await run.sim.faults.drop_sockets()  # the new socket must subscribe with a new token
        assert (await run.command(Pause(queue_id=run.queue("Sales")))).phase == "confirmed"
        await run.agrees()
        assert "stale" in run.connections
    run.settled()


async def test_token_expired_on_rest(run: Run) -> None:
    await run.command(Login())
    with LEDGER.fault("token expired (REST)"):
        run.sim.faults.expire_tokens()
        assert (await run.command(Away(reason="lunch"))).phase == "confirmed"
        run.sim.engine.set_status(run.me, "ready")
        await run.agrees()
    run.settled()


@pytest.mark.parametrize("status", [500, 502, 503, 429])
@pytest.mark.parametrize("retry_after", [None, 0.2])
async def test_rest_errors(run: Run, status: int, retry_after: float | None) -> None:
    await run.command(Login())
    advice = "with" if retry_after else "without"
    with LEDGER.fault(f"REST {status} {advice} Retry-After"):
        run.sim.faults.fail_rest(status=status, times=2, retry_after=retry_after)
        assert (await run.command(Ready())).phase == "confirmed"
        run.sim.faults.fail_rest(status=status, times=6, retry_after=retry_after)
        failed = await run.command(Pause(queue_id=run.queue("Sales")))
        if failed.phase == "failed":  # the periodic check may have taken some failures
            assert failed.reason is not None
            assert failed.reason.startswith("the change could not be sent")
            assert str(status) in failed.reason
        await run.agrees(within=SETTLE + 2.0)
    run.settled()


async def test_dns_failure_at_sign_in(sim: Simulator) -> None:
    with LEDGER.fault("DNS failure at sign-in"):
        credentials = Credentials(account_name="sim", username="ada", password=PASSWORDS["ada"])
        unknown = KazooSettings(api_url="http://toolbar.invalid:8000/v2", credentials=credentials)
        session = Session(KazooBackend(unknown), SETTINGS)
        try:
            with pytest.raises(Unreachable, match=r"the server name toolbar\.invalid could not"):
                await session.sign_in()
            assert session.state is None
        finally:
            await session.close()


async def test_dns_failure_of_the_event_server(sim: Simulator) -> None:
    kazoo = backend(sim, websocket_url="wss://events.toolbar.invalid:5556")
    session = Session(kazoo, SETTINGS)
    await session.sign_in()
    running_session = asyncio.create_task(session.run())
    me = next(each.user_id for each in sim.logins if each.username == "ada")
    try:
        with LEDGER.fault("DNS failure (event server)"):
            await wait_for(
                lambda: session.state is not None and session.state.reconnect_attempt >= 2
            )
            state = session.state
            assert state is not None
            assert state.connection == "connecting"
            assert state.connection_problem == (
                "the server name events.toolbar.invalid could not be found"
            )
            for command in (Login(), Ready()):
                progress = await session.execute(command)
                LEDGER.command(progress, applied=sim.engine.carried_out(me)[change_key(command)])
                assert progress.phase == "confirmed"  # checked over REST, which still works
            state = session.state
            assert state is not None
            assert claims_truth(state, truth(sim.engine.agent(me)))
            assert state.connection == "connecting"
    finally:
        session.stop()
        await running_session
        await session.close()


async def test_events_lost(run: Run) -> None:
    await ready(run)
    with LEDGER.fault("events lost"):
        run.sim.faults.drop_events(times=3)
        run.sim.engine.pause(run.me, run.queue("Sales"))
        run.sim.engine.set_status(run.me, "away")
        assert (await run.command(Pause(queue_id=run.queue("Support")))).phase == "confirmed"
        await run.agrees()
    run.settled()


async def test_events_lost_while_changing_the_away_reason(run: Run) -> None:
    await run.command(Login())
    with LEDGER.fault("events lost (away reason)"):
        run.sim.faults.drop_events(times=1)
        assert (await run.command(Away(reason="lunch"))).phase == "confirmed"
        await run.agrees()
    run.settled()


async def test_events_duplicated(run: Run) -> None:
    await run.command(Login())
    with LEDGER.fault("events duplicated"):
        run.sim.faults.duplicate_events(times=10)
        assert (await run.command(Away(reason="lunch"))).phase == "confirmed"
        assert (await run.command(Pause(queue_id=run.queue("Sales")))).phase == "confirmed"
        assert (await run.command(Ready())).phase == "confirmed"
        await run.agrees()
        statuses = [change.new for change in run.state.history if change.aspect == "status"]
        assert statuses == ["away", "away: lunch", "ready"]
    run.settled()


async def test_an_event_reordered_across_a_reconnect(run: Run) -> None:
    await ready(run)
    events = captured(run.sim)
    with LEDGER.fault("event reordered across a reconnect"):
        await run.sim.faults.refuse_connections(1.0)
        await run.sim.faults.drop_sockets()
        pause = asyncio.create_task(run.command(Pause(queue_id=run.queue("Sales"))))
        run.sim.engine.set_status(run.me, "away", "lunch")  # sent to nobody: the link is down
        run.sim.engine.set_status(run.me, "ready")
        late = next(event for event in events if event.name == "away")
        assert (await pause).phase == "confirmed"
        await run.agrees()
        assert run.sim.faults.send_raw(event_frame(late)) == 1  # after the snapshot
        await asyncio.sleep(0.3)
        await run.agrees(within=SETTLE)
    run.settled()


async def test_an_old_event_after_a_reconnect_is_never_shown(run: Run) -> None:
    await ready(run)
    events = captured(run.sim)
    with LEDGER.fault("old event after a reconnect"):
        await run.sim.faults.drop_sockets()
        run.sim.engine.set_status(run.me, "away", "lunch")
        run.sim.engine.set_status(run.me, "ready")
        await run.agrees()
        away = next(event for event in events if event.name == "away")
        data = {**away.data, "event_timestamp": away.data["event_timestamp"] - 30}
        seen: list[str] = []
        run.session.subscribe(lambda state: seen.append(state.status))
        applied = run.state.applied
        run.sim.faults.send_raw(event_frame(replace(away, data=data)))
        await asyncio.sleep(0.3)
        assert (run.state.applied, seen.count("away")) == (applied, 0)
        await run.agrees()
    run.settled()


async def test_a_sync_that_disagrees_with_the_local_state(run: Run) -> None:
    await ready(run)
    events = captured(run.sim)
    run.sim.engine.pause(run.me, run.queue("Support"))
    await run.agrees()
    sample = next(event for event in events if event.name == "pause")
    data = {
        **{key: value for key, value in sample.data.items() if key != "queue_id"},
        "msg_id": uuid.uuid4().hex,
        "event_name": "sync",
        "availability_state": "Away",
        "available": False,
        "wrapup_time_seconds": 0,
    }
    with LEDGER.fault("sync disagrees with the local state"):
        run.sim.faults.send_raw(event_frame(replace(sample, name="sync", data=data)))
        resume = await run.command(Resume(queue_id=run.queue("Support")))
        assert resume.phase == "confirmed"
        waited = await run.agrees()
        assert waited <= SETTLE
        assert run.state.status == "ready"
    run.settled()


async def test_the_machine_sleeping(sim_clocked: tuple[Simulator, list[float]]) -> None:
    sim, jump = sim_clocked
    async with running(sim, clock=lambda: time.time() + jump[0]) as run:
        await ready(run)
        with LEDGER.fault("machine slept (clock jumped 10 minutes)"):
            sim.faults.mute_sockets(True)  # asleep: nothing flows either way
            sim.faults.drop_events(times=1)
            sim.engine.pause(run.me, run.queue("Sales"))
            jump[0] += 600.0
            sim.faults.mute_sockets(False)
            away = await run.command(Away(reason="lunch"))
            assert away.phase == "confirmed"
            await wait_for(lambda: "stale" in run.connections)  # the watchdog noticed
            await run.agrees()
        run.settled()


@pytest_asyncio.fixture
async def sim_clocked() -> AsyncIterator[tuple[Simulator, list[float]]]:
    """A simulator whose clock jumps with the toolbar's, as the world's does after a sleep."""
    jump = [0.0]
    async with Simulator(scenario(), clock=lambda: time.time() + jump[0]) as simulator:
        yield simulator, jump


async def test_the_network_changing(run: Run) -> None:
    await ready(run)
    with LEDGER.fault("network changed"):
        await run.sim.faults.refuse_connections(0.8)
        await run.sim.faults.drop_sockets()
        run.session.reconnect_now("the network changed")
        run.sim.engine.pause(run.me, run.queue("Sales"))
        away = await run.command(Away(reason="lunch"))
        assert away.phase == "confirmed"
        await run.agrees()
    run.settled()
