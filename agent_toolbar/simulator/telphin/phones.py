"""The agents' phones, as Telphin sees them: registered (plugged in) or not.

While an agent's phone is unplugged, its state letter is `u` and each ring the queue
makes to it fails at once with `CHANUNAVAIL`: the engine takes the offer back
(`decline`), the caller goes back to the queue. A queue tries an unreachable phone
again only after `retry` seconds [assumed: Asterisk's queue `retry`, 5 s by default],
so a ring that comes sooner fails when that time is up, never in a tight loop. The
engine is told outside its own event dispatch (`fail_due`, from the timer loop).
A call placed through the callback API is remembered here (`placing`) until the phone
is picked up, so that its callbacks can name the number called (`placed`).
"""

from dataclasses import dataclass

from agent_toolbar.simulator.engine import CallCenter

RETRY_SECONDS = 5.0


@dataclass(frozen=True)
class _Failing:
    session_id: str
    due: float


class Phones:
    """Which phones are unplugged, and the rings to them that are due to fail."""

    def __init__(self, engine: CallCenter, retry: float = RETRY_SECONDS) -> None:
        self._engine = engine
        self._retry = retry
        self._unplugged: set[str] = set()
        self._failing: dict[str, _Failing] = {}
        self._last_failure: dict[str, float] = {}
        self._placing: dict[str, tuple[str, str]] = {}
        """The call each agent's phone is ringing for: (call id, number to call)."""

    def unplug(self, user_id: str) -> None:
        self._engine.agent(user_id)  # an unknown agent is refused (NotFound)
        self._unplugged.add(user_id)

    def plug(self, user_id: str) -> None:
        """Rings made while it was unplugged still fail; the next ones ring the phone."""
        self._engine.agent(user_id)
        self._unplugged.discard(user_id)

    def plugged(self, user_id: str) -> bool:
        return user_id not in self._unplugged

    def placing(self, user_id: str, call_id: str, number: str) -> None:
        """The callback API rings the phone to call `number`: the call `call_id` once it is
        picked up; a later placing replaces one nobody picked up."""
        self._placing[user_id] = (call_id, number)

    def placed(self, user_id: str, call_id: str) -> str | None:
        """The number of the placed call `call_id` that starts now, if it was placed."""
        found = self._placing.get(user_id)
        if found is None or found[0] != call_id:
            return None
        del self._placing[user_id]
        return found[1]

    def ring(self, user_id: str, session_id: str, at: float) -> None:
        """The queue rang an unplugged phone at `at`: the ring fails as soon as it may."""
        last = self._last_failure.get(user_id)
        due = at if last is None else max(at, last + self._retry)
        self._failing[user_id] = _Failing(session_id, due)

    def failed(self, user_id: str, at: float) -> None:
        """A ring to the phone ended as a failure at `at`, whoever ended it."""
        self._last_failure[user_id] = at

    def next_deadline(self) -> float | None:
        return min((failing.due for failing in self._failing.values()), default=None)

    def fail_due(self, now: float) -> None:
        """Take back every offer due to fail by `now` that is still ringing."""
        for user_id, failing in list(self._failing.items()):
            if failing.due > now:
                continue
            del self._failing[user_id]
            if self._engine.agent(user_id).offer_session_id == failing.session_id:
                self._engine.decline(user_id)
