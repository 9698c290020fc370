"""Every fact about Telphin's wire the client relies on, with its standing and source.

`FACTS` is the table that docs/telphin.md shows. The request keys no public source
names (the agent object's status and state fields, the status change's key) live in
`Wire`, which a profile's `[profiles.NAME.wire]` table overrides. The constants and
functions below are what the other modules read the facts through.
"""

from dataclasses import dataclass
from typing import Any, Literal

from agent_toolbar.backends.wire_facts import Fact

AgentType = Literal["local", "remote"]

KNOWLEDGE_BASE = "provider knowledge base"
GO_SDK = "Go SDK"
SEED = "seed 003"
NO_SOURCE = "no public source"


@dataclass(frozen=True)
class Wire:
    """The request keys no public source names: a profile may override each."""

    status_field: str = "status"
    """The agent object's status field, looked for before the other plausible spellings."""
    state_field: str = "state"
    """The agent object's one-letter state, looked for before the other spellings."""
    status_body_field: str = "status"
    """The key of the new status in the body of the status change (PUT)."""


ME = "@me"
"""The client of a path, for a user whose `GET /user/` names none."""
TOKEN_PATH = "/oauth/token"

AVAILABLE = "available"
LOGGED_OUT = "logged_out"
STATUS_FIELDS = ("status", "agent_status")
"""Plausible names of the agent object's status, read after `Wire.status_field`."""
STATE_FIELDS = ("state", "agent_state")
"""Plausible names of the agent object's state letter, read after `Wire.state_field`."""
STATE_LETTERS = frozenset("ribcudwl")
IDLE_LETTERS = frozenset("rlu")
"""Letters that say no call is on: ready, logged out, phone unregistered."""
UNREGISTERED = "u"
LOGGED_OUT_LETTER = "l"
"""Logged out: the queue rings nobody, so the letter says nothing about the phone."""

AGENT_EVENT_LIMIT = "agent_event"
EXTENSION_EVENT_LIMIT = "extension_event"

AGENT_EVENTS = ("agent-login", "agent-logout")
CALL_EVENTS = ("dial-in", "answer", "hangup")
AGENT_FIELDS = ("agent_id", "agent_status")
CALL_FIELDS = ("EventType", "CallID")
ANSWERED = "ANSWER"
MISSED = frozenset({"NOANSWER", "BUSY"})
DECLINED = "BUSY"
"""[declined] The hangup status of a ring the agent declined."""
PHONE_UNREGISTERED = "CHANUNAVAIL"

PHONE = "phone"
"""[callback_extension] The extension type that can place calls."""

PER_PAGE = 50
"""[max_per_page] The items the toolbar asks a page to hold."""
UNASKED_PER_PAGE = 20
"""[page_size] The items a page holds when the request names no per_page."""
MAX_PAGES = 100
"""A server that never ends a list is not followed further than this."""


