"""The demo's stand-in for a softphone: answer, decline or hang up in the simulator.

The simulator has no phone; in the demo these buttons do what the agent's phone
would. They exist only in `agent-toolbar demo` and are marked as such.
"""

from collections.abc import Callable

from agent_toolbar.simulator import CallCenter
from agent_toolbar.simulator.model import EngineError
from agent_toolbar.support.log import demo as log

DEMO_CALLERS = ("Marie Curie", "+33123456789"), ("Alan Turing", "+442071234567")


class DemoPhone:
    def __init__(self, engine: CallCenter, user_id: str, queues: tuple[str, ...]) -> None:
        self._engine = engine
        self._user_id = user_id
        self._queues = queues
        self._callers = 0

    def answer(self) -> None:
        self._try(self._engine.answer, "answer")

    def decline(self) -> None:
        self._try(self._engine.decline, "decline")

    def hang_up(self) -> None:
        self._try(self._engine.hang_up, "hang up")

    def call_in(self) -> None:
        """A new caller joins one of the agent's queues now."""
        name, number = DEMO_CALLERS[self._callers % len(DEMO_CALLERS)]
        queue = self._queues[self._callers % len(self._queues)]
        self._callers += 1
        self._engine.add_caller(queue, name, number)

    def _try(self, act: Callable[[str], None], what: str) -> None:
        try:
            act(self._user_id)
        except EngineError as error:
            log.info("the demo phone could not %s: %s", what, error)
