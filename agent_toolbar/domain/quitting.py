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

A change that does not land is tried again while trying can help and there is time:
not after the server said no (asked again, it says no again), and never past the
time the quit has. What then is the caller's: ask the agent, who is still Ready on
the server, or, with no one to ask, quit and leave a record.
"""

from dataclasses import dataclass
from typing import Literal

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Away, Login, Logout, Ready
from agent_toolbar.domain.state import CommandProgress

QuitWhileReady = Literal["ask", "log_out", "away", "stay"]
"""What quitting while Ready does: ask, log out of the queues first, go Away first,
or leave the status as it is. A preference the settings file keeps."""

QUIT_AWAY_REASON = "Toolbar closed"
"""The away reason the server (and supervisors) see when quitting set the agent Away."""

Answer = Literal["log_out", "away", "stay"]
"""What the agent chose when asked: log out first, go Away first, or leave the status."""

Verdict = Literal["done", "retry", "refused"]
"""What the quit's change came to: the agent takes no calls now; no answer or no way
through yet, so another try may help; or the server said no."""

ASK_AFTER = 8.0
"""Seconds of trying before a quit the agent asked for says that it has not worked: time
for the session's own quick retries and a short outage, not so long that an agent who
wants to go home is left guessing. The agent may then try again, for as long again."""
SESSION_END_TIME = 4.0
"""Seconds of trying when the operating system ends the session (log off, shut down):
Windows gives an application about 5 s before it is ended, and an X11 session manager
ends it soon after it has answered; a second is left to close."""
STOP_SIGNAL_TIME = 80.0
"""Seconds of trying after SIGTERM (or Ctrl-C): systemd waits 90 s by default before
it kills a unit (DefaultTimeoutStopSec), also at log-off and shutdown; 10 s are left
to close. A second signal means now: it stops the trying."""

FIRST_WAIT = 1.0
"""Seconds between the first two tries; each wait doubles, up to MAX_WAIT. The session
has already retried within each try (a few times in as many seconds): these waits give
a server that is down or overloaded a little longer at each step."""
MAX_WAIT = 8.0
SHORTEST_TRY = 1.0
"""A try given less time than this could not get an answer: the last wait is cut short
to leave it this much, or there is no last try."""


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


def judge(
    state: AgentState | None,
    progress: CommandProgress | None,
    *,
    refused: bool,
    can_go_away: bool = True,
) -> Verdict:
    """What a try of the quit's change came to. `progress` is None while the server has
    not answered yet; `refused` is the session's word that the server said no.

    Done is what the state shows, not only the change's outcome: an agent logged out by
    an earlier try that landed late, or by a supervisor, takes no calls either."""
    if progress is not None and progress.phase == "confirmed":
        return "done"
    if state is not None and not taking_calls(state, can_go_away=can_go_away):
        return "done"
    if progress is not None and refused:
        return "refused"
    return "retry"


def next_wait(verdict: Verdict, tries: int, left: float) -> float | None:
    """Seconds to wait before the next try, after `tries` tries with `left` seconds of the
    quit's time still to go; None when trying again cannot help or would not fit."""
    if verdict != "retry":
        return None
    wait = min(MAX_WAIT, FIRST_WAIT * 2.0 ** max(0, tries - 1), left - SHORTEST_TRY)
    return wait if wait >= 0 else None