FACTS: tuple[Fact, ...] = (
    Fact(
        "token_endpoint",
        "confirmed",
        "tokens come from POST /oauth/token on the API's host, form-urlencoded",
        f"{KNOWLEDGE_BASE}; {GO_SDK}",
    ),
    Fact(
        "grants",
        "confirmed",
        "grant_type password (gives a refresh_token), client_credentials (none) and "
        "refresh_token; a refused refresh token is 401 invalid_grant",
        KNOWLEDGE_BASE,
    ),
    Fact(
        "bearer",
        "confirmed",
        "requests carry Authorization: Bearer TOKEN; expires_in is about 3600 s",
        f"{KNOWLEDGE_BASE}; {GO_SDK}",
    ),
    Fact(
        "user",
        "confirmed",
        "GET /user/ gives client_id (the PBX account that paths name) and extension_id",
        KNOWLEDGE_BASE,
    ),
    Fact(
        "at_me",
        "confirmed",
        "@me in a path names the token's own client",
        KNOWLEDGE_BASE,
    ),
    Fact(
        "client_id_null",
        "inferred",
        "GET /user/ names the user's client, not null (a user bound to one extension may get "
        "client_id null: paths then name @me)",
        f"{KNOWLEDGE_BASE} (@me); null inferred",
    ),
    Fact(
        "agent_of_extension",
        "confirmed",
        "GET /extension/{id}/agent/ gives the queue agent of a phone extension",
        KNOWLEDGE_BASE,
    ),
    Fact(
        "agent_path_local",
        "confirmed",
        "a local agent is /client/{client_id}/agent/local/{agent_id}",
        f"{SEED}; {KNOWLEDGE_BASE}",
    ),
    Fact(
        "agent_path_remote",
        "unknown",
        "an external agent is /client/{client_id}/agent/remote/{agent_id}",
        f"{NO_SOURCE} ({SEED} names external agents, not their paths)",
    ),
    Fact(
        "status_change",
        "inferred",
        "an agent's status is changed with PUT on the agent's path and a JSON body",
        f"{SEED} (event_source=api says an API call exists); its shape: {NO_SOURCE}",
    ),
    Fact(
        "status_body_field",
        "unknown",
        'the status change\'s body is {"status": "available"|"logged_out"}',
        NO_SOURCE,
        override="status_body_field",
    ),
    Fact(
        "statuses",
        "confirmed",
        "an agent is available (takes queue calls) or logged_out; there is no pause",
        SEED,
    ),
    Fact(
        "agent_status_field",
        "unknown",
        "the agent object names its status `status` (`agent_status` is read too); "
        "without one the status is unknown, never logged out",
        NO_SOURCE,
        override="status_field",
    ),
    Fact(
        "agent_status_words",
        "inferred",
        "the agent object's status words are the callbacks' (available, logged_out), any case",
        f"{SEED} (the callbacks' words)",
    ),
    Fact(
        "agent_state_field",
        "unknown",
        "the agent object may carry a one-letter state `state` (`agent_state` is read too)",
        NO_SOURCE,
        override="state_field",
    ),
    Fact(
        "state_letters",
        "confirmed",
        "state letters: r ready, i on a queue call, b busy outside the queue, c being called, "
        "u phone unregistered, d delayed, w wrap-up, l logged out",
        KNOWLEDGE_BASE,
    ),
    Fact(
        "idle_letters",
        "inferred",
        "only r, l and u say that no call is on; u says the phone cannot be rung",
        f"{KNOWLEDGE_BASE} (the letters' meanings)",
    ),
    Fact(
        "limits",
        "confirmed",
        "GET /client/{client_id}/limit/ tells the caps on event subscriptions",
        f"{SEED}; {KNOWLEDGE_BASE}",
    ),
    Fact(
        "limit_keys",
        "unknown",
        "the caps are named agent_event and extension_event; without them a full cap "
        "shows only when the provider refuses",
        NO_SOURCE,
    ),
    Fact(
        "agent_subscriptions",
        "confirmed",
        "POST and GET {agent path}/event/, GET, PUT and DELETE .../event/{id}, with "
        "{url, event_type, method}; agent-login and agent-logout, only on a real change",
        SEED,
    ),
    Fact(
        "agent_callbacks",
        "confirmed",
        "agent callbacks are forms (query for GET, body for POST) with agent_id, "
        "agent_status, agent_type, extension_name or agent_number, event_source api|phone",
        SEED,
    ),
    Fact(
        "extension_subscriptions",
        "confirmed",
        "POST and GET /extension/{id}/event/, GET, PUT and DELETE .../event/{id}; "
        "dial-in, dial-out, answer and hangup",
        f"{KNOWLEDGE_BASE}; {GO_SDK}",
    ),
    Fact(
        "call_callbacks",
        "confirmed",
        "call callbacks carry EventType, CallID, SubCallID (new per ring), CallerIDNum, "
        "CallerIDName, CallStatus and EventTime (microseconds since 1970)",
        f"{KNOWLEDGE_BASE}; {GO_SDK}",
    ),
    Fact(
        "queues",
        "confirmed",
        "queues are extensions of type queue (GET /client/{client_id}/extension/?type=queue) "
        "with id, name (PREFIX*NAME) and label (the name people read)",
        f"{KNOWLEDGE_BASE}; {GO_SDK}",
    ),
    Fact(
        "caller_extension_id",
        "confirmed",
        "a queue call's CallerExtensionID is the queue extension's id: matched first",
        f"{KNOWLEDGE_BASE}; {GO_SDK}",
    ),
    Fact(
        "caller_extension",
        "confirmed",
        "a queue call's CallerExtension is PREFIX*NAME@DOMAIN: matched, without @DOMAIN, "
        "against the queues' names",
        f"{KNOWLEDGE_BASE}; {GO_SDK}",
    ),
    Fact(
        "hangup_statuses",
        "confirmed",
        "a hangup's CallStatus is ANSWER, BUSY, NOANSWER, CANCEL, CONGESTION or CHANUNAVAIL",
        GO_SDK,
    ),
    Fact(
        "missed",
        "inferred",
        "NOANSWER and BUSY on a queue's ring are a missed call; CANCEL and CONGESTION "
        "withdraw the offer",
        f"{GO_SDK} (the statuses' descriptions)",
    ),
    Fact(
        "declined",
        "inferred",
        "BUSY on the agent's leg is the agent declining the ring (a phone's reject answers "
        "busy); NOANSWER is a ring that ran out",
        f"{GO_SDK} (the statuses' descriptions)",
    ),
    Fact(
        "no_ring_timeout",
        "inferred",
        "no callback field and no public queue resource states how long a queue rings an "
        "agent: the toolbar learns it from missed rings, and says it is an estimate",
        f"{SEED}; {KNOWLEDGE_BASE} and {GO_SDK} (the callbacks' fields: none is a ring time)",
    ),
    Fact(
        "ring_length",
        "inferred",
        "a ring that ends NOANSWER rang from its dial-in's EventTime to its hangup's: the "
        "queue's ring time, or less when the agent declined",
        f"{KNOWLEDGE_BASE}; {GO_SDK} (EventTime; Duration includes ringing)",
    ),
    Fact(
        "chanunavail",
        "confirmed",
        "CHANUNAVAIL on the agent's leg means the phone is not registered, not a withdrawn offer",
        f"{GO_SDK} (the statuses' descriptions)",
    ),
    Fact(
        "duration",
        "inferred",
        "a hangup's Duration (microseconds) is per leg and includes ringing",
        f"{KNOWLEDGE_BASE}; a third-party parser",
    ),
    Fact(
        "bridged_duration",
        "inferred",
        "BridgedDuration (microseconds), where present, is the talk time; else Duration",
        "a third-party parser",
    ),
    Fact(
        "paging",
        "confirmed",
        "list resources are paged with page and per_page: every page is read",
        f"{GO_SDK} and other SDKs",
    ),
    Fact(
        "page_size",
        "unknown",
        f"a page asked without per_page holds {UNASKED_PER_PAGE} items (the toolbar always "
        "names per_page, so another size changes nothing)",
        NO_SOURCE,
    ),
    Fact(
        "max_per_page",
        "unknown",
        f"a page holds the {PER_PAGE} items per_page asks, or all that are left (from a server "
        "that holds fewer a page, the toolbar reads on until a page is empty, repeats one, or "
        "is shorter than the first)",
        NO_SOURCE,
    ),
    Fact(
        "past_last_page",
        "unknown",
        "a page past the last answers an empty list (a 404 after the first page is read as "
        "the end too)",
        NO_SOURCE,
    ),
    Fact(
        "extension",
        "confirmed",
        "GET /client/{client_id}/extension/{id} gives an extension's id, name (PREFIX*NAME), "
        "type (phone, queue, ivr, fax) and label",
        GO_SDK,
    ),
    Fact(
        "callback",
        "confirmed",
        "POST /extension/{id}/callback/ with JSON src_num (a list) and dst_num rings the "
        "src_num numbers, then calls dst_num once one picks up; it answers "
        "{call_api_id, call_id}; caller_id_name and caller_id_number are optional",
        f"{KNOWLEDGE_BASE}; {GO_SDK} (types and test data)",
    ),
    Fact(
        "callback_extension",
        "confirmed",
        "the callback's {id} must be a phone-type extension: the toolbar offers dialing only "
        "for an agent whose own extension is a phone",
        KNOWLEDGE_BASE,
    ),
    Fact(
        "callback_src_num",
        "inferred",
        "src_num holds the agent's own phone extension as the extension list names it "
        "(PREFIX*NAME), so the agent's phone rings first",
        f"{KNOWLEDGE_BASE} (src is a PBX extension; names may be given with their prefix); "
        f"{GO_SDK} (test data: one short number)",
    ),
    Fact(
        "callback_refusal",
        "inferred",
        "a refused callback is a 400, 403 or 404 with {message}: shown to the agent and "
        "never sent again (a 403 also when the app may not use the resource)",
        f"{GO_SDK} (errors carry message); {KNOWLEDGE_BASE} (some resources are not "
        "available to every app)",
    ),
    Fact(
        "callback_events",
        "inferred",
        "the call a callback places shows on the agent's extension as a call no queue rang: "
        "its dial-in is an external call, its hangup ends it",
        f"{KNOWLEDGE_BASE}; {GO_SDK} (call events of an extension; dial-in and answer of "
        "the callback's first leg: no public example)",
    ),
    Fact(
        "callback_retry",
        "unknown",
        "whether the provider retries a callback that failed: the toolbar polls every 30 s",
        NO_SOURCE,
    ),
)


def agent_path(client_id: str, agent_type: AgentType, agent_id: str) -> str:
    """[agent_path_local], [agent_path_remote]."""
    return f"client/{client_id}/agent/{agent_type}/{agent_id}"


def status_body(available: bool, wire: Wire) -> dict[str, Any]:
    """[status_change], [status_body_field]."""
    return {wire.status_body_field: AVAILABLE if available else LOGGED_OUT}


def callback_body(source: str, number: str) -> dict[str, Any]:
    """[callback], [callback_src_num]: ring `source` (the agent's phone), then call `number`."""
    return {"src_num": [source], "dst_num": number}
