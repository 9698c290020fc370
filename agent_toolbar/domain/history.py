"""The agent's call history, derived from two consecutive states: what a step changed.

Each row is keyed by the offer's or call's session id (an external call's id), so a
reconnect or a replayed event that shows the same call again updates its row, never
adds one. A call the agent placed gets the number dialed. A change carries only the
fields the step established; the store keeps the others (an upsert that fills in,
never blanks).
"""

from typing import Literal

import msgspec

from agent_toolbar.domain import causes
from agent_toolbar.domain.commands import Dial
from agent_toolbar.domain.state import AgentState, Call, ExternalCall, Offer

Outcome = Literal["ringing", "answered", "missed", "declined", "abandoned", "withdrawn"]
"""`abandoned`: the caller left while it rang; `withdrawn`: it stopped ringing otherwise
(the phone could not be rung, or a check after a reconnect found it gone)."""
OUTCOMES: tuple[Outcome, ...] = ("answered", "missed", "declined", "abandoned", "withdrawn")
Kind = Literal["queue", "external"]

LAST_CALL = ""
"""The key of a wrap-up change whose call ended in an earlier step: the store gives it
to the newest answered call."""


class RowChange(msgspec.Struct, frozen=True, kw_only=True):
    """What one step established about one call; None: nothing new about that field."""

    key: str
    kind: Kind | None = None
    started_at: float | None = None
    caller_name: str | None = None
    caller_number: str | None = None
    queue_id: str | None = None
    queue_name: str | None = None
    outcome: Outcome | None = None
    ring_seconds: float | None = None
    answered_at: float | None = None
    talk_seconds: float | None = None
    wrapup_seconds: float | None = None


FIELDS = tuple(name for name in RowChange.__struct_fields__ if name != "key")
KEEP_FIRST = frozenset({"started_at", "answered_at"})
"""A reconnect may date a call again later: the first time seen stands (and a call seen
ringing again after it ended keeps its outcome)."""


def changes(before: AgentState | None, after: AgentState) -> list[RowChange]:
    """The rows the step from `before` to `after` adds or fills in, in order."""
    now = after.server_time
    result: list[RowChange] = []
    old_offer = before.offer if before is not None else None
    old_call = before.call if before is not None else None
    old_external = before.external_call if before is not None else None
    if after.offer is not None and _offer_key(after.offer) != (old_offer and _offer_key(old_offer)):
        result.append(_offered(after, after.offer))
    if old_offer is not None and _offer_key(old_offer) != (after.offer and _offer_key(after.offer)):
        result.append(_offer_ended(before, after, old_offer))
    if after.call is not None and _call_key(after.call) != (old_call and _call_key(old_call)):
        result.append(_answered(after, after.call))
    if old_call is not None and _call_key(old_call) != (after.call and _call_key(after.call)):
        talk = _since(old_call.since, now)
        result.append(RowChange(key=_call_key(old_call), talk_seconds=talk))
    if after.external_call is not None and _external_key(after.external_call) != (
        old_external and _external_key(old_external)
    ):
        external = after.external_call
        result.append(
            RowChange(
                key=_external_key(external),
                kind="external",
                started_at=external.since,
                answered_at=external.since,
                outcome="answered",
            )
        )
    if old_external is not None and _external_key(old_external) != (
        after.external_call and _external_key(after.external_call)
    ):
        talk = _since(old_external.since, now)
        result.append(RowChange(key=_external_key(old_external), talk_seconds=talk))
    placed = _placed_number(before, after)
    if placed is not None and after.external_call is not None:
        result.append(RowChange(key=_external_key(after.external_call), caller_number=placed))
    old_wrapup = before.wrapup if before is not None else None
    if old_wrapup is not None and old_wrapup != after.wrapup and after.wrapup is None:
        seconds = _since(old_wrapup.since, now)
        key = _call_key(old_call) if old_call is not None else LAST_CALL
        result.append(RowChange(key=key, wrapup_seconds=seconds if seconds is not None else 0.0))
    return result


def _placed_number(before: AgentState | None, after: AgentState) -> str | None:
    """The number the agent dialed, when this step confirmed the call placed to it: no
    server's external-call event names the other party, the agent's own Dial does."""
    if before is None:
        return None
    waiting = {each.id for each in before.commands if each.phase in ("pending", "unknown")}
    return next(
        (
            each.command.number
            for each in after.commands
            if isinstance(each.command, Dial) and each.phase == "confirmed" and each.id in waiting
        ),
        None,
    )


def _offered(state: AgentState, offer: Offer) -> RowChange:
    return RowChange(
        key=_offer_key(offer),
        kind="queue",
        started_at=offer.offered_at,
        caller_name=offer.caller_id_name,
        caller_number=offer.caller_id_number,
        queue_id=offer.queue_id,
        queue_name=_queue_name(state, offer.queue_id),
        outcome="ringing",
    )


def _offer_ended(before: AgentState | None, after: AgentState, offer: Offer) -> RowChange:
    key = _offer_key(offer)
    ended_at = after.server_time
    ring = _since(offer.offered_at, ended_at)
    if after.call is not None and _call_key(after.call) == key:
        return RowChange(key=key, ring_seconds=_since(offer.offered_at, after.call.since))
    missed = after.missed_offer
    old_missed = before.missed_offer if before is not None else None
    outcome: Outcome
    if missed is not None and missed != old_missed:
        outcome = "declined" if missed.declined else "missed"
        ring = _since(offer.offered_at, missed.at)
    elif offer.answer_by is not None and ended_at is not None and ended_at >= offer.answer_by:
        outcome = "missed"
    elif _caused(before, after, causes.WITHDRAWN):
        outcome = "abandoned"
    else:
        outcome = "withdrawn"
    return RowChange(key=key, outcome=outcome, ring_seconds=ring)


def _answered(state: AgentState, call: Call) -> RowChange:
    return RowChange(
        key=_call_key(call),
        kind="queue",
        started_at=call.since,
        caller_name=call.caller_id_name,
        caller_number=call.caller_id_number,
        queue_id=call.queue_id,
        queue_name=call.queue_name or _queue_name(state, call.queue_id),
        outcome="answered",
        answered_at=call.since,
    )


def _caused(before: AgentState | None, after: AgentState, cause: str) -> bool:
    """Whether the step's own timeline entries name `cause`."""
    seen = set(before.history) if before is not None else set()
    return any(change.cause == cause for change in after.history if change not in seen)


def _queue_name(state: AgentState, queue_id: str | None) -> str | None:
    return next((queue.name for queue in state.queues if queue.queue_id == queue_id), None)


def _since(start: float | None, end: float | None) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, end - start)


_MADE_UP = ("offer ", "call ", "external ")
"""How a key the history made up begins (the server gave the call no id); ids have no space."""


def server_id(key: str) -> str | None:
    """The server's id of a row's call, None where the history made the key up."""
    return None if key.startswith(_MADE_UP) else key


def _offer_key(offer: Offer) -> str:
    return offer.session_id or f"offer {offer.queue_id} {offer.offered_at}"


def _call_key(call: Call) -> str:
    return call.session_id or f"call {call.queue_id} {call.since}"


def _external_key(external: ExternalCall) -> str:
    return external.call_id or f"external {external.since}"
