"""Secrets kept out of every log line, diagnostics text and message the toolbar shows.

Two nets. Whoever reads or receives a secret (a password, API key, app secret, token
or the callback path token) hands it to `keep_secret`, and `redact` replaces it
wherever it appears, also URL- or JSON-escaped. Secrets that were never handed over
(a token in a header a library logs, a JWT in a traceback) are caught by their shape:
`Authorization` and bearer credentials, `X-Auth-Token`, JWTs, secret-named fields of
query strings, form bodies and JSON, and the path token of the callback listener's URLs.
"""

import json
import re
import threading
from collections.abc import Mapping
from urllib.parse import quote, quote_plus

MASK = "«redacted»"
_SHORTEST = 4
"""Shorter values would mask ordinary words; no real secret is this short."""

_SECRET_NAMES = (
    "password|passwd|secret|client_secret|app_secret|api_key|apikey|"
    "access_token|refresh_token|auth_token|id_token|credentials"
)
"""Field names whose values are secrets (`credentials` is Kazoo's password hash)."""
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "x-auth-token", "cookie", "set-cookie"}
)
"""Headers whose whole value is a credential, whatever its shape (lower case)."""

_SHAPES = (
    # An HTTP credential, whatever its scheme: `Authorization: Basic …`, `'Authorization': '…'`.
    (
        ("authorization",),
        re.compile(
            r"""(?i)\b((?:proxy-)?authorization["']?\s*[:=]\s*["']?(?:[A-Za-z]+\s+)?)"""
            r"""[^\s"',;}]+"""
        ),
        rf"\1{MASK}",
    ),
    # A bearer token wherever it is written, as HTTP writes it (`Bearer` and a long value).
    (("bearer",), re.compile(r"\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}"), rf"\1{MASK}"),
    # `X-Auth-Token: …` as a header line, a dict entry or a keyword.
    (
        ("x-auth-token",),
        re.compile(r"""(?i)\b(x-auth-token["']?\s*[:=]\s*["']?)[^\s"',;}]+"""),
        rf"\1{MASK}",
    ),
    # JSON or a Python repr: `"password": "…"`, `'refresh_token': '…'`.
    (
        ('"', "'"),
        re.compile(rf"""(?i)(["'](?:{_SECRET_NAMES})["']\s*:\s*)(["'])(?:(?!\2)[^\\]|\\.)*\2"""),
        rf"\1\2{MASK}\2",
    ),
    # Query strings and form bodies: `password=…&`, `client_secret=…`.
    (("=",), re.compile(rf"(?i)\b((?:{_SECRET_NAMES})=)[^&\s\"'<>]+"), rf"\1{MASK}"),
    # A JWT (three base64url parts, the first a JSON object), such as Kazoo's auth tokens.
    (
        ("eyj",),
        re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*"),
        MASK,
    ),
    # The callback listener's `/{token}/agent` and `/{token}/call` (backends/telphin/listener.py).
    (
        ("/agent", "/call"),
        re.compile(r"(?<=/)[A-Za-z0-9_-]{16,}(?=/(?:agent|call)(?:[/?#\s\"'),;]|$))"),
        MASK,
    ),
)
"""Each shape with the words (lower case) without which it cannot match: most log lines
contain none of them, and a substring test is far cheaper than a regular expression."""


class _Kept:
    """The kept secrets, longest first so that a token containing a shorter one goes whole.

    `redact` reads `ordered` without the lock: the tuple is replaced, never changed.
    """

    def __init__(self) -> None:
        self.ordered: tuple[str, ...] = ()
        self._lock = threading.Lock()

    def add(self, forms: set[str]) -> None:
        with self._lock:
            if not forms.issubset(self.ordered):
                self.ordered = tuple(sorted(forms.union(self.ordered), key=len, reverse=True))


_kept = _Kept()


def keep_secret(*values: str | None) -> None:
    """Never show any of `values` again in anything `redact` passes; None and "" are skipped."""
    forms = {
        form for value in values if value and len(value) >= _SHORTEST for form in _forms(value)
    }
    if forms:
        _kept.add(forms)


def redact(text: str) -> str:
    """`text` with every kept secret, and everything shaped like a secret, masked."""
    for secret in _kept.ordered:
        if secret in text:
            text = text.replace(secret, MASK)
    lowered = text.lower()
    for triggers, pattern, replacement in _SHAPES:
        if any(trigger in lowered for trigger in triggers):
            text = pattern.sub(replacement, text)
    return text


def kept_secrets() -> tuple[str, ...]:
    """Every form of every secret handed to `keep_secret` so far: what a capture's final
    check looks for."""
    return _kept.ordered


def secret_forms(value: str) -> set[str]:
    """The forms in which `value` may be written: raw, URL-encoded, JSON-escaped."""
    return _forms(value) if len(value) >= _SHORTEST else set()


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """`headers` with every credential header's value masked whole, the rest redacted."""
    return {
        name: MASK if name.lower() in SECRET_HEADERS else redact(value)
        for name, value in headers.items()
    }


def _forms(value: str) -> set[str]:
    """The secret as it appears raw, in a URL path, query or form body, and inside a
    JSON string."""
    return {
        value,
        quote(value),
        quote(value, safe=""),
        quote_plus(value, safe=""),
        json.dumps(value)[1:-1],
    }
