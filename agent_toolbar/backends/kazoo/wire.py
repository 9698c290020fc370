"""Every fact about Kazoo/Qubicle's wire the client relies on, with its standing and source.

`FACTS` is the table that docs/kazoo.md shows and `doctor` checks. The two request
keys no public source names (the per-queue target and the away reason) live in
`Wire`, which a profile's `[profiles.NAME.wire]` table overrides. The functions
below build request bodies and read answers; each says which facts it stands on.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple
from urllib.parse import quote

from agent_toolbar.backends.wire_facts import Fact
from agent_toolbar.domain import QueueFacts, QueuesReported, Snapshot, SnapshotCall, causes
from agent_toolbar.domain.commands import (
    Away,
    Login,
    Logout,
    Pause,
    Ready,
    Resume,
    WrapupExtend,
    WrapupFinish,
)
from agent_toolbar.domain.events import StatsPayload
from agent_toolbar.domain.state import Activity, Status
from agent_toolbar.support.log import kazoo as log

PROTOCOL = "2600Hz Qubicle docs (Call Center Recipient API, reseller copy)"
SOURCE_CODE = "Kazoo source, branch 4.3 and master"


@dataclass(frozen=True)
class Wire:
    """The request keys no public source names: a profile may override each."""

    queue_key: str = "target_queue"
    """The key naming the queue of a per-queue away/ready on the status POST."""
    reason_key: str = "reason"
    """The key of an away's reason on the status POST; "" sends no reason."""

    MAY_BE_EMPTY: ClassVar[frozenset[str]] = frozenset({"reason_key"})


