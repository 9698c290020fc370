"""Timed pauses that outlive the toolbar: a small private file of when to resume which queue.

Qubicle has no timed pause, so the toolbar resumes the queue itself. The plan must
survive a restart of the toolbar (and `agent-toolbar set pause --timeout`, which
exits at once, hands its plan to the next toolbar or `watch` that runs). Plans are
kept per server and agent; a file that cannot be read is logged and taken as empty,
never a reason not to start.
"""

import json
import math
import os
from pathlib import Path

import platformdirs

from agent_toolbar.config.small_files import read_json_object, write_private_file
from agent_toolbar.domain.state import ResumePlan
from agent_toolbar.support.log import resume_plans as log

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
        return read_json_object(self._path, MAX_FILE_BYTES, log, "the timed pauses")

    def _write(self, everything: dict[str, object]) -> None:
        write_private_file(self._path, json.dumps(everything).encode())
