"""The session and the Kazoo client against the simulator: real websockets, real HTTP."""

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
import pytest_asyncio

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.domain.commands import Away, Login, Logout, Pause, Ready, Resume
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Simulator
from tests.helpers.kazoo import (
    FAST,
    Connected,
    backend,
    connected,
    queue_id,
    scenario,
    until,
    user_id,
)

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(scenario()) as simulator:
        yield simulator


@pytest_asyncio.fixture
async def ada(sim: Simulator) -> AsyncIterator[Connected]:
    async with connected(sim) as link:
        yield link


async def ready(ada: Connected) -> None:
    assert (await ada.session.execute(Login())).phase == "confirmed"
    assert (await ada.session.execute(Ready())).phase == "confirmed"


async def test_sign_in_follows_our_agent_and_reads_its_state(ada: Connected) -> None:
    assert ada.session.identity is not None
    assert ada.session.identity.recipient_id == ada.me
    assert (ada.state.status, ada.state.connection, ada.state.stale_since) == (
        "logged_out",
        "online",
        None,
    )


async def test_a_wrong_password_is_refused_in_plain_words(sim: Simulator) -> None:
    session = Session(backend(sim, password="wrong"), FAST)
    with pytest.raises(SignedOut, match="refused the user name, password or account"):
        await session.sign_in()
    await session.close()


async def test_login_and_ready_are_confirmed_by_the_servers_events(ada: Connected) -> None:
    login = await ada.session.execute(Login())
    assert login.phase == "confirmed"
    assert ada.state.status == "away"
    assert (await ada.session.execute(Ready())).phase == "confirmed"
    assert ada.state.status == "ready"
    assert ada.sim.engine.agent(ada.me).status == "ready"
    assert ada.state.history[-1].source == "you"


async def test_an_offer_is_answered_talked_wrapped_up_and_done(ada: Connected) -> None:
    await ready(ada)
    ada.sim.engine.add_caller("Sales", "Marie Curie", "+33123456789", talk_seconds=0.5)
    ringing = await until(ada.session, lambda state: state.offer is not None)
    offer = ringing.offer
    assert offer is not None
    assert (offer.caller_id_name, offer.caller_id_number) == ("Marie Curie", "+33123456789")
    assert offer.queue_id == queue_id(ada.sim, "Sales")
    assert offer.offered_at is not None
    assert offer.deadline == offer.offered_at + 3
    assert offer.force_away_on_reject
    ada.sim.engine.answer(ada.me)
    talking = await until(ada.session, lambda state: state.activity == "on_call")
    assert talking.call is not None
    assert talking.call.caller_id_name == "Marie Curie"
    wrapping = await until(ada.session, lambda state: state.activity == "wrapup")
    assert wrapping.wrapup is not None
    assert wrapping.wrapup.seconds == 1
    done = await until(ada.session, lambda state: state.activity == "idle")
    assert done.status == "ready"
    assert done.stats.total_calls == 1


async def test_a_declined_offer_forces_away_and_says_why(ada: Connected) -> None:
    await ready(ada)
    ada.sim.engine.add_caller("Sales", "Alan Turing", "+442071234567")
    await until(ada.session, lambda state: state.offer is not None)
    ada.sim.engine.decline(ada.me)
    away = await until(ada.session, lambda state: state.status == "away")
    assert away.missed_offer is not None
    assert away.missed_offer.forced_away
    assert away.missed_offer.declined  # long before its deadline: the agent declined it
    assert "declined the call from Alan Turing" in away.history[-1].cause
    assert away.stats.missed_calls == 1


async def test_an_offer_is_withdrawn_when_the_caller_gives_up(ada: Connected) -> None:
    await ready(ada)
    ada.sim.engine.add_caller("Support", "Grace Hopper", "+12025550143", patience=0.5)
    await until(ada.session, lambda state: state.offer is not None)
    gone = await until(ada.session, lambda state: state.offer is None)
    assert gone.missed_offer is None
    assert gone.history[-1].cause == "the queue withdrew the offer (caller left)"


