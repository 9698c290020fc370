"""The call center on its own: a manual clock, no network, each rule and the events it sends."""

import json
import math
from typing import Any

import msgspec
import pytest

from agent_toolbar.backends.kazoo.frames import decode_frame
from agent_toolbar.domain import RecipientEvent
from agent_toolbar.domain.events import (
    BecameReady,
    Delivered,
    ExternalCallEnded,
    ExternalCallStarted,
    HungUp,
    LoggedIn,
    LoggedOut,
    Offered,
    QueuePaused,
    QueueResumed,
    Rejected,
    Rescinded,
    Synced,
    WentAway,
    WiretapFailed,
    WiretapStarted,
    WiretapStopped,
    WrapupCompleted,
    WrapupStarted,
)
from agent_toolbar.simulator import (
    AgentConfig,
    CallCenter,
    ManualClock,
    QueueConfig,
    Scenario,
    ScriptedCaller,
    default_scenario,
)
from agent_toolbar.simulator.model import Event, Forbidden, InvalidRequest, NotFound
from agent_toolbar.simulator.scenario import KazooSettings
from tests.simulator.helpers import GREGORIAN_UNIX_OFFSET, small_scenario

EVENT_CLASSES: dict[str, type[RecipientEvent]] = {
    "create": LoggedIn,
    "delete": LoggedOut,
    "ready": BecameReady,
    "away": WentAway,
    "pause": QueuePaused,
    "resume": QueueResumed,
    "wrapup_start": WrapupStarted,
    "wrapup_complete": WrapupCompleted,
    "offer": Offered,
    "reject": Rejected,
    "rescind": Rescinded,
    "delivered": Delivered,
    "hangup": HungUp,
    "external_call_start": ExternalCallStarted,
    "external_call_end": ExternalCallEnded,
    "sync": Synced,
    "wiretap_start": WiretapStarted,
    "wiretap_stop": WiretapStopped,
    "wiretap_failed": WiretapFailed,
}


class Center:
    """An engine with a manual clock, recording every event it sends."""

    def __init__(self, scenario: Scenario | None = None) -> None:
        self.clock = ManualClock()
        self.engine = CallCenter(scenario or small_scenario(), self.clock)
        self.events: list[Event] = []
        self.engine.add_listener(self.events.append)
        self.ids = {view.username: view.user_id for view in self.engine.agents()}
        self.queue_ids = {view.name: view.id for view in self.engine.queues()}

    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)
        self.engine.advance()

    def names(self, username: str) -> list[str]:
        """The recipient events about one agent, periodic syncs left out."""
        who = self.ids[username]
        return [
            event.name
            for event in self.events
            if event.binding == "qubicle.recipient" and event.subject_id == who
            if event.name != "sync"
        ]

    def last(self, username: str, name: str) -> dict[str, Any]:
        who = self.ids[username]
        return next(
            event.data
            for event in reversed(self.events)
            if event.subject_id == who and event.name == name
        )

    def ready(self, username: str) -> None:
        self.engine.set_status(self.ids[username], "login")
        self.engine.set_status(self.ids[username], "ready")

    def away(self, username: str) -> None:
        self.engine.set_status(self.ids[username], "away")


def typed(event: Event) -> RecipientEvent:
    frame = {"action": "event", "subscribed_key": event.binding, "name": event.name}
    decoded = decode_frame(json.dumps({**frame, "data": event.data}))
    assert isinstance(decoded, RecipientEvent), decoded
    return decoded


def test_an_offer_goes_to_the_ready_agent_idle_longest() -> None:
    center = Center()  # bob has been ready since the start
    center.advance(10)
    center.ready("ada")
    first = center.engine.add_caller("Sales", "Ann", "+15550001")
    assert center.engine.agent(center.ids["bob"]).offer_session_id == first
    second = center.engine.add_caller("Sales", "Ben", "+15550002")
    assert center.engine.agent(center.ids["ada"]).offer_session_id == second


def test_an_agent_who_just_missed_an_offer_goes_to_the_back_of_the_line() -> None:
    center = Center()
    center.ready("ada")
    center.engine.add_caller("Support", "Ann", "+15550001")  # only ada takes Support
    center.engine.decline(center.ids["ada"])  # Support does not force away
    assert center.names("ada")[-3:] == ["offer", "reject", "offer"]
    center.engine.add_caller("Sales", "Ben", "+15550002")
    assert center.engine.agent(center.ids["bob"]).activity == "offered"


