"""Screen pop: which call to open in the CRM, and the URL or command that opens it.

A profile's template is either an http(s) URL, whose placeholders are filled with
URL-encoded values, or a command line run without a shell, whose placeholders are filled
with the raw values inside their own arguments (a value never becomes a second argument).
A call is popped once: its key (the server's session id) is remembered for the session,
so a reconnect or a replayed event that shows the same call again opens nothing.
"""

import re
import shlex
import string
from collections.abc import Callable, Collection
from typing import Literal
from urllib.parse import quote, urlsplit

import msgspec

from agent_toolbar.domain.state import AgentState

PopWhen = Literal["ring", "answer"]
PLACEHOLDERS = (
    "caller_id_number",
    "caller_id_name",
    "queue_name",
    "queue_id",
    "session_id",
    "agent",
    "call_id",
)
SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]+):")
"""A URL's scheme: two letters or more, so a Windows drive (`C:\\crm.exe`) is a command."""


class TemplateError(ValueError):
    """A template that cannot be used; the message is the reason, for the agent."""


class PopCall(msgspec.Struct, frozen=True, kw_only=True):
    """The call's values a template may name (None: the server did not say)."""

    session_id: str | None
    queue_id: str | None
    queue_name: str | None
    caller_id_name: str | None
    caller_id_number: str | None
    agent: str
    call_id: str | None = None

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) or "" for name in PLACEHOLDERS}


SAMPLE = PopCall(
    session_id="sample-session-1",
    queue_id="sample-queue-1",
    queue_name="Sales",
    caller_id_name="Marie Curie",
    caller_id_number="+33 1 23 45 67 89",
    agent="sample-agent",
    call_id="sample-call-1",
)
"""What the settings' Test button fills a template with."""


class Target(msgspec.Struct, frozen=True, kw_only=True):
    """What to open: a URL, or a command's arguments (never a shell line)."""

    url: str | None = None
    command: tuple[str, ...] = ()


def _fields(text: str) -> list[tuple[str, str | None]]:
    """The literal text and placeholder of each piece; refuses formats and unknown names."""
    try:
        pieces = list(string.Formatter().parse(text))
    except ValueError as error:
        raise TemplateError(f"the template's braces do not pair up ({error})") from None
    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    for _literal, name, spec, conversion in pieces:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            raise TemplateError(f"unknown placeholder {{{name}}}: use {known}")
        if spec or conversion:
            raise TemplateError(f"placeholder {{{name}}} takes no format: write just {{{name}}}")
    return [(literal, name) for literal, name, _spec, _conversion in pieces]


def _fill(text: str, values: dict[str, str], encode: bool) -> str:
    return "".join(
        literal + ("" if name is None else quote(values[name], safe="") if encode else values[name])
        for literal, name in _fields(text)
    )


def is_url(template: str) -> bool:
    return _SCHEME.match(template.strip()) is not None


def check(template: str, exists: Callable[[str], bool]) -> None:
    """Raise TemplateError naming why `template` cannot be used; `exists` says whether
    a command can be found (the caller's `shutil.which`, so this stays pure)."""
    text = template.strip()
    if not text:
        raise TemplateError("the template is empty")
    _fields(text)
    if is_url(text):
        blank = _fill(text, dict.fromkeys(PLACEHOLDERS, "x"), encode=True)
        parts = urlsplit(blank)
        if parts.scheme.lower() not in SCHEMES:
            raise TemplateError(f"only http and https addresses are opened, not {parts.scheme}:")
        if not parts.hostname:
            raise TemplateError("the address names no host")
        return
    arguments = _split(text)
    program = arguments[0]
    if _fields(program) != [(program, None)]:
        raise TemplateError("the command's program cannot be a placeholder")
    if not exists(program):
        raise TemplateError(f"no command {program} was found")


def _split(text: str) -> list[str]:
    try:
        arguments = shlex.split(text)
    except ValueError as error:
        raise TemplateError(f"the command's quotes do not pair up ({error})") from None
    if not arguments:
        raise TemplateError("the template is empty")
    return arguments


def target(template: str, call: PopCall) -> Target:
    """The URL (values URL-encoded) or the command's arguments for `call`; the template
    must have passed `check`."""
    text = template.strip()
    values = call.values()
    if is_url(text):
        return Target(url=_fill(text, values, encode=True))
    return Target(command=tuple(_fill(each, values, encode=False) for each in _split(text)))


def _queue_name(state: AgentState, queue_id: str | None) -> str | None:
    return next((queue.name for queue in state.queues if queue.queue_id == queue_id), None)


def showing(state: AgentState, when: PopWhen = "ring") -> PopCall | None:
    """The call `state` shows that a pop `when` opens: on answer the call; on ring the
    offer, or the call if the ring was never seen (it rang, then, too)."""
    agent = state.recipient_id
    call = state.call
    if call is not None:
        return PopCall(
            session_id=call.session_id,
            queue_id=call.queue_id,
            queue_name=call.queue_name or _queue_name(state, call.queue_id),
            caller_id_name=call.caller_id_name,
            caller_id_number=call.caller_id_number,
            agent=agent,
        )
    offer = state.offer
    if when == "ring" and offer is not None:
        return PopCall(
            session_id=offer.session_id,
            queue_id=offer.queue_id,
            queue_name=_queue_name(state, offer.queue_id),
            caller_id_name=offer.caller_id_name,
            caller_id_number=offer.caller_id_number,
            agent=agent,
        )
    return None


def to_pop(
    before: AgentState | None, after: AgentState, when: PopWhen, popped: Collection[str]
) -> PopCall | None:
    """The call to open now, or None. A call is keyed by its session id, and one in
    `popped` is never opened again; a call without one opens only as it first shows."""
    now = showing(after, when)
    if now is None:
        return None
    if now.session_id is not None:
        return None if now.session_id in popped else now
    earlier = showing(before, when) if before is not None else None
    return now if earlier is None else None
