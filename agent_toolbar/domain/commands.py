"""What the agent asks the server to do, as plain values.

Backends turn them into requests; the session tracks each one from pending to
confirmed (the matching event arrived) or failed.
"""

from typing import assert_never

import msgspec


class Login(msgspec.Struct, frozen=True, tag="login"):
    """Log in to the queues (Qubicle puts a new login in away)."""


class Logout(msgspec.Struct, frozen=True, tag="logout"):
    """Log out of the queues."""


class Ready(msgspec.Struct, frozen=True, tag="ready"):
    """Become available for offers."""


class Away(msgspec.Struct, frozen=True, tag="away"):
    """Stop receiving offers, saying why."""

    reason: str | None = None


class Pause(msgspec.Struct, frozen=True, tag="pause"):
    """Stop offers from one queue, optionally resuming by itself after `timeout` seconds."""

    queue_id: str
    timeout: float | None = None


class Resume(msgspec.Struct, frozen=True, tag="resume"):
    """Take offers from a paused queue again."""

    queue_id: str


class WrapupExtend(msgspec.Struct, frozen=True, tag="wrapup_extend"):
    """Ask for more wrap-up time."""


class WrapupFinish(msgspec.Struct, frozen=True, tag="wrapup_finish"):
    """End wrap-up early and become available."""


class Dial(msgspec.Struct, frozen=True, tag="dial"):
    """Place a call from the agent's phone: the server rings the phone, then `number`.

    `number` is already normalised (`domain.dialing.normalise`): digits with an
    optional leading +.
    """

    number: str


Command = Login | Logout | Ready | Away | Pause | Resume | WrapupExtend | WrapupFinish | Dial


def slot(command: Command) -> str:
    """Commands in one slot replace each other: the newest wish is the one that counts."""
    if isinstance(command, Pause | Resume):
        return f"queue:{command.queue_id}"
    if isinstance(command, WrapupExtend | WrapupFinish):
        return "wrapup"
    if isinstance(command, Dial):
        return "dial"
    return "status"


def describe(command: Command) -> str:
    """The change in plain words, for the timeline and for failure messages."""
    match command:
        case Login():
            return "log in"
        case Logout():
            return "log out"
        case Ready():
            return "ready"
        case Away(reason=reason):
            return f"away ({reason})" if reason else "away"
        case Pause(queue_id=queue, timeout=timeout):
            return f"pause queue {queue}" + (f" for {timeout:g} s" if timeout else "")
        case Resume(queue_id=queue):
            return f"resume queue {queue}"
        case WrapupExtend():
            return "extend wrap-up"
        case WrapupFinish():
            return "finish wrap-up"
        case Dial(number=number):
            return f"call {number}"
    assert_never(command)
