"""Hostile websocket frames against the real Kazoo client and session, from the real
simulator on loopback: broken, huge, deeply nested, binary, someone else's, a reply to
nothing. None may crash the client, cost it the link for good, or leave a state the
server does not hold; an unreadable one is logged and makes the session ask the server."""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable

import pytest
import pytest_asyncio

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.causes import CHECKED_AFTER_UNREADABLE
from agent_toolbar.domain.commands import Command, Login, Pause, Ready
from agent_toolbar.simulator import Simulator
from tests.helpers.kazoo import Connected, connected, queue_id, scenario, until, user_id
from tests.helpers.seed import GREGORIAN_NOW
from tests.reliability.ledger import LEDGER

pytestmark = pytest.mark.asyncio

OTHER_ACCOUNT = "7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e7e"
OTHER_AGENT = "6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d6d"
View = tuple[str, str, tuple[str, ...], str | None, str | None]


@pytest_asyncio.fixture
async def ada() -> AsyncIterator[Connected]:
    async with Simulator(scenario()) as sim, connected(sim) as link:
        yield link


async def execute(ada: Connected, command: Command) -> None:
    progress = await ada.session.execute(command)
    LEDGER.command(progress)
    assert progress.phase == "confirmed", progress.reason


async def ready_and_paused(ada: Connected) -> None:
    """Logged in, ready and paused on Sales: a state with something in it to lose."""
    await execute(ada, Login())
    await execute(ada, Ready())
    await execute(ada, Pause(queue_id=queue_id(ada.sim, "Sales")))
    await asyncio.sleep(0.5)  # the check the session makes after a login is done by then


def shown(state: AgentState) -> View:
    offer = state.offer.session_id if state.offer else None
    call = state.call.session_id if state.call else None
    return (state.status, state.activity, state.paused_queues, offer, call)


def truth(ada: Connected) -> View:
    agent = ada.sim.engine.agent(ada.me)
    return (
        agent.status,
        agent.activity,
        agent.paused_queues,
        agent.offer_session_id,
        agent.call_session_id,
    )


def event_frame(name: str, account: str, recipient: str, **data: object) -> str:
    """An event frame shaped as Blackhole sends it (see resources/examples)."""
    return json.dumps(
        {
            "action": "event",
            "subscribed_key": "qubicle.recipient",
            "subscription_key": f"qubicle.recipient.{account}.*",
            "name": name,
            "routing_key": f"qubicle.recipient.{account}.{recipient}",
            "data": {
                "account_id": account,
                "event_name": name,
                "msg_id": f"hostile-{name}-{recipient}",
                "recipient_id": recipient,
                "event_timestamp": GREGORIAN_NOW + 10**6,
                **data,
            },
        }
    )


def watch_connection(ada: Connected) -> list[str]:
    seen: list[str] = []
    ada.session.subscribe(lambda state: seen.append(state.connection))
    return seen


def no_errors_logged(caplog: pytest.LogCaptureFixture) -> None:
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad == [], [r.getMessage() for r in bad]


UNREADABLE = {
    "malformed JSON": '{"action": "event", "name": "ready", "data": {"recipient_id": ',
    "over 1 MB": json.dumps({"action": "event", "name": "ready", "data": {"x": "y" * 1_100_000}}),
    "100,000 levels deep": "[" * 100_000 + "]" * 100_000,
    "binary": bytes(range(256)) * 4,
    "a JSON list, not an object": "[1, 2, 3]",
    "a JSON string, not an object": '"ready"',
    "a JSON number, not an object": "42",
    "JSON null": "null",
}


@pytest.mark.parametrize(("name", "frame"), UNREADABLE.items(), ids=UNREADABLE.keys())
async def test_an_unreadable_frame_is_logged_and_the_server_is_asked(
    ada: Connected, name: str, frame: str | bytes, caplog: pytest.LogCaptureFixture
) -> None:
    with LEDGER.fault(f"hostile frame: {name}"):
        await ready_and_paused(ada)
        # The toolbar misses an event first: only asking the server can put it right.
        ada.sim.faults.drop_events(times=1)
        ada.sim.engine.set_status(ada.me, "away", "lunch")
        await asyncio.sleep(0.2)
        assert ada.state.status == "ready"
        seen = watch_connection(ada)
        assert ada.sim.faults.send_raw(frame) == 1
        repaired = await until(ada.session, lambda state: state.status == "away")
        assert repaired.history[-1].cause.startswith(CHECKED_AFTER_UNREADABLE)
        assert shown(repaired) == truth(ada)
        assert set(seen) == {"online"}  # the link never dropped
        assert any(
            record.name == "agent_toolbar.session"
            and record.getMessage().startswith("skipped an unreadable frame")
            for record in caplog.records
        )
        no_errors_logged(caplog)
        await link_still_carries_events(ada)