async def test_pause_and_resume_a_queue(ada: Connected) -> None:
    await ready(ada)
    sales = queue_id(ada.sim, "Sales")
    assert (await ada.session.execute(Pause(queue_id=sales))).phase == "confirmed"
    assert ada.state.paused_queues == (sales,)
    assert ada.sim.engine.agent(ada.me).paused_queues == (sales,)
    assert (await ada.session.execute(Resume(queue_id=sales))).phase == "confirmed"
    assert ada.state.paused_queues == ()


async def test_a_timed_pause_is_resumed_by_the_toolbar(ada: Connected) -> None:
    await ready(ada)
    support = queue_id(ada.sim, "Support")
    assert (await ada.session.execute(Pause(queue_id=support, timeout=1))).phase == "confirmed"
    resumed = await until(ada.session, lambda state: state.paused_queues == ())
    assert resumed.commands[-1].command == Resume(queue_id=support)
    assert ada.sim.engine.carried_out(ada.me)[f"resume:{support}"] == 1


async def test_external_calls_monitoring_and_logout(ada: Connected) -> None:
    await ready(ada)
    ada.sim.engine.start_external_call(ada.me)
    await until(ada.session, lambda state: state.activity == "external_call")
    ada.sim.engine.end_external_call(ada.me)
    await until(ada.session, lambda state: state.activity == "idle")
    ada.sim.engine.add_caller("Support", "Katherine Johnson", "+17575550199", talk_seconds=30)
    await until(ada.session, lambda state: state.offer is not None)
    ada.sim.engine.answer(ada.me)
    await until(ada.session, lambda state: state.activity == "on_call")
    ada.sim.engine.monitor(user_id(ada.sim, "boss"), ada.me, "whisper")
    tapped = await until(ada.session, lambda state: state.wiretap is not None)
    assert tapped.wiretap is not None
    assert (tapped.wiretap.role, tapped.wiretap.mode) == ("monitored", "whisper")
    assert tapped.history[-1].source == "supervisor"
    assert (await ada.session.execute(Logout())).phase == "confirmed"
    assert (ada.state.status, ada.state.call, ada.state.wiretap) == ("logged_out", None, None)


async def test_a_missed_event_is_corrected_by_the_periodic_sync() -> None:
    async with Simulator(scenario(sync_interval=0.5)) as sim, connected(sim) as ada:
        await ada.session.execute(Login())
        sim.faults.drop_events(times=1)
        sim.engine.set_status(ada.me, "ready")
        synced = await until(ada.session, lambda state: state.status == "ready")
        assert synced.history[-1].cause == "the server's periodic sync says Ready"


async def test_monitoring_ends_and_failed_attempts_reach_the_supervisor(sim: Simulator) -> None:
    async with connected(sim, username="boss") as boss:
        me = user_id(sim, "boss")
        assert boss.session.identity is not None
        assert boss.session.identity.recipient_id == me
        before = boss.state.applied
        sim.engine.monitor(me, user_id(sim, "ada"), "barge")  # ada is on no call: it fails
        await until(boss.session, lambda state: state.applied == before + 1)
        assert boss.state.wiretap is None
        grace = user_id(sim, "grace")
        sim.engine.set_status(grace, "ready")
        sim.engine.add_caller("Support", "Hedy Lamarr", "+15550101", talk_seconds=30)
        sim.engine.answer(grace)
        sim.engine.monitor(me, grace, "eavesdrop")
        watching = await until(boss.session, lambda state: state.wiretap is not None)
        assert watching.wiretap is not None
        assert (watching.wiretap.role, watching.wiretap.target) == ("monitoring", grace)
        sim.engine.stop_monitor(me)
        await until(boss.session, lambda state: state.wiretap is None)


async def test_tokens_that_expire_by_themselves_are_renewed_before_use() -> None:
    async with Simulator(scenario(token_lifetime=1.0)) as sim, connected(sim) as ada:
        await ada.session.execute(Login())
        await asyncio.sleep(1.2)
        assert (await ada.session.execute(Ready())).phase == "confirmed"
        assert ada.state.connection == "online"


