"""Telphin's event subscriptions over real HTTP: create, list, read, update, delete, caps,
and who may touch whose."""

from typing import Any

import pytest

from tests.simulator.telphin_helpers import Receiver, TelphinClient

ADA_EVENTS = "client/@me/agent/local/1001/event/"
EXTENSION_EVENTS = "extension/2001/event/"


def hook(receiver: Receiver, event_type: str, method: str = "POST") -> dict[str, Any]:
    return {"url": receiver.url("cb"), "event_type": event_type, "method": method}


@pytest.mark.asyncio
async def test_agent_subscriptions_can_be_created_listed_read_updated_and_deleted(
    ada_telphin: TelphinClient, receiver: Receiver
) -> None:
    status, created = await ada_telphin.call("POST", ADA_EVENTS, hook(receiver, "agent-login"))
    assert status == 200
    assert set(created) == {"id", "url", "method", "event_type"}
    assert (created["url"], created["method"], created["event_type"]) == (
        receiver.url("cb"),
        "POST",
        "agent-login",
    )
    path = f"{ADA_EVENTS}{created['id']}"
    assert await ada_telphin.call("GET", ADA_EVENTS) == (200, [created])
    assert await ada_telphin.call("GET", path) == (200, created)
    status, updated = await ada_telphin.call("PUT", path, {"method": "GET"})
    assert (status, updated) == (200, {**created, "method": "GET"})
    status, updated = await ada_telphin.call(
        "PUT", path, {"event_type": "agent-logout", "url": receiver.url("other")}
    )
    assert updated == {
        "id": created["id"],
        "url": receiver.url("other"),
        "method": "GET",
        "event_type": "agent-logout",
    }
    assert await ada_telphin.call("DELETE", path) == (204, None)
    assert await ada_telphin.call("GET", ADA_EVENTS) == (200, [])
    status, body = await ada_telphin.call("GET", path)
    assert status == 404
    assert set(body) == {"message"}


@pytest.mark.asyncio
async def test_extension_subscriptions_can_be_managed_and_removed_all_at_once(
    ada_telphin: TelphinClient, receiver: Receiver
) -> None:
    ids = []
    for event_type in ("dial-in", "dial-out", "answer", "hangup"):
        status, created = await ada_telphin.call(
            "POST", EXTENSION_EVENTS, hook(receiver, event_type)
        )
        assert status == 200
        ids.append(created["id"])
    assert len(set(ids)) == 4
    status, listed = await ada_telphin.call("GET", EXTENSION_EVENTS)
    assert [sub["event_type"] for sub in listed] == ["dial-in", "dial-out", "answer", "hangup"]
    path = f"{EXTENSION_EVENTS}{ids[0]}"
    assert (await ada_telphin.call("PUT", path, {"event_type": "hangup"}))[1]["event_type"] == (
        "hangup"
    )
    assert await ada_telphin.call("DELETE", f"{EXTENSION_EVENTS}{ids[1]}") == (204, None)
    assert len((await ada_telphin.call("GET", EXTENSION_EVENTS))[1]) == 3
    assert await ada_telphin.call("DELETE", EXTENSION_EVENTS) == (204, None)
    assert await ada_telphin.call("GET", EXTENSION_EVENTS) == (200, [])


@pytest.mark.asyncio
async def test_invalid_subscriptions_are_400_with_a_message(
    ada_telphin: TelphinClient, receiver: Receiver
) -> None:
    good = hook(receiver, "agent-login")
    for broken in (
        {**good, "event_type": "dial-in"},  # an extension's event, not an agent's
        {**good, "method": "PATCH"},
        {**good, "url": "ftp://example.com/x"},
        {**good, "url": "/relative"},
        {**good, "url": "http://[::1"},
        {**good, "url": "http://"},
        {**good, "url": 42},
        {"event_type": "agent-login", "method": "GET"},
    ):
        status, body = await ada_telphin.call("POST", ADA_EVENTS, broken)
        assert status == 400, broken
        assert set(body) == {"message"}
    status, body = await ada_telphin.call("POST", EXTENSION_EVENTS, hook(receiver, "agent-logout"))
    assert status == 400
    assert "dial-in, dial-out, answer, hangup" in body["message"]
    status, body = await ada_telphin.call("POST", ADA_EVENTS, data=b"nope")
    assert (status, body) == (400, {"message": "the request body is not valid JSON"})
    _, created = await ada_telphin.call("POST", ADA_EVENTS, good)
    status, _ = await ada_telphin.call("PUT", f"{ADA_EVENTS}{created['id']}", {"method": "PUT"})
    assert status == 400
    assert (await ada_telphin.call("GET", f"{ADA_EVENTS}{created['id']}"))[1] == created


@pytest.mark.asyncio
async def test_one_subscription_more_than_the_limit_is_refused(
    ada_telphin: TelphinClient, receiver: Receiver
) -> None:
    for _ in range(10):
        assert (await ada_telphin.call("POST", ADA_EVENTS, hook(receiver, "agent-login")))[0] == 200
    status, body = await ada_telphin.call("POST", ADA_EVENTS, hook(receiver, "agent-logout"))
    assert (status, body) == (400, {"message": "event limit reached"})
    for _ in range(10):
        assert (await ada_telphin.call("POST", EXTENSION_EVENTS, hook(receiver, "hangup")))[0] == (
            200
        )
    status, body = await ada_telphin.call("POST", EXTENSION_EVENTS, hook(receiver, "answer"))
    assert (status, body) == (400, {"message": "event limit reached"})
    _, listed = await ada_telphin.call("GET", ADA_EVENTS)
    assert await ada_telphin.call("DELETE", f"{ADA_EVENTS}{listed[0]['id']}") == (204, None)
    assert (await ada_telphin.call("POST", ADA_EVENTS, hook(receiver, "agent-logout")))[0] == 200


@pytest.mark.asyncio
async def test_a_user_manages_only_its_own_subscriptions_the_owner_everyones(
    ada_telphin: TelphinClient, owner: TelphinClient, receiver: Receiver
) -> None:
    bob_events = "client/@me/agent/local/1002/event/"
    for path, event_type in ((bob_events, "agent-login"), ("extension/2002/event/", "hangup")):
        status, body = await ada_telphin.call("POST", path, hook(receiver, event_type))
        assert status == 403
        assert set(body) == {"message"}
        assert (await ada_telphin.call("GET", path))[0] == 403
        assert (await owner.call("POST", path, hook(receiver, event_type)))[0] == 200
        assert len((await owner.call("GET", path))[1]) == 1
    _, mine = await ada_telphin.call("POST", ADA_EVENTS, hook(receiver, "agent-login"))
    # an event id is found only under its own owner
    assert (await owner.call("GET", f"{bob_events}{mine['id']}"))[0] == 404
    assert (await owner.call("GET", f"{ADA_EVENTS}{mine['id']}"))[0] == 200
    status, body = await owner.call("GET", "extension/9999/event/")
    assert (status, body) == (404, {"message": "no extension has id 9999"})