async def link_still_carries_events(ada: Connected) -> None:
    """An event the server sends now still arrives, and the state is the server's."""
    ada.sim.engine.set_status(ada.me, "ready")
    after = await until(ada.session, lambda state: state.status == "ready")
    assert after.history[-1].source != "reconnect"
    assert shown(after) == truth(ada)


async def test_a_frame_too_large_for_the_socket_costs_one_reconnect(
    ada: Connected, caplog: pytest.LogCaptureFixture
) -> None:
    with LEDGER.fault("hostile frame: over 8 MB (the socket's limit)"):
        await ready_and_paused(ada)
        ada.sim.faults.drop_events(times=1)
        ada.sim.engine.set_status(ada.me, "away", "lunch")
        seen = watch_connection(ada)
        ada.sim.faults.send_raw("[" + "0," * 4_500_000 + "0]")
        back = await until(
            ada.session, lambda state: state.connection == "online" and state.status == "away"
        )
        assert "stale" in seen
        assert shown(back) == truth(ada)
        no_errors_logged(caplog)
        await link_still_carries_events(ada)


NOT_OURS: dict[str, Callable[[Connected], str]] = {
    "another account's agent": lambda ada: event_frame(
        "logout", OTHER_ACCOUNT, OTHER_AGENT, state="logged_out"
    ),
    "another agent of our account": lambda ada: event_frame(
        "away", ada.sim.engine.account_id, user_id(ada.sim, "grace"), state="away", reason="lunch"
    ),
    "an offer to another agent": lambda ada: event_frame(
        "offer",
        ada.sim.engine.account_id,
        user_id(ada.sim, "grace"),
        queue_id=queue_id(ada.sim, "Support"),
        session_id="hostile-session",
        ring_timeout=20,
    ),
}


@pytest.mark.parametrize(("name", "make"), NOT_OURS.items(), ids=NOT_OURS.keys())
async def test_a_frame_about_someone_else_changes_nothing(
    ada: Connected, name: str, make: Callable[[Connected], str], caplog: pytest.LogCaptureFixture
) -> None:
    with LEDGER.fault(f"hostile frame: {name}"):
        await ready_and_paused(ada)
        before = ada.state
        seen = watch_connection(ada)
        assert ada.sim.faults.send_raw(make(ada)) == 1
        ada.sim.engine.set_status(ada.me, "away", "lunch")  # after it, on the same socket
        after = await until(ada.session, lambda state: state.status == "away")
        assert after.history[:-1] == before.history  # only the away was written
        assert after.history[-1].source != "reconnect"
        assert (after.offer, after.paused_queues) == (None, before.paused_queues)
        assert shown(after) == truth(ada)
        assert set(seen) == {"online"}
        no_errors_logged(caplog)


async def test_a_reply_to_a_request_never_sent_is_ignored(
    ada: Connected, caplog: pytest.LogCaptureFixture
) -> None:
    with LEDGER.fault("hostile frame: a reply to a request never sent"):
        await ready_and_paused(ada)
        before = ada.state
        seen = watch_connection(ada)
        reply = {
            "action": "reply",
            "request_id": "never-sent-1",
            "status": "error",
            "data": {"errors": ["failed to authenticate token"]},
        }
        assert ada.sim.faults.send_raw(json.dumps(reply)) == 1
        ada.sim.engine.set_status(ada.me, "away", "lunch")
        after = await until(ada.session, lambda state: state.status == "away")
        assert after.history[:-1] == before.history
        assert shown(after) == truth(ada)
        assert set(seen) == {"online"}
        assert any(
            record.getMessage()
            == "a reply to request never-sent-1, which is not waiting, was ignored"
            for record in caplog.records
        )
        no_errors_logged(caplog)
        await execute(ada, Ready())  # the link's own requests still find their replies