def test_answered_call_runs_through_delivered_hangup_and_wrapup() -> None:
    center = Center()
    center.ready("ada")
    center.away("bob")
    ada = center.ids["ada"]
    start = center.clock()
    session = center.engine.add_caller("Sales", "Ann", "+15550001", talk_seconds=30)
    center.advance(2)
    center.engine.answer(ada)
    assert center.engine.agent(ada).call_session_id == session
    center.advance(30)
    view = center.engine.agent(ada)
    assert view.activity == "wrapup"
    assert view.wrapup_ends == start + 32 + 5
    center.advance(5)
    assert center.names("ada")[-5:] == [
        "offer",
        "delivered",
        "hangup",
        "wrapup_start",
        "wrapup_complete",
    ]
    assert center.last("ada", "hangup")["talk_time"] == 30
    assert center.last("ada", "wrapup_start")["wrapup_time_seconds"] == 5
    done = center.last("ada", "wrapup_complete")
    assert (done["available"], done["availability_state"], done["total_time"]) == (
        True,
        "Ready",
        5,
    )
    assert done["event_name"] == "wrapup-complete"
    assert done["event_timestamp"] == math.floor(start + 37) + GREGORIAN_UNIX_OFFSET
    stats = center.engine.agent(ada).stats
    assert (stats.offered_calls, stats.total_calls, stats.missed_calls) == (1, 1, 0)
    assert stats.last_handled_time == start + 32


def test_ringing_out_rejects_forces_away_and_the_caller_waits_again() -> None:
    center = Center()
    center.ready("ada")
    center.away("bob")
    ada, bob = center.ids["ada"], center.ids["bob"]
    session = center.engine.add_caller("Sales", "Ann", "+15550001")
    center.advance(10)  # Sales rings for 10 s and forces away
    assert center.names("ada")[-3:] == ["offer", "reject", "away"]
    assert center.last("ada", "reject")["session_id"] == session
    view = center.engine.agent(ada)
    assert (view.status, view.away_reason, view.stats.missed_calls) == ("away", "missed_call", 1)
    (sales,) = [queue for queue in center.engine.queues() if queue.name == "Sales"]
    assert [caller.session_id for caller in sales.waiting] == [session]
    assert sales.stats.missed_sessions == 1
    center.engine.set_status(bob, "ready")
    assert center.engine.agent(bob).offer_session_id == session


def test_a_caller_out_of_patience_abandons_and_a_ringing_offer_is_rescinded() -> None:
    center = Center()
    center.away("bob")
    center.engine.add_caller("Sales", "Ann", "+15550001", patience=30)
    center.advance(30)
    center.ready("ada")
    center.engine.add_caller("Sales", "Ben", "+15550002", patience=4)
    center.advance(4)
    assert center.names("ada")[-2:] == ["offer", "rescind"]
    ada = center.engine.agent(center.ids["ada"])
    assert (ada.activity, ada.stats.rescinded_calls, ada.stats.offered_calls) == ("idle", 1, 1)
    (sales,) = [queue for queue in center.engine.queues() if queue.name == "Sales"]
    assert (sales.stats.abandoned_sessions, sales.stats.total_sessions, sales.waiting) == (2, 2, ())


def test_a_queue_set_away_offers_nothing_until_set_ready_and_the_status_stays() -> None:
    center = Center()
    center.ready("ada")
    center.away("bob")
    ada, sales, support = center.ids["ada"], center.queue_ids["Sales"], center.queue_ids["Support"]
    center.engine.pause(ada, sales)
    view = center.engine.agent(ada)
    assert (view.status, view.paused_queues, view.queue_availability) == (
        "ready",
        (sales,),
        {sales: False},
    )
    center.engine.add_caller("Sales", "Ann", "+15550001", patience=600)
    center.advance(300)  # no timer ends a per-queue away: Qubicle has no timed pause
    assert center.engine.agent(ada).activity == "idle"
    center.engine.add_caller("Support", "Ben", "+15550002")
    assert center.names("ada")[-2:] == ["pause", "offer"]
    assert center.last("ada", "offer")["queue_id"] == support
    center.engine.answer(ada)
    center.engine.hang_up(ada)  # Support has no wrap-up: ada is idle, Ann still waits
    assert center.engine.agent(ada).activity == "idle"
    center.engine.resume(ada, sales)
    assert center.names("ada")[-3:] == ["hangup", "resume", "offer"]
    assert center.last("ada", "pause")["queue_id"] == sales
    assert center.last("ada", "resume")["queue_id"] == sales
    assert center.last("ada", "offer")["caller_id_name"] == "Ann"
    view = center.engine.agent(ada)
    assert (view.status, view.paused_queues, view.queue_availability) == (
        "ready",
        (),
        {sales: True},
    )
    assert center.engine.carried_out(ada) == {
        "login": 1,
        "ready": 1,
        f"pause:{sales}": 1,
        f"resume:{sales}": 1,
    }


