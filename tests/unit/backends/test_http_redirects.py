"""The words for a redirect not followed, whatever the server put in its Location."""

import pytest

from agent_toolbar.backends.http import redirected
from agent_toolbar.support.redaction import MASK

SIGN_IN = "https://pbx.example.com:8443/v2/user_auth"


@pytest.mark.parametrize(
    "location",
    ["", "http://[::1", "http://x:99999999/", "\x00", "ht!tp://", "//evil.example/x", "é" * 5000],
)
def test_any_location_is_said_in_one_bounded_line(location: str) -> None:
    words = str(redirected("the sign-in", SIGN_IN, location))
    assert words.startswith("the server redirected the sign-in ")
    assert "\n" not in words
    assert "\x00" not in words
    assert len(words) < 400


def test_a_relative_location_is_named_in_full() -> None:
    refusal = redirected("the sign-in", SIGN_IN, "/other/user_auth")
    assert str(refusal).startswith(
        "the server redirected the sign-in to https://pbx.example.com:8443/other/user_auth; "
    )
    assert (refusal.kind, refusal.setting) == ("setup", "api_url")


@pytest.mark.parametrize("location", ["http://pbx.example.com/v2/user_auth", "HTTP://x:99999999/"])
def test_a_downgrade_is_called_one_even_where_the_url_cannot_be_read(location: str) -> None:
    refusal = redirected("the sign-in", SIGN_IN, location)
    assert str(refusal).startswith(
        "the server redirected the sign-in from https:// to unencrypted http:// ("
    )
    assert refusal.kind == "insecure"


def test_a_secret_in_the_location_is_masked() -> None:
    words = str(redirected("a request", SIGN_IN, "https://x/?password=hunter22"))
    assert f"password={MASK}" in words
    assert "hunter22" not in words
