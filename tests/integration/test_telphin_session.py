"""The Telphin backend and the session against the simulator's Telphin surface: real OAuth,
real REST, and real callbacks from the simulator to the app's listener."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
import msgspec
import pytest
import pytest_asyncio

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.backends.telphin import subscriptions
from agent_toolbar.backends.telphin.api import TelphinApi
from agent_toolbar.backends.telphin.backend import TelphinBackend, TelphinSettings
from agent_toolbar.backends.telphin.oauth import AppCredentials, OAuth
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Away, Login, Logout
from agent_toolbar.session import Session
from agent_toolbar.simulator import Simulator, TelphinLogin
from agent_toolbar.simulator import TelphinSettings as SimulatedTelphin
from tests.integration.kazoo import FAST, PASSWORDS, scenario, until

pytestmark = pytest.mark.asyncio


def telphin(sim: Simulator, *, trusted: bool = False, **settings: Any) -> TelphinBackend:
    login = ada(sim)
    app = AppCredentials(
        app_id=login.app_id,
        app_secret=login.app_secret,
        username=None if trusted else login.username,
        password=None if trusted else settings.pop("password", PASSWORDS["ada"]),
    )
    return TelphinBackend(
        TelphinSettings(
            api_url=sim.telphin_api_url,
            token_url=sim.telphin_token_url,
            app=app,
            agent_id=str(login.agent_id) if trusted else None,
            request_timeout=2.0,
            **settings,
        )
    )


def ada(sim: Simulator) -> TelphinLogin:
    return next(login for login in sim.telphin_logins if login.username == "ada")


@dataclass
class Linked:
    sim: Simulator
    session: Session

    @property
    def state(self) -> AgentState:
        assert self.session.state is not None
        return self.session.state


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(scenario()) as simulator:
        yield simulator


async def linked(sim: Simulator, **settings: Any) -> Linked:
    session = Session(telphin(sim), replace(FAST, **settings))
    await session.sign_in()
    return Linked(sim, session)


@pytest_asyncio.fixture
async def agent(sim: Simulator) -> AsyncIterator[Linked]:
    link = await linked(sim)
    running = asyncio.create_task(link.session.run())
    await until(link.session, lambda state: state.connection == "online")
    try:
        yield link
    finally:
        link.session.stop()
        await running
        await link.session.close()


async def provider_hooks(sim: Simulator) -> list[dict[str, Any]]:
    """The agent's and its extension's subscriptions, as the provider lists them."""
    login = ada(sim)
    async with aiohttp.ClientSession() as http:
        app = AppCredentials(login.app_id, login.app_secret, login.username, login.password)
        oauth = OAuth(http, sim.telphin_token_url, app, timeout=2)
        api = TelphinApi(http, sim.telphin_api_url, oauth, timeout=2)
        found: list[dict[str, Any]] = []
        for owner in (
            f"client/{login.client_id}/agent/local/{login.agent_id}",
            f"extension/{login.extension_id}",
        ):
            found += (await api.call("GET", f"{owner}/event/")).body
        return found


async def test_a_whole_session_from_login_to_clean_exit(sim: Simulator) -> None:
    link = await linked(sim)
    running = asyncio.create_task(link.session.run())
    await until(link.session, lambda state: state.connection == "online")
    assert link.state.recipient_id == str(ada(sim).agent_id)
    hooks = await provider_hooks(sim)
    assert sorted(hook["event_type"] for hook in hooks) == [
        "agent-login",
        "agent-logout",
        "answer",
        "dial-in",
        "hangup",
    ]
    assert (await link.session.execute(Login())).phase == "confirmed"
    assert link.state.status == "ready"
    assert link.state.history[-1].source == "you"
    assert (await link.session.execute(Logout())).phase == "confirmed"
    assert link.state.status == "logged_out"
    link.session.stop()
    await running
    await link.session.close()
    assert await provider_hooks(sim) == []


async def test_our_hooks_are_reused_and_moved_to_a_new_token_not_piled_up(sim: Simulator) -> None:
    login = ada(sim)
    owner = f"client/{login.client_id}/agent/local/{login.agent_id}"
    base = "https://toolbar.example/hooks/"
    async with aiohttp.ClientSession() as http:
        app = AppCredentials(login.app_id, login.app_secret, login.username, login.password)
        api = TelphinApi(
            http, sim.telphin_api_url, OAuth(http, sim.telphin_token_url, app, timeout=2), timeout=2
        )
        foreign = {"url": "https://crm.example/agent", "event_type": "agent-login", "method": "GET"}
        assert (await api.call("POST", f"{owner}/event/", foreign)).status == 200
        for token in ("first-token", "second-token"):
            hooks = [
                subscriptions.Hook(kind, f"{base}{token}/agent")
                for kind in ("agent-login", "agent-logout")
            ]
            await subscriptions.ensure(api, owner, hooks, ours=base, cap=10, what="this agent")
        listed = (await api.call("GET", f"{owner}/event/")).body
        assert sorted(hook["url"] for hook in listed) == [
            "https://crm.example/agent",
            f"{base}second-token/agent",
            f"{base}second-token/agent",
        ]
        await subscriptions.remove(api, owner, base)
        assert [hook["url"] for hook in (await api.call("GET", f"{owner}/event/")).body] == [
            "https://crm.example/agent"
        ]


async def test_the_subscription_cap_is_said_in_plain_words() -> None:
    capped = msgspec.structs.replace(scenario(), telphin=SimulatedTelphin(agent_event_limit=1))
    async with Simulator(capped) as sim:
        session = Session(telphin(sim), FAST)
        await session.sign_in()
        ended = await session.run()
        await session.close()
    assert ended.startswith("signed out: the PBX allows only 1 event subscription for this agent")


async def test_the_agent_logging_in_on_the_phone_is_shown_as_such(agent: Linked) -> None:
    agent.sim.telphin_phone(ada(agent.sim).user_id, "login")
    ready = await until(agent.session, lambda state: state.status == "ready")
    assert ready.history[-1].source == "phone"
    agent.sim.telphin_phone(ada(agent.sim).user_id, "logout")
    gone = await until(agent.session, lambda state: state.status == "logged_out")
    assert gone.history[-1].cause == "logged out: from the phone"


async def test_a_queue_call_shows_who_is_calling_then_the_call(agent: Linked) -> None:
    await agent.session.execute(Login())
    me = ada(agent.sim).user_id
    agent.sim.engine.add_caller("Support", "Grace Hopper", "+12025550143", talk_seconds=30)
    ringing = await until(agent.session, lambda state: state.offer is not None)
    assert ringing.offer is not None
    assert (ringing.offer.caller_id_name, ringing.offer.caller_id_number) == (
        "Grace Hopper",
        "+12025550143",
    )
    assert ringing.offer.queue_id == next(q.queue_id for q in ringing.queues if q.name == "Support")
    agent.sim.engine.answer(me)
    talking = await until(agent.session, lambda state: state.call is not None)
    assert talking.call is not None
    assert talking.call.caller_id_name == "Grace Hopper"
    agent.sim.engine.hang_up(me)
    await until(agent.session, lambda state: state.call is None)


async def test_forged_callbacks_are_refused_and_change_nothing(agent: Linked) -> None:
    hook = next(h for h in await provider_hooks(agent.sim) if h["event_type"] == "agent-login")
    url = hook["url"]
    forged_url = url.rsplit("/", 2)[0] + "/not-the-token/agent"
    login = {
        "agent_id": str(ada(agent.sim).agent_id),
        "agent_status": "available",
        "event_source": "api",
    }
    before = agent.state
    async with aiohttp.ClientSession() as http:

        async def status(method: str, target: str, **kwargs: Any) -> int:
            async with http.request(method, target, **kwargs) as answer:
                return answer.status

        assert await status("POST", forged_url, data=login) == 404
        assert await status("GET", url.rsplit("/", 2)[0] + "/nothing/here") == 404
        assert await status("PUT", url, data=login) == 405
        assert await status("POST", url, data={"agent_status": "available"}) == 400
        assert (
            await status("POST", url, data={"agent_id": login["agent_id"], "agent_status": "bored"})
            == 400
        )
        assert await status("POST", url, data={"x": "y" * 20_000}) == 413
        assert await status("POST", url, json=login) == 405
    await asyncio.sleep(0.2)
    assert (agent.state.status, agent.state.history) == (before.status, before.history)


async def test_callbacks_by_get_and_by_post_are_taken(agent: Linked) -> None:
    hook = next(h for h in await provider_hooks(agent.sim) if h["event_type"] == "agent-login")
    login = {"agent_id": str(ada(agent.sim).agent_id), "agent_status": "available"}
    async with aiohttp.ClientSession() as http:
        async with http.get(hook["url"], params=login) as answer:
            assert answer.status == 200
        await until(agent.session, lambda state: state.status == "ready")
        async with http.post(
            hook["url"], data={**login, "agent_status": "logged_out", "extra": "ignored"}
        ) as answer:
            assert answer.status == 200
        await until(agent.session, lambda state: state.status == "logged_out")


async def test_a_lost_callback_is_repaired_by_polling(sim: Simulator) -> None:
    link = await linked(sim, reconcile_interval=0.5)
    running = asyncio.create_task(link.session.run())
    try:
        await until(link.session, lambda state: state.connection == "online")
        sim.faults.drop_callbacks(times=1)
        sim.telphin_phone(ada(sim).user_id, "login")
        repaired = await until(link.session, lambda state: state.status == "ready", timeout=5)
        assert repaired.history[-1].source == "reconnect"
    finally:
        link.session.stop()
        await running
        await link.session.close()


async def test_an_expired_token_is_renewed_mid_session(agent: Linked) -> None:
    agent.sim.faults.expire_tokens()
    assert (await agent.session.execute(Login())).phase == "confirmed"
    assert agent.state.connection == "online"


async def test_what_telphin_cannot_do_is_refused_in_plain_words(agent: Linked) -> None:
    await agent.session.execute(Login())
    refused = await agent.session.execute(Away(reason="lunch"))
    assert (refused.phase, refused.reason) == (
        "failed",
        "Telphin has no such change: only logging in and out of the queues",
    )


async def test_a_trusted_app_follows_the_configured_agent(sim: Simulator) -> None:
    session = Session(telphin(sim, trusted=True), FAST)
    identity = await session.sign_in()
    assert identity.recipient_id == str(ada(sim).agent_id)
    await session.close()


async def test_a_wrong_password_is_refused_in_plain_words(sim: Simulator) -> None:
    session = Session(telphin(sim, password="wrong"), FAST)
    with pytest.raises(SignedOut, match="the server refused the user name or password"):
        await session.sign_in()
    await session.close()
