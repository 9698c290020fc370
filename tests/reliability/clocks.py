"""A server clock that is not the machine's: set apart by an offset, and stepped while it runs.

Real servers' clocks are minutes off, and NTP steps them back and forth. Give one to
`Simulator(scenario, clock=...)`: every timer and event stamp of the simulator reads it.
The simulator's timer loop looks at its clock at least twice a second, so a step is
seen within half a second.
"""

import time

from agent_toolbar.simulator.clock import Clock


class ShiftedClock:
    """The machine's clock plus `offset` seconds (negative: the server is behind)."""

    def __init__(self, offset: float = 0.0, base: Clock = time.time) -> None:
        self.offset = offset
        self._base = base

    def __call__(self) -> float:
        return self._base() + self.offset

    def step(self, seconds: float) -> None:
        """Set the clock `seconds` forward (negative: back), as NTP or an operator would."""
        self.offset += seconds