async def test_queue_names_membership_and_pressure_reach_the_state(ada: Connected) -> None:
    names = {queue.name: queue for queue in ada.state.queues}
    assert set(names) == {"Sales", "Support"}
    # Membership is read from the queues' recipients, logged in or not.
    assert all(queue.member for queue in ada.state.queues)
    await ready(ada)
    ada.sim.engine.add_caller("Sales", "Marie Curie", "+33123456789")
    busy = await until(
        ada.session, lambda state: any(q.name == "Sales" and q.in_queue for q in state.queues)
    )
    sales = next(queue for queue in busy.queues if queue.name == "Sales")
    assert sales.in_queue == 1
    assert sales.queue_id == queue_id(ada.sim, "Sales")


async def test_away_after_this_call_is_made_when_the_call_ends(ada: Connected) -> None:
    await ready(ada)
    ada.sim.engine.add_caller("Sales", "Marie Curie", "+33123456789", talk_seconds=30)
    await until(ada.session, lambda state: state.offer is not None)
    ada.sim.engine.answer(ada.me)
    await until(ada.session, lambda state: state.call is not None)
    assert ada.session.defer(Away(reason="lunch"), "call") is None
    assert ada.state.deferred is not None
    ada.sim.engine.hang_up(ada.me)
    away = await until(ada.session, lambda state: state.status == "away")
    assert (away.away_reason, away.deferred) == ("lunch", None)
    assert away.history[-1].source == "you"


async def test_log_out_after_wrapup_waits_for_the_wrapup(ada: Connected) -> None:
    await ready(ada)
    ada.sim.engine.add_caller("Sales", "Alan Turing", "+442071234567", talk_seconds=30)
    await until(ada.session, lambda state: state.offer is not None)
    ada.sim.engine.answer(ada.me)
    await until(ada.session, lambda state: state.call is not None)
    assert ada.session.defer(Logout(), "wrapup") is None
    ada.sim.engine.hang_up(ada.me)
    wrapping = await until(ada.session, lambda state: state.wrapup is not None)
    await asyncio.sleep(0.5)
    assert ada.state.status == "ready"  # not logged out during wrap-up
    assert wrapping.deferred is not None
    done = await until(ada.session, lambda state: state.status == "logged_out", timeout=6)
    assert done.deferred is None
    assert ada.sim.engine.agent(ada.me).status == "logged_out"


async def test_a_deferral_can_be_cancelled_and_needs_a_call(ada: Connected) -> None:
    await ready(ada)
    assert ada.session.defer(Logout(), "call") == "there is no call to wait for"
    ada.sim.engine.add_caller("Sales", "Ada Byron", "+441632960001", talk_seconds=30)
    await until(ada.session, lambda state: state.offer is not None)
    ada.sim.engine.answer(ada.me)
    await until(ada.session, lambda state: state.call is not None)
    ada.session.defer(Logout(), "call")
    ada.session.cancel_deferred()
    ada.sim.engine.hang_up(ada.me)
    await until(ada.session, lambda state: state.call is None)
    await asyncio.sleep(1.3)
    assert ada.state.status == "ready"


async def test_other_agents_events_do_not_touch_our_state(ada: Connected) -> None:
    await ready(ada)
    before = ada.state
    grace = user_id(ada.sim, "grace")
    ada.sim.engine.set_status(grace, "ready")
    ada.sim.engine.pause(grace, queue_id(ada.sim, "Sales"))
    ada.sim.engine.set_status(grace, "away", "lunch")
    await asyncio.sleep(0.3)
    assert (ada.state.status, ada.state.paused_queues, ada.state.history) == (
        before.status,
        before.paused_queues,
        before.history,
    )


