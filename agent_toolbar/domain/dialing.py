"""Phone numbers an agent may dial, from what they typed or a `tel:`/`callto:` link.

A number reaches the server only as digits with an optional leading `+`: the
spaces, dashes, dots and brackets people write are dropped, and `%2B` (a `+` a web
page encoded) is read back. Anything else (letters, a second `+`, a link of another
scheme, a SIP address) is refused with the reason, so a click on a stray link never
dials something the agent did not mean.
"""

from urllib.parse import unquote

SCHEMES = ("tel", "callto")
"""The link schemes the toolbar answers for (the desktop entry registers them)."""
_SEPARATORS = frozenset(" \t-.()/\u00a0")
_SHORTEST = 2
_LONGEST = 20
"""E.164 numbers have at most 15 digits; room is left for a trunk prefix and an
extension's own short numbers are 2 digits and up."""


class NotANumber(ValueError):
    """What was given is no phone number; the message says why in plain words."""


def normalise(text: str) -> str:
    """`text` as the digits to dial, with a leading `+` kept; raises NotANumber."""
    raw = unquote(text).strip()
    if not raw:
        raise NotANumber("no number was given")
    kept = "".join(each for each in raw if each not in _SEPARATORS)
    plus = kept.startswith("+")
    digits = kept[1:] if plus else kept
    if not digits.isascii() or not digits.isdigit():
        raise NotANumber(
            f"{raw!r} is not a phone number: "
            "it may hold digits, spaces, dashes, brackets and a leading +"
        )
    if not _SHORTEST <= len(digits) <= _LONGEST:
        raise NotANumber(f"{raw!r} is not a phone number: it has {len(digits)} digits")
    return ("+" if plus else "") + digits


def from_link(link: str) -> str:
    """The number in a `tel:` or `callto:` link (or a bare number); raises NotANumber.

    `tel:+1-555-0100;ext=12` dials +15550100: the parameters after `;` are for the
    phone, not for the number. `callto://+15550100` (Skype's form) works as well.
    """
    text = link.strip()
    scheme, colon, rest = text.partition(":")
    if not colon:
        return normalise(text)
    if scheme.lower() not in SCHEMES:
        raise NotANumber(f"a {scheme}: link is not a phone number")
    number = rest.removeprefix("//").split(";", 1)[0].split("?", 1)[0].rstrip("/")
    return normalise(number)
