"""A change that gets no answer is unknown, not failed, until the server is asked.

A request that may have reached the server may have been carried out: the toolbar
asks the server before saying either way, says "may or may not have been made" when
it cannot ask, and never keeps an agent waiting longer than the command budget.
"""

import time
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
import pytest_asyncio

from agent_toolbar.domain.commands import Away, Login, Ready
from agent_toolbar.simulator import Simulator
from tests.helpers.kazoo import FAST, Connected, connected, scenario

pytestmark = pytest.mark.asyncio

BUDGET = replace(FAST, command_budget=3.0, command_check=0.5)


@pytest_asyncio.fixture
async def ada() -> AsyncIterator[Connected]:
    async with Simulator(scenario()) as sim, connected(sim, BUDGET, request_timeout=1.0) as link:
        assert (await link.session.execute(Login())).phase == "confirmed"
        yield link


async def test_a_server_that_froze_after_making_the_change_is_shown_to_have_made_it(
    ada: Connected,
) -> None:
    ada.sim.faults.hang_answers(10, times=1)
    ready = await ada.session.execute(Ready())
    assert ready.phase == "confirmed"  # its event said so, answer or none
    assert ada.sim.engine.agent(ada.me).status == "ready"


async def test_a_change_the_server_made_without_answering_or_telling_is_found_by_asking(
    ada: Connected,
) -> None:
    ada.sim.faults.mute_sockets(True)  # no event will tell
    # Nor will an answer: two attempts fit the budget (1 s each, and the waits between).
    ada.sim.faults.hang_answers(10, times=2)
    started = time.monotonic()
    ready = await ada.session.execute(Ready())
    assert (ready.phase, ada.sim.engine.agent(ada.me).status) == ("confirmed", "ready")
    assert time.monotonic() - started < BUDGET.command_budget + BUDGET.command_check + 1


async def test_a_frozen_server_leaves_the_change_unknown_within_the_budget(
    ada: Connected,
) -> None:
    ada.sim.faults.hang_rest(10, times=20)  # nothing answers, not even the check
    started = time.monotonic()
    away = await ada.session.execute(Away(reason="lunch"))
    took = time.monotonic() - started
    assert away.phase == "unknown"
    assert away.reason is not None
    assert "may or may not have been made" in away.reason
    assert took < BUDGET.command_budget + BUDGET.command_check + 1


async def test_an_unknown_change_the_server_shows_later_is_confirmed(ada: Connected) -> None:
    ada.sim.faults.mute_sockets(True)
    ada.sim.faults.hang_answers(10, times=3)  # both attempts, and the check's first read
    ready = await ada.session.execute(Ready())
    assert ready.phase == "unknown"
    assert ada.sim.engine.agent(ada.me).status == "ready"  # it was made, in fact
    ada.sim.faults.mute_sockets(False)
    await ada.session.reconcile("checked")
    confirmed = next(each for each in ada.state.commands if each.id == ready.id)
    assert confirmed.phase == "confirmed"
