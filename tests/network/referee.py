"""The referee of a toolbar run as a process: `agent-toolbar watch`'s lines against the server.

Every 100 ms it takes the last line `watch` printed and the server's truth as last read
beside the server, and compares what the line claims with what the server holds: status,
away reason, paused queues, activity, the ringing session and the call's (the view of
`tests/reliability/kazoo_faults.py`, whose referee does the same for a session in the
test's own process). A line that says "online" and has disagreed with the server for
longer than `within` seconds is a broken promise, kept with both sides. A line that says
it is stale or connecting claims nothing, and is never one.

`within` is not the periodic check: `watch` checks with a Kazoo server every 300 s, and
no option shortens that. It is how long the server's events may take to reach the
toolbar over the link in use (milliseconds on loopback; a retransmission or two over a
lossy link), so a toolbar that drops or ignores a real event fails long before its next
check would have hidden it.
"""

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field

from agent_toolbar.domain.view import StateView
from tests.reliability.kazoo_faults import View

TICK = 0.1


def shown(line: StateView) -> View:
    offer = line.offer.session_id if line.offer else None
    call = line.call.session_id if line.call else None
    return (
        line.status,
        line.away_reason,
        tuple(sorted(line.paused_queues)),
        line.activity,
        offer,
        call,
    )


def claims_truth(line: StateView, truth: View) -> bool:
    """The line shows what the server holds. An away that gives no reason claims none;
    a reason it gives must be the server's."""
    toolbar = shown(line)
    if toolbar[1] is None:
        toolbar = (toolbar[0], truth[1], *toolbar[2:])
    return toolbar == truth


@dataclass
class Referee:
    client: Callable[[], StateView | None]
    """The toolbar's last line (None before the first)."""
    truth: Callable[[], View | None]
    """The server's truth as last read (None before the first reading)."""
    within: float
    """Seconds an online toolbar may disagree with the server (see `expect`)."""
    broken: list[tuple[float, View, View]] = field(default_factory=list)
    """(seconds it had disagreed, what the toolbar showed, what the server held)."""
    connections: list[tuple[float, str]] = field(default_factory=list)
    """Each change of the connection word, with the time (monotonic) it was seen."""

    def __post_init__(self) -> None:
        self._since: float | None = None

    def expect(self, within: float) -> None:
        """The link changed: from now on the toolbar may disagree for `within` seconds,
        counted from now (a disagreement the old link allowed is not held to the new)."""
        self.within = within
        self._since = None

    async def run(self) -> None:
        while True:
            line, truth = self.client(), self.truth()
            now = time.monotonic()
            if line is not None and (
                not self.connections or self.connections[-1][1] != line.connection
            ):
                self.connections.append((now, line.connection))
            if (
                line is not None
                and truth is not None
                and line.connection == "online"
                and not claims_truth(line, truth)
            ):
                self._since = now if self._since is None else self._since
                if now - self._since > self.within:
                    self.broken.append((now - self._since, shown(line), truth))
                    self._since = now
            else:
                self._since = None
            await asyncio.sleep(TICK)

    def check(self) -> None:
        """No broken promise so far."""
        assert not self.broken, (
            f"shown online while wrong (seconds, toolbar, server): {self.broken[:3]}"
        )

    def said(self, connection: str, after: float) -> float | None:
        """When the toolbar first said `connection` after `after` (monotonic), if it did."""
        return next(
            (at for at, word in self.connections if at >= after and word == connection), None
        )


@asynccontextmanager
async def refereeing(referee: Referee) -> AsyncIterator[None]:
    """The referee on watch for the block's length."""
    task = asyncio.create_task(referee.run())
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task  # a referee that failed fails the test
