"""What goes wrong during the soak, and what the agent clicks: seeded, bounded schedules.

Both schedules are drawn from one seed before the run starts, so a failing soak can be
run again with the same faults at the same simulated moments. Faults are placed on the
simulator's (accelerated) clock; how long a network fault lasts is in real seconds,
because the client measures its timeouts and backoff in real time. At most one fault
is active at a time: `inject` returns only once the fault has ended.
"""

import asyncio
import random
from dataclasses import dataclass
from typing import Literal

from agent_toolbar.domain.commands import Away, Command, Login, Logout, Pause, Ready, Resume
from agent_toolbar.domain.state import AgentState
from agent_toolbar.simulator import Faults

Kind = Literal[
    "drop_sockets",
    "refuse_connections",
    "expire_tokens",
    "fail_rest",
    "hang_rest",
    "drop_events",
    "duplicate_events",
    "mute_sockets",
]
KINDS: tuple[Kind, ...] = (
    "drop_sockets",
    "refuse_connections",
    "expire_tokens",
    "fail_rest",
    "hang_rest",
    "drop_events",
    "duplicate_events",
    "mute_sockets",
)

FAULT_GAP = (20.0, 60.0)
"""Simulated seconds from one fault to the next: about 90 faults in an hour."""
COMMAND_GAP = (8.0, 40.0)
"""Simulated seconds between two of the agent's clicks: about 150 in an hour."""
AWAY_REASONS = ("lunch", "break", "training", "meeting")
TIMED_PAUSE = 120.0
"""Simulated seconds a timed pause lasts before the server resumes the queue by itself."""


@dataclass(frozen=True)
class Fault:
    """One fault: when (simulated seconds after the start), what, and how hard."""

    at: float
    kind: Kind
    seconds: float = 0.0
    """Real seconds a refusal, a hang or a mute lasts."""
    times: int = 1
    status: int = 503
    retry_after: float | None = None

    @property
    def name(self) -> str:
        """The fault as the reliability report counts it."""
        if self.kind == "fail_rest":
            advice = "with" if self.retry_after is not None else "without"
            return f"REST {self.status} {advice} Retry-After (soak)"
        return f"{self.kind.replace('_', ' ')} (soak)"


def fault_schedule(seed: int, minutes: float) -> list[Fault]:
    """Faults spread over `minutes` of simulated time, none in the last gap (to settle)."""
    rng = random.Random(f"faults {seed}")
    faults: list[Fault] = []
    at = rng.uniform(*FAULT_GAP) / 2
    while at < minutes * 60 - FAULT_GAP[0]:
        faults.append(_fault(rng, at))
        at += rng.uniform(*FAULT_GAP)
    return faults


def _fault(rng: random.Random, at: float) -> Fault:
    kind = rng.choice(KINDS)
    if kind == "refuse_connections":
        return Fault(at, kind, seconds=rng.uniform(1.0, 5.0))
    if kind == "mute_sockets":
        return Fault(at, kind, seconds=rng.uniform(1.0, 4.0))
    if kind == "hang_rest":
        return Fault(at, kind, seconds=rng.uniform(0.5, 3.0), times=rng.randint(1, 2))
    if kind == "fail_rest":
        retry_after = rng.choice((None, round(rng.uniform(0.2, 2.0), 1)))
        return Fault(
            at,
            kind,
            status=rng.choice((503, 429)),
            times=rng.randint(1, 3),
            retry_after=retry_after,
        )
    if kind in ("drop_events", "duplicate_events"):
        return Fault(at, kind, times=rng.randint(1, 3))
    return Fault(at, kind)


async def inject(faults: Faults, fault: Fault) -> None:
    """Start `fault` and return once it is over: a refusal or a mute has lasted its
    seconds, a hang has had time to run out; the rest take effect at once."""
    match fault.kind:
        case "drop_sockets":
            await faults.drop_sockets()
        case "refuse_connections":
            # A server that goes down: its sockets are cut and nobody can connect again.
            await faults.refuse_connections(fault.seconds)
            await faults.drop_sockets()
            await asyncio.sleep(fault.seconds)
        case "expire_tokens":
            faults.expire_tokens()
        case "fail_rest":
            faults.fail_rest(status=fault.status, times=fault.times, retry_after=fault.retry_after)
        case "hang_rest":
            faults.hang_rest(fault.seconds, times=fault.times)
            await asyncio.sleep(fault.seconds)
        case "drop_events":
            faults.drop_events(fault.times)
        case "duplicate_events":
            faults.duplicate_events(fault.times)
        case "mute_sockets":
            faults.mute_sockets(True)
            try:
                await asyncio.sleep(fault.seconds)
            finally:
                faults.mute_sockets(False)


def command_times(seed: int, minutes: float) -> list[float]:
    """When the agent clicks (simulated seconds after the start)."""
    rng = random.Random(f"clicks {seed}")
    times: list[float] = []
    at = rng.uniform(*COMMAND_GAP) / 4
    while at < minutes * 60 - COMMAND_GAP[0]:
        times.append(at)
        at += rng.uniform(*COMMAND_GAP)
    return times


def next_click(rng: random.Random, state: AgentState, queues: tuple[str, ...]) -> Command:
    """What an agent would click next, among the buttons the toolbar offers in `state`.

    Logged out, the only button is Login; logged in, a change of status, a pause or a
    resume, and now and then Logout.
    """
    if state.status == "logged_out":
        return Login()
    choices: list[tuple[float, Command]] = [(0.3, Logout())]
    if state.status != "ready":
        choices.append((4.0, Ready()))
    reasons = [reason for reason in AWAY_REASONS if reason != state.away_reason]
    choices.append((3.0, Away(reason=rng.choice(reasons))))
    for queue in queues:
        if queue in state.paused_queues:
            choices.append((1.5, Resume(queue_id=queue)))
        else:
            timeout = rng.choice((None, TIMED_PAUSE))
            choices.append((1.0, Pause(queue_id=queue, timeout=timeout)))
    weights = [weight for weight, _ in choices]
    return rng.choices([command for _, command in choices], weights=weights)[0]
