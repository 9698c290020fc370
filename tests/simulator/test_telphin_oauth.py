"""Telphin's OAuth over real HTTP: the three grants, refresh rotation, refusals, expiry,
`GET /user/`, and the faults that reach the token endpoint and the API."""

import time

import aiohttp
import pytest

from agent_toolbar.simulator import ManualClock, Simulator
from tests.simulator.telphin_helpers import TelphinClient, telphin_login


@pytest.mark.asyncio
async def test_a_password_grant_gives_a_bearer_token_with_a_refresh_token(
    sim: Simulator, http: aiohttp.ClientSession
) -> None:
    client = TelphinClient(sim, http)
    status, body = await client.grant(grant_type="password", username="ada", password="pw-ada")
    assert status == 200
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3600)
    assert await client.call("GET", "user/") == (
        200,
        {
            "client_id": 100,
            "extension_id": 2001,
            "login": "ada",
            "access": "full",
            "timezone": "Europe/Moscow",
        },
    )


@pytest.mark.asyncio
async def test_usernames_match_in_any_case_passwords_exactly(
    sim: Simulator, http: aiohttp.ClientSession
) -> None:
    client = TelphinClient(sim, http)
    assert (await client.grant(grant_type="password", username="ADA", password="pw-ada"))[0] == 200
    status, body = await client.grant(grant_type="password", username="ada", password="PW-ADA")
    assert (status, body) == (401, {"error": "invalid_grant"})


@pytest.mark.asyncio
async def test_client_credentials_act_as_the_owner_without_a_refresh_token(
    owner: TelphinClient,
) -> None:
    assert set(owner.answer) == {"access_token", "token_type", "expires_in"}
    status, user = await owner.call("GET", "user/")
    assert status == 200
    assert (user["client_id"], user["extension_id"], user["login"]) == (100, None, "demo")


@pytest.mark.asyncio
async def test_a_refresh_token_rotates_and_works_once(ada_telphin: TelphinClient) -> None:
    old_access, old_refresh = ada_telphin.token, ada_telphin.answer["refresh_token"]
    status, body = await ada_telphin.grant(grant_type="refresh_token", refresh_token=old_refresh)
    assert status == 200
    assert body["refresh_token"] != old_refresh
    assert body["access_token"] != old_access
    assert (await ada_telphin.call("GET", "user/"))[1]["login"] == "ada"
    status, body = await ada_telphin.grant(grant_type="refresh_token", refresh_token=old_refresh)
    assert (status, body) == (401, {"error": "invalid_grant"})
    # the old access token lives on until it expires
    assert (await ada_telphin.call("GET", "user/", token=old_access))[0] == 200


@pytest.mark.asyncio
async def test_wrong_app_user_or_refresh_token_are_refused(
    sim: Simulator, http: aiohttp.ClientSession
) -> None:
    client = TelphinClient(sim, http)
    status, body = await client.grant(
        grant_type="password", username="ada", password="pw-ada", client_secret="wrong"
    )
    assert (status, body) == (401, {"error": "invalid_client"})
    status, body = await client.grant(
        grant_type="client_credentials", client_id="no-such-app", client_secret="x"
    )
    assert (status, body) == (401, {"error": "invalid_client"})
    status, body = await client.grant(grant_type="password", username="nobody", password="x")
    assert (status, body) == (401, {"error": "invalid_grant"})
    status, body = await client.grant(grant_type="refresh_token", refresh_token="made-up")
    assert (status, body) == (401, {"error": "invalid_grant"})
    status, body = await client.grant(grant_type="password", username="ada")
    assert (status, body) == (400, {"error": "invalid_request"})
    status, body = await client.grant(grant_type="authorization_code", code="x")
    assert (status, body) == (400, {"error": "unsupported_grant_type"})
    async with http.post(sim.telphin_token_url, json={"grant_type": "password"}) as response:
        assert (response.status, await response.json()) == (400, {"error": "invalid_request"})


