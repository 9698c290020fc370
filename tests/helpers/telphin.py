"""The real simulator's Telphin surface and the real Telphin client, wired together on
loopback for tests: ada's backend, a signed-in session, and what the provider lists."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

import aiohttp
import msgspec

from agent_toolbar.backends.telphin.api import TelphinApi
from agent_toolbar.backends.telphin.backend import TelphinBackend, TelphinSettings
from agent_toolbar.backends.telphin.oauth import AppCredentials, OAuth
from agent_toolbar.backends.telphin.paging import every_page
from agent_toolbar.domain import AgentState
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Scenario, Simulator, TelphinLogin
from agent_toolbar.simulator import TelphinSettings as SimulatedTelphin
from tests.helpers.kazoo import FAST, PASSWORDS, scenario, until


def telphin(sim: Simulator, *, trusted: bool = False, **settings: Any) -> TelphinBackend:
    login = ada(sim)
    app = AppCredentials(
        app_id=login.app_id,
        app_secret=login.app_secret,
        username=None if trusted else login.username,
        password=None if trusted else settings.pop("password", PASSWORDS["ada"]),
    )
    defaults: dict[str, Any] = {
        "api_url": sim.telphin_api_url,
        "token_url": sim.telphin_token_url,
        "agent_id": str(login.agent_id) if trusted else None,
        "request_timeout": 2.0,
    }
    return TelphinBackend(TelphinSettings(app=app, **{**defaults, **settings}))


def paged(**telphin: Any) -> Scenario:
    """The integration scenario, its Telphin lists two items a page (and these switches)."""
    switches = {"page_size": 2, "max_per_page": 2, **telphin}
    return msgspec.structs.replace(scenario(), telphin=SimulatedTelphin(**switches))


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


async def linked(sim: Simulator, backend: TelphinBackend | None = None, **settings: Any) -> Linked:
    """A signed-in session of ada (or of `backend`), with these session settings."""
    session = Session(backend or telphin(sim), replace(FAST, **settings))
    await session.sign_in()
    return Linked(sim, session)


@asynccontextmanager
async def running(link: Linked) -> AsyncIterator[Linked]:
    """The session runs, online, for the block."""
    task = asyncio.create_task(link.session.run())
    try:
        await until(link.session, lambda state: state.connection == "online")
        yield link
    finally:
        link.session.stop()
        await task
        await link.session.close()


async def provider_hooks(sim: Simulator) -> list[dict[str, Any]]:
    """The agent's and its extension's subscriptions, as the provider lists them."""
    login = ada(sim)
    async with aiohttp.ClientSession() as http:
        api = provider_api(sim, http)
        found: list[dict[str, Any]] = []
        for owner in (
            f"client/{login.client_id}/agent/local/{login.agent_id}",
            f"extension/{login.extension_id}",
        ):
            found += await every_page(api, f"{owner}/event/", lambda answer: answer.body)
        return found


def provider_api(sim: Simulator, http: aiohttp.ClientSession) -> TelphinApi:
    """ada's own API client, beside the toolbar's: what another app of hers would see."""
    login = ada(sim)
    app = AppCredentials(login.app_id, login.app_secret, login.username, login.password)
    oauth = OAuth(http, sim.telphin_token_url, app, timeout=2)
    return TelphinApi(http, sim.telphin_api_url, oauth, timeout=2)
