"""Secrets the toolbar has seen, so that no log line, diagnostics text or message shows them.

Whoever reads or receives a secret (a password, API key, app secret, token or the
callback path token) hands it to `keep_secret`; `redact` replaces every one of them.
"""

import threading

MASK = "«redacted»"
_SHORTEST = 4
"""Shorter values would mask ordinary words; no real secret is this short."""

_secrets: set[str] = set()
_lock = threading.Lock()


def keep_secret(value: str | None) -> None:
    """Never show `value` again in anything `redact` passes."""
    if value and len(value) >= _SHORTEST:
        with _lock:
            _secrets.add(value)


def redact(text: str) -> str:
    """`text` with every kept secret masked, longest first (a token may contain a shorter one)."""
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    return text