def test_changes_that_change_nothing_send_nothing() -> None:
    center = Center()
    ada, sales = center.ids["ada"], center.queue_ids["Sales"]
    center.engine.set_status(ada, "logout")
    center.ready("ada")
    center.engine.set_status(ada, "login")
    center.engine.set_status(ada, "ready")
    center.engine.resume(ada, sales)  # a first per-queue ready only sets the flag
    assert center.engine.agent(ada).queue_availability == {sales: True}
    center.engine.pause(ada, sales)
    center.engine.pause(ada, sales)
    center.engine.set_status(ada, "away", "lunch")
    center.engine.set_status(ada, "away", "lunch")
    center.engine.set_status(ada, "away", "meeting")
    assert center.names("ada") == ["create", "ready", "pause", "away", "away"]
    assert center.engine.carried_out(ada) == {
        "login": 1,
        "ready": 1,
        f"pause:{sales}": 1,
        "away:lunch": 1,
        "away:meeting": 1,
    }


def test_logging_out_ends_offer_call_wrapup_and_per_queue_flags() -> None:
    center = Center()
    center.ready("ada")
    center.away("bob")
    ada = center.ids["ada"]
    center.engine.pause(ada, center.queue_ids["Support"])
    center.engine.add_caller("Sales", "Ann", "+15550001")
    center.engine.set_status(ada, "logout")
    assert center.names("ada")[-2:] == ["rescind", "delete"]
    center.ready("ada")
    center.engine.answer(ada)
    center.engine.set_status(ada, "logout", "end of shift")
    assert center.names("ada")[-3:] == ["delivered", "hangup", "delete"]
    assert center.last("ada", "delete")["reason"] == "end of shift"
    view = center.engine.agent(ada)
    assert (view.status, view.activity, view.queue_availability) == ("logged_out", "idle", {})
    status = center.engine.recipient_status(ada)
    assert (status["availability_state"], status["available"], status["queue_availability"]) == (
        "Not-Logged-In",
        False,
        {},
    )
    center.engine.set_status(ada, "login")
    assert center.engine.agent(ada).queue_availability == {}


def test_only_supervisors_monitor_and_only_calls() -> None:
    center = Center()
    sam, bob = center.ids["sam"], center.ids["bob"]
    with pytest.raises(Forbidden):
        center.engine.monitor(center.ids["bob"], sam, "eavesdrop")
    center.engine.monitor(sam, bob, "whisper")
    failed = center.last("sam", "wiretap_failed")
    assert (failed["target"], failed["mode"]) == (bob, "whisper")
    center.engine.add_caller("Sales", "Ann", "+15550001", talk_seconds=20)
    center.engine.answer(bob)
    center.engine.monitor(sam, bob, "barge")
    for who in ("sam", "bob"):
        start = center.last(who, "wiretap_start")
        assert (start["target"], start["mode"], start["monitoring-recipient-id"]) == (
            bob,
            "barge",
            sam,
        )
    assert center.engine.agent(sam).monitoring == bob
    assert center.engine.agent(bob).monitored_by == sam
    center.advance(20)  # the call ends, and the monitoring with it
    assert center.names("bob")[-3:] == ["hangup", "wiretap_stop", "wrapup_start"]
    assert center.names("sam")[-1] == "wiretap_stop"
    with pytest.raises(InvalidRequest):
        center.engine.stop_monitor(sam)


