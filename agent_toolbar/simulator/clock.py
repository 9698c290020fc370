"""The simulator's sense of time: any zero-argument callable returning Unix seconds.

Every timer and every event timestamp reads the injected clock, so tests can run a
whole shift in milliseconds with a `ManualClock` and get the same events each time.
"""

from collections.abc import Callable

Clock = Callable[[], float]
"""Returns the current time in Unix seconds."""


class ManualClock:
    """A clock that moves only when told to, and says so to whoever listens.

    The simulator's timer loop listens, so advancing the clock fires the timers that
    fell due (ring timeouts, wrap-up ends, token expiry) right away, without sleeping.
    """

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start
        self._listeners: list[Callable[[], None]] = []

    def __call__(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward by `seconds` (never backwards) and notify listeners."""
        if seconds < 0:
            raise ValueError(f"a clock cannot go back {-seconds} seconds")
        self._now += seconds
        for listener in list(self._listeners):
            listener()

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)
