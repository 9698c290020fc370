"""The scenario's `[telphin]` table, good and broken, the ids the simulator derives from a
scenario, and the scripted `drop_callbacks` fault."""

import asyncio
import time
from pathlib import Path

import aiohttp
import msgspec
import pytest

from agent_toolbar.simulator import (
    ManualClock,
    ScenarioError,
    ScriptedFault,
    Simulator,
    TelphinSettings,
    default_scenario,
    load_scenario,
)
from tests.simulator.helpers import small_scenario
from tests.simulator.telphin_helpers import Receiver, TelphinClient

AGENTS = '[[queues]]\nname = "Sales"\n[[agents]]\nusername = "a"\npassword = "b"\n'


def test_the_table_is_optional_and_documented_in_the_demo() -> None:
    assert small_scenario().telphin == TelphinSettings()
    assert default_scenario().telphin == TelphinSettings(
        client_id=100, token_lifetime=3600, agent_event_limit=10, extension_event_limit=10
    )


@pytest.mark.asyncio
async def test_a_custom_table_changes_the_client_the_tokens_and_the_caps(
    tmp_path: Path, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    path = tmp_path / "custom.toml"
    path.write_text(
        "[telphin]\nclient_id = 7\ntoken_lifetime = 90.5\nagent_event_limit = 1\n"
        "extension_event_limit = 2\n" + AGENTS
    )
    async with Simulator(load_scenario(path), clock=ManualClock()) as sim:
        client = await TelphinClient(sim, http).sign_in("a")
        assert client.answer["expires_in"] == 91
        assert (await client.call("GET", "user/"))[1]["client_id"] == 7
        assert (await client.call("GET", "client/7/agent/local/1001"))[0] == 200
        assert (await client.call("GET", "client/100/agent/local/1001"))[0] == 403
        assert (await client.call("GET", "client/7/limit/"))[1] == {
            "agent_event": 1,
            "extension_event": 2,
        }
        hook = {"url": receiver.url("x"), "event_type": "agent-login", "method": "GET"}
        assert (await client.call("POST", "client/7/agent/local/1001/event/", hook))[0] == 200
        assert (await client.call("POST", "client/7/agent/local/1001/event/", hook))[0] == 400
        assert sim.telphin_logins[0].client_id == 7


def test_the_switches_for_what_no_public_source_settles_are_read_from_the_table(
    tmp_path: Path,
) -> None:
    path = tmp_path / "switches.toml"
    path.write_text(
        '[telphin]\nagent_status_field = "agent_status"\nagent_state_field = ""\n'
        'extension_users = true\npage_size = 2\nmax_per_page = 3\npast_last_page = "not_found"\n'
        + AGENTS
    )
    assert load_scenario(path).telphin == TelphinSettings(
        agent_status_field="agent_status",
        agent_state_field="",
        extension_users=True,
        page_size=2,
        max_per_page=3,
        past_last_page="not_found",
    )


BROKEN = [
    ("[telphin]\nclient_id = 0\n", 2, ["telphin.client_id", "client_id = 0", "use 1 or more"]),
    (
        '[telphin]\nagent_event_limit = "ten"\n',
        2,
        ["telphin.agent_event_limit", "expected a whole number, got text"],
    ),
    ("[telphin]\ntoken_lifetime = 0\n", 2, ["telphin.token_lifetime", "not a positive number"]),
    (
        "[telphin]\nclientid = 5\n",
        2,
        ["telphin.clientid", "unknown setting 'clientid'", "client_id, token_lifetime"],
    ),
    (
        "[telphin]\nextension_event_limit = 0\n",
        2,
        ["telphin.extension_event_limit", "use 1 or more"],
    ),
    (
        '[telphin]\nagent_status_field = "agent status"\n',
        2,
        ["telphin.agent_status_field", "is not a field name", 'or "" for none'],
    ),
    ("[telphin]\nagent_state_field = 1\n", 2, ["telphin.agent_state_field", "expected text"]),
    ("[telphin]\nextension_users = 1\n", 2, ["telphin.extension_users", "true or false"]),
    ("[telphin]\npage_size = 0\n", 2, ["telphin.page_size", "use 1 or more"]),
    (
        "[telphin]\nmax_per_page = 5\npage_size = 10\n",
        3,
        ["telphin.page_size", "more than max_per_page = 5", "at most max_per_page"],
    ),
    (
        '[telphin]\npast_last_page = "404"\n',
        2,
        ["telphin.past_last_page", "'404' is not allowed", "use one of: empty, not_found"],
    ),
]


@pytest.mark.parametrize(("text", "line", "words"), BROKEN)
def test_a_broken_table_names_the_line_and_the_fix(
    tmp_path: Path, text: str, line: int, words: list[str]
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text + AGENTS)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert caught.value.line == line
    assert message.startswith(f"{path}, line {line}:")
    for word in words:
        assert word in message


@pytest.mark.asyncio
async def test_ids_app_and_secret_are_stable_across_starts() -> None:
    async with Simulator(default_scenario()) as first:
        logins = first.telphin_logins
    async with Simulator(default_scenario()) as second:
        assert second.telphin_logins == logins
    demo = logins[0]
    assert (demo.username, demo.password, demo.agent_id, demo.extension_id) == (
        "agent",
        "demo",
        1001,
        2001,
    )
    assert len(demo.app_id) == len(demo.app_secret) == 32
    assert demo.app_id != demo.app_secret
    assert [login.extension_name for login in logins] == [
        f"000*{number}@demo.sim.local" for number in (101, 102, 103, 104)
    ]
    other = msgspec.structs.replace(
        default_scenario(), account=msgspec.structs.replace(default_scenario().account, name="x")
    )
    async with Simulator(other) as third:
        assert third.telphin_logins[0].app_id != demo.app_id


@pytest.mark.asyncio
async def test_a_scripted_drop_callbacks_loses_the_next_callback(
    http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    clock = ManualClock()
    scenario = msgspec.structs.replace(
        small_scenario(), faults=(ScriptedFault(at=10, action="drop_callbacks", times=1),)
    )
    async with Simulator(scenario, clock=clock) as sim:
        client = await TelphinClient(sim, http).sign_in("ada")
        hook = {"url": receiver.url("in"), "event_type": "agent-login", "method": "POST"}
        await client.call("POST", "client/@me/agent/local/1001/event/", hook)
        clock.advance(10)
        deadline = time.monotonic() + 3
        while sim.telphin_callback_stats.dropped == 0:  # once the timer loop ran the script
            assert time.monotonic() < deadline
            await client.call("PUT", "client/@me/agent/local/1001", {"status": "available"})
            await client.call("PUT", "client/@me/agent/local/1001", {"status": "logged_out"})
            await asyncio.sleep(0.01)
        await sim.telphin_callbacks_idle()
        assert sim.telphin_callback_stats.dropped == 1
        assert len(receiver.requests) == sim.telphin_callback_stats.delivered
