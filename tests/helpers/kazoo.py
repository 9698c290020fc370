"""The real simulator and the real Kazoo client, wired together on loopback for tests."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest_asyncio

from agent_toolbar.backends.kazoo.auth import Credentials
from agent_toolbar.backends.kazoo.backend import KazooBackend, KazooSettings
from agent_toolbar.domain import AgentState
from agent_toolbar.session.core import PlanStore, Session, SessionSettings
from agent_toolbar.simulator import AgentConfig, QueueConfig, Scenario, Settings, Simulator

PASSWORDS = {"ada": "ada-secret", "grace": "grace-secret", "boss": "boss-secret"}

FAST = SessionSettings(
    quiet_before_reconcile=0.1,
    backoff_first=0.05,
    backoff_max=0.4,
    confirm_wait=0.5,
    watchdog_interval=0.2,
)
"""Session timings shrunk so that reconnects and confirmations take tenths of a second."""


def scenario(**settings: Any) -> Scenario:
    """Two queues with short rings and wrap-ups, our agent, a colleague and a supervisor."""
    return Scenario(
        simulator=Settings(**{"seed": 7, "sync_interval": 3600.0, **settings}),
        queues=(
            QueueConfig(name="Sales", ring_timeout=3.0, wrapup_time=1.0, force_away_on_reject=True),
            QueueConfig(name="Support", ring_timeout=3.0),
        ),
        agents=(
            ada(),
            AgentConfig(
                username="grace",
                password=PASSWORDS["grace"],
                queues=("Sales", "Support"),
                start="away",
            ),
            AgentConfig(username="boss", password=PASSWORDS["boss"], supervisor=True),
        ),
    )


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    """The simulator with `scenario()`, for the test's length."""
    async with Simulator(scenario()) as simulator:
        yield simulator


async def recover(sim: Simulator) -> None:
    """The server recovers: the failures it still has queued go to requests of the test's
    own, until one is answered as usual."""
    async with aiohttp.ClientSession() as http:
        while True:
            async with http.get(f"{sim.api_url}/accounts") as answer:
                if answer.status != 503:
                    return


def ada(**fields: Any) -> AgentConfig:
    """Our agent, in both queues (`fields`: how she answers, where she starts)."""
    return AgentConfig(
        username="ada",
        password=PASSWORDS["ada"],
        display_name="Ada Agent",
        queues=("Sales", "Support"),
        **fields,
    )


def backend(sim: Simulator, username: str = "ada", **settings: Any) -> KazooBackend:
    login = next(each for each in sim.logins if each.username == username)
    settings.setdefault("request_timeout", 2.0)
    settings.setdefault("ping_interval", 1.0)
    settings.setdefault("ping_timeout", 0.5)
    credentials = Credentials(
        account_name=login.account_name,
        username=username,
        password=settings.pop("password", None) or PASSWORDS[username],
    )
    return KazooBackend(KazooSettings(api_url=sim.api_url, credentials=credentials, **settings))


def user_id(sim: Simulator, username: str) -> str:
    return next(each.user_id for each in sim.logins if each.username == username)


def queue_id(sim: Simulator, name: str) -> str:
    return next(queue.id for queue in sim.engine.queues() if queue.name == name)


@dataclass
class Connected:
    sim: Simulator
    session: Session
    me: str

    @property
    def state(self) -> AgentState:
        state = self.session.state
        assert state is not None
        return state


@asynccontextmanager
async def connected(
    sim: Simulator,
    settings: SessionSettings = FAST,
    plans: PlanStore | None = None,
    **backend_settings: Any,
) -> AsyncIterator[Connected]:
    """A signed-in session running against `sim`, online when the block starts."""
    session = Session(backend(sim, **backend_settings), settings, plans=plans)
    await session.sign_in()
    running = asyncio.create_task(session.run())
    try:
        await until(session, lambda state: state.connection == "online")
        yield Connected(sim, session, user_id(sim, "ada"))
    finally:
        session.stop()
        await running
        await session.close()


async def until(
    session: Session, wanted: Callable[[AgentState], bool], timeout: float = 8.0
) -> AgentState:
    """Wait for a state that satisfies `wanted`, without polling."""
    state = session.state
    if state is not None and wanted(state):
        return state
    found: asyncio.Future[AgentState] = asyncio.get_running_loop().create_future()

    def check(new: AgentState) -> None:
        if wanted(new) and not found.done():
            found.set_result(new)

    stop = session.subscribe(check)
    try:
        async with asyncio.timeout(timeout):
            return await found
    except TimeoutError:
        raise AssertionError(f"the state never got there; it is {session.state}") from None
    finally:
        stop()
