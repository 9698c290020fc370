"""Telphin's agents, extensions and queues over real HTTP, read from the same engine that
Kazoo's surface shows: `@me`, other clients, status changes, state letters, errors."""

import pytest

from agent_toolbar.simulator import ManualClock, Simulator
from tests.simulator.telphin_helpers import TelphinClient, telphin_login

ADA = "client/@me/agent/local/1001"


def ada_agent(status: str, state: str) -> dict[str, object]:
    return {"id": 1001, "extension_id": 2001, "name": "Ada", "status": status, "state": state}


@pytest.mark.asyncio
async def test_agents_are_listed_read_and_found_by_extension(ada_telphin: TelphinClient) -> None:
    status, agents = await ada_telphin.call("GET", "client/@me/agent/local/")
    assert status == 200
    assert [(agent["id"], agent["extension_id"], agent["name"]) for agent in agents] == [
        (1001, 2001, "Ada"),
        (1002, 2002, "bob"),
        (1003, 2003, "sam"),
    ]
    assert [(agent["status"], agent["state"]) for agent in agents] == [
        ("logged_out", "l"),
        ("available", "r"),
        ("available", "d"),  # sam is away in the engine: logged in, not taking calls
    ]
    assert await ada_telphin.call("GET", "client/100/agent/local/?extension_id=2002") == (
        200,
        [agents[1]],
    )
    assert await ada_telphin.call("GET", "client/100/agent/local/1003") == (200, agents[2])
    assert await ada_telphin.call("GET", "extension/2001/agent/") == (200, agents[0])
    status, body = await ada_telphin.call("GET", "extension/3001/agent/")
    assert (status, body) == (404, {"message": "extension 3001 has no queue agent"})
    status, body = await ada_telphin.call("GET", "client/@me/agent/local/?extension_id=x")
    assert status == 400
    assert "extension_id" in body["message"]


@pytest.mark.asyncio
async def test_paths_name_the_own_client_by_number_or_at_me_only(
    ada_telphin: TelphinClient,
) -> None:
    assert (await ada_telphin.call("GET", "client/100/agent/local/1001"))[0] == 200
    assert (await ada_telphin.call("GET", f"{ADA}"))[0] == 200
    status, body = await ada_telphin.call("GET", "client/101/agent/local/1001")
    assert status == 403
    assert set(body) == {"message"}
    status, body = await ada_telphin.call("GET", "client/@me/agent/local/999")
    assert (status, body) == (404, {"message": "no local agent has id 999"})
    for bad_id in ("abc", "%C2%B2"):  # letters, and a digit that is not 0-9
        status, body = await ada_telphin.call("GET", f"client/@me/agent/local/{bad_id}")
        assert status == 404
        assert set(body) == {"message"}


@pytest.mark.asyncio
async def test_putting_a_status_logs_in_and_makes_ready_or_logs_out(
    sim: Simulator, ada_telphin: TelphinClient
) -> None:
    user_id = telphin_login(sim, "ada").user_id
    assert await ada_telphin.call("PUT", ADA, {"status": "available"}) == (
        200,
        ada_agent("available", "r"),
    )
    assert sim.engine.agent(user_id).status == "ready"
    sim.engine.set_status(user_id, "away")  # e.g. from Kazoo's side: still logged in
    assert (await ada_telphin.call("GET", ADA))[1] == ada_agent("available", "d")
    assert (await ada_telphin.call("PUT", ADA, {"status": "available"}))[1]["state"] == "r"
    assert await ada_telphin.call("PUT", ADA, {"status": "logged_out"}) == (
        200,
        ada_agent("logged_out", "l"),
    )
    assert sim.engine.agent(user_id).status == "logged_out"


@pytest.mark.asyncio
async def test_state_letters_follow_the_engine(sim: Simulator, ada_telphin: TelphinClient) -> None:
    user_id = telphin_login(sim, "ada").user_id
    await ada_telphin.call("PUT", ADA, {"status": "available"})

    async def state() -> str:
        return str((await ada_telphin.call("GET", ADA))[1]["state"])

    sim.engine.add_caller("Sales", "Ann", "+15550100")  # sales: ada and bob; ada by order
    assert await state() == "c"
    sim.engine.answer(user_id)
    assert await state() == "i"
    sim.engine.hang_up(user_id)
    assert await state() == "w"
    sim.engine.wrapup_cancel(user_id)
    assert await state() == "r"
    sim.engine.start_external_call(user_id)
    assert await state() == "b"


