"""What quitting does to the agent's status: asked, logged out, set Away, or left alone."""

import subprocess
import sys
from collections.abc import Callable

import pytest

from agent_toolbar.config import QuitWhileReady
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Away, Command, Login, Logout, Ready
from agent_toolbar.domain.state import Call, CommandProgress, Offer, Status, Wrapup
from agent_toolbar.quitting import QUIT_AWAY_REASON, Answer, QuitPlan, command_for, quit_plan

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
    probe = "import sys, agent_toolbar.quitting; print('PySide6' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    )
    assert result.stdout.strip() == "False"
