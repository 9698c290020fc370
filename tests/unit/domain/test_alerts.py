"""What the agent is told, and the gate that keeps it from becoming spam (no Qt)."""

import subprocess
import sys
from typing import Any

from agent_toolbar.domain import (
    AgentState,
    CommandIssued,
    ConnectionChanged,
    Snapshot,
    SnapshotCall,
    Tick,
    causes,
)
from agent_toolbar.domain.alerts import Alert, AlertGate, alerts, next_alert_check
from agent_toolbar.domain.commands import Away, Logout
from agent_toolbar.domain.events import (
    Delivered,
    HungUp,
    LoggedOut,
    Rejected,
    WentAway,
    WrapupStarted,
)
from tests.helpers.events import SALES, ev, offer, ready_agent, run
from tests.helpers.seed import UNIX_NOW

WARNING = 10.0


def online(state: AgentState | None = None, at: float = 0) -> AgentState:
    return run(ConnectionChanged(connection="online", at=UNIX_NOW + at), state=state)


def link(state: AgentState, connection: Any, at: float, problem: str | None = None) -> AgentState:
    change = ConnectionChanged(connection=connection, at=UNIX_NOW + at, problem=problem)
    return run(change, state=state)


def kinds(found: list[Alert]) -> list[tuple[str, str]]:
    return [alert.key for alert in found]


def ready_online() -> AgentState:
    return online(ready_agent(), at=1)


def test_an_offer_is_told_once_with_its_ring_and_stops_when_answered() -> None:
    ready = ready_online()
    ringing = run(offer(2, session="s1", ring=20), state=ready)
    found = alerts(ready, ringing, UNIX_NOW + 4, WARNING)
    assert kinds(found) == [("offer", "s1"), ("ring_start", "offer:s1")]
    assert found[0].left == 18.0
    assert found[0].state.offer is not None
    assert found[0].state.offer.caller_id_name == "Marie Curie"
    assert alerts(ringing, ringing, UNIX_NOW + 5, WARNING) == []
    answered = run(ev(Delivered, 6, session_id="s1"), state=ringing)
    assert kinds(alerts(ringing, answered, UNIX_NOW + 6, WARNING)) == [("ring_stop", "s1")]


def test_an_offer_that_rings_out_stops_the_ring() -> None:
    ringing = run(offer(2, session="s1", ring=5), state=ready_online())
    rang_out = run(Tick(UNIX_NOW + 20), state=ringing)
    assert rang_out.offer is None
    assert kinds(alerts(ringing, rang_out, UNIX_NOW + 20, WARNING)) == [("ring_stop", "s1")]


def test_a_new_offer_replacing_another_stops_one_ring_and_starts_the_next() -> None:
    first = run(offer(2, session="s1"), state=ready_online())
    second = run(offer(3, session="s2"), state=first)
    assert kinds(alerts(first, second, UNIX_NOW + 3, WARNING)) == [
        ("ring_stop", "s1"),
        ("offer", "s2"),
        ("ring_start", "offer:s2"),
    ]


def test_a_missed_offer_that_forces_away_is_told_then_the_away_with_its_cause() -> None:
    ringing = run(offer(2, ring=8, force_away_on_reject=True), state=ready_online())
    missed = run(ev(Rejected, 10, session_id="s1", queue_id=SALES), state=ringing)  # rang out
    found = alerts(ringing, missed, UNIX_NOW + 10, WARNING)
    assert [alert.kind for alert in found] == ["ring_stop", "missed", "chime"]
    assert found[1].state.missed_offer is not None
    assert found[1].state.missed_offer.forced_away
    assert found[2].companion == found[1].key
    away = run(ev(WentAway, 11, reason="missed_call"), state=missed)
    found = alerts(missed, away, UNIX_NOW + 11, WARNING)
    assert [alert.kind for alert in found] == ["forced_away", "chime"]
    change = found[0].change
    assert change is not None
    assert change.source == "server"
    assert change.cause == causes.FORCED_AWAY.format(who="Marie Curie <+33123456789>")


