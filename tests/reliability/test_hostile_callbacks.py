"""Hostile requests to the Telphin callback listener: the real listener inside the real
backend and session, called over loopback as anyone on the network could call it.

Statuses: 404 for a wrong token, exactly as for any unknown path (nothing says which
paths exist); 405 for another method or body type at the right path; 400 for fields
missing, a body that is not a UTF-8 form; 413 for a body over 8 KiB; 408 for a body
trickling in slower than the read timeout, and a closed connection for headers doing
so. None of them changes the state; a replayed callback is taken and changes nothing.
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from yarl import URL

from agent_toolbar.backends.telphin.api import TelphinApi
from agent_toolbar.backends.telphin.listener import CallbackListener
from agent_toolbar.backends.telphin.oauth import AppCredentials, OAuth
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Login
from agent_toolbar.simulator import Simulator
from agent_toolbar.simulator.telphin import wire
from tests.helpers.kazoo import scenario, until
from tests.helpers.telphin import Linked, ada, linked, provider_hooks
from tests.reliability.ledger import LEDGER

pytestmark = pytest.mark.asyncio

FORM = "application/x-www-form-urlencoded"


@pytest_asyncio.fixture
async def agent() -> AsyncIterator[Linked]:
    async with Simulator(scenario()) as sim:
        link = await linked(sim)
        running = asyncio.create_task(link.session.run())
        await until(link.session, lambda state: state.connection == "online")
        try:
            yield link
        finally:
            link.session.stop()
            await running
            await link.session.close()


async def hook_url(link: Linked, event_type: str) -> str:
    url: str = next(
        hook["url"] for hook in await provider_hooks(link.sim) if hook["event_type"] == event_type
    )
    return url


def truth(link: Linked) -> tuple[str, str | None]:
    agent = link.sim.engine.agent(ada(link.sim).user_id)
    return ("logged_out" if agent.status == "logged_out" else "ready", agent.offer_session_id)


def shown(state: AgentState) -> tuple[str, str | None]:
    return (state.status, state.offer.session_id if state.offer else None)


def no_errors_logged(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad == [], [r.getMessage() for r in bad]


Request = Callable[[], Awaitable[tuple[int, str]]]
"""One request of the table, made only when its turn comes."""


async def answer(
    http: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, str]:
    async with http.request(method, url, **kwargs) as response:
        return response.status, await response.text()


async def test_hostile_requests_are_refused_with_the_right_status(
    agent: Linked, caplog: pytest.LogCaptureFixture
) -> None:
    await agent.session.execute(Login())
    url = await hook_url(agent, "agent-login")
    call_url = await hook_url(agent, "dial-in")
    base, token = url.rsplit("/", 2)[0], url.rsplit("/", 2)[1]
    other_last = "y" if token.endswith("x") else "x"  # one character off, whatever it was
    ours = {"agent_id": str(ada(agent.sim).agent_id), "agent_status": "logged_out"}
    before = agent.state
    async with aiohttp.ClientSession() as http:
        unknown = await answer(http, "GET", f"{base}/no/such/path/at/all")
        cases: dict[str, tuple[tuple[int, str], Request]] = {
            "wrong path token": (
                unknown,
                partial(answer, http, "POST", f"{base}/{token[:-1]}{other_last}/agent", data=ours),
            ),
            "wrong kind under the token": (
                unknown,
                partial(answer, http, "POST", f"{base}/{token}/queue", data=ours),
            ),
            "wrong token and method": (
                unknown,
                partial(answer, http, "DELETE", f"{base}/x{token}/agent"),
            ),
            "wrong method": ((405, ""), partial(answer, http, "DELETE", url, data=ours)),
            "JSON body": ((405, ""), partial(answer, http, "POST", url, json=ours)),
            "missing fields": (
                (400, "missing agent_status"),
                partial(answer, http, "POST", url, data={"agent_id": "1"}),
            ),
            "missing call fields": (
                (400, "missing CallID"),
                partial(answer, http, "GET", call_url, params={"EventType": "dial-in"}),
            ),
            "not UTF-8": (
                (400, "the body is not a UTF-8 form"),
                partial(
                    answer,
                    http,
                    "POST",
                    url,
                    data=b"agent_id=\xff\xfe&agent_status=logged_out",
                    headers={"Content-Type": FORM},
                ),
            ),
            "unknown charset": (
                (400, "the body is not a UTF-8 form"),
                partial(
                    answer,
                    http,
                    "POST",
                    url,
                    data=b"agent_status=logged_out",
                    headers={"Content-Type": f"{FORM}; charset=nope"},
                ),
            ),
            "oversized body": (
                (413, ""),
                partial(answer, http, "POST", url, data={**ours, "pad": "x" * 100_000}),
            ),
            "oversized chunked body": (
                (413, ""),
                partial(
                    answer,
                    http,
                    "POST",
                    url,
                    data=_chunks(b"a=" + b"x" * 100_000),
                    headers={"Content-Type": FORM},
                ),
            ),
            "oversized query": (
                (400, ""),
                partial(answer, http, "GET", url, params={**ours, "pad": "x" * 20_000}),
            ),
            "another agent": (
                (200, "ok"),
                partial(answer, http, "POST", url, data={**ours, "agent_id": "1002"}),
            ),
        }
        for name, (expected, request) in cases.items():
            with LEDGER.fault(f"hostile callback: {name}"):
                status, text = await request()
                assert status == expected[0], name
                assert expected[1] in text, name
    assert unknown[0] == 404
    await asyncio.sleep(0.2)
    assert (agent.state.status, agent.state.history) == (before.status, before.history)
    assert shown(agent.state) == truth(agent)
    no_errors_logged(caplog)
    assert "refused a malformed request (LineTooLong)" in caplog.messages


async def _chunks(body: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(body), 4096):
        yield body[start : start + 4096]


async def test_extra_fields_are_ignored_and_the_callback_taken(agent: Linked) -> None:
    with LEDGER.fault("hostile callback: extra fields"):
        url = await hook_url(agent, "agent-login")
        fields = wire.agent_event(ada(agent.sim), "available", "api")
        agent.sim.engine.set_status(ada(agent.sim).user_id, "login")
        extra = {**fields, "agent_status_": "logged_out", "Agent_id": "1002", "x" * 200: "y" * 2000}
        async with aiohttp.ClientSession() as http:
            assert await answer(http, "POST", url, data=extra) == (200, "ok")
        ready = await until(agent.session, lambda state: state.status == "ready")
        assert shown(ready) == truth(agent)


async def test_a_replayed_callback_changes_nothing(agent: Linked) -> None:
    """The provider's own callbacks, recorded as they went out, then sent again."""
    recorded: list[dict[str, str]] = []
    async with recorder(recorded) as recorder_url:
        await subscribe(agent.sim, recorder_url, ("dial-in", "hangup"))
        me = ada(agent.sim).user_id
        agent.sim.telphin_phone(me, "login")
        await until(agent.session, lambda state: state.status == "ready")
        agent.sim.engine.add_caller("Support", "Grace Hopper", "+12025550143", patience=0.6)
        await until(agent.session, lambda state: state.offer is not None)
        gone = await until(agent.session, lambda state: state.offer is None)
        await agent.sim.telphin_callbacks_idle()
    assert [fields["EventType"] for fields in recorded] == ["dial-in", "hangup"]
    login = wire.agent_event(ada(agent.sim), "available", "phone")
    async with aiohttp.ClientSession() as http:
        for name, url, fields in [
            ("agent-login", await hook_url(agent, "agent-login"), login),
            ("dial-in", await hook_url(agent, "dial-in"), recorded[0]),
            ("hangup", await hook_url(agent, "hangup"), recorded[1]),
        ]:
            with LEDGER.fault(f"hostile callback: {name} replayed"):
                assert await answer(http, "POST", url, data=fields) == (200, "ok")
                await asyncio.sleep(0.1)
                assert (agent.state.history, agent.state.stats) == (gone.history, gone.stats)
                assert shown(agent.state) == truth(agent)


