"""`agent-toolbar set pause|resume --queue` takes a queue's name as well as its id, against
the real simulator (`agent-toolbar sim`) in its own process, as an agent would run both."""

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.helpers.cli import Running, connection, run, sim_process, telphin
from tests.helpers.places import private_places

pytestmark = pytest.mark.asyncio
__all__ = ["private_places"]  # the fixture this file uses

SCENARIO = """
[simulator]
seed = 3

[account]
name = "demo"

[[queues]]
name = "Sales"
id = "q-sales"

[[queues]]
name = "Billing"
id = "q-billing"

[[queues]]
name = "Support"
id = "billing"

[[agents]]
username = "ada"
password = "ada-secret"
queues = ["Sales", "Billing", "Support"]
"""


@pytest_asyncio.fixture
async def sim(tmp_path: Path) -> AsyncIterator[Running]:
    async with sim_process(tmp_path, SCENARIO) as running:
        yield running


async def test_sim_prints_its_queues_with_their_ids(sim: Running) -> None:
    kazoo_queues = "  Queues:\n    Sales  id q-sales\n    Billing  id q-billing\n"
    assert kazoo_queues + "    Support  id billing\n" in sim.banner
    telphin_queues = re.search(r"Telphin queues:\n((?:    .*\n){3})", sim.banner)
    assert telphin_queues is not None, sim.banner
    assert re.fullmatch(
        r"    Sales  id \d+\n    Billing  id \d+\n    Support  id \d+\n", telphin_queues.group(1)
    )


async def test_a_queue_is_paused_and_resumed_by_its_name_in_any_case(sim: Running) -> None:
    assert (await run("set", "login", *connection(sim)))[0] == 0
    code, out, err = await run("set", "pause", "--queue", "sales", *connection(sim))
    assert (code, out, err) == (0, "pause queue q-sales: confirmed\n", "")
    code, out, err = await run("set", "resume", "--queue", "SALES", *connection(sim))
    assert (code, out, err) == (0, "resume queue q-sales: confirmed\n", "")
    code, out, _ = await run("set", "pause", "--queue", "q-billing", *connection(sim))
    assert (code, out) == (0, "pause queue q-billing: confirmed\n")  # an id, as it is


async def test_a_name_of_two_queues_is_refused_with_both(sim: Running) -> None:
    code, out, err = await run("set", "pause", "--queue", "Billing", *connection(sim))
    assert (code, out) == (2, "")
    assert err == (
        'agent-toolbar set: "Billing" could be more than one queue: '
        "Billing (id q-billing), Support (id billing); give its id\n"
    )


async def test_an_unknown_queue_is_refused_with_the_known_ones(sim: Running) -> None:
    code, out, err = await run("set", "resume", "--queue", "Returns", *connection(sim))
    assert (code, out) == (2, "")
    assert err == (
        'agent-toolbar set: no queue is called "Returns"; '
        "the queues: Billing (id q-billing), Sales (id q-sales), Support (id billing)\n"
    )


async def test_telphin_knows_its_queues_by_name_too(sim: Running) -> None:
    options, app_secret = telphin(sim)
    code, _, err = await run("set", "pause", "--queue", "Returns", *options, app_secret=app_secret)
    assert code == 2
    found = re.fullmatch(
        r'agent-toolbar set: no queue is called "Returns"; '
        r"the queues: Billing \(id \d+\), Sales \(id (\d+)\), Support \(id \d+\)\n",
        err,
    )
    assert found is not None, err
    code, out, err = await run("set", "pause", "--queue", "sales", *options, app_secret=app_secret)
    assert not err.startswith('agent-toolbar set: no queue is called "sales"'), err
    assert out.startswith(f"pause queue {found.group(1)}: "), out
