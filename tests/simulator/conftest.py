"""Fixtures of the simulator tests: a manual clock, a started simulator, HTTP clients,
Telphin clients and a callback receiver."""

from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import pytest
import pytest_asyncio

from agent_toolbar.simulator import ManualClock, Simulator
from tests.simulator.helpers import Client, small_scenario
from tests.simulator.telphin_helpers import Receiver, TelphinClient

Connect = Callable[[str], Awaitable[Client]]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest_asyncio.fixture
async def sim(clock: ManualClock) -> AsyncIterator[Simulator]:
    async with Simulator(small_scenario(), clock=clock) as simulator:
        yield simulator


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest_asyncio.fixture
async def connect(sim: Simulator, http: aiohttp.ClientSession) -> AsyncIterator[Connect]:
    """Log an agent in over REST; its websockets are closed after the test."""
    clients: list[Client] = []

    async def log_in(username: str) -> Client:
        client = Client(sim, http, username)
        await client.log_in()
        clients.append(client)
        return client

    yield log_in
    for client in clients:
        await client.close()


@pytest_asyncio.fixture
async def ada(connect: Connect) -> Client:
    return await connect("ada")


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A callback listener; closed after the simulator, whatever it still holds."""
    listener = Receiver()
    await listener.start()
    yield listener
    await listener.close()


@pytest_asyncio.fixture
async def ada_telphin(sim: Simulator, http: aiohttp.ClientSession) -> TelphinClient:
    """ada's Telphin client, signed in with the password grant."""
    return await TelphinClient(sim, http).sign_in("ada")


@pytest_asyncio.fixture
async def owner(sim: Simulator, http: aiohttp.ClientSession) -> TelphinClient:
    """The PBX owner's Telphin client (client credentials)."""
    return await TelphinClient(sim, http).sign_in()
