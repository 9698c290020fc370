"""The Telphin backend and the session against the simulator's Telphin surface: real OAuth,
real REST, and real callbacks from the simulator to the app's listener. The simulator
answers lists two items a page, so every list the client reads is paged."""

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import msgspec
import pytest
import pytest_asyncio
from aiohttp import web

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.backends.telphin import subscriptions
from agent_toolbar.backends.telphin.paging import every_page
from agent_toolbar.backends.telphin.wire import Wire
from agent_toolbar.domain import DecodeError, causes
from agent_toolbar.domain.commands import Away, Login, Logout
from agent_toolbar.domain.events import Event, HungUp
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import (
    ManualClock,
    QueueConfig,
    Simulator,
)
from tests.helpers.kazoo import FAST, scenario, until
from tests.helpers.telphin import (
    Linked,
    ada,
    linked,
    paged,
    provider_api,
    provider_hooks,
    running,
    telphin,
)

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(paged()) as simulator:
        yield simulator


@pytest_asyncio.fixture
async def agent(sim: Simulator) -> AsyncIterator[Linked]:
    async with running(await linked(sim)) as link:
        yield link


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
        api = provider_api(sim, http)
        foreign = {"url": "https://crm.example/agent", "event_type": "agent-login", "method": "GET"}
        assert (await api.call("POST", f"{owner}/event/", foreign)).status == 200
        for token in ("first-token", "second-token"):
            hooks = [
                subscriptions.Hook(kind, f"{base}{token}/agent")
                for kind in ("agent-login", "agent-logout")
            ]
            await subscriptions.ensure(api, owner, hooks, ours=base, cap=10, what="this agent")
        listed = await every_page(api, f"{owner}/event/", lambda answer: answer.body)
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
    async with Simulator(paged(agent_event_limit=1)) as sim:
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
    async with running(await linked(sim, reconcile_interval=0.5)) as link:
        sim.faults.drop_callbacks(times=1)
        sim.telphin_phone(ada(sim).user_id, "login")
        repaired = await until(link.session, lambda state: state.status == "ready", timeout=5)
        assert repaired.history[-1].source == "reconnect"


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


# -- what the public evidence says the real server does --------------------------------


async def test_talk_time_is_the_bridged_duration_not_the_ringing_too() -> None:
    clock = ManualClock()
    async with Simulator(paged(), clock=clock) as sim:
        backend = telphin(sim)
        events: list[Event | DecodeError] = []
        try:
            await backend.sign_in()
            await backend.queues(None)
            await backend.open_events(events.append)
            await backend.send(Login())
            me = ada(sim).user_id
            sim.engine.add_caller("Support", "Ann", "+15550100", talk_seconds=600)
            clock.advance(7)
            sim.engine.answer(me)
            clock.advance(42.5)
            sim.engine.hang_up(me)
            await sim.telphin_callbacks_idle()
        finally:
            await backend.close()
    (ended,) = [event for event in events if isinstance(event, HungUp)]
    assert (ended.queue_id, ended.talk_time) == ("3002", 42.5)  # Duration says 49.5


async def test_chanunavail_shows_the_phone_not_registered_not_a_withdrawn_offer(
    agent: Linked,
) -> None:
    me = ada(agent.sim).user_id
    await agent.session.execute(Login())
    agent.sim.telphin_phone(me, "unplug")
    agent.sim.engine.add_caller("Support", "Ann", "+15550100")
    fault = await until(agent.session, lambda state: state.phone_unreachable_since is not None)
    assert (fault.offer, fault.missed_offer) == (None, None)
    assert fault.status == "ready"
    assert fault.history[-1].cause == causes.PHONE_UNREACHABLE
    phone = [change for change in fault.history if change.aspect == "phone"]
    assert [(change.old, change.new) for change in phone] == [("registered", "not registered")]
    assert all(change.cause != causes.WITHDRAWN for change in fault.history)
    await agent.session.reconcile(causes.PERIODIC_CHECK)  # the letter `u` agrees
    assert agent.state.phone_unreachable_since is not None
    agent.sim.telphin_phone(me, "plug")
    await agent.session.reconcile(causes.PERIODIC_CHECK)  # the letter `r`: registered again
    assert agent.state.phone_unreachable_since is None