@pytest.mark.asyncio
async def test_a_user_changes_only_its_own_agent_the_owner_any(
    sim: Simulator, ada_telphin: TelphinClient, owner: TelphinClient
) -> None:
    bob = "client/@me/agent/local/1002"
    status, body = await ada_telphin.call("PUT", bob, {"status": "logged_out"})
    assert status == 403
    assert set(body) == {"message"}
    assert (await owner.call("PUT", bob, {"status": "logged_out"}))[1]["status"] == "logged_out"
    assert sim.engine.agent(telphin_login(sim, "bob").user_id).status == "logged_out"


@pytest.mark.asyncio
async def test_bad_bodies_and_statuses_are_400(ada_telphin: TelphinClient) -> None:
    status, body = await ada_telphin.call("PUT", ADA, {"status": "ready"})
    assert status == 400
    assert "available, logged_out" in body["message"]
    status, body = await ada_telphin.call("PUT", ADA, data=b"{not json")
    assert (status, body) == (400, {"message": "the request body is not valid JSON"})
    status, body = await ada_telphin.call("PUT", ADA, ["available"])
    assert (status, body) == (400, {"message": "the request body must be a JSON object"})


@pytest.mark.asyncio
async def test_unknown_paths_and_methods_answer_in_telphin_shape(
    ada_telphin: TelphinClient,
) -> None:
    assert await ada_telphin.call("GET", "no/such/thing") == (404, {"message": "Not Found"})
    assert await ada_telphin.call("DELETE", ADA) == (405, {"message": "Method Not Allowed"})
    status, _ = await ada_telphin.call("GET", f"{ADA}/")  # items have no trailing slash
    assert status == 404


@pytest.mark.asyncio
async def test_remote_agents_have_the_same_paths_and_there_are_none(
    ada_telphin: TelphinClient,
) -> None:
    assert await ada_telphin.call("GET", "client/@me/agent/remote/") == (200, [])
    status, body = await ada_telphin.call("GET", "client/@me/agent/remote/1001")
    assert (status, body) == (404, {"message": "no remote agent has id 1001"})
    body = {"url": "http://127.0.0.1:9/x", "event_type": "agent-login", "method": "POST"}
    assert (await ada_telphin.call("POST", "client/@me/agent/remote/1001/event/", body))[0] == 404


@pytest.mark.asyncio
async def test_the_limits_resource_tells_the_caps(ada_telphin: TelphinClient) -> None:
    assert await ada_telphin.call("GET", "client/@me/limit/") == (
        200,
        {"agent_event": 10, "extension_event": 10},
    )


@pytest.mark.asyncio
async def test_queues_are_extensions_with_a_status(
    sim: Simulator, ada_telphin: TelphinClient
) -> None:
    status, queues = await ada_telphin.call("GET", "client/@me/extension/?type=queue")
    assert (status, queues) == (
        200,
        [
            {"id": 3001, "name": "000*501", "type": "queue", "label": "Sales"},
            {"id": 3002, "name": "000*502", "type": "queue", "label": "Support"},
        ],
    )
    _, everything = await ada_telphin.call("GET", "client/@me/extension/")
    assert [(extension["id"], extension["type"]) for extension in everything] == [
        (2001, "phone"),
        (2002, "phone"),
        (2003, "phone"),
        (3001, "queue"),
        (3002, "queue"),
    ]
    assert (everything[0]["name"], everything[0]["label"]) == ("000*101", "Ada")
    assert await ada_telphin.call("GET", "extension/3002/queue/status/") == (
        200,
        {"waiting": 0, "longest_wait": 0, "agents_available": 0},
    )
    sim.engine.add_caller("Support", "Ann", "+15550100")  # nobody in Support is logged in
    assert (await ada_telphin.call("GET", "extension/3002/queue/status/"))[1]["waiting"] == 1
    assert (await ada_telphin.call("GET", "extension/3001/queue/status/"))[1] == {
        "waiting": 0,
        "longest_wait": 0,
        "agents_available": 1,
    }
    status, body = await ada_telphin.call("GET", "extension/2001/queue/status/")
    assert (status, body) == (404, {"message": "extension 2001 is not a queue"})


@pytest.mark.asyncio
async def test_queue_waits_are_whole_seconds_on_the_simulator_clock(
    sim: Simulator, clock: ManualClock, ada_telphin: TelphinClient
) -> None:
    sim.engine.add_caller("Support", "Ann", "+15550100", patience=100)
    clock.advance(12.4)
    assert (await ada_telphin.call("GET", "extension/3002/queue/status/"))[1] == {
        "waiting": 1,
        "longest_wait": 12,
        "agents_available": 0,
    }