def test_external_calls_keep_offers_away() -> None:
    center = Center()
    center.ready("ada")
    center.away("bob")
    ada = center.ids["ada"]
    center.engine.start_external_call(ada)
    center.engine.add_caller("Sales", "Ann", "+15550001")
    assert center.engine.agent(ada).activity == "external_call"
    center.engine.end_external_call(ada)
    assert center.names("ada")[-3:] == ["external_call_start", "external_call_end", "offer"]
    assert (
        center.last("ada", "external_call_start")["external_call_id"]
        == center.last("ada", "external_call_end")["external_call_id"]
    )


def test_wrapup_can_be_extended_and_cancelled() -> None:
    center = Center()
    bob = center.ids["bob"]
    center.engine.add_caller("Sales", "Ann", "+15550001", talk_seconds=10)
    center.engine.answer(bob)
    center.advance(12)  # 2 s into 5 s of wrap-up
    center.engine.wrapup_extend(bob)
    assert center.names("bob")[-1] == "wrapup_start"  # no event says so: the one at its start
    assert center.engine.carried_out(bob)["wrapup_extend"] == 1
    center.engine.wrapup_cancel(bob)
    assert center.names("bob")[-2:] == ["wrapup_start", "wrapup_complete"]
    assert center.engine.agent(bob).activity == "idle"
    with pytest.raises(InvalidRequest, match="not in wrap-up"):
        center.engine.wrapup_cancel(bob)


def test_an_extension_can_be_announced_by_a_new_wrapup_start() -> None:
    announcing = msgspec.structs.replace(small_scenario(), kazoo=KazooSettings(extend_event=True))
    center = Center(announcing)
    bob = center.ids["bob"]
    center.engine.add_caller("Sales", "Ann", "+15550001", talk_seconds=10)
    center.engine.answer(bob)
    center.advance(12)  # 2 s into 5 s of wrap-up
    center.engine.wrapup_extend(bob)
    assert center.last("bob", "wrapup_start")["wrapup_time_seconds"] == 8


def test_agents_who_answer_by_themselves_do_so_within_the_delay() -> None:
    scenario = msgspec.structs.replace(
        small_scenario(),
        agents=(
            AgentConfig(
                username="otto", password="x", queues=("Sales",), answer="auto", start="ready"
            ),
        ),
    )
    center = Center(scenario)
    center.engine.add_caller("Sales", "Ann", "+15550001")
    center.advance(0.99)
    assert center.names("otto")[-1] == "offer"
    center.advance(4.02)
    assert center.names("otto")[-2:] == ["offer", "delivered"]


def test_logged_in_agents_and_queues_sync_periodically() -> None:
    center = Center()
    center.ready("ada")
    center.events.clear()
    center.advance(60)
    syncs = [event for event in center.events if event.name == "sync"]
    recipients = {
        event.subject_id: event.data for event in syncs if event.binding == "qubicle.recipient"
    }
    assert set(recipients) == {center.ids["ada"], center.ids["bob"], center.ids["sam"]}
    assert recipients[center.ids["ada"]]["availability_state"] == "Ready"
    assert recipients[center.ids["sam"]]["available"] is False
    queues = [event for event in syncs if event.binding == "qubicle.queue"]
    assert {event.subject_id for event in queues} == set(center.queue_ids.values())


def test_a_queue_announces_every_change_of_its_numbers() -> None:
    center = Center()
    center.events.clear()
    center.engine.add_caller("Sales", "Ann", "+15550001")
    (update,) = [event for event in center.events if event.binding == "qubicle.queue"]
    assert update.subject_id == center.queue_ids["Sales"]
    assert update.data["queue_name"] == "Sales"
    assert update.data["stats"]["total_sessions"] == 1
    assert update.data["available_recipient_count"] == 0  # bob is ringing


