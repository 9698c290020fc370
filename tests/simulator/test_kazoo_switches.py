"""The `[kazoo]` switches over real HTTP: each plausible Kazoo/Qubicle server a client must
cope with, and the status API as the public evidence describes it."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest

from agent_toolbar.backends.kazoo.frames import decode_frame
from agent_toolbar.domain.events import QueuePaused, QueueResumed, StatsPayload
from agent_toolbar.simulator import KazooSettings, ManualClock, Simulator
from agent_toolbar.simulator.kazoo.crossbar import NOT_ALLOWED
from agent_toolbar.simulator.model import InvalidRequest
from agent_toolbar.simulator.scenario import MembershipShape
from tests.simulator.helpers import (
    Client,
    Listener,
    login_of,
    queue_ids,
    small_scenario,
    without_request_id,
)

STATS = set(StatsPayload.__struct_fields__)
"""The `stats` keys every recipient event and status read carries (the seed's)."""


@asynccontextmanager
async def agent_on(
    http: aiohttp.ClientSession, kazoo: KazooSettings, username: str = "ada"
) -> AsyncIterator[Client]:
    """One agent logged in over REST to a simulator with these switches."""
    async with Simulator(small_scenario(kazoo), clock=ManualClock()) as sim:
        client = Client(sim, http, username)
        await client.log_in()
        try:
            yield client
        finally:
            await client.close()


async def read_status(client: Client) -> tuple[int, dict[str, Any]]:
    return await client.request("GET", f"{client.recipient_url}/status")


async def names(listener: Listener) -> list[str]:
    return [event["name"] for event in await listener.events_until_quiet()]


def validation_error(data: dict[str, Any]) -> dict[str, Any]:
    return {"data": data, "error": "400", "message": "validation error", "status": "error"}


@pytest.mark.asyncio
async def test_a_logged_out_agent_reads_a_200_saying_not_logged_in(
    http: aiohttp.ClientSession,
) -> None:
    async with agent_on(http, KazooSettings()) as ada:
        status, body = await read_status(ada)
        assert status == 200
        data = body["data"]
        assert set(data.pop("stats")) == STATS
        assert data == {
            "available": False,
            "availability_state": "Not-Logged-In",
            "queue_availability": {},
            "wrapup_time_seconds": 5,
            "node": "qubicle@sim.local",
        }


@pytest.mark.asyncio
async def test_the_not_found_server_answers_a_logged_out_agent_with_a_404(
    http: aiohttp.ClientSession,
) -> None:
    async with agent_on(http, KazooSettings(logged_out_status="not_found")) as ada:
        status, body = await read_status(ada)
        assert (status, without_request_id(body)) == (
            404,
            {
                "data": {"cause": ada.login.user_id, "message": "recipient is not logged in"},
                "error": "404",
                "message": "bad_identifier",
                "status": "error",
            },
        )
        status, body = await ada.set_status(status="login")
        assert (status, body["data"]["availability_state"]) == (200, "Away")
        status, body = await read_status(ada)
        assert (status, body["data"]["availability_state"]) == (200, "Away")
        status, body = await ada.set_status(status="logout")
        assert (status, body["data"]["availability_state"]) == (200, "Not-Logged-In")
        assert (await read_status(ada))[0] == 404


@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["target_queue", "queue_id", "queue"])
async def test_a_per_queue_away_and_ready_pause_and_resume_one_queue_under_the_queue_key(
    http: aiohttp.ClientSession, key: str
) -> None:
    async with agent_on(http, KazooSettings(queue_key=key)) as ada:
        listener = await ada.listen()
        sales = queue_ids(ada.sim)["Sales"]
        await ada.set_status(status="login")
        await ada.set_status(status="ready")
        status, body = await ada.set_status(status="away", **{key: sales})
        assert status == 200
        assert (body["data"]["availability_state"], body["data"]["queue_availability"]) == (
            "Ready",
            {sales: False},
        )
        status, body = await ada.set_status(status="ready", **{key: sales})
        assert status == 200
        assert body["data"]["queue_availability"] == {sales: True}
        events = await listener.events_until_quiet()
        assert [event["name"] for event in events] == ["create", "ready", "pause", "resume"]
        paused, resumed = (decode_frame(json.dumps(event)) for event in events[2:])
        assert isinstance(paused, QueuePaused)
        assert isinstance(resumed, QueueResumed)
        assert (paused.queue_id, resumed.queue_id) == (sales, sales)
        assert ada.sim.engine.agent(ada.login.user_id).status == "ready"
        assert ada.sim.engine.carried_out(ada.login.user_id) == {
            "login": 1,
            "ready": 1,
            f"pause:{sales}": 1,
            f"resume:{sales}": 1,
        }


