"""What the Telphin examination's steps share: the API client, the verdicts so far, and
how a raw answer is read (a refusal ends the examination as it would end a sign-in)."""

from dataclasses import dataclass, field
from typing import Any

import aiohttp

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.backends.http import Response, raise_if_busy
from agent_toolbar.backends.telphin.api import TelphinApi
from agent_toolbar.backends.telphin.backend import TelphinSettings, refusal
from agent_toolbar.doctor.report import Findings
from agent_toolbar.doctor.run import Say

SHOWN_CHARS = 40
"""A value the server gave is shown up to this long in a row: a word, not a page."""


@dataclass
class Exam:
    http: aiohttp.ClientSession
    api: TelphinApi
    settings: TelphinSettings
    facts: Findings
    say: Say
    profile: str | None
    """The profile's name, for the fixes' `[profiles.NAME.wire]` lines."""
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Agent:
    """The queue agent examined, as the toolbar would find it."""

    client: str
    """The client id that paths name: the user's, or @me."""
    path: str
    extension: str | None
    found: dict[str, Any]
    """The agent object as the server gave it."""


def body_of(answer: Response, doing: str) -> Any:
    """The answer's JSON body; 429 and 5xx are the server failing, any other refusal
    ends the examination signed out, as it would end the toolbar's sign-in."""
    raise_if_busy(answer, doing, lambda failed: str(failed.status))
    if answer.status >= 400:
        raise SignedOut(f"could not {doing}: {refusal(answer)}")
    return answer.body


def shown(value: Any) -> str:
    """A value from the server in one short printable line."""
    text = "".join(c if c.isprintable() else " " for c in str(value))
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"