FACTS: tuple[Fact, ...] = (
    Fact(
        "sign_in",
        "confirmed",
        "PUT /v2/user_auth (md5 or sha of user:password) or /v2/api_auth answers 201 with "
        "auth_token, account_id and owner_id (the recipient id)",
        "Kazoo crossbar docs and cb_user_auth.erl",
    ),
    Fact(
        "token_lifetime",
        "confirmed",
        "the token is a JWT with an absolute exp; a 401 means sign in again once",
        f"{SOURCE_CODE}; monster-ui does the same",
    ),
    Fact(
        "websocket_url",
        "confirmed",
        "ui_config.api.kazoo_websocket.url only when the operator set it; no default",
        "crossbar_util.erl",
    ),
    Fact(
        "blackhole_port",
        "confirmed",
        "Blackhole listens on plaintext port 5555 by default (TLS 5556)",
        "blackhole app config defaults",
    ),
    Fact(
        "blackhole_subscribe",
        "confirmed",
        "one subscribe frame per binding, token on the first frame, no subprotocol header",
        SOURCE_CODE,
    ),
    Fact(
        "status_words",
        "confirmed",
        "availability_state is one of Ready, Away, Wrapup-Time, Call-Offer, On-A-Call, "
        "Not-Logged-In; the word, not `available`, says what the agent does",
        PROTOCOL,
    ),
    Fact(
        "external_call_word",
        "unknown",
        "no source says which word a recipient on an external (non-queue) call has: a Ready "
        "or Away word with available false is read as busy with a call the word does not "
        "name, so a status read keeps an external call the events showed",
        f"{PROTOCOL}; seed 000 (external_call_start carries no state word)",
    ),
    Fact(
        "logged_out_status",
        "inferred",
        "a logged-out agent's status read answers 200 with Not-Logged-In; a 404 is read the same",
        PROTOCOL,
    ),
    Fact(
        "status_changes",
        "confirmed",
        "POST .../qubicle_recipients/{id}/status takes status login, logout, ready or away only; "
        "login leaves the agent away",
        f"{PROTOCOL}; third-party Qubicle clients",
    ),
    Fact(
        "validation_error",
        "confirmed",
        "a refused body answers 400 with data.FIELD.RULE.{message, target}",
        "crossbar validation (kz_json_schema)",
    ),
    Fact(
        "unknown_key_rule",
        "unknown",
        "a key the status POST's schema does not know is dropped and the rest done (where a "
        "schema forbids other keys, it refuses one under the rule additionalProperties, which "
        "the toolbar reads too; a refused value breaks another rule: enum, type…)",
        "kz_json_schema.erl (both ways and the rules); which way the status schema takes: "
        "no public source",
    ),
    Fact(
        "queue_key",
        "unknown",
        "a per-queue pause is an away, and a resume a ready, naming the queue under this key",
        "2600Hz callflow docs name it target_queue; the REST key is undocumented",
        override="queue_key",
    ),
    Fact(
        "reason_key",
        "unknown",
        "an away's reason is sent under this key; a server that refuses it gets the away alone",
        "no public source shows a reason on the status POST",
        override="reason_key",
    ),
    Fact(
        "no_reason_in_status",
        "confirmed",
        "the status read carries no away reason: only events say it",
        PROTOCOL,
    ),
    Fact(
        "queue_availability",
        "confirmed",
        "queue_availability holds a flag only for queues where one was set; false = paused",
        PROTOCOL,
    ),
    Fact(
        "membership",
        "inferred",
        "GET .../qubicle_queues/{Q}/recipients lists a queue's recipients as ids (objects "
        "with an id, or an object keyed by id, are read too)",
        "monster-ui SDK (the path; the shape is undocumented)",
    ),
    Fact(
        "wrapup_seconds",
        "inferred",
        "wrapup_time_seconds is the wrap-up length, meaningful only while Wrapup-Time",
        PROTOCOL,
    ),
    Fact(
        "wrapup_actions",
        "confirmed",
        "POST .../qubicle_recipients/{id} with action wrapup_extend or wrapup_cancel; "
        "no event confirms an extension",
        f"{PROTOCOL}; third-party Qubicle clients",
    ),
    Fact(
        "timed_pause",
        "confirmed",
        "Qubicle has no timed pause: the toolbar resumes a timed pause itself",
        PROTOCOL,
    ),
    Fact(
        "event_times",
        "confirmed",
        "event_timestamp is in Gregorian seconds",
        SOURCE_CODE,
    ),
    Fact(
        "stats_times",
        "unknown",
        "stats times may be Gregorian or Unix seconds: told apart by size",
        "no public source",
    ),
    Fact(
        "offer_ring",
        "confirmed",
        "the offer event carries ring_timeout (seconds) and force_away_on_reject: the "
        "deadline to answer and what missing it costs",
        "2600Hz Qubicle docs (recipient events, seed 000)",
    ),
    Fact(
        "no_ring_in_status",
        "confirmed",
        "the status read's offered_call names queue, session and caller, not the ring "
        "time, the cost, nor when it began ringing",
        PROTOCOL,
    ),
    Fact(
        "queue_settings",
        "inferred",
        "GET .../qubicle_queues/{Q} answers the queue's document, with its settings "
        "ring_timeout (seconds) and force_away_on_reject; an offer found by a status read "
        "takes them (a refused read leaves them unknown)",
        "2600Hz Qubicle docs (queue settings); a third-party Elixir Qubicle client reads "
        "them from that path",
    ),
    Fact(
        "wiretap_names",
        "confirmed",
        "wiretap_start names the monitoring supervisor by recipient id only, no name: the "
        'window says "a supervisor"',
        "2600Hz Qubicle docs (recipient events, seed 000)",
    ),
    Fact(
        "queues",
        "inferred",
        "GET .../qubicle_queues lists [{id, name}]; .../qubicle_queues/status is read keyed "
        "by queue id or as a list with queue_id",
        "2600Hz Qubicle docs (the all-queues shape is undocumented)",
    ),
    Fact(
        "quickcall",
        "confirmed",
        "GET /v2/accounts/{A}/users/{U}/quickcall/{NUMBER} rings the user's devices and, once "
        "one is answered, calls NUMBER; it answers 202 at once, before any phone rings; the "
        "optional query cid-number and cid-name set the caller id the phone shows (the "
        "toolbar sends neither: the server's defaults)",
        "Kazoo crossbar docs quickcall.md; cb_quickcall.erl",
    ),
    Fact(
        "quickcall_refusals",
        "confirmed",
        "a user with no device answers 500 unspecified_fault; token restrictions answer 403 "
        "forbidden; an unknown user 404 bad_identifier: no call is placed",
        "cb_quickcall.erl, cb_context.erl, cb_token_restrictions.erl",
    ),
    Fact(
        "quickcall_unanswered",
        "confirmed",
        "a phone that is not registered or not picked up gets the same 202 and no event: "
        "only the call not showing tells",
        "Kazoo crossbar docs quickcall.md (failing requests)",
    ),
    Fact(
        "quickcall_shows",
        "inferred",
        "the placed call shows as the recipient's external call (external_call_start), not "
        "as a queue offer",
        "2600Hz Qubicle docs (recipient events for non-queue calls); that a quickcall is "
        "one: no public source",
    ),
)

QUICKCALL_NO_DEVICE = "unspecified_fault"
"""The `message` of quickcall's 500 for a user with no device to ring: [quickcall_refusals]."""

_WORDS: dict[str, tuple[Status | None, Activity | None]] = {
    "ready": ("ready", "idle"),
    "away": ("away", "idle"),
    "not-logged-in": ("logged_out", None),
    "call-offer": ("ready", "offered"),
    "on-a-call": (None, "on_call"),
    "wrapup-time": (None, "wrapup"),
}
"""`availability_state` as (status, activity). Offers go only to ready agents; during a
call or wrap-up the word does not say which status the agent returns to."""

