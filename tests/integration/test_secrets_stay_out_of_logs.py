"""The proof: whole Kazoo and Telphin sessions, logged at debug level, leave no secret
in the log files or in the diagnostics text.

Real simulator, real clients, real log files. The simulator's token stores and its
subscription list are watched where they issue and receive (the real methods run),
so that every token and the callback path token of the run are known. Then each
secret is also written by a careless debug line, bare and inside a traceback, as a
future change might do: the masks must catch those too, which proves that every
secret was handed to `keep_secret` where it arrived.
"""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio
from yarl import URL

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.backends.kazoo.auth import Credentials
from agent_toolbar.backends.kazoo.backend import KazooBackend, KazooSettings
from agent_toolbar.backends.telphin.backend import TelphinBackend, TelphinSettings
from agent_toolbar.backends.telphin.oauth import AppCredentials
from agent_toolbar.domain.commands import Away, Login, Logout, Ready
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Simulator
from agent_toolbar.simulator.kazoo.tokens import credentials_hash
from agent_toolbar.support import logs
from agent_toolbar.support.diagnostics import diagnostics
from agent_toolbar.support.redaction import MASK
from tests.helpers.issued import Issued
from tests.helpers.kazoo import FAST, PASSWORDS, backend, connected, scenario, until, user_id

pytestmark = pytest.mark.asyncio

WRONG_PASSWORD = "not-adas-password-7"
CARELESS = logging.getLogger("agent_toolbar.careless")


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = logs.configure("debug", directory=tmp_path / "log", console=False)
    assert path is not None
    yield path
    logs.close()


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(scenario()) as simulator:
        yield simulator


async def kazoo_session(sim: Simulator) -> None:
    """Sign in, connect, log in, a call offered, answered and hung up, an expired token,
    a dropped link, then out."""
    async with connected(sim) as ada:
        assert (await ada.session.execute(Login())).phase == "confirmed"
        assert (await ada.session.execute(Ready())).phase == "confirmed"
        sim.engine.add_caller("Sales", "Marie Curie", "+33123456789", talk_seconds=30)
        await until(ada.session, lambda state: state.offer is not None)
        sim.engine.answer(ada.me)
        await until(ada.session, lambda state: state.activity == "on_call")
        sim.engine.hang_up(ada.me)
        await until(ada.session, lambda state: state.activity != "on_call")
        sim.faults.expire_tokens()
        assert (await ada.session.execute(Away(reason="lunch"))).phase == "confirmed"
        await sim.faults.refuse_connections(0.3)
        await sim.faults.drop_sockets()
        await until(ada.session, lambda state: state.connection == "stale")
        await until(ada.session, lambda state: state.connection == "online")
        assert (await ada.session.execute(Logout())).phase == "confirmed"


async def kazoo_refusals_and_api_key(sim: Simulator) -> None:
    refused = Session(backend(sim, password=WRONG_PASSWORD), FAST)
    with pytest.raises(SignedOut):
        await refused.sign_in()
    await refused.close()
    key = next(login.api_key for login in sim.logins if login.username == "ada")
    settings = KazooSettings(
        api_url=sim.api_url, credentials=Credentials(api_key=key), request_timeout=2.0
    )
    session = Session(KazooBackend(settings), FAST)
    assert (await session.sign_in()).recipient_id == user_id(sim, "ada")
    running = asyncio.create_task(session.run())
    await until(session, lambda state: state.connection == "online")
    session.stop()
    await running
    await session.close()


def telphin(sim: Simulator, password: str = PASSWORDS["ada"]) -> TelphinBackend:
    login = next(each for each in sim.telphin_logins if each.username == "ada")
    app = AppCredentials(login.app_id, login.app_secret, login.username, password)
    return TelphinBackend(
        TelphinSettings(
            api_url=sim.telphin_api_url,
            token_url=sim.telphin_token_url,
            app=app,
            request_timeout=2.0,
        )
    )