def test_every_event_decodes_into_its_domain_type() -> None:
    center = Center()
    ada, sam, sales = center.ids["ada"], center.ids["sam"], center.queue_ids["Sales"]
    center.away("bob")
    center.ready("ada")
    center.engine.pause(ada, sales)
    center.engine.resume(ada, sales)
    center.engine.add_caller("Support", "Ann", "+15550001")
    center.engine.decline(ada)
    center.engine.answer(ada)
    center.engine.monitor(sam, ada, "eavesdrop")
    center.engine.hang_up(ada)  # Support has no wrap-up
    center.engine.monitor(sam, ada, "eavesdrop")
    center.engine.add_caller("Sales", "Ben", "+15550002", patience=2)
    center.advance(2)
    center.engine.add_caller("Sales", "Cy", "+15550003", talk_seconds=1)
    center.engine.answer(ada)
    center.advance(1)
    center.engine.wrapup_cancel(ada)
    center.engine.start_external_call(ada)
    center.engine.end_external_call(ada)
    center.engine.set_status(ada, "away", "lunch")
    center.advance(60)
    center.engine.set_status(ada, "logout")
    recipient_events = [event for event in center.events if event.binding == "qubicle.recipient"]
    assert {event.name for event in recipient_events} == set(EVENT_CLASSES)
    msg_ids = set()
    for event in recipient_events:
        decoded = typed(event)
        assert type(decoded) is EVENT_CLASSES[event.name]
        assert decoded.recipient_id == event.subject_id
        assert decoded.account_id == center.engine.account_id
        assert decoded.event_category == "qubicle-recipient"
        assert decoded.app_name == "qubicle"
        assert decoded.stats is not None
        assert decoded.event_timestamp is not None
        assert decoded.event_timestamp > GREGORIAN_UNIX_OFFSET
        msg_ids.add(decoded.msg_id)
    assert len(msg_ids) == len(recipient_events)
    offer = typed(next(event for event in recipient_events if event.name == "offer"))
    assert isinstance(offer, Offered)
    assert (offer.ring_timeout, offer.queue_wrapup, offer.force_away_on_reject) == (8, 0, False)
    assert (offer.caller_id_name, offer.caller_id_number, offer.enter_pos) == (
        "Ann",
        "+15550001",
        1,
    )