@pytest.mark.asyncio
async def test_queue_availability_holds_only_the_flags_set_until_logout(
    http: aiohttp.ClientSession,
) -> None:
    async with agent_on(http, KazooSettings()) as ada:
        sales, support = queue_ids(ada.sim)["Sales"], queue_ids(ada.sim)["Support"]
        status, body = await ada.set_status(status="login", target_queue=sales)  # ignored
        assert (status, body["data"]["queue_availability"]) == (200, {})
        await ada.set_status(status="away", target_queue=sales)
        status, body = await ada.set_status(status="ready", target_queue=support)
        flags = {sales: False, support: True}
        assert body["data"]["queue_availability"] == flags
        assert (await read_status(ada))[1]["data"]["queue_availability"] == flags
        status, body = await ada.set_status(status="logout", target_queue=sales)
        assert (body["data"]["availability_state"], body["data"]["queue_availability"]) == (
            "Not-Logged-In",
            {},
        )
        await ada.set_status(status="login")
        assert (await read_status(ada))[1]["data"]["queue_availability"] == {}


@pytest.mark.asyncio
@pytest.mark.parametrize("key", ["target_queue", "queue"])
async def test_a_queue_the_agent_does_not_answer_is_a_validation_error_on_the_queue_key(
    http: aiohttp.ClientSession, key: str
) -> None:
    async with agent_on(http, KazooSettings(queue_key=key), "bob") as bob:
        sales, support = queue_ids(bob.sim)["Sales"], queue_ids(bob.sim)["Support"]
        for queue in (support, "Sales", "no-such-queue"):
            status, body = await bob.set_status(status="away", **{key: queue})
            assert (status, without_request_id(body)) == (
                400,
                validation_error(
                    {
                        key: {
                            "enum": {
                                "message": "Value not found in enumerated list of values",
                                "target": [sales],
                            }
                        }
                    }
                ),
            )
        assert bob.sim.engine.agent(bob.login.user_id).queue_availability == {}


@pytest.mark.asyncio
async def test_status_words_outside_the_four_get_crossbars_validation_error(
    http: aiohttp.ClientSession,
) -> None:
    async with agent_on(http, KazooSettings()) as ada:
        await ada.set_status(status="login")
        for word in ("pause", "resume"):
            status, body = await ada.set_status(status=word, queue_id=queue_ids(ada.sim)["Sales"])
            assert (status, without_request_id(body)) == (
                400,
                validation_error(
                    {
                        "status": {
                            "enum": {
                                "message": "Value not found in enumerated list of values",
                                "target": ["login", "logout", "ready", "away"],
                            }
                        }
                    }
                ),
            )
        assert ada.sim.engine.carried_out(ada.login.user_id) == {"login": 1}


@pytest.mark.asyncio
async def test_a_lenient_server_drops_unknown_keys_so_a_wrong_queue_key_is_a_global_away(
    http: aiohttp.ClientSession,
) -> None:
    async with agent_on(http, KazooSettings()) as ada:
        listener = await ada.listen()
        sales = queue_ids(ada.sim)["Sales"]
        await ada.set_status(status="login")
        await ada.set_status(status="ready")
        status, body = await ada.set_status(status="away", queue_id=sales)
        assert status == 200
        assert (body["data"]["availability_state"], body["data"]["queue_availability"]) == (
            "Away",
            {},
        )
        await ada.set_status(status="ready")
        status, body = await ada.set_status(status="away", target_queue=sales, timeout=30)
        assert (status, body["data"]["queue_availability"]) == (200, {sales: False})
        assert await names(listener) == ["create", "ready", "away", "ready", "pause"]
        assert ada.sim.engine.carried_out(ada.login.user_id) == {
            "login": 1,
            "ready": 2,
            "away": 1,
            f"pause:{sales}": 1,
        }


