"""The server's time, learned from the stamps it sends and counted on a steady clock.

Nothing that decides what is shown may compare our wall clock with the server's:
desktop clocks are wrong every day, and they jump. So the estimate is the server's
own stamp plus the time elapsed since it arrived, measured on the boot-time clock
(steady, and still counting through a suspend), never on the wall clock.

Stamps are whole seconds, truncated, and reach us a little after they were made, so
every sample `stamp - steady_receive_time` is at most the true offset: the largest
recent one is the best estimate and never runs ahead of the server, so a tick never
ends an offer early. Samples far below the estimate, several in a row and agreeing,
mean the server's clock stepped back: the estimate follows it, and the caller is told
by how much. A lone one is a late or replayed event, and teaches nothing.
"""

import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 600.0
"""Samples older than this are forgotten, so a slowly corrected server clock is followed."""
SAMPLE_SPACING = 1.0
"""At most one sample is kept a second: a flood of equal stamps cannot grow the queue."""
STEP_SECONDS = 10.0
"""A stamp this far behind the estimate is a late or replayed event, or the server's clock
stepping back: delivery takes tenths of a second, and stamps are truncated by under one."""
STEP_SAMPLES = 3
"""So many such stamps in a row, agreeing with each other, are a step: one is an outlier."""
STEP_AGREEMENT = 2.0


def steady() -> float:
    """Seconds on a clock no one sets, that keeps counting while the computer sleeps."""
    return time.clock_gettime(time.CLOCK_BOOTTIME)


class ServerClock:
    def __init__(
        self, wall: Callable[[], float] = time.time, steady: Callable[[], float] = steady
    ) -> None:
        self._wall = wall
        self._steady = steady
        self._samples: deque[tuple[float, float]] = deque()
        """(steady receive time, offset): offsets decrease from front to back."""
        self._behind: list[float] = []
        """Offsets of the latest samples far below the estimate, in a row."""

    @property
    def calibrated(self) -> bool:
        """Whether the server has told its time yet."""
        return bool(self._samples)

    def now(self) -> float:
        """The server's time, or our wall clock's until the server has told its own."""
        dated = self.dated()
        return self._wall() if dated is None else dated

    def dated(self) -> float | None:
        """The server's time, or None until the server has told it: what dates a fact."""
        if not self._samples:
            return None
        return self._steady() + self._samples[0][1]

    def observe(self, server_time: float | None) -> float:
        """Learn from a stamp `server_time` that arrived just now.

        Returns by how much the server's clock stepped back (a negative number of
        seconds), or 0.
        """
        if server_time is None:
            return 0.0
        local = self._steady()
        offset = server_time - local
        samples = self._samples
        while samples and samples[0][0] < local - WINDOW_SECONDS:
            samples.popleft()
        if samples and offset < samples[0][1] - STEP_SECONDS:
            return self._maybe_stepped(local, offset)
        self._behind.clear()
        while samples and samples[-1][1] <= offset:
            samples.pop()
        if not samples or samples[-1][0] <= local - SAMPLE_SPACING:
            samples.append((local, offset))
        return 0.0

    def _maybe_stepped(self, local: float, offset: float) -> float:
        behind = self._behind
        if behind and abs(offset - behind[0]) > STEP_AGREEMENT:
            behind.clear()
        behind.append(offset)
        if len(behind) < STEP_SAMPLES:
            return 0.0
        step = max(behind) - self._samples[0][1]
        self._samples.clear()
        self._samples.append((local, max(behind)))
        behind.clear()
        return step
