"""When the server's clock steps back, every server time the state holds steps with it.

Stamps decide which news is newer. After the server's clock stepped back a minute,
its next events are stamped a minute before the last ones: kept in the old clock,
the state would drop every one of them as out of date while it says "online". The
session notices the step (`server_clock.py`) and the state is moved into the new
clock, so the order of what happened is kept and the new stamps count.
"""

from collections.abc import Callable

from msgspec.structs import replace

from agent_toolbar.domain.inputs import ServerClockStepped
from agent_toolbar.domain.state import AgentState, Stats

Shift = Callable[[float | None], float | None]


def apply_clock_step(state: AgentState, stepped: ServerClockStepped) -> AgentState:
    by = stepped.by

    def moved(at: float | None) -> float | None:
        return None if at is None else at + by

    return replace(
        state,
        status_since=moved(state.status_since),
        session_since=moved(state.session_since),
        server_time=moved(state.server_time),
        stats_at=moved(state.stats_at),
        stale_since=moved(state.stale_since),
        next_try_at=moved(state.next_try_at),
        reason_unconfirmed_since=moved(state.reason_unconfirmed_since),
        phone_unreachable_since=moved(state.phone_unreachable_since),
        offer=state.offer
        and replace(
            state.offer,
            offered_at=moved(state.offer.offered_at),
            deadline=moved(state.offer.deadline),
            waiting_since=moved(state.offer.waiting_since),
        ),
        call=state.call and replace(state.call, since=moved(state.call.since)),
        wrapup=state.wrapup
        and replace(state.wrapup, since=moved(state.wrapup.since), ends=moved(state.wrapup.ends)),
        external_call=state.external_call
        and replace(state.external_call, since=moved(state.external_call.since)),
        wiretap=state.wiretap and replace(state.wiretap, since=moved(state.wiretap.since)),
        missed_offer=state.missed_offer
        and replace(state.missed_offer, at=moved(state.missed_offer.at)),
        queue_pauses=tuple(replace(each, since=moved(each.since)) for each in state.queue_pauses),
        queues=tuple(replace(each, updated_at=moved(each.updated_at)) for each in state.queues),
        resume_plans=tuple(replace(each, due=each.due + by) for each in state.resume_plans),
        deferred=state.deferred and replace(state.deferred, since=moved(state.deferred.since)),
        stats=_stats(state.stats, moved),
        commands=tuple(
            replace(each, issued_at=moved(each.issued_at), settled_at=moved(each.settled_at))
            for each in state.commands
        ),
        history=tuple(replace(each, at=moved(each.at)) for each in state.history),
    )


def _stats(stats: Stats, moved: Shift) -> Stats:
    return replace(
        stats,
        login_time=moved(stats.login_time),
        last_action_time=moved(stats.last_action_time),
        last_handled_time=moved(stats.last_handled_time),
    )