@pytest.mark.asyncio
async def test_a_strict_server_refuses_unknown_keys_and_changes_nothing(
    http: aiohttp.ClientSession,
) -> None:
    async with agent_on(http, KazooSettings(unknown_keys="refuse")) as ada:
        await ada.set_status(status="login")
        await ada.set_status(status="ready")
        listener = await ada.listen()
        sales = queue_ids(ada.sim)["Sales"]
        status, body = await ada.set_status(status="away", queue_id=sales, timeout=30)
        assert (status, without_request_id(body)) == (
            400,
            validation_error(
                {
                    "queue_id": {"additionalProperties": {"message": NOT_ALLOWED}},
                    "timeout": {"additionalProperties": {"message": NOT_ALLOWED}},
                }
            ),
        )
        assert await names(listener) == []
        assert ada.sim.engine.agent(ada.login.user_id).status == "ready"
        status, _ = await ada.set_status(status="away", target_queue=sales, reason="lunch")
        assert status == 200
        assert await names(listener) == ["pause"]


@pytest.mark.asyncio
@pytest.mark.parametrize("unknown_keys", ["ignore", "refuse"])
async def test_a_server_without_per_queue_change_treats_the_queue_key_as_unknown(
    http: aiohttp.ClientSession, unknown_keys: Any
) -> None:
    kazoo = KazooSettings(queue_key="", unknown_keys=unknown_keys)
    async with agent_on(http, kazoo) as ada:
        await ada.set_status(status="login")
        await ada.set_status(status="ready")
        status, body = await ada.set_status(status="away", target_queue=queue_ids(ada.sim)["Sales"])
        view = ada.sim.engine.agent(ada.login.user_id)
        if unknown_keys == "ignore":
            assert (status, body["data"]["availability_state"]) == (200, "Away")
            assert (view.status, view.queue_availability) == ("away", {})
        else:
            assert (status, body["data"]) == (
                400,
                {"target_queue": {"additionalProperties": {"message": NOT_ALLOWED}}},
            )
            assert view.status == "ready"


REASONS = [
    # reason_key, the key sent, unknown_keys, the away event's reason (None: refused)
    ("reason", "reason", "ignore", "lunch"),
    ("away_reason", "away_reason", "ignore", "lunch"),
    ("away_reason", "reason", "ignore", ""),
    ("", "reason", "ignore", ""),
    ("", "reason", "refuse", None),
]


@pytest.mark.asyncio
@pytest.mark.parametrize(("reason_key", "sent", "unknown_keys", "reason"), REASONS)
async def test_the_away_reason_goes_under_the_reason_key_or_not_at_all(
    http: aiohttp.ClientSession,
    reason_key: str,
    sent: str,
    unknown_keys: Any,
    reason: str | None,
) -> None:
    kazoo = KazooSettings(reason_key=reason_key, unknown_keys=unknown_keys)
    async with agent_on(http, kazoo) as ada:
        await ada.set_status(status="login")
        await ada.set_status(status="ready")
        listener = await ada.listen()
        status, body = await ada.set_status(status="away", **{sent: "lunch"})
        if reason is None:
            assert (status, body["data"]) == (
                400,
                {sent: {"additionalProperties": {"message": NOT_ALLOWED}}},
            )
            assert await names(listener) == []
            return
        assert status == 200
        assert not [key for key in body["data"] if "reason" in key]  # the reply has none
        away = (await listener.events_until_quiet())[0]
        assert away["name"] == "away"
        assert away["data"].get("reason", "") == reason
        counted = f"away:{reason}" if reason else "away"
        assert ada.sim.engine.carried_out(ada.login.user_id)[counted] == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("shape", "expected"),
    [
        ("ids", lambda ada, bob: [ada, bob]),
        ("objects", lambda ada, bob: [{"id": ada, "name": "Ada"}, {"id": bob, "name": "bob"}]),
    ],
)
async def test_a_queues_recipients_in_either_shape(
    http: aiohttp.ClientSession, shape: MembershipShape, expected: Any
) -> None:
    async with agent_on(http, KazooSettings(membership_shape=shape)) as ada:
        base = f"{ada.sim.api_url}/accounts/{ada.login.account_id}/qubicle_queues"
        bob = login_of(ada.sim, "bob").user_id
        status, body = await ada.request("GET", f"{base}/{queue_ids(ada.sim)['Sales']}/recipients")
        assert (status, body["data"]) == (200, expected(ada.login.user_id, bob))
        status, body = await ada.request("GET", f"{base}/nope/recipients")
        assert (status, body["message"]) == (404, "bad_identifier")


