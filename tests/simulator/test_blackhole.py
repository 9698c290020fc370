"""Blackhole over a real websocket: Kazoo's handshake rules, replies, errors and events."""

import asyncio
import math
from typing import Any

import aiohttp
import pytest

from agent_toolbar.domain.events import BecameReady, LoggedIn, StatsPayload
from agent_toolbar.simulator import ManualClock, Simulator
from tests.simulator.conftest import Connect
from tests.simulator.helpers import (
    GREGORIAN_UNIX_OFFSET,
    Client,
    Listener,
    login_of,
    small_scenario,
)


async def raw_socket(sim: Simulator, http: aiohttp.ClientSession) -> Listener:
    return Listener(await http.ws_connect(f"{sim.websocket_url}/any/path?x=1"))


def errors(reply: dict[str, Any]) -> list[str]:
    assert (reply["action"], reply["status"]) == ("reply", "error"), reply
    found: list[str] = reply["data"]["errors"]
    return found


@pytest.mark.asyncio
async def test_a_subprotocol_header_or_a_plain_request_gets_http_400(
    sim: Simulator, http: aiohttp.ClientSession
) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await http.ws_connect(sim.websocket_url, protocols=("kazoo",))
    assert refused.value.status == 400
    async with http.get(sim.websocket_url.replace("ws://", "http://")) as response:
        assert response.status == 400


@pytest.mark.asyncio
async def test_the_first_frame_needs_a_valid_token(
    sim: Simulator, http: aiohttp.ClientSession, ada: Client
) -> None:
    socket = await raw_socket(sim, http)
    account = {"account_id": ada.login.account_id, "binding": "qubicle.recipient"}
    assert errors(await socket.request("ping")) == ["authentication token required"]
    assert errors(await socket.request("subscribe", data=account)) == [
        "authentication token required"
    ]
    assert errors(await socket.request("subscribe", auth_token=42, data=account)) == [
        "invalid authentication token format"
    ]
    assert errors(await socket.request("subscribe", auth_token="not a jwt", data=account)) == [
        "invalid authentication token format"
    ]
    forged = "eyJh.eyJi.c2ln"
    assert errors(await socket.request("subscribe", auth_token=forged, data=account)) == [
        f"failed to authenticate token {forged}"
    ]
    reply = await socket.request("subscribe", auth_token=ada.token, data=account)
    assert reply["status"] == "success"
    pong = await socket.request("ping")  # authenticated for good: no token needed any more
    assert pong["data"] == {"response": "pong"}
    await socket.close()


@pytest.mark.asyncio
async def test_each_subscribe_error_has_kazoos_exact_text(
    sim: Simulator, http: aiohttp.ClientSession, ada: Client
) -> None:
    socket = await raw_socket(sim, http)
    token, account = ada.token, ada.login.account_id
    cases: list[tuple[Any, str]] = [
        (None, "missing required keys in data object"),
        ({}, "missing required keys in data object"),
        ({"account_id": account}, "missing required keys : binding"),
        (
            {"account_id": account, "bindings": ["qubicle.recipient", "qubicle.queue"]},
            "missing required keys : binding",
        ),
        ({"binding": "qubicle.recipient"}, "missing required keys : account_id"),
        ({"account_id": "0" * 32, "binding": "qubicle.recipient"}, "unauthorized account id"),
        (
            {"account_id": account, "binding": "call.*.*"},
            "no available subscriptions to requested binding",
        ),
    ]
    for data, message in cases:
        frame: dict[str, Any] = {"auth_token": token}
        if data is not None:
            frame["data"] = data
        assert errors(await socket.request("subscribe", **frame)) == [message], data
    assert errors(await socket.request("unsubscribe")) == ["missing required keys in data object"]
    await socket.close()


@pytest.mark.asyncio
async def test_one_binding_per_subscribe_and_unsubscribe_reports_both_lists(ada: Client) -> None:
    socket = await ada.listen()  # subscribed to qubicle.recipient
    account = ada.login.account_id
    reply = await socket.request(
        "subscribe", auth_token=ada.token, data={"account_id": account, "binding": "qubicle.queue"}
    )
    assert reply["data"] == {"subscribed": ["qubicle.recipient", "qubicle.queue"]}
    again = await socket.request(
        "subscribe", data={"account_id": account, "binding": "qubicle.queue"}
    )
    assert again["data"] == {"subscribed": ["qubicle.recipient", "qubicle.queue"]}
    reply = await socket.request(
        "unsubscribe", data={"account_id": account, "binding": "qubicle.recipient"}
    )
    assert reply["status"] == "success"
    assert reply["data"] == {"unsubscribed": ["qubicle.recipient"], "subscribed": ["qubicle.queue"]}
    await ada.set_status(status="login")
    events = await socket.events_until_quiet()
    assert {event["subscribed_key"] for event in events} == {"qubicle.queue"}


@pytest.mark.asyncio
async def test_ping_echoes_the_request_id(ada: Client) -> None:
    socket = await ada.listen()
    await socket.send({"action": "ping", "request_id": 7})
    assert await socket.frame() == {
        "action": "reply",
        "request_id": 7,
        "status": "success",
        "data": {"response": "pong"},
    }


@pytest.mark.asyncio
async def test_the_rate_limit_is_a_bucket_of_100_refilled_at_10_a_second(
    ada: Client, clock: ManualClock
) -> None:
    socket = await ada.listen()  # the subscribe took one token
    local = socket.ws.get_extra_info("sockname")
    for number in range(99):
        await socket.send({"action": "ping", "request_id": number})
    replies = [await socket.frame() for _ in range(99)]
    assert all(reply["status"] == "success" for reply in replies)
    assert errors(await socket.request("ping")) == [
        f"rate limiting threshold hit for {local[0]}:{local[1]}!"
    ]
    clock.advance(1.0)
    for _ in range(10):
        assert (await socket.request("ping"))["status"] == "success"
    assert (await socket.request("ping"))["status"] == "error"