STATUS_WORDS = frozenset(_WORDS)
"""The six `availability_state` words, lower-cased: [status_words]."""

UNKNOWN_KEY_RULE = "additionalProperties"
"""The validation rule by which Crossbar refuses a key it does not know (not its value)."""

NOT_LOGGED_IN_STATUSES = frozenset({404})
"""A status read answering this means "not logged in", as Not-Logged-In does."""

MAX_NUMBER = 1e12
"""Seconds and times beyond this are absurd: Gregorian seconds today are about 6.4e10."""
MAX_COUNT = 1_000_000_000
"""Calls, agents and sessions beyond this are absurd."""


def status_body(command: Login | Logout | Ready | Away | Pause | Resume, wire: Wire) -> Any:
    """The body of `POST .../qubicle_recipients/{id}/status`: four statuses, per queue or not."""
    match command:
        case Login():
            return {"data": {"status": "login"}}
        case Logout():
            return {"data": {"status": "logout"}}
        case Ready():
            return {"data": {"status": "ready"}}
        case Away(reason=reason):
            data: dict[str, Any] = {"status": "away"}
            if reason and wire.reason_key:
                data[wire.reason_key] = reason
            return {"data": data}
        case Pause(queue_id=queue):
            return {"data": {"status": "away", wire.queue_key: queue}}
        case Resume(queue_id=queue):
            return {"data": {"status": "ready", wire.queue_key: queue}}


def quickcall_path(account_id: str, user_id: str, number: str) -> str:
    """[quickcall] The path that rings the user's phone for `number`, one path segment
    (a leading + quoted)."""
    return f"accounts/{account_id}/users/{user_id}/quickcall/{quote(number, safe='')}"


def quickcall_refusal(status: int, body: Any) -> str | None:
    """[quickcall_refusals] Why the server placed no call, in plain words; None for any
    other answer (an unknown user's 404 is said as every other refusal is)."""
    message = body.get("message") if isinstance(body, dict) else None
    if status == 500 and message == QUICKCALL_NO_DEVICE:
        return "it has no phone (device) to ring"
    if status == 403:
        return "this sign-in may not place calls"
    return None


def action_body(command: WrapupExtend | WrapupFinish) -> Any:
    """The body of `POST .../qubicle_recipients/{id}` for wrap-up actions."""
    action = "wrapup_extend" if isinstance(command, WrapupExtend) else "wrapup_cancel"
    return {"data": {"action": action}}


def read_status(data: Any, taken_at: float | None) -> Snapshot:
    """Read `GET .../qubicle_recipients/{id}/status` `data` into a Snapshot.

    The state word decides status and activity; `available` only where no word is
    known, or where it says a Ready or Away agent is busy ([external_call_word]). A call
    or wrap-up the word names is shown even when the reply lists none.
    """
    if not isinstance(data, dict):
        return Snapshot(taken_at=taken_at, logged_in=True, status_known=False, calls_known=False)
    word = _text(data.get("availability_state"))
    status, activity = _WORDS.get((word or "").lower(), (None, None))
    if word is None or (status is None and activity is None):
        available = data.get("available")
        if not isinstance(available, bool):
            return Snapshot(
                taken_at=taken_at, logged_in=True, status_known=False, calls_known=False
            )
        status, activity = ("ready" if available else "away"), None
    if status == "logged_out":
        return Snapshot(taken_at=taken_at, logged_in=False, status="logged_out")
    if activity == "idle" and data.get("available") is False:
        activity = None  # [external_call_word]: busy with a call the word does not name
    monitor = _text(data.get("wiretapping_recipient"))
    wrapup = data.get("wrapup_time_seconds")
    return Snapshot(
        taken_at=taken_at,
        logged_in=True,
        status=status,
        activity=activity,
        paused_queues=_paused(data.get("queue_availability")),
        offer=_call(data.get("offered_call")),
        call=_call(data.get("handling_call")),
        wrapup_seconds=_number(wrapup) if activity == "wrapup" else None,
        monitored_by=monitor,
        monitor_mode=_text(data.get("wiretap_mode")) if monitor else None,
        stats=_stats(data.get("stats")),
        cause=causes.CHECKED,
    )


def _paused(flags: Any) -> tuple[str, ...] | None:
    """Per-queue flags exist only where one was set: a queue without one is not paused."""
    if not isinstance(flags, dict):
        return None
    return tuple(sorted(str(queue) for queue, open_ in flags.items() if open_ is False))


