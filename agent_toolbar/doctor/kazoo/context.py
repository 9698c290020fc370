"""What the parts of the Kazoo examination share: the signed-in REST client, the events
that arrived, the findings and the notes."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agent_toolbar.backends.base import Unreachable
from agent_toolbar.backends.http import Response
from agent_toolbar.backends.kazoo import wire
from agent_toolbar.backends.kazoo.crossbar import Crossbar
from agent_toolbar.backends.kazoo.errors import kazoo_message
from agent_toolbar.backends.kazoo.wire import Wire
from agent_toolbar.doctor.report import Findings
from agent_toolbar.doctor.run import Say
from agent_toolbar.domain import DecodeError, Snapshot
from agent_toolbar.domain.events import Event


class Failed(Exception):
    """The server refused what the examination asked, unexpectedly: the examination
    stops there, and what was changed is put back."""


class Inbox:
    """Every event the link delivered, in order, to look for one after a change."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.broken = 0
        self._arrived = asyncio.Event()

    def deliver(self, frame: Event | DecodeError) -> None:
        if isinstance(frame, DecodeError):
            self.broken += 1
            return
        self.events.append(frame)
        self._arrived.set()

    def mark(self) -> int:
        """Where the next event will be: `wait_for` looks from there."""
        return len(self.events)

    async def wait_for(
        self, wanted: Callable[[Event], bool], since: int, timeout: float
    ) -> Event | None:
        """The first wanted event from `since` on, waiting up to `timeout` for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for event in self.events[since:]:
                if wanted(event):
                    return event
            since = len(self.events)
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            self._arrived.clear()
            try:
                async with asyncio.timeout(remaining):
                    await self._arrived.wait()
            except TimeoutError:
                continue


@dataclass
class Context:
    crossbar: Crossbar
    account_id: str
    me: str
    """The recipient (the agent's user id)."""
    profile_name: str | None
    wire: Wire
    findings: Findings
    say: Say
    inbox: Inbox = field(default_factory=Inbox)
    notes: list[str] = field(default_factory=list)
    linked: bool = False
    """Whether the event link is up: without it no event can show what a change did."""

    @property
    def account(self) -> str:
        return f"accounts/{self.account_id}"

    @property
    def recipient(self) -> str:
        return f"{self.account}/qubicle_recipients/{self.me}"

    def note(self, words: str) -> None:
        self.notes.append(words)
        self.say(words)

    async def get(self, path: str) -> Response:
        """A read whose answer the caller judges; a busy server (429, 5xx) is Unreachable,
        as for the toolbar."""
        return busy_or(await self.crossbar.call("GET", path), f"GET {path}")

    async def post_status(self, body: Any) -> Response:
        path = f"{self.recipient}/status"
        return busy_or(await self.crossbar.call("POST", path, body), "POST status")

    async def post_action(self, body: Any) -> Response:
        return busy_or(await self.crossbar.call("POST", self.recipient, body), "POST action")

    async def snapshot(self) -> Snapshot:
        """The agent's status as the toolbar reads it (a 404 is logged out, as there)."""
        answer = await self.get(f"{self.recipient}/status")
        if answer.status in wire.NOT_LOGGED_IN_STATUSES:
            return Snapshot(taken_at=None, logged_in=False, status="logged_out")
        if answer.status >= 400:
            raise Failed(f"the status read answered {words(answer)}")
        return wire.read_status(data(answer), None)


def busy_or(answer: Response, what: str) -> Response:
    if answer.status == 429 or answer.status >= 500:
        raise Unreachable(f"the server could not answer {what} ({words(answer)})", kind="server")
    return answer


def data(answer: Response) -> Any:
    """Crossbar's envelope `{"data": ...}` of a success; None otherwise."""
    if answer.status >= 400 or not isinstance(answer.body, dict):
        return None
    return answer.body.get("data")


def words(answer: Response) -> str:
    return f"{answer.status}: {kazoo_message(answer.body)}"