async def test_a_refused_change_fails_with_the_servers_reason(ada: Connected) -> None:
    refused = await ada.session.execute(Ready())
    assert refused.phase == "failed"
    assert refused.reason is not None
    assert refused.reason.startswith("the server refused: 400")
    await ready(ada)
    unknown = await ada.session.execute(Pause(queue_id="no-such-queue"))
    assert unknown.phase == "failed"
    assert unknown.reason is not None
    assert unknown.reason.startswith("the server refused: target_queue: Value not found")
    assert ada.state.refusal("pause_queues") is None  # a refused value, not the key


async def test_a_second_click_while_pending_sends_nothing_new(ada: Connected) -> None:
    await ada.session.execute(Login())
    first, second = await asyncio.gather(
        ada.session.execute(Away(reason="lunch")), ada.session.execute(Away(reason="lunch"))
    )
    assert first == second
    assert first.phase == "confirmed"
    assert [each.id for each in ada.state.commands].count(first.id) == 1


async def test_token_expiry_mid_session_signs_in_again(ada: Connected) -> None:
    await ada.session.execute(Login())
    ada.sim.faults.expire_tokens()
    assert (await ada.session.execute(Ready())).phase == "confirmed"
    assert ada.state.connection == "online"


async def test_events_missed_while_disconnected_are_reconciled(ada: Connected) -> None:
    await ready(ada)
    await ada.sim.faults.refuse_connections(1.0)
    await ada.sim.faults.drop_sockets()
    stale = await until(ada.session, lambda state: state.connection == "stale")
    assert stale.stale_since is not None
    ada.sim.engine.set_status(ada.me, "away", "supervisor")
    back = await until(ada.session, lambda state: state.connection == "online")
    assert (back.status, back.stale_since) == ("away", None)
    assert back.away_reason is None  # Kazoo's status reply states no reason
    assert back.history[-1].source == "reconnect"


async def test_a_server_down_for_a_while_is_retried_until_it_returns(ada: Connected) -> None:
    await ada.sim.faults.refuse_connections(1.5)
    await ada.sim.faults.drop_sockets()
    retrying = await until(ada.session, lambda state: state.reconnect_attempt >= 2)
    assert retrying.connection == "stale"
    assert retrying.connection_problem is not None
    assert "refused the connection" in retrying.connection_problem
    back = await until(ada.session, lambda state: state.connection == "online", timeout=10)
    assert (back.reconnect_attempt, back.connection_problem) == (0, None)


async def test_a_returning_server_is_found_within_seconds_not_at_the_end_of_a_backoff() -> None:
    slow = replace(FAST, backoff_first=8.0, backoff_max=60.0, probe_interval=0.3)
    async with Simulator(scenario()) as sim, connected(sim, slow) as ada:
        await sim.faults.refuse_connections(1.0)
        await sim.faults.drop_sockets()
        waiting = await until(ada.session, lambda state: state.next_try_at is not None)
        assert waiting.next_try_at is not None
        assert waiting.next_try_at - ada.session.server_now() > 5  # the backoff's own wait
        started = time.monotonic()
        await until(ada.session, lambda state: state.connection == "online", timeout=10)
        assert time.monotonic() - started < 3.0
        assert ada.state.next_try_at is None


async def test_a_server_that_answers_with_failures_is_not_probed_into_a_storm() -> None:
    slow = replace(FAST, backoff_first=2.0, backoff_max=2.0, probe_interval=0.1)
    async with Simulator(scenario()) as sim, connected(sim, slow) as ada:
        await sim.faults.drop_sockets()
        # The check after reconnecting fails (the queue list, then the status): the port
        # takes connections, but the server answers with failures: no shortcut then.
        sim.faults.fail_rest(status=503, times=2)
        await until(ada.session, lambda state: state.reconnect_attempt == 2)
        started = time.monotonic()
        await until(ada.session, lambda state: state.connection == "online", timeout=10)
        assert time.monotonic() - started > 1.2  # the backoff was waited out (±20 % jitter)