@pytest.mark.asyncio
async def test_the_api_wants_a_valid_bearer_token(ada_telphin: TelphinClient) -> None:
    refused = (401, {"error": "invalid_token"})
    assert await ada_telphin.call("GET", "user/", token="made-up") == refused
    async with ada_telphin.http.get(f"{ada_telphin.sim.telphin_api_url}/user/") as response:
        assert (response.status, await response.json()) == refused
    headers = {"Authorization": f"Basic {ada_telphin.token}"}
    async with ada_telphin.http.get(
        f"{ada_telphin.sim.telphin_api_url}/user/", headers=headers
    ) as response:
        assert response.status == 401


@pytest.mark.asyncio
async def test_access_tokens_expire_after_expires_in(
    sim: Simulator, clock: ManualClock, ada_telphin: TelphinClient
) -> None:
    clock.advance(3599)
    assert (await ada_telphin.call("GET", "user/"))[0] == 200
    clock.advance(1)
    assert await ada_telphin.call("GET", "user/") == (401, {"error": "invalid_token"})
    refresh = ada_telphin.answer["refresh_token"]
    assert (await ada_telphin.grant(grant_type="refresh_token", refresh_token=refresh))[0] == 200
    assert (await ada_telphin.call("GET", "user/"))[0] == 200


@pytest.mark.asyncio
async def test_expire_tokens_ends_access_and_refresh_tokens(ada_telphin: TelphinClient) -> None:
    ada_telphin.sim.faults.expire_tokens()
    assert await ada_telphin.call("GET", "user/") == (401, {"error": "invalid_token"})
    refresh = ada_telphin.answer["refresh_token"]
    status, body = await ada_telphin.grant(grant_type="refresh_token", refresh_token=refresh)
    assert (status, body) == (401, {"error": "invalid_grant"})
    await ada_telphin.sign_in("ada")  # a new grant works at once
    assert (await ada_telphin.call("GET", "user/"))[0] == 200


@pytest.mark.asyncio
async def test_failing_rest_reaches_the_api_and_the_token_endpoint_in_their_shapes(
    ada_telphin: TelphinClient,
) -> None:
    sim = ada_telphin.sim
    sim.faults.fail_rest(503, times=1, retry_after=7)
    async with ada_telphin.http.get(
        f"{sim.telphin_api_url}/user/", headers={"Authorization": f"Bearer {ada_telphin.token}"}
    ) as response:
        assert (response.status, response.headers["Retry-After"]) == (503, "7")
        assert await response.json() == {"message": "injected fault"}
    sim.faults.fail_rest(401)
    assert await ada_telphin.call("GET", "user/") == (401, {"error": "invalid_token"})
    sim.faults.fail_rest(401)
    assert await ada_telphin.grant(grant_type="client_credentials") == (
        401,
        {"error": "invalid_grant"},
    )
    sim.faults.fail_rest(500)
    status, body = await ada_telphin.grant(grant_type="client_credentials")
    assert (status, body) == (500, {"message": "injected fault"})
    assert (await ada_telphin.call("GET", "user/"))[0] == 200


@pytest.mark.asyncio
async def test_hanging_rest_delays_the_token_endpoint_and_the_api(
    ada_telphin: TelphinClient,
) -> None:
    ada_telphin.sim.faults.hang_rest(0.3, times=2)
    started = time.monotonic()
    assert (await ada_telphin.grant(grant_type="client_credentials"))[0] == 200
    assert (await ada_telphin.call("GET", "user/"))[0] == 200
    assert time.monotonic() - started >= 0.6
    started = time.monotonic()
    assert (await ada_telphin.call("GET", "user/"))[0] == 200
    assert time.monotonic() - started < 0.3


@pytest.mark.asyncio
async def test_logins_name_the_agent_and_the_app_once(sim: Simulator) -> None:
    ada = telphin_login(sim, "ada")
    assert (ada.client_id, ada.agent_id, ada.extension_id) == (100, 1001, 2001)
    assert ada.extension_name == "000*101@demo.sim.local"
    assert (ada.display_name, ada.user_id) == ("Ada", sim.logins[0].user_id)
    assert len({(login.app_id, login.app_secret) for login in sim.telphin_logins}) == 1
    assert [login.agent_id for login in sim.telphin_logins] == [1001, 1002, 1003]
    assert [login.extension_id for login in sim.telphin_logins] == [2001, 2002, 2003]