def test_away_by_a_supervisor_or_server_is_forced_but_the_agents_own_is_not() -> None:
    ready = ready_online()
    by_server = run(ev(WentAway, 5, reason="meeting"), state=ready)
    assert [alert.kind for alert in alerts(ready, by_server, UNIX_NOW + 5, WARNING)] == [
        "forced_away",
        "chime",
    ]
    asked = run(CommandIssued(id=1, command=Away(reason="lunch"), at=UNIX_NOW + 4), state=ready)
    by_agent = run(ev(WentAway, 5, reason="lunch"), state=asked)
    assert by_agent.history[-1].source == "you"
    assert alerts(asked, by_agent, UNIX_NOW + 5, WARNING) == []


def test_logged_out_by_someone_else_is_told_with_who_and_why() -> None:
    ready = ready_online()
    out = run(ev(LoggedOut, 5, reason="supervisor ended the shift"), state=ready)
    found = alerts(ready, out, UNIX_NOW + 5, WARNING)
    assert [alert.kind for alert in found] == ["logged_out", "chime"]
    assert found[0].change is not None
    assert found[0].change.cause == "logged out: supervisor ended the shift"
    asked = run(CommandIssued(id=1, command=Logout(), at=UNIX_NOW + 4), state=ready)
    own = run(ev(LoggedOut, 5), state=asked)
    assert alerts(asked, own, UNIX_NOW + 5, WARNING) == []


def test_an_away_found_by_the_check_after_a_reconnect_is_not_called_forced() -> None:
    stale = link(ready_online(), "connecting", 5)
    checked = run(
        Snapshot(
            taken_at=UNIX_NOW + 8,
            logged_in=True,
            status="away",
            cause=causes.CHECKED_AFTER_RECONNECTING,
        ),
        state=stale,
    )
    assert checked.status == "away"
    assert checked.history[-1].source == "reconnect"
    assert alerts(stale, checked, UNIX_NOW + 8, WARNING) == []


def test_a_sign_out_is_told_once_with_its_reason() -> None:
    ready = ready_online()
    out = link(ready, "offline", 9, problem="signed out: wrong password")
    found = alerts(ready, out, UNIX_NOW + 9, WARNING)
    assert [alert.kind for alert in found] == ["signed_out", "chime"]
    assert found[0].state.connection_problem == "signed out: wrong password"
    assert alerts(out, out, UNIX_NOW + 10, WARNING) == []
    plain_offline = link(ready, "offline", 9)
    assert alerts(ready, plain_offline, UNIX_NOW + 9, WARNING) == []


def test_wrapup_ending_is_found_in_its_last_seconds_and_when_to_look_is_said() -> None:
    on_call = run(offer(2), ev(Delivered, 3, session_id="s1"), state=ready_online())
    wrapping = run(
        ev(HungUp, 20, session_id="s1"),
        ev(WrapupStarted, 20, queue_id=SALES, wrapup_time_seconds=30),
        state=on_call,
    )
    assert wrapping.wrapup is not None
    assert alerts(on_call, wrapping, UNIX_NOW + 20, WARNING) == []
    assert next_alert_check(wrapping, UNIX_NOW + 20, WARNING) == 20.0
    found = alerts(wrapping, wrapping, UNIX_NOW + 41, WARNING)
    assert [alert.kind for alert in found] == ["wrapup_ending", "chime"]
    assert found[0].left == 9.0
    assert next_alert_check(wrapping, UNIX_NOW + 41, WARNING) is None
    assert alerts(wrapping, wrapping, UNIX_NOW + 50, WARNING) == []  # over: no warning
    assert alerts(wrapping, wrapping, UNIX_NOW + 41, 0) == []  # warnings turned off


def test_the_gate_lets_each_alert_through_once() -> None:
    ready = ready_online()
    ringing = run(offer(2, session="s1"), state=ready)
    gate = AlertGate()
    first = gate.admit(alerts(ready, ringing, UNIX_NOW + 2, WARNING), 0.0)
    assert kinds(first) == [("offer", "s1"), ("ring_start", "offer:s1")]
    # The same offer seen again (a tracker restarted, a state re-delivered): nothing.
    assert gate.admit(alerts(None, ringing, UNIX_NOW + 3, WARNING), 1.0) == []


