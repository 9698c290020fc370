"""Agent callbacks as a client's listener receives them: the exact fields, GET or POST,
`event_source`, only real changes, and lost, failing or slow deliveries."""

import asyncio
import socket
import time
from typing import Any

import aiohttp
import pytest

from agent_toolbar.simulator import CallbackStats, Simulator
from agent_toolbar.simulator.telphin import courier as telphin_courier
from tests.simulator.helpers import small_scenario
from tests.simulator.telphin_helpers import AGENT_FIELDS, Receiver, TelphinClient, telphin_login

ADA = "client/@me/agent/local/1001"


async def subscribe(
    client: TelphinClient, url: str, event_type: str, method: str = "POST", agent: str = ADA
) -> dict[str, Any]:
    body = {"url": url, "event_type": event_type, "method": method}
    status, created = await client.call("POST", f"{agent}/event/", body)
    assert status == 200, created
    return dict(created)


def login_fields(source: str) -> dict[str, str]:
    return {
        "agent_id": "1001",
        "agent_status": "available",
        "agent_type": "local",
        "extension_name": "000*101@demo.sim.local",
        "event_source": source,
    }


@pytest.mark.asyncio
async def test_a_status_put_calls_back_with_get_in_the_query_and_post_in_a_form(
    sim: Simulator, ada_telphin: TelphinClient, receiver: Receiver
) -> None:
    await subscribe(ada_telphin, receiver.url("in?token=s3cret"), "agent-login", "GET")
    await subscribe(ada_telphin, receiver.url("out"), "agent-logout", "POST")
    await ada_telphin.call("PUT", ADA, {"status": "available"})
    await ada_telphin.call("PUT", ADA, {"status": "logged_out"})
    await sim.telphin_callbacks_idle()
    (login,) = receiver.at("in")
    assert (login.method, login.form) == ("GET", {})
    assert login.query == {"token": "s3cret", **login_fields("api")}
    (logout,) = receiver.at("out")
    assert (logout.method, logout.query) == ("POST", {})
    assert logout.content_type == "application/x-www-form-urlencoded"
    assert set(logout.form) == AGENT_FIELDS
    assert logout.form == {**login_fields("api"), "agent_status": "logged_out"}
    assert sim.telphin_callback_stats == CallbackStats(delivered=2, failed=0, dropped=0)


@pytest.mark.asyncio
async def test_the_phone_says_event_source_phone(
    sim: Simulator, ada_telphin: TelphinClient, receiver: Receiver
) -> None:
    user_id = telphin_login(sim, "ada").user_id
    await subscribe(ada_telphin, receiver.url("in"), "agent-login")
    await subscribe(ada_telphin, receiver.url("out"), "agent-logout")
    sim.telphin_phone(user_id, "login")
    assert sim.engine.agent(user_id).status == "ready"
    sim.telphin_phone(user_id, "logout")
    sim.engine.set_status(user_id, "login")  # any other change is the API's
    await sim.telphin_callbacks_idle()
    assert [request.form["event_source"] for request in receiver.at("in")] == ["phone", "api"]
    assert [request.form["event_source"] for request in receiver.at("out")] == ["phone"]
    with pytest.raises(ValueError, match="login"):
        sim.telphin_phone(user_id, "pause")  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_only_real_logins_and_logouts_call_back(
    sim: Simulator, ada_telphin: TelphinClient, receiver: Receiver
) -> None:
    user_id = telphin_login(sim, "ada").user_id
    for event_type in ("agent-login", "agent-logout"):
        await subscribe(ada_telphin, receiver.url(event_type), event_type)
    await ada_telphin.call("PUT", ADA, {"status": "logged_out"})  # already logged out
    await ada_telphin.call("PUT", ADA, {"status": "available"})
    await ada_telphin.call("PUT", ADA, {"status": "available"})  # already available
    sim.engine.set_status(user_id, "away")  # ready and away mean nothing to Telphin
    sim.engine.set_status(user_id, "ready")
    await sim.telphin_callbacks_idle()
    assert [request.path for request in receiver.requests] == ["/agent-login"]


