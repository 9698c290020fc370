"""The `[telphin]` switches for what no public source settles: the agent object's field
names (or none), and users bound to an extension whose `GET /user/` names no client."""

import aiohttp
import pytest

from tests.simulator.telphin_helpers import signed_in

pytestmark = pytest.mark.asyncio

ADA = "client/@me/agent/local/1001"


async def test_the_status_may_be_called_agent_status_and_is_changed_under_that_name(
    http: aiohttp.ClientSession,
) -> None:
    async with signed_in(http, agent_status_field="agent_status") as ada:
        status, agent = await ada.call("GET", ADA)
        assert (status, agent["agent_status"], agent["state"]) == (200, "logged_out", "l")
        assert "status" not in agent
        status, body = await ada.call("PUT", ADA, {"status": "available"})
        assert status == 400
        assert body["message"].startswith("agent_status must be one of available, logged_out")
        status, agent = await ada.call("PUT", ADA, {"agent_status": "available"})
        assert (status, agent["agent_status"], agent["state"]) == (200, "available", "r")


async def test_an_agent_object_may_have_no_status_and_no_state_letter(
    http: aiohttp.ClientSession,
) -> None:
    async with signed_in(http, agent_status_field="", agent_state_field="") as ada:
        assert await ada.call("GET", ADA) == (
            200,
            {"id": 1001, "extension_id": 2001, "name": "Ada"},
        )
        status, agent = await ada.call("PUT", ADA, {"status": "available"})
        assert (status, agent) == (200, {"id": 1001, "extension_id": 2001, "name": "Ada"})
        assert ada.sim.engine.agent(ada.sim.telphin_logins[0].user_id).status == "ready"
        _, agents = await ada.call("GET", "client/@me/agent/local/")
        assert all(set(agent) == {"id", "extension_id", "name"} for agent in agents)


async def test_a_user_bound_to_an_extension_gets_no_client_id_and_uses_at_me(
    http: aiohttp.ClientSession,
) -> None:
    async with signed_in(http, extension_users=True) as ada:
        status, user = await ada.call("GET", "user/")
        assert (status, user["client_id"], user["extension_id"]) == (200, None, 2001)
        assert (await ada.call("GET", ADA))[0] == 200
        assert (await ada.call("GET", "extension/2001/agent/"))[1]["id"] == 1001
    async with signed_in(http, None, extension_users=True) as owner:
        assert (await owner.call("GET", "user/"))[1]["client_id"] == 100
