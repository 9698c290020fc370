import json
import secrets
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from agent_toolbar.support import redaction
from agent_toolbar.support.redaction import MASK, keep_secret, redact


@pytest.fixture(autouse=True)
def no_secrets_kept_by_other_tests() -> Iterator[None]:
    """Secrets are kept for the life of the process; earlier tests kept words such as `wrong`."""
    kept = redaction._kept.ordered
    redaction._kept.ordered = ()
    yield
    redaction._kept.ordered = kept


def test_kept_secrets_are_masked_longest_first() -> None:
    keep_secret("hunter22")
    keep_secret("token-hunter22-xyz")
    assert redact("password hunter22, token token-hunter22-xyz") == (
        f"password {MASK}, token {MASK}"
    )


def test_nothing_and_tiny_values_are_not_secrets() -> None:
    keep_secret(None)
    keep_secret("")
    keep_secret("ab")
    assert redact("ab is a word") == "ab is a word"


def test_several_secrets_are_kept_at_once() -> None:
    keep_secret("first-kept-1", None, "second-kept-2")
    assert redact("first-kept-1 second-kept-2") == f"{MASK} {MASK}"


def test_kept_secrets_are_masked_also_url_and_json_escaped() -> None:
    secret = 'p@ss w"rd/ü'
    keep_secret(secret)
    form = urlencode({"note": secret})
    assert form != f"note={secret}"
    assert redact(form) == f"note={MASK}"
    assert redact("note=p%40ss%20w%22rd%2F%C3%BC") == f"note={MASK}"
    assert redact(json.dumps({"note": secret})) == f'{{"note": "{MASK}"}}'


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        (
            "headers {'Authorization': 'Bearer abc.def-ghi', 'Accept': 'application/json'}",
            f"headers {{'Authorization': 'Bearer {MASK}', 'Accept': 'application/json'}}",
        ),
        ("Authorization: Basic YWRhOmh1bnRlcjI=", f"Authorization: Basic {MASK}"),
        ("proxy-authorization=s3cr3t-value; next", f"proxy-authorization={MASK}; next"),
        ("retrying with Bearer 0123456789abcdef", f"retrying with Bearer {MASK}"),
        ("X-Auth-Token: 0f1e2d3c4b5a", f"X-Auth-Token: {MASK}"),
        ("{'X-Auth-Token': 'tok-123456'}", f"{{'X-Auth-Token': '{MASK}'}}"),
        (
            "frame {'action': 'subscribe', 'auth_token': 'eyJhbGciOiJSUzI1NiJ9."
            "eyJleHAiOjE3MDAwMDAwMDB9.c2lnbmF0dXJl', 'request_id': 'r1'}",
            f"frame {{'action': 'subscribe', 'auth_token': '{MASK}', 'request_id': 'r1'}}",
        ),
        (
            "ValueError: bad token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abcDEF_123-x here",
            f"ValueError: bad token {MASK} here",
        ),
        (
            "grant_type=password&username=ada&password=p%40ss&client_id=7&client_secret=s3cr3t",
            f"grant_type=password&username=ada&password={MASK}&client_id=7&client_secret={MASK}",
        ),
        (
            "GET https://pbx.example/v2?api_key=k123456&refresh_token=r987654&x=1",
            f"GET https://pbx.example/v2?api_key={MASK}&refresh_token={MASK}&x=1",
        ),
        (
            '{"data": {"password": "hun\\"ter2", "credentials": "5f4dcc3b5aa7"}, '
            '"access_token": "at-1234", "expires_in": 3600}',
            f'{{"data": {{"password": "{MASK}", "credentials": "{MASK}"}}, '
            f'"access_token": "{MASK}", "expires_in": 3600}}',
        ),
        ("{'refresh_token': 'rt-abcdef'}", f"{{'refresh_token': '{MASK}'}}"),
        (
            "POST http://203.0.113.5:8765/Zm9vYmFyYmF6cXV4cXV1eF9f/agent 200",
            f"POST http://203.0.113.5:8765/{MASK}/agent 200",
        ),
        ('"GET /Zm9vYmFyYmF6cXV4cXV1eF9f/call?x=1 HTTP/1.1"', f'"GET /{MASK}/call?x=1 HTTP/1.1"'),
        (
            "url=https://h.example/Zm9vYmFyYmF6cXV4cXV1eF9f/agent",
            f"url=https://h.example/{MASK}/agent",
        ),
    ],
)
def test_secrets_nobody_kept_are_masked_by_their_shape(line: str, masked: str) -> None:
    assert redact(line) == masked
    assert redact(masked) == masked


@pytest.mark.parametrize(
    "line",
    [
        "the server refused the user name, password or account (invalid credentials)",
        "signed in to account 0123456789abcdef0123456789abcdef as recipient fedcba98",
        "GET /v2/accounts/0123456789abcdef0123456789abcdef/agents/0123456789abcdef/status",
        "GET client/@me/agent/local/1234567890123456/event/",
        "log file: /home/ada/test_it_says_versions_platform0/agent-toolbar.log",
        "GET /calls/0123456789abcdef0123/callflow",
        "connecting again in 0.4 s (attempt 2): 127.0.0.1 refused the connection",
        "the password is wrong; basic checks passed; bearer of bad news",
        "queue Sales: 3 waiting, longest 45 s",
    ],
)
def test_ordinary_lines_are_left_alone(line: str) -> None:
    assert redact(line) == line


def test_a_typical_line_is_redacted_fast_with_ten_kept_secrets() -> None:
    keep_secret(*(secrets.token_urlsafe(24) for _ in range(10)))
    line = (
        "2025-01-01 12:00:00,123 INFO agent_toolbar.session.core: connecting again in 0.4 s "
        "(attempt 2): 127.0.0.1 refused the connection or cannot be reached"
    )
    started = time.perf_counter()
    for _ in range(20_000):
        redact(line)
    # About 2 µs a line when measured; the bound only catches a pattern gone quadratic.
    assert time.perf_counter() - started < 2.0