@pytest.mark.asyncio
async def test_every_matching_subscription_is_called_and_deleted_ones_are_not(
    sim: Simulator, ada_telphin: TelphinClient, owner: TelphinClient, receiver: Receiver
) -> None:
    first = await subscribe(ada_telphin, receiver.url("first"), "agent-login")
    await subscribe(owner, receiver.url("second"), "agent-login")
    await subscribe(owner, receiver.url("bob"), "agent-login", agent="client/@me/agent/local/1002")
    await ada_telphin.call("PUT", ADA, {"status": "available"})
    await sim.telphin_callbacks_idle()
    assert sorted(request.path for request in receiver.requests) == ["/first", "/second"]
    await ada_telphin.call("DELETE", f"{ADA}/event/{first['id']}")
    await ada_telphin.call("PUT", ADA, {"status": "logged_out"})
    await ada_telphin.call("PUT", ADA, {"status": "available"})
    await sim.telphin_callbacks_idle()
    assert sorted(request.path for request in receiver.requests) == ["/first", "/second", "/second"]


@pytest.mark.asyncio
async def test_the_callbacks_of_one_subscription_arrive_in_order(
    sim: Simulator, ada_telphin: TelphinClient, receiver: Receiver
) -> None:
    receiver.slow_first = 0.2  # a later callback sent beside it would overtake it
    await subscribe(ada_telphin, receiver.url("in"), "agent-login")
    user_id = telphin_login(sim, "ada").user_id
    for _ in range(2):
        sim.telphin_phone(user_id, "login")
        sim.telphin_phone(user_id, "logout")
        await ada_telphin.call("PUT", ADA, {"status": "available"})
        await ada_telphin.call("PUT", ADA, {"status": "logged_out"})
    await sim.telphin_callbacks_idle()
    sources = [request.form["event_source"] for request in receiver.requests]
    assert sources == ["phone", "api", "phone", "api"]


@pytest.mark.asyncio
async def test_dropped_callbacks_are_never_sent(
    sim: Simulator, ada_telphin: TelphinClient, receiver: Receiver
) -> None:
    await subscribe(ada_telphin, receiver.url("in"), "agent-login")
    await subscribe(ada_telphin, receiver.url("out"), "agent-logout")
    sim.faults.drop_callbacks(times=1)
    await ada_telphin.call("PUT", ADA, {"status": "available"})
    await ada_telphin.call("PUT", ADA, {"status": "logged_out"})
    await sim.telphin_callbacks_idle()
    assert [request.path for request in receiver.requests] == ["/out"]
    assert sim.telphin_callback_stats == CallbackStats(delivered=1, failed=0, dropped=1)
    with pytest.raises(ValueError, match="at least 1"):
        sim.faults.drop_callbacks(0)


@pytest.mark.asyncio
async def test_dead_and_failing_listeners_are_counted_and_break_nothing(
    sim: Simulator, ada_telphin: TelphinClient, receiver: Receiver
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    await subscribe(ada_telphin, f"http://127.0.0.1:{dead_port}/cb", "agent-login")
    await subscribe(ada_telphin, receiver.url("redirect"), "agent-login", "GET")
    receiver.status = 302
    await ada_telphin.call("PUT", ADA, {"status": "available"})
    await sim.telphin_callbacks_idle()
    receiver.status = 500
    await ada_telphin.call("PUT", ADA, {"status": "logged_out"})
    await ada_telphin.call("PUT", ADA, {"status": "available"})
    await sim.telphin_callbacks_idle()
    assert sim.telphin_callback_stats == CallbackStats(delivered=0, failed=4, dropped=0)
    assert len(receiver.at("redirect")) == 2  # tried once each time, never followed
    assert (await ada_telphin.call("GET", ADA))[1]["status"] == "available"


@pytest.mark.asyncio
async def test_a_listener_that_does_not_answer_times_out(
    monkeypatch: pytest.MonkeyPatch, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    monkeypatch.setattr(telphin_courier, "CALLBACK_TIMEOUT", 0.2)
    receiver.hold = asyncio.Event()
    async with Simulator(small_scenario()) as sim:
        client = await TelphinClient(sim, http).sign_in("ada")
        await subscribe(client, receiver.url("hold"), "agent-login")
        started = time.monotonic()
        await client.call("PUT", ADA, {"status": "available"})
        await sim.telphin_callbacks_idle()
        assert time.monotonic() - started < 2
        assert sim.telphin_callback_stats == CallbackStats(delivered=0, failed=1, dropped=0)


@pytest.mark.asyncio
async def test_closing_abandons_callbacks_in_flight(
    http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    receiver.hold = asyncio.Event()
    async with Simulator(small_scenario()) as sim:
        client = await TelphinClient(sim, http).sign_in("ada")
        await subscribe(client, receiver.url("hold"), "agent-login")
        await client.call("PUT", ADA, {"status": "available"})
        started = time.monotonic()
    assert time.monotonic() - started < 2
    assert sim.telphin_callback_stats == CallbackStats(delivered=0, failed=0, dropped=0)
