"""Calls placed through Telphin's callback API: the real Telphin client and session against
the simulator's Telphin surface, whose callbacks show the call once the phone is picked up."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any
from unittest.mock import patch

import msgspec
import pytest
import pytest_asyncio

from agent_toolbar.backends.telphin.api import TelphinApi
from agent_toolbar.domain.commands import Dial, Login
from agent_toolbar.domain.state import CommandProgress
from agent_toolbar.simulator import Simulator
from agent_toolbar.simulator import TelphinSettings as SimulatedTelphin
from tests.helpers.kazoo import scenario, until
from tests.helpers.telphin import Linked, ada, linked, running, telphin

pytestmark = pytest.mark.asyncio

NUMBER = "+15550100"


def telphin_scenario(**switches: Any) -> Any:
    return msgspec.structs.replace(scenario(), telphin=SimulatedTelphin(**switches))


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(telphin_scenario()) as simulator:
        yield simulator


async def dial(link: Linked) -> asyncio.Task[CommandProgress]:
    """Log in (a logged-out agent's calls are not shown), dial NUMBER, and wait until the
    server has placed the call (the phone rings)."""
    assert (await link.session.execute(Login())).phase == "confirmed"
    task = asyncio.create_task(link.session.execute(Dial(NUMBER)))
    await until(link.session, lambda state: any(p.accepted for p in state.pending))
    return task


async def test_the_call_is_confirmed_once_the_phone_is_picked_up(sim: Simulator) -> None:
    async with running(await linked(sim, dial_wait=5.0)) as link:
        assert link.session.capabilities.dial
        placing = await dial(link)
        assert link.state.external_call is None, "the phone rings: no call yet"
        sim.engine.answer(ada(sim).user_id)
        progress = await placing
        assert progress.phase == "confirmed"
        assert link.state.external_call is not None
        call_id = link.state.external_call.call_id
        assert sim.engine.agent(ada(sim).user_id).external_call_id == call_id
        sim.engine.hang_up(ada(sim).user_id)
        await until(link.session, lambda state: state.external_call is None)


async def test_a_refused_call_fails_with_the_reason_after_one_request() -> None:
    async with Simulator(telphin_scenario(callback="forbidden")) as sim:
        # A spy, not a mock: every request still goes to the simulator; it counts them.
        with patch.object(TelphinApi, "call", autospec=True, side_effect=TelphinApi.call) as spy:
            async with running(await linked(sim)) as link:
                assert (await link.session.execute(Login())).phase == "confirmed"
                progress = await link.session.execute(Dial(NUMBER))
        assert progress.phase == "failed"
        assert progress.reason is not None
        assert "refused (403)" in progress.reason
        assert "may not place calls" in progress.reason
        posts = [call for call in spy.call_args_list if call.args[2].endswith("/callback/")]
        assert len(posts) == 1
        assert sim.engine.agent(ada(sim).user_id).external_call_id is None


async def test_a_phone_nobody_picks_up_fails_after_the_dial_wait(sim: Simulator) -> None:
    async with running(await linked(sim, dial_wait=0.5)) as link:
        progress = await (await dial(link))
        assert progress.phase == "failed"
        assert progress.reason is not None
        assert "was your phone answered?" in progress.reason
        assert link.state.external_call is None


async def test_an_agent_without_a_phone_cannot_dial() -> None:
    async with Simulator(telphin_scenario(agent_extension_type="fax")) as sim:
        backend = telphin(sim)
        async with running(await linked(sim, backend)) as link:
            assert not link.session.capabilities.dial
            progress = await link.session.execute(Dial(NUMBER))
        assert progress.phase == "failed"
        assert progress.reason is not None
        assert "no phone" in progress.reason
