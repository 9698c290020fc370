"""The record of a quit that left the agent taking calls, for the next start to tell.

When the toolbar quits although its log-out (or Away) did not land, the server may
still ring the agent's seat. The log says so, but nobody reads logs: so a small
private file, beside the timed pauses, keeps when it happened, on which server and
why, per profile; the next start of that profile tells the agent once and removes
it. A file that cannot be read or written is logged, never a reason not to start or
not to quit.
"""

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from agent_toolbar.config.resume_plans import plans_path
from agent_toolbar.config.small_files import read_json_object, write_private_file
from agent_toolbar.support.log import quit_record as log

FILE_NAME = "quit-record.json"
MAX_FILE_BYTES = 64 * 1024
"""A record this large is not ours: it holds a few lines per profile."""
MAX_TEXT = 500
"""A reason longer than this is cut: the notice is a few lines."""

Change = Literal["log_out", "away"]


@dataclass(frozen=True)
class LeftTakingCalls:
    """A quit that left the agent taking calls: when (Unix time), where, and why."""

    at: float
    server: str
    change: Change
    """What the quit tried and could not do."""
    reason: str


def record_path() -> Path:
    """Beside the timed pauses (`resume_plans.plans_path`): the user's state directory, or
    the settings' folder when `$AGENT_TOOLBAR_CONFIG_DIR` is set."""
    return plans_path().with_name(FILE_NAME)


class QuitRecord:
    """One profile's record. Blocking file I/O: call it off the GUI thread."""

    def __init__(self, profile: str, server: str, path: Path | None = None) -> None:
        self._profile = profile
        self._server = server
        self._path = path or record_path()

    def keep(self, change: Change, reason: str, at: float) -> None:
        """Note that quitting left the agent taking calls (the newest note replaces older)."""
        everything = self._read()
        everything[self._profile] = {
            "at": at,
            "server": self._server,
            "change": change,
            "reason": reason[:MAX_TEXT],
        }
        try:
            self._write(everything)
        except OSError as error:
            log.error(
                "could not keep the record of this quit in %s (%s): the next start will "
                "not tell the agent",
                self._path,
                error.strerror or type(error).__name__,
            )

    def take(self) -> LeftTakingCalls | None:
        """This profile's record, removed from the file: it is told once."""
        everything = self._read()
        entry = everything.pop(self._profile, None)
        if entry is None:
            return None
        try:
            self._write(everything)
        except OSError as error:
            log.warning(
                "could not remove the record of the last quit from %s (%s)",
                self._path,
                error.strerror or type(error).__name__,
            )
        return _entry(entry)

    def _read(self) -> dict[str, object]:
        return read_json_object(self._path, MAX_FILE_BYTES, log, "the record of past quits")

    def _write(self, everything: dict[str, object]) -> None:
        if not everything:
            self._path.unlink(missing_ok=True)
            return
        write_private_file(self._path, json.dumps(everything).encode())


def _entry(entry: object) -> LeftTakingCalls | None:
    """A record as written by `keep`; anything else (an edited or foreign file) is None."""
    if not isinstance(entry, dict):
        return None
    at, server = entry.get("at"), entry.get("server")
    change, reason = entry.get("change"), entry.get("reason")
    if not (isinstance(at, int | float) and math.isfinite(at)):
        return None
    if not (isinstance(server, str) and isinstance(reason, str)):
        return None
    if change not in ("log_out", "away"):
        return None
    known: Change = "away" if change == "away" else "log_out"
    return LeftTakingCalls(
        at=float(at), server=server[:MAX_TEXT], change=known, reason=reason[:MAX_TEXT]
    )
