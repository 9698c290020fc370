"""Time to reconnect: `python benchmarks/reconnect.py [--quick]`.

A real session (default `SessionSettings`, the app's) follows the real simulator on
loopback. Each run cuts its websocket with the simulator's faults and times, from the
cut to the session's state being online again: linked, read over REST (reconciled), no
longer stale. The baseline is the backoff the session itself waits before trying again,
computed from its settings for the attempts it made (the jitter is held at its middle,
so the delays are the nominal ones); the budget is that backoff plus 200 ms.

- drop: the websocket is cut, the server is still there (a new session each run).
- restart: the server stops listening for a while, as if it were restarting, then the
  websocket is cut; the session tries, is refused, backs off, tries again (a new session
  each run).
- drop again: the same session loses its link several times in a row, each time after
  having been online again; each loss starts the backoff over (a later one waits no longer).

No Qt here: the session is the part that reconnects. A benchmark reports: it exits 0
even when a figure misses its budget.
"""

import argparse
import asyncio
import logging
import statistics
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from agent_toolbar.backends.kazoo.auth import Credentials
from agent_toolbar.backends.kazoo.backend import KazooBackend, KazooSettings
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Login
from agent_toolbar.session.core import Session, SessionSettings
from agent_toolbar.simulator import AgentConfig, QueueConfig, Scenario, Settings, Simulator

PASSWORD = "bench-secret"
SLACK_MS = 200.0
"""What reconnecting may take beyond the backoff: connect, subscribe, read the state."""
WAIT = 30.0
SETTINGS = SessionSettings()


@dataclass
class Watcher:
    """When the session's state goes online, and the highest reconnect attempt seen."""

    online_at: float | None = None
    attempts: int = 0
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def on_state(self, state: AgentState) -> None:
        self.attempts = max(self.attempts, state.reconnect_attempt)
        if state.connection == "online" and state.stale_since is None:
            if self.online_at is None:
                self.online_at = time.perf_counter()
        else:
            self.online_at = None
        self.changed.set()

    async def online(self) -> float:
        async with asyncio.timeout(WAIT):
            while self.online_at is None:
                self.changed.clear()
                await self.changed.wait()
        return self.online_at

    def forget(self) -> None:
        self.online_at, self.attempts = None, 0


@dataclass(frozen=True)
class Run:
    label: str
    took_ms: float
    backoff_ms: float


def backoff_ms(attempts: range) -> float:
    """The session's nominal waits (jitter at its middle) before the given attempts."""
    first, longest = SETTINGS.backoff_first, SETTINGS.backoff_max
    return sum(min(longest, first * 2.0 ** (attempt - 1)) for attempt in attempts) * 1000


def scenario() -> Scenario:
    return Scenario(
        simulator=Settings(seed=7, sync_interval=3600.0),
        queues=(QueueConfig(name="Support"),),
        agents=(AgentConfig(username="ada", password=PASSWORD, queues=("Support",)),),
    )


@asynccontextmanager
async def online_session(sim: Simulator) -> AsyncIterator[tuple[Session, Watcher]]:
    login = next(each for each in sim.logins if each.username == "ada")
    credentials = Credentials(account_name=login.account_name, username="ada", password=PASSWORD)
    backend = KazooBackend(KazooSettings(api_url=sim.api_url, credentials=credentials))
    session = Session(backend, SETTINGS, jitter=lambda: 0.5)
    watcher = Watcher()
    session.subscribe(watcher.on_state)
    await session.sign_in()
    running = asyncio.create_task(session.run())
    try:
        await watcher.online()
        await session.execute(Login())
        yield session, watcher
    finally:
        session.stop()
        await running
        await session.close()


async def cut(sim: Simulator, watcher: Watcher, refuse_seconds: float) -> float:
    """Cuts the link (refusing connections first, if asked); ms until online again."""
    watcher.forget()
    began = time.perf_counter()
    if refuse_seconds > 0:
        await sim.faults.refuse_connections(refuse_seconds)
    await sim.faults.drop_sockets()
    return (await watcher.online() - began) * 1000


async def measure(drops: int, restarts: int, refuse_seconds: float, again: int) -> list[Run]:
    runs: list[Run] = []
    async with Simulator(scenario()) as sim:
        for _ in range(drops):
            async with online_session(sim) as (_, watcher):
                took = await cut(sim, watcher, 0.0)
                runs.append(Run("drop", took, backoff_ms(range(1, watcher.attempts + 1))))
        for _ in range(restarts):
            async with online_session(sim) as (_, watcher):
                took = await cut(sim, watcher, refuse_seconds)
                runs.append(Run("restart", took, backoff_ms(range(1, watcher.attempts + 1))))
        async with online_session(sim) as (_, watcher):
            for number in range(1, again + 1):
                took = await cut(sim, watcher, 0.0)
                attempts = range(1, watcher.attempts + 1)
                runs.append(Run(f"drop again #{number}", took, backoff_ms(attempts)))
    return runs


def print_table(runs: list[Run], refuse_seconds: float) -> None:
    print(f"{'figure':18} {'median ms':>10} {'backoff ms':>11} {'ratio':>7}  {'budget':22} result")
    labels = list(dict.fromkeys(run.label for run in runs))
    for label in labels:
        chosen = [run for run in runs if run.label == label]
        took = statistics.median(run.took_ms for run in chosen)
        backoff = statistics.median(run.backoff_ms for run in chosen)
        ratio = took / backoff if backoff > 0 else float("inf")
        met = all(run.took_ms <= run.backoff_ms + SLACK_MS for run in chosen)
        budget = f"backoff + {SLACK_MS:g} ms"
        print(
            f"{label:18} {took:10.0f} {backoff:11.0f} {ratio:7.2f}  {budget:22} "
            f"{'PASS' if met else 'MISS'}"
        )
    print(
        f"\nbackoff: first {SETTINGS.backoff_first:g} s, doubling to {SETTINGS.backoff_max:g} s; "
        f"restart: refusing connections for {refuse_seconds:g} s; "
        f"runs: {', '.join(f'{label} x{sum(r.label == label for r in runs)}' for label in labels)}"
    )
    again = [run for run in runs if run.label.startswith("drop again")]
    if len(again) > 1 and again[-1].backoff_ms > again[0].backoff_ms:
        print(
            f"the same session waited {again[0].backoff_ms:.0f} ms after its first loss and "
            f"{again[-1].backoff_ms:.0f} ms after loss #{len(again)}, although it was online "
            "again in between: its attempt count is not reset by a successful reconnect"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Time from a lost link to online again.")
    parser.add_argument("--quick", action="store_true", help="a few seconds' smoke run")
    parser.add_argument("--runs", type=int, default=10, help="drops and restarts (default 10)")
    parser.add_argument("--again", type=int, default=4, help="drops of one session (default 4)")
    parser.add_argument(
        "--refuse", type=float, default=1.0, help="seconds a restart refuses (default 1)"
    )
    args = parser.parse_args(argv)
    drops, restarts, refuse, again = (
        (2, 1, 0.3, 2)
        if args.quick
        else (
            args.runs,
            args.runs,
            args.refuse,
            args.again,
        )
    )
    logging.getLogger("agent_toolbar").setLevel(logging.ERROR)
    runs = asyncio.run(measure(drops, restarts, refuse, again))
    print_table(runs, refuse)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
