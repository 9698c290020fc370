"""Extension callbacks as a client's listener receives them: the queue rings the agent
(`dial-in`), the agent answers (`answer`), and the ring ends (`hangup`: ANSWER, NOANSWER
or CANCEL), with the exact fields, times on the simulator clock and a new sub-call per ring."""

from collections.abc import Awaitable, Callable

import pytest
import pytest_asyncio

from agent_toolbar.simulator import ManualClock, Simulator
from tests.simulator.telphin_helpers import CALL_FIELDS, Received, Receiver, TelphinClient

EVENT_TYPES = ("dial-in", "dial-out", "answer", "hangup")
Calls = Callable[[str], Awaitable[list[Received]]]


@pytest.fixture
def user_id(sim: Simulator) -> str:
    return sim.telphin_logins[0].user_id


@pytest_asyncio.fixture
async def calls(sim: Simulator, ada_telphin: TelphinClient, receiver: Receiver) -> Calls:
    """ada available, her extension subscribed to every call event: one URL per type
    (GET for dial-in, POST for the rest). Gives the callbacks of one type once all are in
    (each subscription keeps its own order; different ones may overtake each other)."""
    for event_type in EVENT_TYPES:
        body = {
            "url": receiver.url(event_type),
            "event_type": event_type,
            "method": "GET" if event_type == "dial-in" else "POST",
        }
        assert (await ada_telphin.call("POST", "extension/2001/event/", body))[0] == 200
    await ada_telphin.call("PUT", "client/@me/agent/local/1001", {"status": "available"})

    async def received(event_type: str) -> list[Received]:
        await sim.telphin_callbacks_idle()
        return receiver.at(event_type)

    return received


def micro(seconds: float) -> str:
    return str(round(seconds * 1_000_000))


@pytest.mark.asyncio
async def test_an_answered_call_rings_answers_and_hangs_up_with_the_exact_fields(
    sim: Simulator, clock: ManualClock, user_id: str, calls: Calls
) -> None:
    start = clock()
    session = sim.engine.add_caller("Support", "Ann Caller", "+15550100")
    clock.advance(2)
    sim.engine.answer(user_id)
    clock.advance(10.5)
    sim.engine.hang_up(user_id)
    (dial_in,), (answer,), (hangup,) = [
        await calls(kind) for kind in ("dial-in", "answer", "hangup")
    ]
    assert await calls("dial-out") == []  # the simulator places no outgoing calls
    assert (dial_in.method, dial_in.path, dial_in.form) == ("GET", "/dial-in", {})
    assert (answer.method, hangup.method) == ("POST", "POST")
    assert set(dial_in.fields) == set(answer.fields) == CALL_FIELDS
    assert set(hangup.fields) == CALL_FIELDS | {"Duration", "BridgedDuration"}
    assert dial_in.fields == {
        "EventType": "dial-in",
        "CallID": session,
        "SubCallID": dial_in.fields["SubCallID"],
        "CallAPIID": dial_in.fields["CallAPIID"],
        "CallerIDNum": "+15550100",
        "CallerIDName": "Ann Caller",
        "CalledDID": "74950003002",
        "CalledExtension": "000*101@demo.sim.local",
        "CalledExtensionID": "2001",
        "CallerExtension": "000*502@demo.sim.local",
        "CallerExtensionID": "3002",
        "CalledNumber": "000*101",
        "CallStatus": "CALLING",
        "CallFlow": "in",
        "EventTime": micro(start),
    }
    assert dial_in.fields["SubCallID"].startswith("2001-")
    assert answer.fields == {
        **dial_in.fields,
        "EventType": "answer",
        "EventTime": micro(start + 2),
    }
    assert hangup.fields == {
        **dial_in.fields,
        "EventType": "hangup",
        "CallStatus": "ANSWER",
        "EventTime": micro(start + 12.5),
        "Duration": micro(12.5),
        "BridgedDuration": micro(10.5),
    }


@pytest.mark.asyncio
async def test_a_declined_ring_hangs_up_busy_and_the_next_ring_is_a_new_sub_call(
    sim: Simulator, clock: ManualClock, user_id: str, calls: Calls
) -> None:
    session = sim.engine.add_caller("Support", "Ann", "+15550100")
    clock.advance(3)
    sim.engine.decline(user_id)  # Support does not force away: the caller rings ada again
    first, second = await calls("dial-in")
    (hangup,) = await calls("hangup")
    assert (hangup.fields["CallStatus"], hangup.fields["Duration"]) == ("BUSY", micro(3))
    assert "BridgedDuration" not in hangup.fields
    assert hangup.fields["SubCallID"] == first.fields["SubCallID"]
    assert second.fields["CallID"] == first.fields["CallID"] == session
    assert second.fields["SubCallID"] != first.fields["SubCallID"]
    assert second.fields["CallAPIID"] != first.fields["CallAPIID"]


@pytest.mark.asyncio
async def test_a_ring_that_times_out_hangs_up_noanswer_at_its_own_time(
    sim: Simulator, clock: ManualClock, user_id: str, calls: Calls
) -> None:
    start = clock()
    sim.engine.add_caller("Support", "Ann", "+15550100", patience=100)
    clock.advance(30)  # the ring timed out at 8 s, whenever the engine notices
    sim.engine.agent(user_id)
    hangup = (await calls("hangup"))[0]
    assert (hangup.fields["EventType"], hangup.fields["CallStatus"]) == ("hangup", "NOANSWER")
    assert (hangup.fields["EventTime"], hangup.fields["Duration"]) == (micro(start + 8), micro(8))


@pytest.mark.asyncio
async def test_a_caller_who_gives_up_while_ringing_hangs_up_cancel(
    sim: Simulator, clock: ManualClock, user_id: str, calls: Calls
) -> None:
    sim.engine.add_caller("Support", "Ann", "+15550100", patience=5)
    clock.advance(5)
    sim.engine.agent(user_id)
    (hangup,) = await calls("hangup")
    assert (hangup.fields["EventType"], hangup.fields["CallStatus"]) == ("hangup", "CANCEL")
    assert hangup.fields["Duration"] == micro(5)


@pytest.mark.asyncio
async def test_logging_out_while_ringing_hangs_up_cancel(
    sim: Simulator, ada_telphin: TelphinClient, calls: Calls
) -> None:
    sim.engine.add_caller("Support", "Ann", "+15550100")
    await ada_telphin.call("PUT", "client/@me/agent/local/1001", {"status": "logged_out"})
    (dial_in,), (hangup,) = await calls("dial-in"), await calls("hangup")
    assert hangup.fields["CallStatus"] == "CANCEL"
    assert hangup.fields["SubCallID"] == dial_in.fields["SubCallID"]


@pytest.mark.asyncio
async def test_only_the_rung_agents_extension_hears_the_call(
    sim: Simulator, owner: TelphinClient, receiver: Receiver, calls: Calls
) -> None:
    body = {"url": receiver.url("bob"), "event_type": "dial-in", "method": "POST"}
    assert (await owner.call("POST", "extension/2002/event/", body))[0] == 200
    sim.engine.add_caller("Support", "Ann", "+15550100")  # bob is not in Support
    assert len(await calls("dial-in")) == 1
    assert [request.path for request in receiver.requests] == ["/dial-in"]
