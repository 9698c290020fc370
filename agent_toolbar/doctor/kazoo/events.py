"""What the events that arrived during the examination say about the wire facts."""

import time

from agent_toolbar.doctor.kazoo.context import Context
from agent_toolbar.doctor.report import CAPTURE_FIX
from agent_toolbar.domain.events import Event, Offered, RecipientEvent, WiretapStarted
from agent_toolbar.domain.timestamps import GREGORIAN_UNIX_OFFSET

CLOSE_ENOUGH = 86_400.0
"""A stamp within a day of this computer's clock is read as "now" in its unit: clocks
disagree by minutes, units by 1970 years."""


def judge_events(context: Context, listen: float) -> None:
    """event_times, stats_times, offer_ring and wiretap_names from every event that came,
    and a note of what came."""
    events = context.inbox.events
    names = sorted({_name(event) for event in events})
    if context.linked:
        shown = ", ".join(names) if names else "none"
        context.note(f"events that arrived: {shown}")
    if context.inbox.broken:
        context.note(f"{context.inbox.broken} frame(s) could not be read")
    nothing = f"no event arrived (listened {listen:g} s)" if context.linked else "no event link"
    _judge_times(context, events, nothing)
    _judge_offers(context, [event for event in events if isinstance(event, Offered)])
    found = context.findings
    found.not_seen("stats_times", "no stats with times came")
    if any(isinstance(event, WiretapStarted) for event in events):
        found.matches("wiretap_names", "wiretap_start arrived")
    else:
        found.not_seen("wiretap_names", "no supervisor listened in meanwhile")


def _judge_times(context: Context, events: list[Event], nothing: str) -> None:
    found = context.findings
    stamps = [event.event_timestamp for event in events if event.event_timestamp is not None]
    if not stamps:
        found.not_seen("event_times", nothing)
    else:
        now = time.time()
        gregorian = [
            stamp for stamp in stamps if abs(stamp - GREGORIAN_UNIX_OFFSET - now) < CLOSE_ENOUGH
        ]
        unix = [stamp for stamp in stamps if abs(stamp - now) < CLOSE_ENOUGH]
        if len(gregorian) == len(stamps):
            found.matches("event_times", f"{len(stamps)} event_timestamp(s) in Gregorian seconds")
        elif unix:
            found.differs("event_times", "event_timestamp in Unix seconds", CAPTURE_FIX)
        else:
            found.differs("event_times", f"event_timestamp {stamps[0]:.0f}: not now", CAPTURE_FIX)
    for event in events:
        if isinstance(event, RecipientEvent) and event.stats is not None:
            times = [
                value
                for value in (
                    event.stats.login_time,
                    event.stats.last_action_time,
                    event.stats.last_handled_time,
                )
                if value is not None and value > 0
            ]
            if times:
                big = all(value >= GREGORIAN_UNIX_OFFSET for value in times)
                kind = "Gregorian" if big else "Unix"
                found.matches("stats_times", f"{kind} seconds in the events' stats")
                return


def _judge_offers(context: Context, offers: list[Offered]) -> None:
    found = context.findings
    if not offers:
        found.not_seen("offer_ring", "no call was offered meanwhile")
        return
    lacking = [offer for offer in offers if offer.ring_timeout is None]
    if lacking:
        found.differs("offer_ring", "an offer event without ring_timeout", CAPTURE_FIX)
    else:
        found.matches("offer_ring", f"{len(offers)} offer(s) with ring_timeout")


def _name(event: Event) -> str:
    return event.wire_name if isinstance(event, RecipientEvent) else "queue sync"
