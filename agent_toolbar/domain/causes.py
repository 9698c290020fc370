"""Why a change happened, as the timeline says it: every cause the toolbar writes.

Causes are English in the state (the public format, logs and support stay in one
language); the window translates them. Keeping every template here, marked for Qt's
lupdate, lets the window recognise a cause and say it in the agent's language.
"""


def marked(context: str, text: str) -> str:
    """`text` itself; lupdate reads this as QT_TRANSLATE_NOOP, so the domain needs no Qt."""
    return text


LOGGED_IN = marked("cause", "logged in")
LOGGED_OUT = marked("cause", "logged out")
LOGGED_OUT_BECAUSE = marked("cause", "logged out: {reason}")
READY = marked("cause", "ready")
AWAY = marked("cause", "away")
AWAY_BECAUSE = marked("cause", "away: {reason}")
FORCED_AWAY = marked(
    "cause", "missed the call from {who}; the queue sets agents away after a missed call"
)
QUEUE_PAUSED = marked("cause", "queue paused")
QUEUE_RESUMED = marked("cause", "queue resumed")
WRAPUP_STARTED = marked("cause", "wrap-up started")
WRAPUP_ENDED = marked("cause", "wrap-up ended")
OFFERED = marked("cause", "call from {who} offered")
NOT_ANSWERED = marked("cause", "call from {who} not answered")
DECLINED = marked("cause", "declined the call from {who}")
FORCED_AWAY_DECLINED = marked(
    "cause", "declined the call from {who}; the queue sets agents away after a missed call"
)
RANG_OUT = marked("cause", "offer from {who} rang out")
WITHDRAWN = marked("cause", "the queue withdrew the offer (caller left)")
ANSWERED = marked("cause", "answered the call from {who}")
CALL_ENDED = marked("cause", "call ended")
SOME_CALL_ENDED = marked("cause", "a call ended")
EXTERNAL_STARTED = marked("cause", "call outside the queues started")
EXTERNAL_ENDED = marked("cause", "call outside the queues ended")
SOME_EXTERNAL_ENDED = marked("cause", "a call outside the queues ended")
SYNC = marked("cause", "periodic sync")
SYNC_SAYS = marked("cause", "the server's periodic sync says {status}")
MONITORING = marked("cause", "monitoring {target} ({mode})")
MONITORED_BY_SOMEONE = marked("cause", "a supervisor started monitoring ({mode})")
MONITORING_ENDED = marked("cause", "monitoring ended")
MONITORING_FAILED = marked("cause", "a monitoring attempt failed")
PHONE_UNREACHABLE = marked(
    "cause", "your phone could not be rung: it is not registered (is the softphone running?)"
)
CHECKED = marked("cause", "checked with the server")
CHECKED_ON_CONNECTING = marked("cause", "checked with the server on connecting")
CHECKED_AFTER_RECONNECTING = marked("cause", "checked with the server after reconnecting")
CHECKED_AFTER_UNREADABLE = marked("cause", "checked with the server after an unreadable frame")
CHECKED_AFTER_BURST = marked("cause", "checked with the server after a burst of events")
CHECKED_CHANGE = marked("cause", "checked a change the server accepted")
PERIODIC_CHECK = marked("cause", "periodic check with the server")

TEMPLATES = tuple(
    value for name, value in sorted(globals().items()) if name.isupper() and isinstance(value, str)
)
"""Every cause template, for the window to recognise a cause and translate it."""
