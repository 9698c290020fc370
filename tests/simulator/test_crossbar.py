"""Crossbar over real HTTP: logins, tokens, recipient status and the events each change sends."""

import base64
import hashlib
import json
from typing import Any

import aiohttp
import pytest

from agent_toolbar.domain.events import (
    BecameReady,
    LoggedIn,
    LoggedOut,
    QueuePaused,
    QueueResumed,
    RecipientEvent,
    WentAway,
    WrapupCompleted,
    WrapupStarted,
)
from agent_toolbar.simulator import ManualClock, Simulator
from agent_toolbar.simulator.kazoo.crossbar import device_id
from tests.simulator.conftest import Connect
from tests.simulator.helpers import Client, login_of, small_scenario, without_request_id

UNAUTHORIZED = {
    "data": {"message": "invalid credentials"},
    "error": "401",
    "message": "invalid_credentials",
    "status": "error",
}


def jwt_payload(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


async def put(
    http: aiohttp.ClientSession, url: str, data: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    async with http.put(url, json={"data": data}) as response:
        return response.status, await response.json()


@pytest.mark.asyncio
@pytest.mark.parametrize(("method", "digest"), [("md5", hashlib.md5), ("sha", hashlib.sha1)])
async def test_user_auth_with_md5_or_sha_credentials(
    sim: Simulator, http: aiohttp.ClientSession, clock: ManualClock, method: str, digest: Any
) -> None:
    ada = login_of(sim, "ada")
    credentials = digest(b"ada:pw-ada").hexdigest()
    status, body = await put(
        http,
        f"{sim.api_url}/user_auth",
        {"credentials": credentials, "account_name": ada.account_name, "method": method},
    )
    assert status == 201
    assert body["status"] == "success"
    assert body["data"]["account_id"] == ada.account_id
    assert body["data"]["owner_id"] == ada.user_id
    assert body["data"]["ui_config"] == {"api": {"kazoo_websocket": {"url": sim.websocket_url}}}
    claims = jwt_payload(body["auth_token"])
    assert (claims["account_id"], claims["owner_id"]) == (ada.account_id, ada.user_id)
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["iat"] == int(clock())


@pytest.mark.asyncio
async def test_user_auth_by_realm_with_a_capitalised_username(
    sim: Simulator, http: aiohttp.ClientSession
) -> None:
    credentials = hashlib.md5(b"ada:pw-ada").hexdigest()  # the username is lower-cased first
    status, body = await put(
        http,
        f"{sim.api_url}/user_auth",
        {"credentials": credentials, "account_realm": "DEMO.sim.local"},
    )
    assert status == 201
    assert body["data"]["owner_id"] == login_of(sim, "ada").user_id


@pytest.mark.asyncio
async def test_each_agent_logs_in_with_its_own_api_key(
    sim: Simulator, http: aiohttp.ClientSession
) -> None:
    for login in sim.logins:
        status, body = await put(http, f"{sim.api_url}/api_auth", {"api_key": login.api_key})
        assert status == 201
        assert body["data"]["owner_id"] == login.user_id
    assert len({login.api_key for login in sim.logins}) == len(sim.logins)
    status, body = await put(http, f"{sim.api_url}/api_auth", {"api_key": "wrong"})
    assert (status, without_request_id(body)) == (401, UNAUTHORIZED)


@pytest.mark.asyncio
async def test_a_wrong_password_gets_kazoos_401_body(
    sim: Simulator, http: aiohttp.ClientSession
) -> None:
    credentials = hashlib.md5(b"ada:wrong").hexdigest()
    status, body = await put(
        http, f"{sim.api_url}/user_auth", {"credentials": credentials, "account_name": "demo"}
    )
    assert (status, without_request_id(body)) == (401, UNAUTHORIZED)
    status, body = await put(
        http,
        f"{sim.api_url}/user_auth",
        {"credentials": hashlib.md5(b"ada:pw-ada").hexdigest(), "account_name": "other"},
    )
    assert status == 401


@pytest.mark.asyncio
async def test_a_login_without_credentials_says_which_field(
    sim: Simulator, http: aiohttp.ClientSession
) -> None:
    status, body = await put(http, f"{sim.api_url}/user_auth", {"account_name": "demo"})
    assert status == 400
    assert body["error"] == "400"
    assert body["message"] == "validation error"
    assert body["data"] == {
        "credentials": {"required": {"message": "Field is required but missing"}}
    }
    status, body = await put(
        http,
        f"{sim.api_url}/user_auth",
        {"credentials": "x", "account_name": "demo", "method": "rot13"},
    )
    assert status == 400
    assert body["data"]["method"]["enum"]["target"] == ["md5", "sha"]


@pytest.mark.asyncio
async def test_tokens_expire_after_their_lifetime_and_are_not_extended_by_use(
    http: aiohttp.ClientSession,
) -> None:
    clock = ManualClock()
    async with Simulator(small_scenario(token_lifetime=30), clock=clock) as sim:
        ada = Client(sim, http, "ada")
        await ada.log_in()
        assert jwt_payload(ada.token)["exp"] == int(clock()) + 30
        for _ in range(3):
            clock.advance(9)
            status, _ = await ada.request("GET", f"{sim.api_url}/token_auth")
            assert status == 200
        clock.advance(3)
        status, body = await ada.request("GET", f"{sim.api_url}/token_auth")
        assert (status, without_request_id(body)) == (401, UNAUTHORIZED)
        status, _ = await ada.set_status(status="login")
        assert status == 401
        await ada.log_in()
        status, _ = await ada.set_status(status="login")
        assert status == 200


@pytest.mark.asyncio
async def test_token_auth_validates_a_token(ada: Client) -> None:
    status, body = await ada.request("GET", f"{ada.sim.api_url}/token_auth")
    assert status == 200
    assert body["data"]["owner_id"] == ada.login.user_id
    status, _ = await ada.request("DELETE", f"{ada.sim.api_url}/token_auth")
    assert status == 200
    status, _ = await ada.request("GET", f"{ada.sim.api_url}/token_auth")
    assert status == 401
    ada.token = "not-a-token"
    status, _ = await ada.request("GET", f"{ada.sim.api_url}/token_auth")
    assert status == 401


@pytest.mark.asyncio
async def test_the_websocket_url_is_advertised_only_when_the_scenario_says_so(
    http: aiohttp.ClientSession,
) -> None:
    async with Simulator(small_scenario(advertise_websocket_url=False)) as sim:
        answer = await Client(sim, http, "ada").log_in()
        assert "ui_config" not in answer["data"]


def status_changes(
    sales: str,
) -> list[tuple[dict[str, Any], str, type[RecipientEvent], dict[str, Any]]]:
    """Each status request after login, the event it sends, and what that event says."""
    return [
        ({"status": "ready"}, "ready", BecameReady, {"state": "ready"}),
        ({"status": "away", "reason": "lunch"}, "away", WentAway, {"reason": "lunch"}),
        (
            {"status": "away", "target_queue": sales},
            "pause",
            QueuePaused,
            {"queue_id": sales},
        ),
        (
            {"status": "ready", "target_queue": sales},
            "resume",
            QueueResumed,
            {"queue_id": sales},
        ),
        ({"status": "logout"}, "delete", LoggedOut, {}),
    ]


@pytest.mark.asyncio
async def test_each_status_change_answers_the_new_status_and_sends_its_event(ada: Client) -> None:
    listener = await ada.listen()
    sales = next(queue.id for queue in ada.sim.engine.queues() if queue.name == "Sales")
    status, body = await ada.set_status(status="login")
    assert status == 200
    assert body["data"]["availability_state"] == "Away"
    assert body["data"]["queue_availability"] == {}  # flags set, not the membership
    created = await listener.typed("create")
    assert isinstance(created, LoggedIn)
    assert (created.recipient_id, created.state, created.username) == (
        ada.login.user_id,
        "away",
        "ada",
    )
    for request, name, kind, fields in status_changes(sales):
        status, body = await ada.set_status(**request)
        assert status == 200, body
        event = await listener.typed(name)
        assert type(event) is kind
        for key, value in fields.items():
            assert getattr(event, key) == value
    assert body["data"]["availability_state"] == "Not-Logged-In"
    assert body["data"]["queue_availability"] == {}


@pytest.mark.asyncio
async def test_the_status_tells_offer_call_queue_flags_and_wrapup(ada: Client) -> None:
    sim = ada.sim
    support = next(q.id for q in sim.engine.queues() if q.name == "Support")
    await ada.set_status(status="login")
    await ada.set_status(status="ready")
    await ada.set_status(status="away", target_queue=support)
    sim.engine.set_status(login_of(sim, "bob").user_id, "away")
    status, body = await ada.request("GET", f"{ada.recipient_url}/status")
    assert (body["data"]["available"], body["data"]["availability_state"]) == (True, "Ready")
    session = sim.engine.add_caller("Sales", "Ann", "+15550100")
    status, body = await ada.request("GET", f"{ada.recipient_url}/status")
    assert status == 200
    data = body["data"]
    assert (data["available"], data["availability_state"]) == (False, "Call-Offer")
    assert data["queue_availability"] == {support: False}
    offered = data["offered_call"]
    assert (offered["session_id"], offered["caller_id_name"], offered["caller_id_number"]) == (
        session,
        "Ann",
        "+15550100",
    )
    assert "handling_call" not in data
    sim.engine.answer(ada.login.user_id)
    status, body = await ada.request("GET", f"{ada.recipient_url}/status")
    assert body["data"]["handling_call"]["session_id"] == session
    assert (body["data"]["available"], body["data"]["availability_state"]) == (False, "On-A-Call")
    sim.engine.hang_up(ada.login.user_id)
    status, body = await ada.request("GET", f"{ada.recipient_url}/status")
    assert (body["data"]["availability_state"], body["data"]["wrapup_time_seconds"]) == (
        "Wrapup-Time",
        5,
    )
    assert body["data"]["stats"]["total_calls"] == 1


@pytest.mark.asyncio
async def test_a_change_that_changes_nothing_sends_no_event(ada: Client) -> None:
    listener = await ada.listen()
    await ada.set_status(status="logout")
    await ada.set_status(status="login")
    await ada.set_status(status="login")
    await ada.set_status(status="away")
    await ada.set_status(status="ready")
    status, body = await ada.set_status(status="ready")
    assert (status, body["data"]["availability_state"]) == (200, "Ready")
    events = await listener.events_until_quiet()
    assert [event["name"] for event in events] == ["create", "ready"]


@pytest.mark.asyncio
async def test_a_token_acts_only_on_its_own_recipient_and_account(ada: Client) -> None:
    bob = login_of(ada.sim, "bob")
    other_recipient = ada.recipient_url.replace(ada.login.user_id, bob.user_id)
    for method in ("GET", "POST"):
        status, body = await ada.request(method, f"{other_recipient}/status", {"status": "logout"})
        assert (status, body["error"], body["message"]) == (403, "403", "forbidden")
    status, _ = await ada.action(action="monitor", target=bob.user_id, mode="eavesdrop")
    assert status == 403  # ada is no supervisor
    other_account = ada.recipient_url.replace(ada.login.account_id, "0" * 32)
    status, _ = await ada.request("GET", f"{other_account}/status")
    assert status == 403
    status, _ = await ada.request("GET", f"{ada.sim.api_url}/accounts/{'0' * 32}/qubicle_queues")
    assert status == 403
    assert ada.sim.engine.agent(bob.user_id).status == "ready"


@pytest.mark.asyncio
async def test_status_requests_that_cannot_be_done(ada: Client) -> None:
    sales = next(q.id for q in ada.sim.engine.queues() if q.name == "Sales")
    for request in (
        {"status": "ready"},
        {"status": "away"},
        {"status": "away", "target_queue": sales},
    ):
        status, body = await ada.set_status(**request)
        assert (status, body["message"]) == (400, "invalid request")
        assert "not logged in" in body["data"]["message"]
    await ada.set_status(status="login")
    for word in ("busy", "pause", "resume", "Ready"):
        status, body = await ada.set_status(status=word)
        assert (status, body["message"]) == (400, "validation error")
        assert body["data"] == {
            "status": {
                "enum": {
                    "message": "Value not found in enumerated list of values",
                    "target": ["login", "logout", "ready", "away"],
                }
            }
        }
    status, body = await ada.set_status(status="away", target_queue=7)
    assert (status, body["data"]) == (
        400,
        {
            "target_queue": {
                "type": {"message": "Value did not match type(s): string", "target": "string"}
            }
        },
    )
    status, body = await ada.set_status(target_queue=sales)
    assert (status, body["data"]) == (
        400,
        {"status": {"required": {"message": "Field is required but missing"}}},
    )
    status, body = await ada.request("POST", f"{ada.recipient_url}/status")
    assert (status, list(body["data"])) == (400, ["data"])
    assert ada.sim.engine.carried_out(ada.login.user_id) == {"login": 1}
    status, body = await ada.action(action="wrapup_extend")
    assert (status, body["data"]["message"]) == (400, "ada is not in wrap-up")


@pytest.mark.asyncio
async def test_wrapup_extend_and_cancel_over_rest(ada: Client) -> None:
    sim = ada.sim
    listener = await ada.listen()
    await ada.set_status(status="login")
    await ada.set_status(status="ready")
    sim.engine.set_status(login_of(sim, "bob").user_id, "away")
    sim.engine.add_caller("Sales", "Ann", "1", talk_seconds=3)
    sim.engine.answer(ada.login.user_id)
    sim.engine.hang_up(ada.login.user_id)
    started = await listener.typed("wrapup_start")
    assert isinstance(started, WrapupStarted)
    assert started.wrapup_time_seconds == 5
    status, body = await ada.action(action="wrapup_extend")
    assert (status, body["data"]["wrapup_time_seconds"]) == (200, 10)  # no event says so
    status, body = await ada.action(action="wrapup_cancel")
    assert (status, body["data"]["availability_state"]) == (200, "Ready")
    assert body["data"]["wrapup_time_seconds"] == 5  # the length of Sales's wrap-up again
    completed = await listener.typed("wrapup_complete")
    assert isinstance(completed, WrapupCompleted)
    assert (completed.available, completed.availability_state) == (True, "Ready")


@pytest.mark.asyncio
async def test_a_supervisor_monitors_over_rest_and_both_recipients_hear_of_it(
    connect: Connect,
) -> None:
    sam = await connect("sam")
    listener = await sam.listen()
    bob = login_of(sam.sim, "bob")
    status, _ = await sam.action(action="monitor", target=bob.user_id, mode="eavesdrop")
    assert status == 200
    failed = await listener.event("wiretap_failed")
    assert failed["data"]["recipient_id"] == sam.login.user_id
    sam.sim.engine.add_caller("Sales", "Ann", "1")
    sam.sim.engine.answer(bob.user_id)
    status, body = await sam.action(action="monitor", target=bob.user_id, mode="whisper")
    assert (status, body["data"]["wiretapping_recipient"], body["data"]["wiretap_mode"]) == (
        200,
        bob.user_id,
        "whisper",
    )
    starts = [await listener.event("wiretap_start") for _ in range(2)]
    assert {start["data"]["recipient_id"] for start in starts} == {sam.login.user_id, bob.user_id}
    status, _ = await sam.action(action="stop_monitor")
    assert status == 200
    stops = [await listener.event("wiretap_stop") for _ in range(2)]
    assert {stop["data"]["recipient_id"] for stop in stops} == {sam.login.user_id, bob.user_id}
    status, body = await sam.action(action="dance")
    assert status == 400
    assert body["data"]["action"]["enum"]["target"] == [
        "wrapup_extend",
        "wrapup_cancel",
        "monitor",
        "stop_monitor",
    ]


@pytest.mark.asyncio
async def test_queues_list_and_status(ada: Client) -> None:
    base = f"{ada.sim.api_url}/accounts/{ada.login.account_id}/qubicle_queues"
    status, body = await ada.request("GET", base)
    assert status == 200
    assert [queue["name"] for queue in body["data"]] == ["Sales", "Support"]
    sales = body["data"][0]["id"]
    ada.sim.engine.add_caller("Sales", "Ann", "1")
    status, body = await ada.request("GET", f"{base}/{sales}/status")
    assert status == 200
    data = body["data"]
    assert (data["queue_id"], data["queue_name"], data["active_recipient_count"]) == (
        sales,
        "Sales",
        1,
    )
    assert set(data["stats"]) == {
        "estimated_wait",
        "average_wait",
        "longest_wait",
        "recipient_count",
        "active_session_count",
        "total_sessions",
        "missed_sessions",
        "abandoned_sessions",
    }
    assert (data["stats"]["recipient_count"], data["stats"]["active_session_count"]) == (2, 1)
    status, body = await ada.request("GET", f"{base}/status")
    assert status == 200
    assert set(body["data"]) == {
        queue["id"] for queue in (await ada.request("GET", base))[1]["data"]
    }
    status, body = await ada.request("GET", f"{base}/nope/status")
    assert (status, body["message"]) == (404, "bad_identifier")


@pytest.mark.asyncio
async def test_sim_controls_drive_the_call_center_without_a_token(
    sim: Simulator, http: aiohttp.ClientSession
) -> None:
    root = sim.api_url.removesuffix("/v2") + "/sim"
    bob = login_of(sim, "bob")
    async with http.post(
        f"{root}/callers", json={"queue": "Sales", "name": "Ann", "number": "1"}
    ) as response:
        assert response.status == 201
        session = (await response.json())["session_id"]
    async with http.post(f"{root}/agents/{bob.user_id}/answer") as response:
        assert response.status == 200
        assert (await response.json())["agent"]["call_session_id"] == session
    async with http.post(f"{root}/agents/{bob.user_id}/hang_up") as response:
        assert (await response.json())["agent"]["activity"] == "wrapup"
    async with http.post(f"{root}/agents/{bob.user_id}/hang_up") as response:
        assert (response.status, (await response.json())["error"]) == (
            400,
            "bob is not on a call",
        )
    async with http.post(f"{root}/agents/{bob.user_id}/sing") as response:
        assert response.status == 404
    async with http.post(f"{root}/agents/nobody/answer") as response:
        assert response.status == 404
    async with http.post(f"{root}/callers", json={"queue": "Nope"}) as response:
        assert response.status == 404
    async with http.post(f"{root}/callers", data=b"[") as response:
        assert response.status == 400
    sales, support = (queue.id for queue in sim.engine.queues())
    ada = login_of(sim, "ada").user_id
    sim.engine.set_status(ada, "login")
    sim.engine.pause(ada, support)
    async with http.get(f"{root}/state") as response:
        state = await response.json()
    assert [agent["username"] for agent in state["agents"]] == ["ada", "bob", "sam"]
    shown = {agent["username"]: agent for agent in state["agents"]}
    assert (shown["ada"]["queues"], shown["ada"]["queue_availability"]) == (
        [sales, support],
        {support: False},
    )
    assert (shown["ada"]["paused_queues"], shown["bob"]["queue_availability"]) == ([support], {})
    assert [queue["members"] for queue in state["queues"]] == [[ada, bob.user_id], [ada]]
    assert state["queues"][0]["stats"]["answered_sessions"] == 1
    assert state["account_id"] == bob.account_id


@pytest.mark.asyncio
async def test_unknown_rest_paths_get_a_kazoo_error_body(
    sim: Simulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{sim.api_url}/no/such/thing") as response:
        body = await response.json()
    assert (response.status, body["error"], body["status"]) == (404, "404", "error")
    async with http.put(f"{sim.api_url}/user_auth", data=b"{not json") as response:
        assert response.status == 400


def quickcall_url(client: Client, number: str, owner: str | None = None) -> str:
    login = client.login
    user = owner or login.user_id
    return f"{client.sim.api_url}/accounts/{login.account_id}/users/{user}/quickcall/{number}"


@pytest.mark.asyncio
async def test_quickcall_answers_202_at_once_and_the_picked_up_phone_calls_the_number(
    ada: Client,
) -> None:
    listener = await ada.listen()
    status, body = await ada.request("GET", quickcall_url(ada, "%2B15550100"))
    assert status == 202
    data = body["data"]
    assert data["application_data"] == {"route": "+15550100"}
    assert data["outbound_callee_id_number"] == "+15550100"  # no cid-number: the number
    assert data["custom_channel_vars"]["authorizing_type"] == "user"
    assert await listener.events_until_quiet() == []  # only the agent's phone rings
    ada.sim.engine.answer(ada.login.user_id)
    event = await listener.typed("external_call_start")
    assert event.external_call_id == data["endpoints"][0]["outbound_call_id"]


@pytest.mark.asyncio
async def test_quickcall_through_the_device_and_with_a_caller_id(ada: Client) -> None:
    login = ada.login
    device = device_id(login.account_id, login.user_id)
    url = f"{ada.sim.api_url}/accounts/{login.account_id}/devices/{device}/quickcall/5550100"
    status, body = await ada.request("GET", url + "?cid-number=100&cid-name=Desk")
    assert status == 202
    data = body["data"]
    assert (data["outbound_callee_id_number"], data["outbound_callee_id_name"]) == ("100", "Desk")
    assert data["custom_channel_vars"]["authorizing_id"] == device
    assert ada.sim.engine.agent(login.user_id).activity == "idle"  # ringing, not yet a call
    ada.sim.engine.answer(login.user_id)
    assert ada.sim.engine.agent(login.user_id).activity == "external_call"


@pytest.mark.asyncio
async def test_quickcall_to_a_busy_phone_answers_the_same_and_places_no_call(
    ada: Client,
) -> None:
    listener = await ada.listen()
    assert (await ada.request("GET", quickcall_url(ada, "5550100")))[0] == 202
    assert (await ada.request("GET", quickcall_url(ada, "5550101")))[0] == 202  # still ringing
    ada.sim.engine.answer(ada.login.user_id)
    assert [event["name"] for event in await listener.events_until_quiet()] == [
        "external_call_start"
    ]
    assert ada.sim.engine.agent(ada.login.user_id).activity == "external_call"


@pytest.mark.asyncio
async def test_quickcall_only_for_the_tokens_own_user_and_a_known_one(ada: Client) -> None:
    bob = login_of(ada.sim, "bob")
    status, body = await ada.request("GET", quickcall_url(ada, "5550100", bob.user_id))
    assert (status, body["message"]) == (403, "forbidden")
    login = ada.login
    url = f"{ada.sim.api_url}/accounts/{login.account_id}/devices/{'0' * 32}/quickcall/5550100"
    status, body = await ada.request("GET", url)
    assert (status, body["message"]) == (404, "bad_identifier")
    assert ada.sim.engine.agent(bob.user_id).activity == "idle"