def test_nothing_but_a_sign_out_passes_while_the_link_is_down() -> None:
    ready = ready_online()
    stale = link(ready, "connecting", 3)
    ringing_while_stale = run(
        Snapshot(
            taken_at=UNIX_NOW + 4,
            logged_in=True,
            status="ready",
            offer=SnapshotCall(session_id="s9", queue_id=SALES, caller_id_name="Ada"),
        ),
        state=stale,
    )
    gate = AlertGate()
    found = alerts(stale, ringing_while_stale, UNIX_NOW + 4, WARNING)
    assert [alert.kind for alert in found] == ["offer", "ring_start"]
    assert gate.admit(found, 0.0) == []
    # Once the server's word is confirmed the offer is real: it is told then.
    back = online(ringing_while_stale, at=5)
    assert kinds(gate.admit(alerts(ringing_while_stale, back, UNIX_NOW + 5, WARNING), 1.0)) == [
        ("offer", "s9"),
        ("ring_start", "offer:s9"),
    ]
    out = link(back, "offline", 6, problem="signed out: account disabled")
    assert [a.kind for a in gate.admit(alerts(back, out, UNIX_NOW + 6, WARNING), 2.0)] == [
        "signed_out",
        "chime",
    ]


def test_a_stale_state_redelivered_after_a_reconnect_replays_no_offer_and_no_away() -> None:
    ready = ready_online()
    ringing = run(offer(2, session="s1"), state=ready)
    gate = AlertGate()
    assert len(gate.admit(alerts(ready, ringing, UNIX_NOW + 2, WARNING), 0.0)) == 2
    stale = link(ringing, "connecting", 3)
    assert gate.admit(alerts(ringing, stale, UNIX_NOW + 3, WARNING), 1.0) == []
    back = online(stale, at=4)
    assert gate.admit(alerts(stale, back, UNIX_NOW + 4, WARNING), 2.0) == []
    away = run(ev(WentAway, 20, reason="meeting"), state=online(ready, at=19))
    assert len(gate.admit(alerts(ready, away, UNIX_NOW + 20, WARNING), 3.0)) == 2
    dropped = link(away, "connecting", 21)
    again = online(dropped, at=22)
    assert gate.admit(alerts(dropped, again, UNIX_NOW + 22, WARNING), 4.0) == []


def test_the_gate_lets_a_few_of_a_kind_through_per_minute() -> None:
    ready = ready_online()
    gate = AlertGate(per_minute=3)
    admitted = []
    for number in range(5):
        ringing = run(offer(2 + number, session=f"s{number}"), state=ready)
        admitted += gate.admit(alerts(ready, ringing, UNIX_NOW + 2, WARNING), float(number))
    assert [alert.token for alert in admitted if alert.kind == "offer"] == ["s0", "s1", "s2"]
    assert [a.kind for a in admitted].count("ring_start") == 3  # no ring without its offer
    late = run(offer(70, session="s5"), state=ready)
    assert kinds(gate.admit(alerts(ready, late, UNIX_NOW + 70, WARNING), 60.0)) == [
        ("offer", "s5"),
        ("ring_start", "offer:s5"),
    ]


def test_a_sign_out_passes_at_most_once_a_minute() -> None:
    ready = ready_online()
    gate = AlertGate()
    told = []
    for second in (0.0, 20.0, 61.0):
        out = link(ready, "offline", second, problem="signed out: wrong password")
        told += [a.kind for a in gate.admit(alerts(ready, out, UNIX_NOW + second, WARNING), second)]
    assert told == ["signed_out", "chime", "signed_out", "chime"]


def test_a_ring_stop_always_passes() -> None:
    ringing = run(offer(2, session="s1"), state=ready_online())
    stale = link(ringing, "connecting", 3)
    rang_out = run(Tick(UNIX_NOW + 90), state=stale)
    gate = AlertGate()
    for second in (0.0, 1.0):
        assert kinds(gate.admit(alerts(stale, rang_out, UNIX_NOW + 90, WARNING), second)) == [
            ("ring_stop", "s1")
        ]


def test_deciding_alerts_needs_no_qt() -> None:
    script = "import sys, agent_toolbar.domain.alerts; print('PySide6' in sys.modules)"
    shown = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert shown.stdout.strip() == "False"