@asynccontextmanager
async def recorder(into: list[dict[str, str]]) -> AsyncIterator[str]:
    """A second subscriber on loopback that keeps every callback it is sent."""

    async def keep(request: web.Request) -> web.Response:
        form = await request.post()
        into.append({key: value for key, value in form.items() if isinstance(value, str)})
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/recorded", keep)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/recorded"
    finally:
        await runner.cleanup()


async def subscribe(sim: Simulator, url: str, event_types: tuple[str, ...]) -> None:
    login = ada(sim)
    async with aiohttp.ClientSession() as http:
        app = AppCredentials(login.app_id, login.app_secret, login.username, login.password)
        api = TelphinApi(
            http, sim.telphin_api_url, OAuth(http, sim.telphin_token_url, app, timeout=2), timeout=2
        )
        for event_type in event_types:
            hook = {"url": url, "event_type": event_type, "method": "POST"}
            assert (
                await api.call("POST", f"extension/{login.extension_id}/event/", hook)
            ).status == 200


# -- slowloris: the listener alone, with a short read timeout ---------------------------


@pytest_asyncio.fixture
async def listener() -> AsyncIterator[tuple[CallbackListener, list[dict[str, str]]]]:
    taken: list[dict[str, str]] = []
    door = CallbackListener(
        "127.0.0.1", 0, None, {"agent": lambda f: taken.append(dict(f))}, read_timeout=0.8
    )
    await door.start()
    try:
        yield door, taken
    finally:
        await door.stop()


