"""What quitting does to the agent's status, decided without Qt or I/O.

Closing the toolbar must not leave an agent Ready at an empty seat. "Ready" here
means taking calls: the status is ready, whatever the agent is doing (an offer
ringing, on a call, in wrap-up, which ends in Ready again), or a change to Ready is
still pending and may yet land. Such an agent is asked, or logged out or set Away
first, as the preference says. An agent who is away or logged out takes no calls:
quitting changes nothing and asks nothing.

When the operating system is ending the session there is no one to answer a
question, and no time to wait for one: "ask" then logs the agent out, the choice that
cannot leave calls ringing.
"""

from dataclasses import dataclass
from typing import Literal

from agent_toolbar.config import QuitWhileReady
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Away, Login, Logout, Ready

QUIT_AWAY_REASON = "Toolbar closed"
"""The away reason the server (and supervisors) see when quitting set the agent Away."""

Answer = Literal["log_out", "away", "stay"]
"""What the agent chose when asked: log out first, go Away first, or leave the status."""


@dataclass(frozen=True)
class QuitPlan:
    ask: bool
    """Ask the agent first; `command` is then None, and the answer decides."""
    command: Logout | Away | None
    """The change to make before quitting, if any."""


def quit_plan(
    state: AgentState | None,
    preference: QuitWhileReady,
    *,
    os_session_ending: bool,
    can_go_away: bool = True,
) -> QuitPlan:
    """What quitting now should do; `can_go_away` is False where the server has no away
    (Telphin), and going Away then means logging out."""
    if state is None or not taking_calls(state, can_go_away=can_go_away):
        return QuitPlan(ask=False, command=None)
    if preference == "ask" and not os_session_ending:
        return QuitPlan(ask=True, command=None)
    answer: Answer = "log_out" if preference == "ask" else preference
    return QuitPlan(ask=False, command=command_for(answer, can_go_away=can_go_away))


def command_for(answer: Answer, *, can_go_away: bool = True) -> Logout | Away | None:
    """The change that carries out the agent's answer (or preference) before quitting."""
    if answer == "stay":
        return None
    if answer == "away" and can_go_away:
        return Away(reason=QUIT_AWAY_REASON)
    return Logout()


def taking_calls(state: AgentState, *, can_go_away: bool = True) -> bool:
    """Ready, or about to be: where logging in is being ready, a pending login counts too."""
    if state.status == "ready":
        return True
    becoming_ready = (Ready(),) if can_go_away else (Ready(), Login())
    return any(progress.command in becoming_ready for progress in state.pending)
