"""Telphin's callback API on the simulator: `POST /extension/{id}/callback/` rings the
agent's phone, and once it is picked up the call shows on the extension's callbacks as a
call no queue rang; the refusals each say why; `GET /client/{id}/extension/{id}` tells a
phone from other extensions."""

from typing import Any

import aiohttp
import pytest

from agent_toolbar.simulator import ManualClock, Simulator
from tests.simulator.telphin_helpers import CALL_FIELDS, Receiver, TelphinClient, signed_in

pytestmark = pytest.mark.asyncio

NUMBER = "+15550100"
CALLBACK = "extension/2001/callback/"
EVENT_TYPES = ("dial-in", "answer", "hangup")


def placing(*sources: str, number: Any = NUMBER) -> dict[str, Any]:
    return {"src_num": list(sources or ["000*101"]), "dst_num": number}


async def subscribe(client: TelphinClient, receiver: Receiver) -> None:
    for event_type in EVENT_TYPES:
        body = {"url": receiver.url(event_type), "event_type": event_type, "method": "POST"}
        assert (await client.call("POST", "extension/2001/event/", body))[0] == 200


async def test_a_placed_call_rings_the_phone_then_calls_back_as_an_outgoing_call(
    sim: Simulator, clock: ManualClock, ada_telphin: TelphinClient, receiver: Receiver
) -> None:
    await subscribe(ada_telphin, receiver)
    user_id = sim.telphin_logins[0].user_id
    status, answer = await ada_telphin.call("POST", CALLBACK, placing())
    assert status == 200
    assert set(answer) == {"call_api_id", "call_id"}
    call_id = answer["call_id"]
    await sim.telphin_callbacks_idle()
    assert receiver.requests == [], "nothing is on while the phone rings"
    clock.advance(2)
    sim.engine.answer(user_id)
    assert sim.engine.agent(user_id).external_call_id == call_id
    clock.advance(7)
    sim.engine.hang_up(user_id)
    await sim.telphin_callbacks_idle()
    (dial_in,), (answered,), (hangup,) = [receiver.at(kind) for kind in EVENT_TYPES]
    for received in (dial_in, answered, hangup):
        fields = received.fields
        assert CALL_FIELDS - {"CalledDID"} <= set(fields)
        assert fields["CallID"] == call_id
        assert fields["CallFlow"] == "out"
        assert fields["CalledNumber"] == fields["CallerIDNum"] == NUMBER
        assert fields["CallerExtensionID"] == fields["CalledExtensionID"] == "2001"
    assert dial_in.fields["SubCallID"] == hangup.fields["SubCallID"]
    assert hangup.fields["CallStatus"] == "ANSWER"
    assert hangup.fields["Duration"] == hangup.fields["BridgedDuration"] == str(7_000_000)


async def test_the_phone_may_be_named_by_its_short_number(
    sim: Simulator, ada_telphin: TelphinClient
) -> None:
    assert (await ada_telphin.call("POST", CALLBACK, placing("101")))[0] == 200


async def test_a_phone_nobody_picks_up_gives_up_without_a_call(
    sim: Simulator, clock: ManualClock, ada_telphin: TelphinClient, receiver: Receiver
) -> None:
    await subscribe(ada_telphin, receiver)
    assert (await ada_telphin.call("POST", CALLBACK, placing()))[0] == 200
    clock.advance(31)
    user_id = sim.telphin_logins[0].user_id
    assert sim.engine.agent(user_id).external_call_id is None
    await sim.telphin_callbacks_idle()
    assert receiver.requests == []


async def test_an_external_call_not_placed_through_the_api_calls_nobody_back(
    sim: Simulator, ada_telphin: TelphinClient, receiver: Receiver
) -> None:
    await subscribe(ada_telphin, receiver)
    await ada_telphin.call("PUT", "client/@me/agent/local/1001", {"status": "available"})
    sim.engine.start_external_call(sim.telphin_logins[0].user_id)
    await sim.telphin_callbacks_idle()
    assert receiver.requests == []


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (placing(number=""), 400, "dst_num must be the number to call"),
        (placing(number=5550100), 400, "dst_num must be the number to call"),
        (placing(number="call me"), 400, "is not a number to call"),
        (placing("000*102"), 400, "src_num must list this extension's phone (000*101)"),
        ({"dst_num": NUMBER}, 400, "src_num must list this extension's phone"),
        ({"src_num": "000*101", "dst_num": NUMBER}, 400, "src_num must list"),
    ],
)
async def test_a_bad_request_is_refused_with_the_reason(
    ada_telphin: TelphinClient, body: dict[str, Any], status: int, words: str
) -> None:
    answer = await ada_telphin.call("POST", CALLBACK, body)
    assert answer[0] == status
    assert words in answer[1]["message"]


async def test_a_busy_phone_is_refused(ada_telphin: TelphinClient) -> None:
    assert (await ada_telphin.call("POST", CALLBACK, placing()))[0] == 200
    status, body = await ada_telphin.call("POST", CALLBACK, placing())
    assert status == 400
    assert "phone is busy" in body["message"]


async def test_only_a_phone_extension_of_ones_own_places_calls(
    ada_telphin: TelphinClient, owner: TelphinClient
) -> None:
    assert (await ada_telphin.call("POST", "extension/2002/callback/", placing()))[0] == 403
    status, body = await owner.call("POST", "extension/3001/callback/", placing())
    assert (status, body) == (400, {"message": "extension 3001 is not a phone"})
    assert (await owner.call("POST", "extension/9999/callback/", placing()))[0] == 404


async def test_switches_refuse_the_app_or_every_agent_extension(
    http: aiohttp.ClientSession,
) -> None:
    async with signed_in(http, callback="forbidden") as ada:
        status, body = await ada.call("POST", CALLBACK, placing())
        assert (status, body) == (403, {"message": "this application may not place calls"})
    async with signed_in(http, agent_extension_type="fax") as ada:
        status, body = await ada.call("POST", CALLBACK, placing())
        assert (status, body) == (400, {"message": "extension 2001 is not a phone"})
        status, extension = await ada.call("GET", "client/@me/extension/2001")
        assert (status, extension["type"]) == (200, "fax")


async def test_one_extension_is_read_by_its_id(ada_telphin: TelphinClient) -> None:
    status, extension = await ada_telphin.call("GET", "client/@me/extension/2001")
    assert status == 200
    assert {key: extension[key] for key in ("id", "name", "type")} == {
        "id": 2001,
        "name": "000*101",
        "type": "phone",
    }
    status, queue = await ada_telphin.call("GET", "client/@me/extension/3001")
    assert (status, queue["type"]) == (200, "queue")
    assert (await ada_telphin.call("GET", "client/@me/extension/9999"))[0] == 404
    assert (await ada_telphin.call("GET", "client/999/extension/2001"))[0] == 403