async def trickle(url: str, at_once: bytes, dripped: bytes) -> tuple[bytes, float]:
    """Send `at_once`, then `dripped` a byte every 0.1 s; what came back, and after how long."""
    target = URL(url)
    assert target.port is not None
    reader, writer = await asyncio.open_connection(target.host, target.port)
    writer.write(at_once)
    started = time.monotonic()

    async def drip() -> None:
        for byte in dripped:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(0.1)

    dripping = asyncio.create_task(drip())
    try:
        async with asyncio.timeout(5):
            said = await reader.read()
    finally:
        dripping.cancel()
        await asyncio.gather(dripping, return_exceptions=True)
        writer.close()
    return said, time.monotonic() - started


async def test_headers_sent_a_byte_at_a_time_are_cut_off(
    listener: tuple[CallbackListener, list[dict[str, str]]], caplog: pytest.LogCaptureFixture
) -> None:
    door, taken = listener
    url = door.url("agent")
    with LEDGER.fault("hostile callback: slowloris headers"):
        head = f"GET {URL(url).path}?agent_id=1 HTTP/1.1\r\nHost: x\r\nX-Slow: {'a' * 60}\r\n"
        trickling = asyncio.create_task(trickle(url, b"", head.encode()))
        await asyncio.sleep(0.3)
        async with aiohttp.ClientSession() as http:  # meanwhile, others are served
            assert await answer(http, "GET", url, params=LOGIN) == (200, "ok")
        said, seconds = await trickling
        assert said == b""  # closed, without a word
        assert seconds < 2.5
        assert taken == [LOGIN]
        no_errors_logged(caplog)


async def test_a_body_sent_a_byte_at_a_time_is_refused(
    listener: tuple[CallbackListener, list[dict[str, str]]], caplog: pytest.LogCaptureFixture
) -> None:
    door, taken = listener
    url = door.url("agent")
    with LEDGER.fault("hostile callback: slowloris body"):
        body = b"agent_id=1001&agent_status=available" + b"&pad=" + b"x" * 60
        head = (
            f"POST {URL(url).path} HTTP/1.1\r\nHost: x\r\nContent-Type: {FORM}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        said, seconds = await trickle(url, head, body)
        assert said.startswith(b"HTTP/1.1 408 ")
        assert seconds < 2.5
        assert taken == []
        assert "refused a callback whose body came too slowly" in caplog.messages
        no_errors_logged(caplog)


LOGIN = {"agent_id": "1001", "agent_status": "available"}


async def test_a_body_in_two_parts_is_read_whole(
    listener: tuple[CallbackListener, list[dict[str, str]]],
) -> None:
    """A provider (or a proxy) writing the form in two parts 50 ms apart: one callback."""
    door, taken = listener
    target = URL(door.url("agent"))
    assert target.port is not None
    body = b"agent_id=1001&agent_status=available&pad=" + b"x" * 2000
    head = (
        f"POST {target.path} HTTP/1.1\r\nHost: x\r\nContent-Type: {FORM}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    reader, writer = await asyncio.open_connection(target.host, target.port)
    try:
        writer.write(head + body[:1000])
        await writer.drain()
        await asyncio.sleep(0.05)
        writer.write(body[1000:])
        async with asyncio.timeout(2):
            said = await reader.read()
    finally:
        writer.close()
    assert said.startswith(b"HTTP/1.1 200 ")
    assert taken == [{**LOGIN, "pad": "x" * 2000}]
