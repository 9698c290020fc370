"""Each fault, as a client meets it: cut sockets, refused ports, dead tokens, failing REST."""

import asyncio
import time

import aiohttp
import msgspec
import pytest

from agent_toolbar.simulator import ManualClock, ScriptedFault, Simulator
from tests.simulator.helpers import Client, small_scenario


@pytest.mark.asyncio
async def test_drop_sockets_cuts_every_websocket_without_a_close_frame(ada: Client) -> None:
    first, second = await ada.listen(), await ada.listen()
    assert ada.sim.websocket_count == 2
    await ada.sim.faults.drop_sockets()
    assert ada.sim.websocket_count == 0
    for socket in (first, second):
        message = await socket.ws.receive(timeout=3)
        assert message.type in (aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
    again = await ada.listen()  # a new socket works, and resubscribes
    assert (await again.request("ping"))["status"] == "success"


@pytest.mark.asyncio
async def test_refused_connections_come_back_on_the_same_ports(
    ada: Client, http: aiohttp.ClientSession
) -> None:
    sim = ada.sim
    api_url, websocket_url = sim.api_url, sim.websocket_url
    await sim.faults.refuse_connections(0.3)
    started = time.monotonic()
    fresh = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=fresh) as new_client:
        with pytest.raises(aiohttp.ClientConnectorError):
            await new_client.get(f"{api_url}/token_auth")
        with pytest.raises(aiohttp.ClientConnectorError):
            await new_client.ws_connect(websocket_url)
        while True:
            try:
                async with new_client.get(f"{api_url}/token_auth", headers=ada.headers) as answer:
                    assert answer.status == 200
                break
            except aiohttp.ClientConnectorError:
                assert time.monotonic() - started < 3
                await asyncio.sleep(0.05)
        assert time.monotonic() - started >= 0.3
        socket = await new_client.ws_connect(websocket_url)
        await socket.close()
    assert (sim.api_url, sim.websocket_url) == (api_url, websocket_url)


@pytest.mark.asyncio
async def test_expired_tokens_get_401_and_websocket_token_errors(ada: Client) -> None:
    ada.sim.faults.expire_tokens()
    status, body = await ada.set_status(status="login")
    assert (status, body["message"]) == (401, "invalid_credentials")
    ws = await ada.http.ws_connect(ada.sim.websocket_url)
    await ws.send_json({"action": "ping", "auth_token": ada.token, "request_id": "x"})
    reply = await ws.receive_json(timeout=3)
    assert reply["data"]["errors"] == [f"failed to authenticate token {ada.token}"]
    await ws.close()
    await ada.log_in()  # a new login works at once
    status, _ = await ada.set_status(status="login")
    assert status == 200


@pytest.mark.asyncio
async def test_failing_rest_answers_kazoo_errors_with_retry_after(ada: Client) -> None:
    sim = ada.sim
    sim.faults.fail_rest(503, times=2, retry_after=7)
    root = sim.api_url.removesuffix("/v2")
    async with ada.http.get(f"{root}/sim/state") as answer:  # controls are never faulted
        assert answer.status == 200
    for _ in range(2):
        async with ada.http.get(f"{ada.recipient_url}/status", headers=ada.headers) as answer:
            body = await answer.json()
            assert (answer.status, answer.headers["Retry-After"]) == (503, "7")
        assert (body["error"], body["message"], body["status"]) == (
            "503",
            "service_unavailable",
            "error",
        )
    status, _ = await ada.set_status(status="login")
    assert status == 200
    sim.faults.fail_rest(401)
    status, body = await ada.request("GET", f"{sim.api_url}/token_auth")
    assert (status, body["data"]) == (401, {"message": "invalid credentials"})


@pytest.mark.asyncio
async def test_hanging_rest_waits_then_answers(ada: Client) -> None:
    ada.sim.faults.hang_rest(0.3, times=1)
    started = time.monotonic()
    status, _ = await ada.request("GET", f"{ada.sim.api_url}/token_auth")
    assert status == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    await ada.request("GET", f"{ada.sim.api_url}/token_auth")
    assert time.monotonic() - started < 0.3


