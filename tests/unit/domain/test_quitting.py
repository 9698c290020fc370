"""What quitting does to the agent's status: asked, logged out, set Away, or left alone;
and how long a change that does not land is tried again."""

import subprocess
import sys
from collections.abc import Callable

import pytest

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Away, Command, Login, Logout, Ready
from agent_toolbar.domain.quitting import (
    ASK_AFTER,
    FIRST_WAIT,
    MAX_WAIT,
    QUIT_AWAY_REASON,
    SESSION_END_TIME,
    SHORTEST_TRY,
    STOP_SIGNAL_TIME,
    Answer,
    QuitPlan,
    QuitWhileReady,
    Verdict,
    command_for,
    judge,
    next_wait,
    quit_plan,
)
from agent_toolbar.domain.state import Call, CommandProgress, Offer, Phase, Status, Wrapup

AWAY = Away(reason=QUIT_AWAY_REASON)
PREFERENCES: tuple[QuitWhileReady, ...] = ("ask", "log_out", "away", "stay")


def state(status: Status, *, pending: tuple[Command, ...] = ()) -> AgentState:
    commands = tuple(
        CommandProgress(id=n, command=command, phase="pending", issued_at=1.0)
        for n, command in enumerate(pending, start=1)
    )
    return AgentState(recipient_id="me", status=status, commands=commands)


READY = state("ready")


@pytest.mark.parametrize(
    ("preference", "plan"),
    [
        ("ask", QuitPlan(ask=True, command=None)),
        ("log_out", QuitPlan(ask=False, command=Logout())),
        ("away", QuitPlan(ask=False, command=AWAY)),
        ("stay", QuitPlan(ask=False, command=None)),
    ],
)
def test_quitting_while_ready_follows_the_preference(
    preference: QuitWhileReady, plan: QuitPlan
) -> None:
    assert quit_plan(READY, preference, os_session_ending=False) == plan


@pytest.mark.parametrize(
    ("preference", "plan"),
    [
        ("ask", QuitPlan(ask=False, command=Logout())),  # no one to answer: the safe choice
        ("log_out", QuitPlan(ask=False, command=Logout())),
        ("away", QuitPlan(ask=False, command=AWAY)),
        ("stay", QuitPlan(ask=False, command=None)),
    ],
)
def test_the_os_ending_the_session_never_asks(preference: QuitWhileReady, plan: QuitPlan) -> None:
    assert quit_plan(READY, preference, os_session_ending=True) == plan


@pytest.mark.parametrize("status", ["away", "logged_out"])
@pytest.mark.parametrize("preference", PREFERENCES)
@pytest.mark.parametrize("os_session_ending", [False, True])
def test_an_agent_taking_no_calls_quits_without_a_question_or_a_change(
    status: Status, preference: QuitWhileReady, os_session_ending: bool
) -> None:
    plan = quit_plan(state(status), preference, os_session_ending=os_session_ending)
    assert plan == QuitPlan(ask=False, command=None)


def test_not_signed_in_quits_without_a_question() -> None:
    assert quit_plan(None, "ask", os_session_ending=False) == QuitPlan(ask=False, command=None)


def _ringing() -> AgentState:
    offer = Offer(
        session_id="s1",
        queue_id="q1",
        caller_id_name="Marie",
        caller_id_number="+331",
        ring_timeout=15.0,
        offered_at=1.0,
        deadline=16.0,
        force_away_on_reject=False,
        position=None,
        waiting_since=None,
    )
    return AgentState(recipient_id="me", status="ready", offer=offer)


def _on_call() -> AgentState:
    call = Call(
        session_id="s1",
        queue_id="q1",
        queue_name="Sales",
        caller_id_name="Marie",
        caller_id_number="+331",
        since=1.0,
    )
    return AgentState(recipient_id="me", status="ready", call=call)


def _wrapping_up() -> AgentState:
    wrapup = Wrapup(queue_id="q1", seconds=30.0, since=1.0, ends=31.0)
    return AgentState(recipient_id="me", status="ready", wrapup=wrapup)


@pytest.mark.parametrize("busy", [_ringing, _on_call, _wrapping_up], ids=lambda f: f.__name__)
def test_ringing_on_a_call_or_in_wrap_up_still_counts_as_ready(
    busy: Callable[[], AgentState],
) -> None:
    shown = busy()
    assert shown.activity != "idle"
    assert quit_plan(shown, "ask", os_session_ending=False) == QuitPlan(ask=True, command=None)
    assert quit_plan(shown, "log_out", os_session_ending=False).command == Logout()


