"""`doctor --try-changes` on Kazoo: the toolbar's reversible changes, made and undone.

Ready, Away with a reason, and a per-queue away and ready on one of the agent's queues.
In wrap-up, only a wrap-up extension: a ready or away would end the wrap-up, which
cannot be put back. An agent logged out (or busy with a call) at the start is left
alone. `restore` puts the starting status and paused queues back, at the end, after a
failure and after an interruption.

The two request keys no public source names are tried as the profile sets them; when
the server refuses or ignores one, the candidates are tried in turn and the first that
works is the fix. A key is judged
- refused: a 400 whose validation error (`refused_fields`) names it under
  additionalProperties;
- ignored, for a server that drops keys it does not know: for `queue_key`, the
  per-queue away did not show as that queue's false flag in the status read's
  `queue_availability` while the agent stayed Ready (it turns Away when the server
  took it as a global away); for `reason_key`, the `away` event that followed carries
  no `reason` (the status read has none to look at). Without an event that follows,
  the reason key stays "not seen".
"""

from dataclasses import replace

from agent_toolbar.backends.http import Response
from agent_toolbar.backends.kazoo import wire
from agent_toolbar.backends.kazoo.errors import refused_fields
from agent_toolbar.doctor.kazoo.context import Context, Failed, words
from agent_toolbar.doctor.report import CAPTURE_FIX, COPES_FIX, wire_fix
from agent_toolbar.domain import Snapshot
from agent_toolbar.domain.commands import Away, Pause, Ready, Resume, WrapupExtend
from agent_toolbar.domain.events import Event, WentAway, WrapupStarted

DOCTOR_REASON = "agent-toolbar doctor check"
PROBE_KEY = "agent_toolbar_doctor_probe"
"""A key no server knows: how it treats one (dropped, or refused under which rule)."""
NOT_A_STATUS = "agent-toolbar-doctor-check"
"""A status no server takes: what its validation error looks like."""
EVENT_WAIT = 3.0
"""Seconds to wait for the event that follows a change."""
QUEUE_KEYS = ("target_queue", "queue_id", "queue", "qubicle_queue_id")
REASON_KEYS = ("reason", "away_reason", "status_reason", "note")
_CHANGE_FACTS = (
    "status_changes",
    "validation_error",
    "unknown_key_rule",
    "queue_key",
    "reason_key",
)