@pytest.mark.asyncio
async def test_a_hanging_request_lets_a_client_time_out_and_the_simulator_still_closes(
    http: aiohttp.ClientSession,
) -> None:
    async with Simulator(small_scenario()) as sim:
        ada = Client(sim, http, "ada")
        await ada.log_in()
        sim.faults.hang_rest(30)
        with pytest.raises(TimeoutError):
            async with http.get(
                f"{sim.api_url}/token_auth",
                headers=ada.headers,
                timeout=aiohttp.ClientTimeout(total=0.2),
            ):
                pass
        started = time.monotonic()
    assert time.monotonic() - started < 3


@pytest.mark.asyncio
async def test_dropped_events_are_never_sent(ada: Client) -> None:
    socket = await ada.listen()
    ada.sim.faults.drop_events(times=1)
    await ada.set_status(status="login")
    await ada.set_status(status="ready")
    events = await socket.events_until_quiet()
    assert [event["name"] for event in events] == ["ready"]


@pytest.mark.asyncio
async def test_duplicated_events_are_sent_twice(ada: Client) -> None:
    socket = await ada.listen()
    ada.sim.faults.duplicate_events(times=1)
    await ada.set_status(status="login")
    await ada.set_status(status="ready")
    events = await socket.events_until_quiet()
    assert [event["name"] for event in events] == ["create", "create", "ready"]
    assert events[0] == events[1]


@pytest.mark.asyncio
async def test_muted_sockets_stay_open_but_answer_nothing(ada: Client) -> None:
    socket = await ada.listen()
    ada.sim.faults.mute_sockets(True)
    await socket.send({"action": "ping", "request_id": "hello?"})
    await socket.ws.ping()
    await ada.set_status(status="login")
    with pytest.raises(TimeoutError):
        await socket.frame(timeout=0.3)
    assert ada.sim.websocket_count == 1
    ada.sim.faults.mute_sockets(False)
    first, second = await socket.frame(), await socket.frame()
    assert {first["action"], second["action"]} == {"event", "reply"}


@pytest.mark.asyncio
async def test_scripted_faults_run_at_their_offsets(http: aiohttp.ClientSession) -> None:
    clock = ManualClock()
    scenario = msgspec.structs.replace(
        small_scenario(),
        faults=(
            ScriptedFault(at=10, action="expire_tokens"),
            ScriptedFault(at=20, action="fail_rest", status=500, times=1),
        ),
    )
    async with Simulator(scenario, clock=clock) as sim:
        ada = Client(sim, http, "ada")
        await ada.log_in()
        clock.advance(10)
        deadline = time.monotonic() + 3
        while (await ada.request("GET", f"{sim.api_url}/token_auth"))[0] != 401:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.01)
        await ada.log_in()
        clock.advance(10)
        deadline = time.monotonic() + 3
        while (await ada.request("GET", f"{sim.api_url}/token_auth"))[0] != 500:
            assert time.monotonic() < deadline
            await asyncio.sleep(0.01)
        assert (await ada.request("GET", f"{sim.api_url}/token_auth"))[0] == 200


@pytest.mark.asyncio
async def test_a_scripted_duplicate_repeats_the_next_event(http: aiohttp.ClientSession) -> None:
    scenario = msgspec.structs.replace(
        small_scenario(), faults=(ScriptedFault(at=0, action="duplicate_events"),)
    )
    async with Simulator(scenario) as sim:
        ada = Client(sim, http, "ada")
        await ada.log_in()
        socket = await ada.listen()
        await ada.set_status(status="login")
        events = await socket.events_until_quiet()
    assert [event["name"] for event in events] == ["create", "create"]


@pytest.mark.asyncio
async def test_fault_arguments_are_checked(ada: Client) -> None:
    with pytest.raises(ValueError, match="HTTP error"):
        ada.sim.faults.fail_rest(200)
    with pytest.raises(ValueError, match="at least 1"):
        ada.sim.faults.drop_events(0)
    with pytest.raises(ValueError, match="at least 1"):
        ada.sim.faults.duplicate_events(0)
    with pytest.raises(ValueError, match="negative"):
        await ada.sim.faults.refuse_connections(-1)
