"""An unplugged phone (not registered): its state letter is `u`, and each ring the queue
makes to it fails at once with `CHANUNAVAIL`, the caller going back to the queue; a
retry comes no sooner than 5 s later. Driven by `telphin_phone` and `/sim/telphin`."""

import aiohttp
import pytest

from agent_toolbar.simulator import ManualClock, Simulator
from tests.simulator.telphin_helpers import Receiver, TelphinClient, telphin_login

pytestmark = pytest.mark.asyncio

ADA = "client/@me/agent/local/1001"


@pytest.fixture
def user_id(sim: Simulator) -> str:
    return telphin_login(sim, "ada").user_id


async def subscribe_calls(client: TelphinClient, receiver: Receiver) -> None:
    for kind in ("dial-in", "answer", "hangup"):
        hook = {"url": receiver.url(kind), "event_type": kind, "method": "POST"}
        assert (await client.call("POST", "extension/2001/event/", hook))[0] == 200
    await client.call("PUT", ADA, {"status": "available"})


async def letter(client: TelphinClient) -> str:
    return str((await client.call("GET", ADA))[1]["state"])


async def test_an_unplugged_phone_is_u_while_logged_in_and_r_once_plugged_in(
    sim: Simulator, ada_telphin: TelphinClient, user_id: str
) -> None:
    sim.telphin_phone(user_id, "unplug")
    assert await letter(ada_telphin) == "l"  # logged out: the queue rings nobody
    await ada_telphin.call("PUT", ADA, {"status": "available"})
    assert await letter(ada_telphin) == "u"
    sim.telphin_phone(user_id, "plug")
    assert await letter(ada_telphin) == "r"


async def test_a_ring_to_an_unplugged_phone_fails_at_once_with_chanunavail(
    sim: Simulator, ada_telphin: TelphinClient, receiver: Receiver, user_id: str
) -> None:
    await subscribe_calls(ada_telphin, receiver)
    sim.telphin_phone(user_id, "unplug")
    session = sim.engine.add_caller("Support", "Ann", "+15550100")
    await sim.telphin_callbacks_idle()
    (dial_in,), (hangup,) = receiver.at("dial-in"), receiver.at("hangup")
    assert hangup.fields["CallStatus"] == "CHANUNAVAIL"
    assert (hangup.fields["CallID"], hangup.fields["SubCallID"]) == (
        session,
        dial_in.fields["SubCallID"],
    )
    assert hangup.fields["EventTime"] == dial_in.fields["EventTime"]
    assert hangup.fields["Duration"] == "0"
    assert "BridgedDuration" not in hangup.fields
    assert receiver.at("answer") == []
    view = sim.engine.agent(user_id)
    assert view.stats.missed_calls == 1
    # Support does not force away: the caller rings ada again, and waits out the retry.
    assert view.offer_session_id == session


async def ring_unplugged(
    sim: Simulator,
    ada_telphin: TelphinClient,
    receiver: Receiver,
    user_id: str,
    *,
    patience: float,
) -> None:
    """Ada's phone unplugged, and a caller in Support who waits `patience` seconds."""
    await subscribe_calls(ada_telphin, receiver)
    sim.telphin_phone(user_id, "unplug")
    sim.engine.add_caller("Support", "Ann", "+15550100", patience=patience)
    await sim.telphin_callbacks_idle()


async def test_the_queue_tries_an_unplugged_phone_again_only_after_the_retry(
    sim: Simulator,
    clock: ManualClock,
    ada_telphin: TelphinClient,
    receiver: Receiver,
    user_id: str,
) -> None:
    await ring_unplugged(sim, ada_telphin, receiver, user_id, patience=100)
    assert len(receiver.at("hangup")) == 1
    clock.advance(4.9)
    await sim.telphin_callbacks_idle()
    assert len(receiver.at("hangup")) == 1
    clock.advance(0.1)
    await sim.telphin_callbacks_idle()
    first, second = receiver.at("hangup")
    assert second.fields["CallStatus"] == "CHANUNAVAIL"
    assert int(second.fields["EventTime"]) - int(first.fields["EventTime"]) == 5_000_000
    assert second.fields["SubCallID"] != first.fields["SubCallID"]


async def test_once_plugged_in_the_next_ring_rings_the_phone(
    sim: Simulator,
    clock: ManualClock,
    ada_telphin: TelphinClient,
    receiver: Receiver,
    user_id: str,
) -> None:
    await ring_unplugged(sim, ada_telphin, receiver, user_id, patience=100)
    sim.telphin_phone(user_id, "plug")
    clock.advance(5)  # the ring made while unplugged still fails; the next one rings
    await sim.telphin_callbacks_idle()
    assert [hangup.fields["CallStatus"] for hangup in receiver.at("hangup")] == [
        "CHANUNAVAIL",
        "CHANUNAVAIL",
    ]
    assert len(receiver.at("dial-in")) == 3
    sim.engine.answer(user_id)
    await sim.telphin_callbacks_idle()
    assert len(receiver.at("answer")) == 1


async def test_a_caller_who_gives_up_before_a_retry_is_dialled_sends_nothing(
    sim: Simulator,
    clock: ManualClock,
    ada_telphin: TelphinClient,
    receiver: Receiver,
    user_id: str,
) -> None:
    await ring_unplugged(
        sim, ada_telphin, receiver, user_id, patience=3
    )  # the first ring fails; the retry waits 5 s
    clock.advance(3)
    sim.engine.agent(user_id)
    await sim.telphin_callbacks_idle()
    assert (len(receiver.at("dial-in")), len(receiver.at("hangup"))) == (1, 1)


async def test_the_sim_route_unplugs_and_plugs_in_and_logs_in_from_the_phone(
    sim: Simulator, http: aiohttp.ClientSession, ada_telphin: TelphinClient, user_id: str
) -> None:
    root = sim.telphin_api_url.removesuffix("/api/ver1.0")

    async def act(action: str, who: str = user_id) -> tuple[int, dict[str, object]]:
        async with http.post(f"{root}/sim/telphin/phones/{who}/{action}") as answer:
            return answer.status, await answer.json()

    status, body = await act("login")
    assert (status, body["phone"]) == (200, "plugged")
    status, body = await act("unplug")
    assert (status, body["phone"]) == (200, "unplugged")
    assert await letter(ada_telphin) == "u"
    assert (await act("plug"))[1]["phone"] == "plugged"
    status, body = await act("explode")
    assert status == 404
    assert "use one of login, logout, unplug, plug" in str(body["error"])
    status, body = await act("unplug", "nobody")
    assert status == 404
    assert set(body) == {"error"}
    async with http.post(f"{root}/sim/agents/{user_id}/decline") as answer:
        assert answer.status == 400  # the Kazoo-side controls still answer under /sim