async def telphin_session(sim: Simulator) -> None:
    """A refused password, then: sign in, connect, log in, a call, an expired token, a
    reconnect, log out, and a clean exit that removes the subscriptions."""
    refused = Session(telphin(sim, WRONG_PASSWORD), FAST)
    with pytest.raises(SignedOut):
        await refused.sign_in()
    await refused.close()
    session = Session(telphin(sim), replace(FAST, backoff_first=0.05))
    await session.sign_in()
    running = asyncio.create_task(session.run())
    await until(session, lambda state: state.connection == "online")
    assert (await session.execute(Login())).phase == "confirmed"
    me = next(each.user_id for each in sim.telphin_logins if each.username == "ada")
    sim.engine.add_caller("Support", "Grace Hopper", "+12025550143", talk_seconds=30)
    await until(session, lambda state: state.offer is not None)
    sim.engine.answer(me)
    await until(session, lambda state: state.call is not None)
    sim.engine.hang_up(me)
    await until(session, lambda state: state.call is None)
    sim.faults.expire_tokens()
    assert (await session.execute(Logout())).phase == "confirmed"
    session.reconnect_now("the test asked")
    await until(session, lambda state: state.connection != "online")
    await until(session, lambda state: state.connection == "online")
    session.stop()
    await running
    await session.close()


def used_secrets(sim: Simulator, issued: Issued) -> dict[str, str]:
    """Every secret of the run, by what it is."""
    kazoo = next(login for login in sim.logins if login.username == "ada")
    telphin = next(login for login in sim.telphin_logins if login.username == "ada")
    found = {
        "password": PASSWORDS["ada"],
        "wrong password": WRONG_PASSWORD,
        "API key": kazoo.api_key,
        "password hash": credentials_hash("ada", PASSWORDS["ada"]),
        "wrong password hash": credentials_hash("ada", WRONG_PASSWORD),
        "app secret": telphin.app_secret,
    }
    found |= {f"token {number}": token for number, token in enumerate(issued.tokens)}
    found |= {f"path token {n}": token for n, token in enumerate(sorted(issued.path_tokens))}
    return found


def write_carelessly(secrets: dict[str, str]) -> int:
    """Log each secret as a careless debug line would: bare, in a sign-in body, in a traceback."""
    lines = 0
    for what, secret in secrets.items():
        if "hash" not in what:  # the hashes are never held by the toolbar, only sent
            CARELESS.debug("%s is %s", what, secret)
            try:
                raise RuntimeError(f"failed with {secret}")
            except RuntimeError:
                CARELESS.exception("while using the %s", what)
            lines += 2
    for password in (PASSWORDS["ada"], WRONG_PASSWORD):
        body = Credentials(account_name="demo", username="ada", password=password).request()[1]
        CARELESS.debug("sign-in body: %s", json.dumps(body))
        lines += 1
    return lines


async def test_whole_sessions_leave_no_secret_in_the_logs_or_diagnostics(
    sim: Simulator, issued: Issued, log_file: Path
) -> None:
    await kazoo_session(sim)
    await kazoo_refusals_and_api_key(sim)
    await telphin_session(sim)
    secrets = used_secrets(sim, issued)
    assert len(issued.tokens) >= 6  # Kazoo: sign-ins and renewals; Telphin: pairs and renewals
    assert len(issued.path_tokens) == 1
    careless = write_carelessly(secrets)

    written = "".join(path.read_text("utf-8") for path in sorted(log_file.parent.iterdir()))
    shown = diagnostics(
        backend="telphin",
        api_url=sim.telphin_api_url,
        connection="online",
        log_file=log_file,
        tail_lines=200,
    )
    for text in (written, shown):
        leaked = sorted(what for what, secret in secrets.items() if secret in text)
        assert leaked == []

    assert written.count(MASK) >= careless
    for normal in (
        "agent_toolbar.kazoo: signed in to account",
        "agent_toolbar.kazoo.blackhole: subscribed to",
        "agent_toolbar.simulator.faults: fault: expiring every token",
        "agent_toolbar.telphin: signed in to client",
        "agent_toolbar.telphin.listener: listening for callbacks",
        "agent_toolbar.session: connecting again",
    ):
        assert normal in written
    assert f"Server: {URL(sim.telphin_api_url).origin()}\n" in shown
    assert written.splitlines()[-1] in shown
