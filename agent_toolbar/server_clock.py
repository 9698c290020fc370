"""The server's time, estimated from ours and the timestamps of its events.

Qubicle stamps events in whole seconds, truncated, and they reach us a little
after they happen: every sample `stamp - local_receive_time` is at most the true
offset. The largest recent sample is the best estimate and never runs ahead of
the server, so a tick never ends an offer early.
"""

import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 600.0
"""Samples older than this are forgotten, so a corrected server clock is followed."""


class ServerClock:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._samples: deque[tuple[float, float]] = deque()

    @property
    def offset(self) -> float:
        """Seconds to add to local time to get the server's; 0 until an event says otherwise."""
        return self._samples[0][1] if self._samples else 0.0

    def now(self) -> float:
        return self._clock() + self.offset

    def observe(self, server_time: float | None) -> None:
        """Learn from an event stamped `server_time` that arrived just now.

        The samples form a max-queue: offsets decrease from front to back, so the
        front is the largest sample still in the window.
        """
        if server_time is None:
            return
        local = self._clock()
        while self._samples and self._samples[0][0] < local - WINDOW_SECONDS:
            self._samples.popleft()
        while self._samples and self._samples[-1][1] <= server_time - local:
            self._samples.pop()
        self._samples.append((local, server_time - local))