async def test_each_outage_starts_the_backoff_over(ada: Connected) -> None:
    seen: list[int] = []
    ada.session.subscribe(lambda state: seen.append(state.reconnect_attempt))
    await ada.sim.faults.refuse_connections(1.0)
    await ada.sim.faults.drop_sockets()
    await until(ada.session, lambda state: state.reconnect_attempt >= 2)
    await until(ada.session, lambda state: state.connection == "online", timeout=10)
    seen.clear()
    await ada.sim.faults.drop_sockets()
    await until(ada.session, lambda state: state.connection == "stale")
    await until(ada.session, lambda state: state.connection == "online", timeout=10)
    assert max(seen) == 1  # the first try after a new loss, not where the last outage ended


async def test_server_errors_are_retried(ada: Connected) -> None:
    await ada.session.execute(Login())
    ada.sim.faults.fail_rest(status=500, times=2)
    assert (await ada.session.execute(Ready())).phase == "confirmed"
    ada.sim.faults.fail_rest(status=503, times=1, retry_after=0.2)
    assert (await ada.session.execute(Away())).phase == "confirmed"


async def test_a_hanging_server_is_timed_out_and_retried(sim: Simulator) -> None:
    async with connected(sim, request_timeout=0.5) as ada:
        await ada.session.execute(Login())
        sim.faults.hang_rest(seconds=1.5, times=1)
        assert (await ada.session.execute(Ready())).phase == "confirmed"


async def test_a_server_failing_for_good_fails_the_change_visibly(ada: Connected) -> None:
    await ada.session.execute(Login())
    ada.sim.faults.fail_rest(status=502, times=1000)
    failed = await ada.session.execute(Ready())
    assert failed.phase == "failed"
    assert failed.reason is not None
    assert failed.reason.startswith("the change could not be sent")
    assert ada.state.commands[-1] == failed


async def test_a_dropped_event_is_repaired_by_asking_the_server(ada: Connected) -> None:
    await ready(ada)
    ada.sim.faults.drop_events(times=1)
    away = await ada.session.execute(Away(reason="lunch"))
    assert away.phase == "confirmed"
    assert (ada.state.status, ada.state.away_reason) == ("away", "lunch")


async def test_a_duplicated_event_changes_nothing(ada: Connected) -> None:
    await ada.session.execute(Login())
    applied = ada.state.applied
    ada.sim.faults.duplicate_events(times=1)
    assert (await ada.session.execute(Away(reason="lunch"))).phase == "confirmed"
    ada.sim.engine.set_status(ada.me, "ready")
    await until(ada.session, lambda state: state.status == "ready")
    assert ada.state.applied == applied + 2  # the away and the ready; not the away's copy
    assert [change.new for change in ada.state.history if change.aspect == "status"] == [
        "away",
        "away: lunch",
        "ready",
    ]


async def test_a_failed_periodic_check_leaves_the_state_stale_until_one_succeeds(
    sim: Simulator,
) -> None:
    async with connected(sim, replace(FAST, reconcile_interval=0.3)) as ada:
        sim.faults.fail_rest(status=500, times=6)
        stale = await until(ada.session, lambda state: state.connection == "stale")
        assert stale.stale_since is not None
        await until(ada.session, lambda state: state.connection == "online", timeout=10)


async def test_a_half_open_socket_is_noticed_by_the_keepalive(ada: Connected) -> None:
    ada.sim.faults.mute_sockets(True)
    await until(ada.session, lambda state: state.connection == "stale", timeout=5)
    ada.sim.faults.mute_sockets(False)
    await until(ada.session, lambda state: state.connection == "online", timeout=8)


async def test_after_sleep_the_session_reconnects_at_once(sim: Simulator) -> None:
    jump = 0.0
    clock = lambda: asyncio.get_running_loop().time() + 1_800_000_000 + jump  # noqa: E731
    session = Session(backend(sim), FAST, clock=clock)
    await session.sign_in()
    running = asyncio.create_task(session.run())
    try:
        await until(session, lambda state: state.connection == "online")
        seen: list[str] = []
        session.subscribe(lambda state: seen.append(state.connection))
        jump = 600.0
        await until(session, lambda state: "stale" in seen and state.connection == "online")
    finally:
        session.stop()
        await running
        await session.close()
