"""Timed pauses that outlive the toolbar: a small private file of when to resume which queue.

Qubicle has no timed pause, so the toolbar resumes the queue itself. The plan must
survive a restart of the toolbar (and `agent-toolbar set pause --timeout`, which
exits at once, hands its plan to the next toolbar or `watch` that runs). Plans are
kept per server and agent; a file that cannot be read is logged and taken as empty,
never a reason not to start.
"""

import json
import logging
import math
import os
import tempfile
from pathlib import Path

import platformdirs

from agent_toolbar.domain.state import ResumePlan
from agent_toolbar.small_files import FileRefused, read_small_file

log = logging.getLogger("agent_toolbar.resume_plans")

FILE_NAME = "resume-plans.json"
MAX_FILE_BYTES = 64 * 1024
"""A file of plans this large is not ours: no agent pauses that many queues."""
MAX_PLANS = 100


def plans_path() -> Path:
    """Beside the settings when `$AGENT_TOOLBAR_CONFIG_DIR` is set (tests, portable
    installs), else in the user's state directory."""
    directory = os.environ.get("AGENT_TOOLBAR_CONFIG_DIR")
    if directory:
        return Path(directory).expanduser() / FILE_NAME
    return platformdirs.user_state_path("agent-toolbar", appauthor=False) / FILE_NAME


class PlanFile:
    """The session's `PlanStore` for one server: plans keyed by `server` and agent."""

    def __init__(self, server: str, path: Path | None = None) -> None:
        self._server = server
        self._path = path or plans_path()

    def load(self, recipient_id: str) -> tuple[ResumePlan, ...]:
        entries = self._read().get(self._key(recipient_id), [])
        plans = []
        for entry in entries[:MAX_PLANS] if isinstance(entries, list) else []:
            queue = entry.get("queue_id") if isinstance(entry, dict) else None
            due = entry.get("due") if isinstance(entry, dict) else None
            if isinstance(queue, str) and isinstance(due, int | float) and math.isfinite(due):
                plans.append(ResumePlan(queue_id=queue[:200], due=float(due)))
        return tuple(plans)

    def save(self, recipient_id: str, plans: tuple[ResumePlan, ...]) -> None:
        everything = self._read()
        key = self._key(recipient_id)
        if plans:
            everything[key] = [{"queue_id": plan.queue_id, "due": plan.due} for plan in plans]
        elif everything.pop(key, None) is None:
            return
        try:
            self._write(everything)
        except OSError as error:
            log.warning(
                "could not keep the timed pauses in %s (%s): they end if the toolbar quits",
                self._path,
                error.strerror or type(error).__name__,
            )

    def _key(self, recipient_id: str) -> str:
        return f"{self._server} {recipient_id}"

    def _read(self) -> dict[str, object]:
        try:
            data = json.loads(read_small_file(self._path, MAX_FILE_BYTES))
        except FileNotFoundError:
            return {}
        except (OSError, FileRefused, ValueError, RecursionError) as error:
            log.warning("ignoring the timed pauses in %s (%s)", self._path, error)
            return {}
        return data if isinstance(data, dict) else {}

    def _write(self, everything: dict[str, object]) -> None:
        directory = self._path.parent
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(prefix=".resume-plans.", dir=directory)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                json.dump(everything, file)
            os.replace(name, self._path)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
