"""The documentation's example frames with their placeholders filled in.

Quoted placeholders become strings, bare ones become JSON values of the type the
documentation implies; the examples' own quirks (repeated keys, missing fields,
dashed keys, unquoted caller ids) are left as they are. Two examples are not JSON at
all because of typos; `repaired` fixes exactly those typos.
"""

import json
import re
from pathlib import Path

ACCOUNT = "4b8c2f0e9d1a4c3b8e7f6a5d4c3b2a19"
AGENT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
SUPERVISOR = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"
QUEUE = "9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c"
GREGORIAN_NOW = 63_962_470_800
"""2026-11-21 09:00:00 UTC in Gregorian seconds."""
UNIX_NOW = GREGORIAN_NOW - 62_167_219_200

_STRINGS = {
    "ACCOUNT_ID": ACCOUNT,
    "RECIPIENT_ID": AGENT,
    "USER_ID": AGENT,
    "VERSION": "4.3.0",
    "QUEUE_ID": QUEUE,
    "SESSION_ID": "session-1",
    "REASON": "lunch",
    "STATE": "ringing",
    "USERNAME": "ada",
    "PROCESS_PID": "<0.1234.0>",
    "SESSION_ZONE": "local",
    "CALLER_ID_NAME": "Marie Curie",
    "CALLER_ID_NUM": "+33123456789",
    "CALL_ID": "external-call-1",
    "AVAILABILITY_STATE": "Ready",
    "STRING_AVAIL_STATE": "Ready",
    "ORIGINATING_NODE": "qubicle@node1",
    "MONITORING_RECIPIENT_ID": SUPERVISOR,
    "TARGET_RECIPIENT_ID": AGENT,
    "WIRETAP_MODE": "whisper",
    "WIRETAP_CALL_ID": "wiretap-1",
    "QUEUE_NAME": "Sales",
}
_VALUES = {
    "SERVER_TIMESTAMP": GREGORIAN_NOW,
    "TOTAL_CALLS": 12,
    "OFFERED_CALLS": 14,
    "MISSED_CALLS": 2,
    "AVG_CALL_TIME": 95,
    "LOGIN_TIME": GREGORIAN_NOW - 3600,
    "LAST_ACTION_TIME": GREGORIAN_NOW - 60,
    "LAST_HANDLED_TIME": GREGORIAN_NOW - 300,
    "STATE": "wrapup",
    "TIME_RECIPIENT_WAS_AWAY_IN_SECONDS": 300,
    "TIME_IN_SECONDS_OF_WRAPUP": 30,
    "TOTAL_WRAPUP_TIME": 30,
    "SECONDS_OF_WRAPUP": 0,
    "BOOLEAN IF AVAILABLE": True,
    "AVAILABLE_FLAG": True,
    "QUEUE_ENTER_POSITION": 3,
    "QUEUE_ENTER_TIME": GREGORIAN_NOW - 45,
    "QUEUE_ESTIMATED_WAIT": 20,
    "FORCE_AWAY_FLAG": True,
    "QUEUE_WRAPUP_TIME": 30,
    "RING_TIMEOUT": 20,
    "CALLER_ID_NAME": "Marie Curie",
    "CALLER_ID_NUMBER": 33123456789,
    "PRIV_OFFER_DATA": {"priority": 1},
    "SESSION_CALL_OBJECT": {"call_id": "call-1"},
    "TALK_TIME": 95,
}

_FIXTURE = Path(__file__).parents[1] / "fixtures" / "qubicle_recipient_events.txt"


def examples() -> dict[str, str]:
    """Title (`Login`, `Wrapup Start`, ...) to the example frame, placeholders filled."""
    text = _FIXTURE.read_text()
    found = re.findall(r"^## ([^\n]+)\n(\{.*?\n\})$", text, flags=re.MULTILINE | re.DOTALL)
    return {title: _fill(frame, number) for number, (title, frame) in enumerate(found)}


def repaired(title: str, frame: str) -> str:
    """The example without the documentation's two typos that make it invalid JSON."""
    if title == "Ready":
        return frame.replace('"away_time": 300\n', '"away_time": 300,\n')
    if title == "Wiretap Start":
        return frame.replace('"mode:" "whisper"', '"mode": "whisper"')
    return frame


def _fill(frame: str, number: int) -> str:
    frame = frame.replace("{MSG_ID}", f"seed-message-{number}")
    frame = re.sub(r"(?<=\.)\{([A-Z_]+)\}", lambda m: _STRINGS[m[1]], frame)  # in routing keys
    frame = re.sub(r'"\{([A-Z_ ]+)\}"', lambda m: json.dumps(_STRINGS[m[1]]), frame)
    return re.sub(r"\{([A-Z_ ]+)\}", lambda m: json.dumps(_VALUES[m[1]]), frame)