@pytest.mark.asyncio
async def test_one_account_wide_binding_carries_every_agents_events(connect: Connect) -> None:
    ada, bob = await connect("ada"), await connect("bob")
    socket = await ada.listen()
    await bob.set_status(status="away")
    await ada.set_status(status="login")
    await bob.set_status(status="ready")
    events = await socket.events_until_quiet()
    seen = [(event["name"], event["data"]["recipient_id"]) for event in events]
    assert seen == [
        ("away", bob.login.user_id),
        ("create", ada.login.user_id),
        ("ready", bob.login.user_id),
    ]


@pytest.mark.asyncio
async def test_an_event_frame_has_kazoos_envelope_and_gregorian_time(
    ada: Client, clock: ManualClock
) -> None:
    socket = await ada.listen()
    clock.advance(0.7)
    await ada.set_status(status="login")
    frame = await socket.event("create")
    account, recipient = ada.login.account_id, ada.login.user_id
    assert {key: frame[key] for key in frame if key != "data"} == {
        "action": "event",
        "subscribed_key": "qubicle.recipient",
        "subscription_key": f"qubicle.recipient.{account}.*",
        "name": "create",
        "routing_key": f"qubicle.recipient.{account}.{recipient}",
    }
    data = frame["data"]
    assert data["event_timestamp"] == math.floor(clock()) + GREGORIAN_UNIX_OFFSET
    assert (data["event_name"], data["event_category"], data["app_name"]) == (
        "create",
        "qubicle-recipient",
        "qubicle",
    )
    assert set(data["stats"]) == set(StatsPayload.__struct_fields__)
    await ada.set_status(status="ready")
    assert isinstance(await socket.typed("ready"), BecameReady)


@pytest.mark.asyncio
async def test_queue_events_come_on_the_queue_binding(ada: Client) -> None:
    socket = await ada.listen("qubicle.queue")
    session = ada.sim.engine.add_caller("Sales", "Ann", "1")
    frame = await socket.event("sync")
    assert frame["subscribed_key"] == "qubicle.queue"
    data = frame["data"]
    sales = next(queue.id for queue in ada.sim.engine.queues() if queue.name == "Sales")
    assert (data["queue_id"], data["queue_name"]) == (sales, "Sales")
    assert data["stats"]["total_sessions"] == 1
    assert frame["routing_key"].endswith(f".{sales}")
    assert session


@pytest.mark.asyncio
async def test_an_authenticated_socket_survives_its_token(ada: Client) -> None:
    socket = await ada.listen()
    ada.sim.faults.expire_tokens()
    status, _ = await ada.request("GET", f"{ada.sim.api_url}/token_auth")
    assert status == 401
    reply = await socket.request(
        "subscribe", data={"account_id": ada.login.account_id, "binding": "qubicle.queue"}
    )
    assert reply["status"] == "success"
    ada.sim.engine.set_status(ada.login.user_id, "login")
    assert isinstance(await socket.typed("create"), LoggedIn)


@pytest.mark.asyncio
async def test_connections_beyond_the_per_address_cap_get_http_429(
    http: aiohttp.ClientSession,
) -> None:
    async with Simulator(small_scenario(max_connections_per_ip=2)) as sim:
        first = await http.ws_connect(sim.websocket_url)
        second = await http.ws_connect(sim.websocket_url)
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(sim.websocket_url)
        assert refused.value.status == 429
        await first.close()
        while sim.websocket_count > 1:
            await asyncio.sleep(0.01)
        third = await http.ws_connect(sim.websocket_url)
        for socket in (second, third):
            await socket.close()


@pytest.mark.asyncio
async def test_a_socket_without_client_frames_is_closed_after_the_idle_timeout(
    http: aiohttp.ClientSession,
) -> None:
    clock = ManualClock()
    async with Simulator(small_scenario(idle_timeout=60), clock=clock) as sim:
        active = Client(sim, http, "ada")
        await active.log_in()
        kept = await active.listen()
        idle = await raw_socket(sim, http)
        clock.advance(40)
        await kept.request("ping")
        clock.advance(25)
        message = await idle.ws.receive(timeout=3)
        assert message.type is aiohttp.WSMsgType.CLOSE
        assert (await kept.request("ping"))["status"] == "success"
        await idle.close()
        await active.close()


@pytest.mark.asyncio
async def test_a_frame_that_is_not_json_kills_the_socket(
    sim: Simulator, http: aiohttp.ClientSession
) -> None:
    socket = await raw_socket(sim, http)
    await socket.ws.send_str("{not json")
    message = await socket.ws.receive(timeout=3)
    assert message.type is aiohttp.WSMsgType.CLOSE
    assert message.data == aiohttp.WSCloseCode.INTERNAL_ERROR
    await socket.close()


@pytest.mark.asyncio
async def test_a_socket_with_50_messages_waiting_gets_no_more_events(ada: Client) -> None:
    socket = await ada.listen()
    sim, bob = ada.sim, login_of(ada.sim, "bob")
    sim.faults.mute_sockets(True)
    for _ in range(40):
        sim.engine.set_status(bob.user_id, "away")
        sim.engine.set_status(bob.user_id, "ready")
    sim.faults.mute_sockets(False)
    events = await socket.events_until_quiet()
    assert len(events) == 50
    assert [event["name"] for event in events[:2]] == ["away", "ready"]