def _run_a_busy_shift(seed: int) -> tuple[Center, list[tuple[str, str, dict[str, Any]]]]:
    """Two hours of the demo scenario, the demo agent answering every other offer."""
    base = default_scenario()
    center = Center(
        msgspec.structs.replace(base, simulator=msgspec.structs.replace(base.simulator, seed=seed))
    )
    agent = center.ids["agent"]
    center.ready("agent")
    answer = True
    for _ in range(7200 // 5):
        center.advance(5)
        view = center.engine.agent(agent)
        if view.status == "away":
            center.engine.set_status(agent, "ready")
        if view.activity == "offered":
            (center.engine.answer if answer else center.engine.decline)(agent)
            answer = not answer
        check_the_numbers_add_up(center)
    trace = [
        (
            event.name,
            event.subject_id,
            {key: value for key, value in event.data.items() if key != "msg_id"},
        )
        for event in center.events
    ]
    return center, trace


def check_the_numbers_add_up(center: Center) -> None:
    for view in center.engine.agents():
        stats = view.stats
        ringing = 1 if view.activity == "offered" else 0
        assert (
            stats.offered_calls
            == stats.total_calls + stats.missed_calls + stats.rescinded_calls + ringing
        )
    for queue in center.engine.queues():
        stats = queue.stats
        assert stats.total_sessions == stats.answered_sessions + stats.abandoned_sessions + len(
            queue.waiting
        )


def test_a_busy_shift_keeps_the_numbers_adding_up_and_repeats_with_the_same_seed() -> None:
    center, trace = _run_a_busy_shift(seed=42)
    names = {name for name, _, _ in trace}
    assert {"offer", "delivered", "reject", "away", "hangup", "wrapup_complete"} <= names
    assert sum(queue.stats.total_sessions for queue in center.engine.queues()) > 200
    again_center, again = _run_a_busy_shift(seed=42)
    assert again == trace
    _, other = _run_a_busy_shift(seed=43)
    assert other != trace
    del again_center


def test_scripted_callers_arrive_at_their_offsets() -> None:
    scenario = msgspec.structs.replace(
        small_scenario(), callers=(ScriptedCaller(at=30, queue="Sales", name="Late", number="1"),)
    )
    center = Center(scenario)
    center.advance(29.9)
    assert center.names("bob") == []
    center.advance(0.1)
    assert center.names("bob")[-1] == "offer"
    assert center.last("bob", "offer")["caller_id_name"] == "Late"


def test_unknown_agents_and_queues_and_impossible_requests_are_refused() -> None:
    center = Center()
    ada = center.ids["ada"]
    with pytest.raises(NotFound):
        center.engine.agent("nobody")
    with pytest.raises(NotFound):
        center.engine.add_caller("Billing", "Ann", "1")
    with pytest.raises(InvalidRequest, match="not logged in"):
        center.engine.set_status(ada, "ready")
    with pytest.raises(InvalidRequest, match="unknown status"):
        center.engine.set_status(ada, "busy")
    with pytest.raises(InvalidRequest, match="not a member"):
        center.engine.pause(center.ids["bob"], center.queue_ids["Support"])
    with pytest.raises(InvalidRequest, match="no call is ringing"):
        center.engine.answer(ada)
    with pytest.raises(InvalidRequest):
        center.engine.add_caller("Sales", "Ann", "1", talk_seconds=0)


def test_one_queue_config_is_enough_to_run() -> None:
    scenario = Scenario(
        queues=(QueueConfig(name="Only"),),
        agents=(AgentConfig(username="solo", password="x", queues=("Only",), start="ready"),),
    )
    center = Center(scenario)
    center.engine.add_caller("only", "Ann", "1")
    assert center.names("solo")[-1] == "offer"


def status_of(center: Center, username: str) -> tuple[str, bool, int]:
    """The REST status's word, `available` and `wrapup_time_seconds`."""
    data = center.engine.recipient_status(center.ids[username])
    return data["availability_state"], data["available"], data["wrapup_time_seconds"]


def test_the_state_word_says_what_the_agent_does_and_available_only_ready_and_idle() -> None:
    center = Center()
    center.away("bob")
    ada = center.ids["ada"]
    assert status_of(center, "ada") == ("Not-Logged-In", False, 5)  # Sales: 5 s of wrap-up
    center.engine.set_status(ada, "login")
    assert status_of(center, "ada") == ("Away", False, 5)
    center.engine.set_status(ada, "ready")
    assert status_of(center, "ada") == ("Ready", True, 5)
    center.engine.add_caller("Sales", "Ann", "+15550001", talk_seconds=10)
    assert status_of(center, "ada") == ("Call-Offer", False, 5)
    center.engine.answer(ada)
    assert status_of(center, "ada") == ("On-A-Call", False, 5)
    center.advance(10)
    assert status_of(center, "ada") == ("Wrapup-Time", False, 5)
    center.advance(5)
    assert status_of(center, "ada") == ("Ready", True, 5)
    center.engine.start_external_call(ada)  # Qubicle's word here is unknown: it stays
    assert status_of(center, "ada") == ("Ready", False, 5)
    center.engine.end_external_call(ada)
    center.engine.set_status(ada, "away", "lunch")
    assert status_of(center, "ada") == ("Away", False, 5)
    assert "reason" not in center.engine.recipient_status(ada)
    assert "away_reason" not in center.engine.recipient_status(ada)


def test_wrapup_time_seconds_is_the_length_not_the_time_left() -> None:
    center = Center()
    bob = center.ids["bob"]
    center.engine.add_caller("Sales", "Ann", "+15550001", talk_seconds=10)
    center.engine.answer(bob)
    center.advance(10)
    assert status_of(center, "bob") == ("Wrapup-Time", False, 5)
    center.advance(3)
    assert status_of(center, "bob")[2] == 5
    center.engine.wrapup_extend(bob)
    center.advance(1)
    assert status_of(center, "bob") == ("Wrapup-Time", False, 10)
    center.advance(7)  # the wrap-up, extended once, ended 10 s after it began
    assert status_of(center, "bob") == ("Ready", True, 5)


def test_an_agent_without_a_queue_has_no_wrapup_length() -> None:
    center = Center()
    assert status_of(center, "sam") == ("Away", False, 0)


def test_sync_and_wrapup_complete_speak_the_same_words() -> None:
    center = Center()
    bob = center.ids["bob"]
    center.engine.add_caller("Sales", "Ann", "+15550001", talk_seconds=57)
    center.engine.answer(bob)
    center.advance(60)  # the call ended at 57 s; the sync at 60 s finds wrap-up
    sync = center.last("bob", "sync")
    assert (sync["availability_state"], sync["available"], sync["wrapup_time_seconds"]) == (
        "Wrapup-Time",
        False,
        5,
    )
    center.advance(2)
    done = center.last("bob", "wrapup_complete")
    assert (done["availability_state"], done["available"]) == ("Ready", True)