@pytest.mark.asyncio
async def test_queue_membership_by_recipient_or_list(http: aiohttp.ClientSession) -> None:
    async with agent_on(http, KazooSettings()) as ada:
        url = f"{ada.sim.api_url}/accounts/{ada.login.account_id}/qubicle_recipients"
        url += "/queue_membership"
        sales, support = queue_ids(ada.sim)["Sales"], queue_ids(ada.sim)["Support"]
        me, bob = ada.login.user_id, login_of(ada.sim, "bob").user_id
        status, body = await ada.request("POST", url, {"recipient_id": me})
        assert (status, body["data"]) == (200, {me: [sales, support]})
        async with http.post(url, json={"data": [me, bob]}, headers=ada.headers) as response:
            assert (response.status, (await response.json())["data"]) == (
                200,
                {me: [sales, support], bob: [sales]},
            )
        status, body = await ada.request("POST", url, {})
        assert (status, body["message"], body["data"]) == (
            400,
            "validation error",
            {"recipient_id": {"required": {"message": "Field is required but missing"}}},
        )
        status, body = await ada.request("POST", url, {"recipient_id": "nobody"})
        assert (status, body["data"]["cause"]) == (404, "nobody")


@pytest.mark.asyncio
async def test_a_server_that_forbids_membership_to_agents(http: aiohttp.ClientSession) -> None:
    async with agent_on(http, KazooSettings(membership="forbidden")) as ada:
        account = f"{ada.sim.api_url}/accounts/{ada.login.account_id}"
        sales = queue_ids(ada.sim)["Sales"]
        status, body = await ada.request("GET", f"{account}/qubicle_queues/{sales}/recipients")
        assert (status, body["error"], body["message"]) == (403, "403", "forbidden")
        url = f"{account}/qubicle_recipients/queue_membership"
        bob = login_of(ada.sim, "bob").user_id
        status, _ = await ada.request("POST", url, {"recipient_id": bob})
        assert status == 403
        status, body = await ada.request("POST", url, {"recipient_id": ada.login.user_id})
        assert (status, body["data"]) == (
            200,
            {ada.login.user_id: list(queue_ids(ada.sim).values())},
        )


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("access", "status", "data", "message"),
    [
        ("no_devices", 500, {"message": "unspecified fault"}, "unspecified_fault"),
        (
            "forbidden",
            403,
            {"cause": "access denied by token restrictions", "message": "forbidden"},
            "forbidden",
        ),
    ],
)
async def test_quickcall_refused_as_kazoo_refuses_it(
    http: aiohttp.ClientSession,
    access: Any,
    status: int,
    data: dict[str, Any],
    message: str,
) -> None:
    async with agent_on(http, KazooSettings(quickcall=access)) as ada:
        login = ada.login
        url = f"{ada.sim.api_url}/accounts/{login.account_id}/users/{login.user_id}"
        answer = await ada.request("GET", f"{url}/quickcall/5550100")
        assert (answer[0], without_request_id(answer[1])) == (
            status,
            {"data": data, "error": str(status), "message": message, "status": "error"},
        )
        with pytest.raises(InvalidRequest, match="no call is ringing"):
            ada.sim.engine.answer(login.user_id)
