"""Call back through Kazoo's quickcall: the real Session and Kazoo client against the real
simulator on loopback. A Dial is sent once, and confirmed only by the call showing up."""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import msgspec
import pytest

from agent_toolbar.domain.commands import Dial, Login
from agent_toolbar.domain.state import CommandProgress
from agent_toolbar.simulator import KazooSettings, Simulator
from tests.helpers.kazoo import FAST, Connected, ada, connected, scenario, until

pytestmark = pytest.mark.asyncio

NUMBER = "+15550100"
SIM_LOG = "agent_toolbar.simulator.crossbar"
DIALING = replace(FAST, dial_wait=1.0)
"""A placed call must show within a second here (45 s in the app)."""


@asynccontextmanager
async def dialing(
    answer: str = "manual", kazoo: KazooSettings | None = None, ring: float = 0.5, **backend: Any
) -> AsyncIterator[Connected]:
    """ada signed in and logged in (the toolbar follows calls only then); her phone rings
    `ring` seconds for a placed call, and with `answer = "auto"` she picks up by herself
    within 0.1 to 0.2 s."""
    world = scenario(auto_answer_delay=(0.1, 0.2), placed_call_ring=ring)
    world = msgspec.structs.replace(
        world, agents=(ada(answer=answer), *world.agents[1:]), kazoo=kazoo or KazooSettings()
    )
    async with Simulator(world) as sim, connected(sim, DIALING, **backend) as link:
        assert (await link.session.execute(Login())).phase == "confirmed"
        yield link


def quickcalls(caplog: pytest.LogCaptureFixture) -> int:
    """How many quickcall requests reached the simulator."""
    return sum(record.getMessage().startswith("quickcall for ") for record in caplog.records)


async def test_an_agent_who_answers_by_himself_confirms_the_call_by_its_showing_up(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=SIM_LOG)
    async with dialing(answer="auto") as me:
        done = await me.session.execute(Dial(number=NUMBER))
        assert (done.phase, done.reason) == ("confirmed", None)
        external = me.state.external_call
        assert external is not None
        assert external.call_id == me.sim.engine.agent(me.me).external_call_id
        assert quickcalls(caplog) == 1


async def test_the_call_is_pending_until_the_phone_is_picked_up(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=SIM_LOG)
    async with dialing() as me:
        task = asyncio.create_task(me.session.execute(Dial(number=NUMBER)))
        await until(me.session, lambda state: any(each.accepted for each in state.pending))
        assert me.state.external_call is None  # the server said yes; only the phone rings
        me.sim.engine.answer(me.me)
        done = await task
        assert done.phase == "confirmed"
        assert me.state.external_call is not None
        me.sim.engine.hang_up(me.me)
        await until(me.session, lambda state: state.external_call is None)
        assert quickcalls(caplog) == 1


@pytest.mark.parametrize(
    ("access", "why"),
    [
        ("no_devices", "it has no phone (device) to ring (500: unspecified fault)"),
        ("forbidden", "this sign-in may not place calls (403: forbidden)"),
    ],
)
async def test_a_refused_call_fails_with_the_reason_and_is_never_sent_again(
    caplog: pytest.LogCaptureFixture, access: Any, why: str
) -> None:
    caplog.set_level(logging.INFO, logger=SIM_LOG)
    async with dialing(kazoo=KazooSettings(quickcall=access)) as me:
        done = await me.session.execute(Dial(number=NUMBER))
        assert (done.phase, done.reason) == (
            "failed",
            f"the server will not place calls for this user: {why}",
        )
        assert quickcalls(caplog) == 1  # a failure comes after the last attempt, never before


async def test_a_phone_nobody_picks_up_fails_after_the_wait_asking_why(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=SIM_LOG)
    async with dialing() as me:
        done = await me.session.execute(Dial(number=NUMBER))
        assert (done.phase, done.reason) == (
            "failed",
            "the server placed the call, but it did not start within 1 s: was your phone answered?",
        )
        assert me.state.external_call is None
        assert quickcalls(caplog) == 1


async def test_no_answer_from_the_server_leaves_the_call_unknown_until_it_shows(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=SIM_LOG)
    async with dialing(ring=3.0, request_timeout=0.5) as me:
        me.sim.faults.hang_answers(seconds=1.0)  # the call is placed; its answer is late
        done = await me.session.execute(Dial(number=NUMBER))
        assert done.phase == "unknown"
        assert done.reason is not None
        assert "may or may not have been made" in done.reason
        assert quickcalls(caplog) == 1
        me.sim.engine.answer(me.me)  # the phone rang all along
        await until(me.session, lambda state: state.external_call is not None)
        shown = await until(me.session, lambda state: phase_of(state.commands, done) != "unknown")
        assert phase_of(shown.commands, done) == "confirmed"
        assert quickcalls(caplog) == 1


def phase_of(commands: tuple[CommandProgress, ...], wanted: CommandProgress) -> str:
    return next(each.phase for each in commands if each.id == wanted.id)