class Changes:
    def __init__(self, context: Context, start: Snapshot, queue: str | None) -> None:
        self._c = context
        self._start = start
        self._queue = queue
        self._touched = False
        self._queue_key = context.wire.queue_key
        """The queue key that works, for the restore."""
        self._reason_set = False

    async def run(self) -> None:
        c, start = self._c, self._start
        if not start.logged_in:
            c.note(
                "the agent is logged out: the changes need a logged-in agent, and the doctor "
                "does not log anyone in; no change was made"
            )
            self._skipped("the agent was logged out", also_wrapup=True)
            return
        if start.activity == "wrapup":
            await self._extend_wrapup()
            c.note("in wrap-up: no ready, away or per-queue change (each would end the wrap-up)")
            self._skipped("the agent was in wrap-up", also_wrapup=False)
            return
        if start.activity in ("offered", "on_call"):
            c.note("the agent is busy with a call: no change was made; try again when idle")
            self._skipped("the agent was busy with a call", also_wrapup=True)
            return
        if start.status not in ("ready", "away"):
            c.note("the agent's status could not be read: no change was made")
            self._skipped("the agent's status was not known", also_wrapup=True)
            return
        c.findings.not_seen("wrapup_actions", "the agent was not in wrap-up")
        self._touched = True
        await self._validation()
        await self._ready()
        await self._away_with_reason()
        await self._per_queue()

    def _skipped(self, why: str, *, also_wrapup: bool) -> None:
        for name in _CHANGE_FACTS + (("wrapup_actions",) if also_wrapup else ()):
            self._c.findings.not_seen(name, why)

    async def _validation(self) -> None:
        c = self._c
        c.say("sending a status the server must refuse…")
        answer = await c.post_status({"data": {"status": NOT_A_STATUS}})
        refused = refused_fields(answer.body).get("status") if answer.status == 400 else None
        if refused is not None:
            rules = ", ".join(sorted(refused.rules))
            c.findings.matches("validation_error", f"400 with data.status.{rules}")
        elif answer.status < 400:
            c.findings.differs(
                "validation_error", f"status {NOT_A_STATUS!r} was taken", CAPTURE_FIX
            )
        else:
            c.findings.differs(
                "validation_error", f"{words(answer)}, without data.status.RULE", CAPTURE_FIX
            )

    async def _ready(self) -> None:
        c, found = self._c, self._c.findings
        answer = await c.post_status({"data": {"status": "ready", PROBE_KEY: "probe"}})
        refused = refused_fields(answer.body).get(PROBE_KEY) if answer.status == 400 else None
        if refused is not None and wire.UNKNOWN_KEY_RULE in refused.rules:
            seen = f"a key it does not know: 400 {wire.UNKNOWN_KEY_RULE}"
            found.differs("unknown_key_rule", seen, COPES_FIX)
        elif refused is not None:
            rules = ", ".join(sorted(refused.rules))
            found.differs("unknown_key_rule", f"a key it does not know: 400 {rules}", CAPTURE_FIX)
        elif answer.status < 400:
            found.matches("unknown_key_rule", "a key it does not know is dropped, the rest done")
        if answer.status >= 400:
            _ok(await c.post_status(wire.status_body(Ready(), c.wire)), "a ready")
        now = await c.snapshot()
        if now.status == "ready":
            found.matches("status_changes", "ready: the status read then says Ready")
        else:
            found.differs("status_changes", f"after a ready: {now.status}", CAPTURE_FIX)
        c.say("changed: Ready")

    async def _be_ready(self) -> None:
        if (await self._c.snapshot()).status != "ready":
            _ok(await self._c.post_status(wire.status_body(Ready(), self._c.wire)), "a ready")

    async def _away_with_reason(self) -> None:
        c, found = self._c, self._c.findings
        key = c.wire.reason_key
        if not key:
            _ok(await c.post_status(wire.status_body(Away(), c.wire)), "an away")
            c.say("changed: Away")
            found.not_seen("reason_key", 'the profile sends no reason (reason_key = "")')
            return
        outcome = await self._try_reason(key)
        if outcome == "works":
            found.matches("reason_key", f"{key!r}: the away event carried the reason")
            return
        if outcome == "unknown":
            found.not_seen("reason_key", "no away event came to show whether the reason was taken")
            return
        seen = f"{key!r} was {outcome}"
        tried = [each for each in REASON_KEYS if each != key]
        for candidate in tried:
            if await self._try_reason(candidate) == "works":
                fix = wire_fix(c.profile_name, "reason_key", candidate)
                found.differs("reason_key", f"{seen}; {candidate!r} carried it", fix)
                return
        fix = wire_fix(c.profile_name, "reason_key", "")
        fix += "\n# no key tried carried a reason: the toolbar keeps reasons as notes"
        found.differs("reason_key", f"{seen}; so were {', '.join(tried)}", fix)

    async def _try_reason(self, key: str) -> str:
        """works, refused, ignored, or unknown (no away event came)."""
        c = self._c
        await self._be_ready()
        since = c.inbox.mark()
        answer = await c.post_status({"data": {"status": "away", key: DOCTOR_REASON}})
        if answer.status == 400 and key in refused_fields(answer.body):
            return "refused"
        _ok(answer, "an away")
        self._reason_set = True
        c.say(f"changed: Away, with a reason under {key!r}")
        if not c.linked:
            return "unknown"
        event = await c.inbox.wait_for(self._mine(WentAway), since, EVENT_WAIT)
        if not isinstance(event, WentAway):
            return "unknown"
        return "works" if event.reason == DOCTOR_REASON else "ignored"

    async def _per_queue(self) -> None:
        c, found, queue = self._c, self._c.findings, self._queue
        if queue is None:
            found.not_seen("queue_key", "the agent answers no queue the doctor could see")
            return
        key = c.wire.queue_key
        outcome = await self._try_queue(key, queue)
        working: str | None = key if outcome == "works" else None
        tried = [each for each in QUEUE_KEYS if each != key]
        if outcome not in ("works", "refused", "ignored"):
            found.not_seen("queue_key", f"{key!r} was {outcome}")
            return
        for candidate in tried if working is None else ():
            if await self._try_queue(candidate, queue) == "works":
                working = candidate
                break
        if working is None:
            seen = f"{key!r} was {outcome}; so were {', '.join(tried)}"
            found.differs("queue_key", seen, CAPTURE_FIX)
            return
        self._queue_key = working
        found.matches("queue_availability", "false for the queue paused by the doctor")
        keys = replace(c.wire, queue_key=working)
        _ok(await c.post_status(wire.status_body(Resume(queue_id=queue), keys)), "a resume")
        resumed = queue not in ((await c.snapshot()).paused_queues or ())
        c.say("changed: resumed the queue")
        if working != key:
            seen = f"{key!r} was {outcome}; {working!r} paused the queue"
            found.differs("queue_key", seen, wire_fix(c.profile_name, "queue_key", working))
        elif resumed:
            found.matches("queue_key", f"{key!r}: the queue was paused, then resumed")
        else:
            found.differs("queue_key", f"{key!r} paused the queue; it did not resume", CAPTURE_FIX)

    async def _try_queue(self, key: str, queue: str) -> str:
        """works, refused, ignored, or why the key's value (not the key) was refused."""
        c = self._c
        await self._be_ready()
        keys = replace(c.wire, queue_key=key)
        answer = await c.post_status(wire.status_body(Pause(queue_id=queue), keys))
        if answer.status == 400:
            refused = refused_fields(answer.body).get(key)
            if refused is not None and wire.UNKNOWN_KEY_RULE in refused.rules:
                return "refused"
            if refused is not None:
                return f"taken, but the queue refused ({refused.words})"
        _ok(answer, "a per-queue away")
        now = await c.snapshot()
        if now.status == "ready" and queue in (now.paused_queues or ()):
            c.say(f"changed: paused one queue, under {key!r}")
            return "works"
        c.say(f"changed: {now.status} (the per-queue away under {key!r} did not pause the queue)")
        return "ignored"

    async def _extend_wrapup(self) -> None:
        c, found = self._c, self._c.findings
        since = c.inbox.mark()
        answer = await c.post_action(wire.action_body(WrapupExtend()))
        if answer.status >= 400:
            found.differs("wrapup_actions", f"wrapup_extend: {_refusal(answer)}", CAPTURE_FIX)
            return
        c.note("extended the wrap-up once: an extension cannot be undone")
        if not c.linked:
            found.matches("wrapup_actions", f"wrapup_extend answered {answer.status}")
            return
        if await c.inbox.wait_for(self._mine(WrapupStarted), since, EVENT_WAIT) is None:
            found.matches("wrapup_actions", f"wrapup_extend: {answer.status}, no event followed")
        else:
            found.differs(
                "wrapup_actions",
                "a wrapup_start event followed the extension",
                "no setting: the toolbar expects no event after an extension; send this "
                "report so that the fact is corrected",
            )

    def _mine(self, kind: type[WentAway] | type[WrapupStarted]) -> "_Wanted":
        return _Wanted(kind, self._c.me)

    async def restore(self) -> None:
        """The starting status and paused queues, whatever happened meanwhile."""
        if not self._touched:
            return
        self._touched = False
        c, start = self._c, self._start
        c.say("restoring the starting state…")
        keys = replace(c.wire, queue_key=self._queue_key)
        now = await c.snapshot()
        if start.status == "ready" and now.status != "ready":
            _ok(await c.post_status(wire.status_body(Ready(), keys)), "a ready")
        elif start.status == "away" and (now.status != "away" or self._reason_set):
            _ok(await c.post_status(wire.status_body(Away(), keys)), "an away")
        wanted, have = set(start.paused_queues or ()), set(now.paused_queues or ())
        for queue in sorted(have - wanted):
            _ok(await c.post_status(wire.status_body(Resume(queue_id=queue), keys)), "a resume")
        for queue in sorted(wanted - have):
            _ok(await c.post_status(wire.status_body(Pause(queue_id=queue), keys)), "a pause")
        end = await c.snapshot()
        before = _shown(start.status, wanted)
        if end.status == start.status and set(end.paused_queues or ()) == wanted:
            c.note(f"restored the starting state: {before}")
            if start.status == "away":
                c.note("an away reason the agent had is not put back: no read shows it")
        else:
            after = _shown(end.status, set(end.paused_queues or ()))
            c.note(f"could NOT restore the starting state ({before}); it is {after}")


class _Wanted:
    """An event of one kind for our agent."""

    def __init__(self, kind: type[WentAway] | type[WrapupStarted], me: str) -> None:
        self._kind, self._me = kind, me

    def __call__(self, event: Event) -> bool:
        return isinstance(event, self._kind) and event.recipient_id == self._me


def _shown(status: str | None, paused: set[str]) -> str:
    queues = f"{len(paused)} queue(s) paused" if paused else "no queue paused"
    return f"{status}, {queues}"


def _ok(answer: Response, what: str) -> None:
    if answer.status >= 400:
        raise Failed(f"{what} was refused ({_refusal(answer)})")


def _refusal(answer: Response) -> str:
    refused = refused_fields(answer.body) if answer.status == 400 else {}
    if not refused:
        return words(answer)
    return "; ".join(f"{field}: {why.words}" for field, why in refused.items())
