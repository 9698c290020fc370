"""`agent-toolbar doctor`: examine the server a connection names, and print the verdicts.

Read-only unless `--try-changes`, which asks first on a terminal and is refused
without one unless `--yes`. Ctrl-C (SIGINT) or SIGTERM cancels the examination: the
examinations restore what they changed in their own `finally`, and say so.
"""

import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.doctor.report import (
    EXIT_OPTIONS,
    Report,
    render_json,
    render_text,
)

LISTEN_SECONDS = 10.0
"""How long the doctor listens for events by default: a few pings, and whatever the
server sends meanwhile."""


@dataclass(frozen=True)
class Options:
    listen: float = LISTEN_SECONDS
    """Seconds to listen for events (and pings) after subscribing."""
    try_changes: bool = False
    """Make the toolbar's reversible changes, and restore the starting state after."""


Say = Callable[[str], None]
"""Where the examination says what it is doing, as it goes (stderr for the command)."""


async def examine(
    profile: Profile, secrets: Secrets, name: str | None, options: Options, say: Say
) -> Report:
    """The examination for the profile's backend; `name` is the profile's, for the fixes."""
    if profile.backend == "telphin":
        from agent_toolbar.doctor.telphin import examine as telphin

        return await telphin.examine(profile, secrets, name, options, say)
    from agent_toolbar.doctor.kazoo.examine import examine as examine_kazoo

    return await examine_kazoo(profile, secrets, name, options, say)


CONFIRM = {
    "kazoo": (
        "--try-changes sets this agent Ready and Away, makes one queue away and ready again "
        "(and, in wrap-up, a wrap-up action), then puts everything back as it was; it never "
        "logs the agent in or out. Calls may ring while the agent is Ready."
    ),
    "telphin": (
        "--try-changes sets this agent available again if logged in (it never logs an agent "
        "in or out), and creates and deletes a test event subscription, then puts "
        "everything back as it was."
    ),
}
"""What --try-changes does, said before it does it."""


def confirmed(stdin: TextIO, err: TextIO, backend: str, *, yes: bool) -> bool:
    """Whether changes may be made: `--yes`, or "yes" typed at a terminal."""
    if yes:
        return True
    if not stdin.isatty():
        err.write("agent-toolbar doctor: --try-changes needs a terminal to confirm, or --yes\n")
        return False
    err.write(f"{CONFIRM.get(backend, CONFIRM['kazoo'])} Type yes to go on: ")
    err.flush()
    return stdin.readline().strip().lower() == "yes"


def run(
    profile: Profile,
    secrets: Secrets,
    name: str | None,
    options: Options,
    *,
    capture: Path | None,
    as_json: bool,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Examine, print the report, and return its exit code."""

    def say(words: str) -> None:
        err.write(f"doctor: {words}\n")
        err.flush()

    async def main() -> Report:
        task = asyncio.current_task()
        assert task is not None
        loop = asyncio.get_running_loop()
        for stop in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C raises instead
                loop.add_signal_handler(stop, task.cancel)
        return await examine(profile, secrets, name, options, say)

    if capture is not None:
        from agent_toolbar.support.capture import CaptureError, recording

        try:
            with recording(capture, secrets):
                report = asyncio.run(main())
        except CaptureError as error:
            err.write(f"agent-toolbar doctor: {error}\n")
            return EXIT_OPTIONS
    else:
        report = asyncio.run(main())
    out.write(render_json(report) if as_json else render_text(report))
    return report.exit_code