@pytest.mark.parametrize("past_last_page", ["empty", "not_found"])
async def test_every_list_is_read_across_its_pages(past_last_page: str) -> None:
    """Three queues, two a page; our two hooks behind three of another app's: the toolbar
    finds all the queues, and its own hooks on the last page, instead of adding more."""
    billing = QueueConfig(name="Billing", ring_timeout=3.0)
    three = msgspec.structs.replace(
        paged(past_last_page=past_last_page), queues=(*scenario().queues, billing)
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with Simulator(three) as sim, aiohttp.ClientSession() as http:
        api = provider_api(sim, http)
        login = ada(sim)
        owner = f"client/{login.client_id}/agent/local/{login.agent_id}"
        for number, kind in enumerate(("agent-login", "agent-logout", "agent-login")):
            hook = {"url": f"https://crm.example/{number}", "event_type": kind, "method": "GET"}
            assert (await api.call("POST", f"{owner}/event/", hook)).status == 200
        for kind in ("agent-login", "agent-logout"):
            hook = {"url": f"{base}/old-token/agent", "event_type": kind, "method": "POST"}
            assert (await api.call("POST", f"{owner}/event/", hook)).status == 200
        listening = telphin(sim, callback_port=port, callback_url=base)
        async with running(await linked(sim, listening)) as agent:
            names = sorted(str(queue.name) for queue in agent.state.queues)
            assert names == ["Billing", "Sales", "Support"]
            hooks = await every_page(api, f"{owner}/event/", lambda answer: answer.body)
            ours = sorted(hook["url"] for hook in hooks if hook["url"].startswith(base))
            assert len(hooks) == 5
            assert len(ours) == 2
            assert not any("old-token" in url for url in ours)  # moved, not added


async def test_a_user_without_a_client_id_uses_at_me() -> None:
    async with Simulator(paged(extension_users=True)) as sim:
        async with running(await linked(sim)) as agent:
            assert agent.state.recipient_id == str(ada(sim).agent_id)
            assert (await agent.session.execute(Login())).phase == "confirmed"
        backend = telphin(sim)
        try:
            assert (await backend.sign_in()).account_id == "@me"
        finally:
            await backend.close()


@pytest.mark.parametrize("field_name", ["status", "agent_status"])
async def test_a_status_under_either_name_is_read_by_polls(field_name: str) -> None:
    async with (
        Simulator(paged(agent_status_field=field_name)) as sim,
        running(await linked(sim)) as agent,
    ):
        sim.faults.drop_callbacks(times=1)
        sim.telphin_phone(ada(sim).user_id, "login")
        await agent.session.reconcile(causes.PERIODIC_CHECK)
        assert agent.state.status == "ready"
        assert agent.state.history[-1].source == "reconnect"


async def test_a_status_change_refused_under_the_wrong_key_says_so_and_is_not_repeated() -> None:
    async with Simulator(paged(agent_status_field="agent_status")) as sim:
        hop = Hop(sim.telphin_api_url)
        await hop.start()
        try:
            async with running(await linked(sim, telphin(sim, api_url=hop.url))) as agent:
                refused = await agent.session.execute(Login())
                assert (refused.phase, refused.reason) == (
                    "failed",
                    "the server refused (400): agent_status must be one of available, "
                    "logged_out, not None",
                )
                assert [path for method, path in hop.seen if method == "PUT"] == [
                    f"/client/100/agent/local/{ada(sim).agent_id}"
                ]
            fixed = Wire(status_body_field="agent_status")
            async with running(await linked(sim, telphin(sim, wire=fixed))) as agent:
                assert (await agent.session.execute(Login())).phase == "confirmed"
        finally:
            await hop.close()


async def test_an_agent_object_without_a_status_is_unknown_never_logged_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with Simulator(paged(agent_status_field="", agent_state_field="")) as sim:
        with caplog.at_level(logging.WARNING, "agent_toolbar.telphin"):
            async with running(await linked(sim)) as agent:
                assert (await agent.session.execute(Login())).phase == "confirmed"
                for _ in range(2):
                    await agent.session.reconcile(causes.PERIODIC_CHECK)
                assert agent.state.status == "ready"
                sim.telphin_phone(ada(sim).user_id, "unplug")
                await agent.session.reconcile(causes.PERIODIC_CHECK)
                assert agent.state.phone_unreachable_since is None  # no letter: no word
    warnings = [
        r.getMessage() for r in caplog.records if "no status the toolbar can read" in r.getMessage()
    ]
    assert len(warnings) == 1
    assert "looked for status or agent_status; its keys: extension_id, id, name" in warnings[0]
    assert "Ada" not in warnings[0]


async def test_a_poll_never_overrides_a_fresher_callback(sim: Simulator) -> None:
    """The poll reads "logged out"; before its answer arrives, the agent logs in on the
    phone and the callback says so: the late answer is read again, not believed."""
    hop = Hop(sim.telphin_api_url)
    await hop.start()
    try:
        async with running(await linked(sim, telphin(sim, api_url=hop.url))) as agent:
            held = hop.hold(f"/agent/local/{ada(sim).agent_id}")
            poll = asyncio.create_task(agent.session.reconcile(causes.PERIODIC_CHECK))
            stale = await held.answered
            assert stale["status"] == "logged_out"
            sim.telphin_phone(ada(sim).user_id, "login")
            await until(agent.session, lambda state: state.status == "ready")
            held.release.set()
            await poll
            assert agent.state.status == "ready"
            statuses = [change for change in agent.state.history if change.aspect == "status"]
            assert (statuses[-1].new, statuses[-1].source) == ("ready", "phone")
    finally:
        await hop.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Held:
    suffix: str
    answered: "asyncio.Future[Any]"
    release: asyncio.Event = field(default_factory=asyncio.Event)


class Hop:
    """A real HTTP hop between the toolbar and the simulator's API, as a slow network is:
    it passes every request on, notes each, and can hold one answer back until told."""

    def __init__(self, upstream: str) -> None:
        self._upstream = upstream
        self.seen: list[tuple[str, str]] = []
        self._held: Held | None = None
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._pass)
        self._http = aiohttp.ClientSession()
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def close(self) -> None:
        if self._held is not None:
            self._held.release.set()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._http is not None:
            await self._http.close()

    def hold(self, suffix: str) -> Held:
        """The next GET whose path ends with `suffix` waits, once answered, for `release`."""
        self._held = Held(suffix, asyncio.get_running_loop().create_future())
        return self._held

    async def _pass(self, request: web.Request) -> web.Response:
        assert self._http is not None
        self.seen.append((request.method, request.path))
        headers = {
            name: value
            for name, value in request.headers.items()
            if name in ("Authorization", "Content-Type")
        }
        async with self._http.request(
            request.method,
            self._upstream + request.path_qs,
            data=await request.read(),
            headers=headers,
        ) as answer:
            body, status, kind = await answer.read(), answer.status, answer.content_type
        held = self._held
        if held is not None and request.method == "GET" and request.path.endswith(held.suffix):
            self._held = None
            held.answered.set_result(msgspec.json.decode(body))
            await held.release.wait()
        return web.Response(body=body, status=status, content_type=kind)
