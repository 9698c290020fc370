"""What the session needs from a server, whatever its protocol.

A backend signs in, opens an event link that delivers domain events, reads a
snapshot of the agent's state on demand, and sends commands. Failures come back
as three exceptions whose messages are plain words an agent can read.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from agent_toolbar.domain import DecodeError, Event, QueuesReported, Snapshot
from agent_toolbar.domain.commands import Command
from agent_toolbar.domain.state import Capability


class BackendError(Exception):
    """A failure whose message is plain words, fit to show an agent (never a secret)."""


SignedOutKind = Literal["credentials", "not_agent", "setup", "insecure"]
UnreachableKind = Literal["network", "certificate", "server"]


class SignedOut(BackendError):
    """The server refused us: retrying will not help until something changes.

    `kind` says what must change, so that a sign-in dialog can point at it without
    reading the message: "credentials" (the server refused what we signed in with),
    "not_agent" (the credentials are right, but the user is no call-center agent),
    "setup" (a setting is missing or wrong) or "insecure" (the server would have us
    send secrets unencrypted). `setting` names the setting to fix when one is known,
    as the connection settings call it ("user_id", "ca_file", "websocket_url"...).
    """

    def __init__(
        self, message: str, *, kind: SignedOutKind = "credentials", setting: str | None = None
    ) -> None:
        super().__init__(message)
        self.kind: SignedOutKind = kind
        self.setting = setting


class Unreachable(BackendError):
    """The server could not be reached, or failed; retrying later may help.

    `maybe_applied` is False only when the request surely never reached the server
    (refused connection, unknown host), so that a change that must not happen twice
    is retried only then. `retry_after` is the server's own advice, in seconds.
    `kind` tells a network failure from an unverifiable TLS certificate and from a
    server that answered but failed (5xx, rate limits).
    """

    def __init__(
        self,
        message: str,
        *,
        maybe_applied: bool = True,
        retry_after: float | None = None,
        kind: UnreachableKind = "network",
    ) -> None:
        super().__init__(message)
        self.maybe_applied = maybe_applied
        self.retry_after = retry_after
        self.kind: UnreachableKind = kind


class CommandRejected(BackendError):
    """The server understood the command and refused it.

    `capability` is set when the refusal is about a whole kind of change (the server
    has no per-queue changes, say): asking again would be refused again.
    """

    def __init__(self, message: str, *, capability: Capability | None = None) -> None:
        super().__init__(message)
        self.capability: Capability | None = capability


@dataclass(frozen=True)
class Adapted:
    """The server refused part of a change, and the backend made the rest of it:
    `capability` is what the server does not take, `reason` its words for why."""

    capability: Capability
    reason: str


@dataclass(frozen=True)
class Identity:
    """Who we are on the server: the agent the state follows."""

    recipient_id: str
    account_id: str
    display_name: str | None = None


@dataclass(frozen=True)
class Capabilities:
    """What this server lets an agent do; the window hides the rest rather than fake it."""

    away: bool
    """Ready and away are separate statuses (else logging in is being ready)."""
    pause_queues: bool
    extend_wrapup: bool
    finish_wrapup: bool
    dial: bool = False
    """Calls can be placed from the agent's phone through the server (call back, dial box)."""


Delivery = Callable[[Event | DecodeError], None]
"""Where a link hands each frame it read: a domain event or why it was unreadable."""


class EventLink(Protocol):
    """An open, subscribed event stream."""

    async def closed(self) -> str:
        """Wait until the link is lost; the reason in plain words."""
        ...

    async def close(self) -> None: ...


class Backend(Protocol):
    capabilities: Capabilities
    check_interval: float
    """Seconds between checks of the server's state: shorter where events can be lost."""

    async def sign_in(self) -> Identity:
        """Log in; raises SignedOut (bad credentials) or Unreachable."""
        ...

    async def open_events(self, deliver: Delivery) -> EventLink:
        """Connect and subscribe; events flow to `deliver` once this returns."""
        ...

    async def snapshot(self, taken_at: float | None) -> Snapshot:
        """The server's word on the agent's state now, stamped with `taken_at`."""
        ...

    async def queues(self, taken_at: float | None) -> QueuesReported:
        """The account's queues with their names and numbers now."""
        ...

    async def reachable(self) -> bool:
        """Whether the server takes connections again: a cheap check, nothing is asked."""
        ...

    async def send(self, command: Command) -> Adapted | None:
        """Ask the server for a change; raises CommandRejected, SignedOut or Unreachable.

        Returns how the change had to be adapted to the server, if it had to be.
        """
        ...

    async def close(self) -> None: ...