def is_member(recipients: Any, recipient_id: str) -> bool:
    """Whether a queue's recipients list (`GET .../qubicle_queues/{Q}/recipients`) names us.

    The shape is undocumented: ids, objects with an id, or an object keyed by id.
    """
    if isinstance(recipients, dict):
        inner = recipients.get("recipients")
        return is_member(inner, recipient_id) if inner is not None else recipient_id in recipients
    if not isinstance(recipients, list):
        return False
    return recipient_id in _ids(recipients)


def _ids(items: Iterable[Any]) -> set[str]:
    found = set()
    for item in items:
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            for key in ("id", "recipient_id", "user_id", "owner_id"):
                if isinstance(item.get(key), str):
                    found.add(item[key])
    return found


class QueueSettings(NamedTuple):
    """[queue_settings]: what a queue's document says about its offers; None: not said."""

    ring_timeout: float | None = None
    force_away_on_reject: bool | None = None


def read_queue_settings(document: Any) -> QueueSettings:
    """`GET .../qubicle_queues/{Q}` `data`, read tolerantly: what is no setting is left out."""
    if not isinstance(document, dict):
        return QueueSettings()
    force = document.get("force_away_on_reject")
    return QueueSettings(
        ring_timeout=_number(document.get("ring_timeout")),
        force_away_on_reject=force if isinstance(force, bool) else None,
    )


def read_queues(
    listed: Any,
    status: Any,
    taken_at: float | None,
    members: tuple[str, ...] | None = None,
    settings: Mapping[str, QueueSettings] | None = None,
) -> QueuesReported:
    """`GET .../qubicle_queues` (`[{id, name}]`) and `GET .../qubicle_queues/status`,
    with each queue's `settings` where its document was read.

    The status `data` is read keyed by queue id, or as a list of objects with
    `queue_id`; `active_session_count` counts the calls in a queue, waiting or being
    answered.
    """
    settings = settings or {}
    names = {
        item["id"]: _text(item.get("name"))
        for item in (listed if isinstance(listed, list) else [])
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }
    numbers: dict[str, Any] = {}
    if isinstance(status, dict):
        numbers = {str(queue): data for queue, data in status.items() if isinstance(data, dict)}
    elif isinstance(status, list):
        numbers = {
            item["queue_id"]: item
            for item in status
            if isinstance(item, dict) and isinstance(item.get("queue_id"), str)
        }
    facts = []
    for queue in sorted(names.keys() | numbers.keys()):
        data = numbers.get(queue, {})
        stats = data.get("stats") if isinstance(data.get("stats"), dict) else {}
        setting = settings.get(queue, QueueSettings())
        facts.append(
            QueueFacts(
                queue_id=queue,
                name=names.get(queue) or _text(data.get("queue_name")),
                in_queue=_count(stats.get("active_session_count")),
                longest_wait=_number(stats.get("longest_wait")),
                estimated_wait=_number(stats.get("estimated_wait")),
                agents_available=_count(data.get("available_recipient_count")),
                ring_timeout=setting.ring_timeout,
                force_away_on_reject=setting.force_away_on_reject,
            )
        )
    return QueuesReported(queues=tuple(facts), taken_at=taken_at, members=members)


def _number(value: Any) -> float | None:
    """A number within MAX_NUMBER either way; anything else (10^400, NaN) is left out."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    if not -MAX_NUMBER <= value <= MAX_NUMBER:  # NaN fails this too
        log.debug("a number out of bounds was left out")
        return None
    return float(value)


def _count(value: Any) -> int | None:
    """A count from 0 to MAX_COUNT; anything else is left out."""
    number = _number(value)
    if number is None:
        return None
    if not 0 <= number <= MAX_COUNT:
        log.debug("a number out of bounds was left out")
        return None
    return int(number)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _call(value: Any) -> SnapshotCall | None:
    if not isinstance(value, dict) or not value:
        return None
    number = value.get("caller_id_number")
    return SnapshotCall(
        queue_id=_text(value.get("queue_id")),
        session_id=_text(value.get("session_id")),
        caller_id_name=_text(value.get("caller_id_name")),
        caller_id_number=str(number) if isinstance(number, str | int) else None,
    )


def _stats(value: Any) -> StatsPayload | None:
    if not isinstance(value, dict):
        return None
    return StatsPayload(
        total_calls=_count(value.get("total_calls")),
        offered_calls=_count(value.get("offered_calls")),
        missed_calls=_count(value.get("missed_calls")),
        avg_call_time=_number(value.get("avg_call_time")),
        login_time=_number(value.get("login_time")),
        last_action_time=_number(value.get("last_action_time")),
        last_handled_time=_number(value.get("last_handled_time")),
    )