def test_a_pending_change_to_ready_counts_as_ready() -> None:
    becoming = state("away", pending=(Ready(),))
    assert quit_plan(becoming, "ask", os_session_ending=False) == QuitPlan(ask=True, command=None)


def test_a_pending_login_counts_only_where_logging_in_is_being_ready() -> None:
    logging_in = state("logged_out", pending=(Login(),))
    assert quit_plan(logging_in, "log_out", os_session_ending=False).command is None
    telphin = quit_plan(logging_in, "log_out", os_session_ending=False, can_go_away=False)
    assert telphin.command == Logout()


def test_without_away_on_the_server_going_away_means_logging_out() -> None:
    plan = quit_plan(READY, "away", os_session_ending=False, can_go_away=False)
    assert plan == QuitPlan(ask=False, command=Logout())


@pytest.mark.parametrize(
    ("answer", "can_go_away", "command"),
    [
        ("log_out", True, Logout()),
        ("away", True, AWAY),
        ("away", False, Logout()),
        ("stay", True, None),
        ("stay", False, None),
    ],
)
def test_each_answer_has_its_change(
    answer: Answer, can_go_away: bool, command: Command | None
) -> None:
    assert command_for(answer, can_go_away=can_go_away) == command


def test_the_plan_loads_no_qt() -> None:
    probe = "import sys, agent_toolbar.domain.quitting; print('PySide6' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    )
    assert result.stdout.strip() == "False"


def _progress(phase: Phase, reason: str | None = None) -> CommandProgress:
    return CommandProgress(id=1, command=Logout(), phase=phase, issued_at=1.0, reason=reason)


@pytest.mark.parametrize(
    ("progress", "refused", "verdict"),
    [
        (_progress("confirmed"), False, "done"),
        (_progress("failed", "the change could not be sent: 503"), False, "retry"),
        (_progress("unknown", "the server did not answer"), False, "retry"),
        (None, False, "retry"),  # no answer yet
        (_progress("failed", "the server refused: forbidden"), True, "refused"),
    ],
)
def test_a_try_is_judged_by_its_outcome_while_the_agent_is_ready(
    progress: CommandProgress | None, refused: bool, verdict: Verdict
) -> None:
    assert judge(READY, progress, refused=refused) == verdict


@pytest.mark.parametrize("status", ["away", "logged_out"])
def test_an_agent_taking_no_calls_is_done_whatever_the_try_came_to(status: Status) -> None:
    # An earlier try that landed late, or a supervisor: the state shows it.
    failed = _progress("failed", "the server refused: forbidden")
    assert judge(state(status), failed, refused=True) == "done"
    assert judge(state(status), None, refused=False) == "done"


def test_a_pending_change_to_ready_is_not_done() -> None:
    becoming = state("away", pending=(Ready(),))
    assert judge(becoming, _progress("failed", "no"), refused=False) == "retry"


def test_waits_double_up_to_a_limit() -> None:
    waits = [next_wait("retry", tries, left=1000.0) for tries in range(1, 7)]
    assert waits == [FIRST_WAIT, 2.0, 4.0, MAX_WAIT, MAX_WAIT, MAX_WAIT]


def test_the_last_wait_is_cut_to_leave_time_for_a_try() -> None:
    assert next_wait("retry", 4, left=SHORTEST_TRY + 3.0) == 3.0
    assert next_wait("retry", 1, left=SHORTEST_TRY) == 0.0


def test_no_try_without_the_time_for_one() -> None:
    assert next_wait("retry", 1, left=SHORTEST_TRY - 0.01) is None
    assert next_wait("retry", 1, left=-5.0) is None


@pytest.mark.parametrize("verdict", ["done", "refused"])
def test_no_try_once_done_or_refused(verdict: Verdict) -> None:
    assert next_wait(verdict, 1, left=1000.0) is None


def test_the_os_gives_a_stop_signal_more_time_than_a_log_off() -> None:
    # systemd's 90 s stop timeout, with time to close; Windows' ~5 s at log-off.
    assert SESSION_END_TIME < 5.0 < ASK_AFTER < STOP_SIGNAL_TIME < 90.0
