"""Numbers an agent may dial: what people type and what links carry, and what is refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent_toolbar.domain.commands import Dial, describe, slot
from agent_toolbar.domain.dialing import NotANumber, from_link, normalise


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("+1 555 0100", "+15550100"),
        ("(020) 7123-4567", "02071234567"),
        ("+44.20.7123.4567", "+442071234567"),
        ("%2B33 1 23 45 67 89", "+33123456789"),
        ("  101 ", "101"),
    ],
)
def test_what_people_type_becomes_digits_with_the_plus_kept(typed: str, number: str) -> None:
    assert normalise(typed) == number


@pytest.mark.parametrize(
    ("link", "number"),
    [
        ("tel:+1-555-0100", "+15550100"),
        ("TEL:+1-555-0100;ext=12", "+15550100"),
        ("tel:%2B44%2020%207123%204567", "+442071234567"),
        ("callto:+15550100", "+15550100"),
        ("callto://+15550100/", "+15550100"),
        ("tel:5550100?call", "5550100"),
        ("+1 555 0100", "+15550100"),
    ],
)
def test_links_give_their_number(link: str, number: str) -> None:
    assert from_link(link) == number


@pytest.mark.parametrize(
    ("given_text", "reason"),
    [
        ("", "no number was given"),
        ("tel:", "no number was given"),
        ("mailto:ada@example.com", "a mailto: link is not a phone number"),
        ("sip:100@pbx", "a sip: link is not a phone number"),
        ("tel:call-me", "is not a phone number"),
        ("tel:+1+555", "is not a phone number"),
        ("tel:1", "it has 1 digits"),
        ("tel:" + "1" * 21, "it has 21 digits"),
        ("tel:١٢٣٤", "is not a phone number"),
        ("https://example.com/555", "a https: link is not a phone number"),
    ],
)
def test_anything_else_is_refused_with_the_reason(given_text: str, reason: str) -> None:
    with pytest.raises(NotANumber, match=reason):
        from_link(given_text)


@given(st.text(max_size=40))
def test_any_text_is_a_number_or_a_plain_refusal(text: str) -> None:
    try:
        number = from_link(text)
    except NotANumber as refusal:
        reason = str(refusal)
        number = None
    if number is None:
        assert reason
    else:
        assert number.lstrip("+").isdigit()
        assert number.isascii()
        assert from_link(number) == number


def test_a_dial_has_a_slot_of_its_own_and_plain_words() -> None:
    assert slot(Dial(number="+15550100")) == "dial"
    assert describe(Dial(number="+15550100")) == "call +15550100"
