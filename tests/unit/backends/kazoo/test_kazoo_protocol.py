"""The Kazoo client's pure parts: credentials, tokens, error words and the REST shapes
(the wire facts themselves are tested in test_kazoo_wire.py)."""

import base64
import hashlib
import json

import pytest

from agent_toolbar.backends.kazoo.auth import Credentials, _claims, _time, _websocket_url
from agent_toolbar.backends.kazoo.errors import kazoo_message


def test_md5_credentials_hash_the_lower_cased_user_and_password() -> None:
    path, body = Credentials(account_name="Demo", username="Ada", password="Se:cret").request()
    assert path == "user_auth"
    expected = hashlib.md5(b"ada:Se:cret").hexdigest()
    assert body == {"data": {"credentials": expected, "account_name": "Demo", "method": "md5"}}


def test_sha_credentials_and_api_keys() -> None:
    _, body = Credentials(account_name="d", username="u", password="p", method="sha").request()
    assert body["data"]["credentials"] == hashlib.sha1(b"u:p").hexdigest()
    assert Credentials(api_key="k").request() == ("api_auth", {"data": {"api_key": "k"}})


def test_credentials_never_show_their_secrets() -> None:
    shown = repr(Credentials(account_name="d", username="u", password="hunter2", api_key="key9"))
    assert "hunter2" not in shown
    assert "key9" not in shown


def jwt(claims: object) -> str:
    def part(value: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'HS256'})}.{part(claims)}.c2ln"


def test_token_expiry_is_read_from_the_jwt() -> None:
    assert _time(_claims(jwt({"exp": 1_795_255_200})).get("exp")) == 1_795_255_200


@pytest.mark.parametrize("token", ["opaque", "a.b.c", jwt([1])])
def test_unreadable_tokens_have_no_claims(token: str) -> None:
    assert _claims(token) == {}


@pytest.mark.parametrize(
    "value", ["soon", None, True, 0, -1, 1e300, 10**400, float("nan"), float("inf")]
)
def test_a_token_time_that_is_no_time_is_left_out(value: object) -> None:
    assert _time(value) is None


def test_the_advertised_websocket_url_is_found_only_where_kazoo_puts_it() -> None:
    data = {"ui_config": {"api": {"kazoo_websocket": {"url": "wss://pbx:7777"}}}}
    assert _websocket_url(data) == "wss://pbx:7777"
    assert _websocket_url({"ui_config": {"api": "nope"}}) is None
    assert _websocket_url({}) is None


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            {"data": {"message": "invalid credentials"}, "message": "invalid_credentials"},
            "invalid credentials",
        ),
        ({"data": {"status": {"enum": {"message": "Value not found"}}}}, "Value not found"),
        ({"message": "bad_identifier"}, "bad identifier"),
        ("not json", "no details"),
        ({}, "no details"),
    ],
)
def test_kazoo_error_bodies_in_plain_words(body: object, words: str) -> None:
    assert kazoo_message(body) == words
