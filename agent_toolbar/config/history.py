"""The agent's call history: a private SQLite file in the user data directory.

Rows come from `domain/history.py` as states arrive and are written at once (a kill
loses nothing already seen); a row is keyed by profile and session id, so a change
upserts it. Every SQLite call runs on one writer thread, in order, never on the GUI
thread: `HistoryFile` is that thread's, and `History` hands it work from the event loop.
A file that cannot be opened or written is logged, never a reason not to start.
"""

import asyncio
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from agent_toolbar.domain.history import FIELDS, KEEP_FIRST, LAST_CALL, RowChange, changes
from agent_toolbar.domain.state import AgentState
from agent_toolbar.support.log import history as log

FILE_NAME = "history.sqlite3"
DAY = 86400.0
T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    profile TEXT NOT NULL,
    key TEXT NOT NULL,
    seen_at REAL NOT NULL,
    kind TEXT,
    started_at REAL,
    caller_name TEXT,
    caller_number TEXT,
    queue_id TEXT,
    queue_name TEXT,
    outcome TEXT,
    ring_seconds REAL,
    answered_at REAL,
    talk_seconds REAL,
    wrapup_seconds REAL,
    PRIMARY KEY (profile, key)
)
"""


def _assignment(name: str) -> str:
    if name in KEEP_FIRST:
        return f"{name} = COALESCE({name}, excluded.{name})"
    if name == "outcome":
        return (
            "outcome = CASE WHEN excluded.outcome = 'ringing' AND outcome IS NOT NULL"
            " THEN outcome ELSE COALESCE(excluded.outcome, outcome) END"
        )
    return f"{name} = COALESCE(excluded.{name}, {name})"


_UPSERT = (
    f"INSERT INTO calls (profile, key, seen_at, {', '.join(FIELDS)})"
    f" VALUES ({', '.join('?' * (len(FIELDS) + 3))})"
    f" ON CONFLICT (profile, key) DO UPDATE SET {', '.join(map(_assignment, FIELDS))}"
)
_LAST_CALL = (
    "SELECT key FROM calls WHERE profile = ? AND outcome = 'answered' AND wrapup_seconds IS NULL"
    " ORDER BY COALESCE(answered_at, seen_at) DESC LIMIT 1"
)


def history_path() -> Path:
    """Beside the settings when `$AGENT_TOOLBAR_CONFIG_DIR` is set (tests, portable
    installs), else in the user's data directory."""
    directory = os.environ.get("AGENT_TOOLBAR_CONFIG_DIR")
    if directory:
        return Path(directory).expanduser() / FILE_NAME
    return platformdirs.user_data_path("agent-toolbar", appauthor=False) / FILE_NAME


@dataclass(frozen=True)
class HistoryRow:
    """One call as the history view shows it; times are Unix seconds."""

    profile: str
    key: str
    seen_at: float
    kind: str | None
    started_at: float | None
    caller_name: str | None
    caller_number: str | None
    queue_id: str | None
    queue_name: str | None
    outcome: str | None
    ring_seconds: float | None
    answered_at: float | None
    talk_seconds: float | None
    wrapup_seconds: float | None


class HistoryFile:
    """The database itself; every method blocks, and all must run on one thread."""

    def __init__(self, path: Path, clock: Callable[[], float] = time.time) -> None:
        self._path = path
        self._clock = clock
        self._connection: sqlite3.Connection | None = None

    def _open(self) -> sqlite3.Connection:
        if self._connection is None:
            directory = self._path.parent
            if not directory.is_dir():
                directory.mkdir(mode=0o700, parents=True, exist_ok=True)
                os.chmod(directory, 0o700)
            descriptor = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            os.fchmod(descriptor, 0o600)
            os.close(descriptor)
            connection = sqlite3.connect(self._path, isolation_level=None)
            connection.execute("PRAGMA journal_mode = DELETE")
            connection.execute(_SCHEMA)
            self._connection = connection
        return self._connection

    def apply(self, profile: str, rows: Sequence[RowChange]) -> None:
        """Upsert each change, in one transaction."""
        connection = self._open()
        with connection:
            connection.execute("BEGIN")
            for row in rows:
                key = row.key
                if key == LAST_CALL:
                    found = connection.execute(_LAST_CALL, (profile,)).fetchone()
                    if found is None:
                        continue
                    key = found[0]
                values = [getattr(row, name) for name in FIELDS]
                connection.execute(_UPSERT, (profile, key, self._clock(), *values))

    def rows(self, since: float | None = None) -> list[HistoryRow]:
        """Every row seen since `since` (all when None), newest first."""
        query = "SELECT * FROM calls WHERE seen_at >= ? ORDER BY seen_at DESC, rowid DESC"
        found = self._open().execute(query, (since if since is not None else 0.0,))
        return [HistoryRow(*row) for row in found.fetchall()]

    def prune(self, days: int) -> int:
        """Remove rows older than `days`; returns how many went."""
        cutoff = self._clock() - days * DAY
        return self._open().execute("DELETE FROM calls WHERE seen_at < ?", (cutoff,)).rowcount

    def clear(self) -> None:
        """Remove every row and give the space back, so nothing of them stays in the file."""
        connection = self._open()
        connection.execute("DELETE FROM calls")
        connection.execute("VACUUM")

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


Subscribe = Callable[[Callable[[AgentState], None]], Callable[[], None]]
"""`Session.subscribe`: call a listener with every new state; returns the way to stop."""


class History:
    """The history from the event loop: every call goes to the one writer thread, in order."""

    def __init__(self, file: HistoryFile) -> None:
        self._file = file
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="history")
        self._failed = False
        self._unsubscribe: Callable[[], None] | None = None

    @classmethod
    def follow(cls, subscribe: Subscribe, profile: str, days: int) -> "History":
        """The history of `profile`'s session: rows older than `days` go first, then every
        state the session publishes is recorded."""
        history = cls(HistoryFile(history_path()))
        history.submit(lambda file: file.prune(days)).add_done_callback(history._written)
        history._unsubscribe = subscribe(Recorder(history, profile).feed)
        return history

    def submit(self, job: Callable[[HistoryFile], T]) -> "Future[T]":
        return self._writer.submit(job, self._file)

    async def run(self, job: Callable[[HistoryFile], T]) -> T:
        """`job` on the writer thread; raises what it raises (sqlite3.Error, OSError)."""
        return await asyncio.wrap_future(self.submit(job))

    def record(self, profile: str, rows: Sequence[RowChange]) -> None:
        """Write `rows` soon, without waiting; a failure is logged once."""
        if rows:
            self.submit(lambda file: file.apply(profile, rows)).add_done_callback(self._written)

    def _written(self, done: "Future[Any]") -> None:
        error = done.exception()
        if error is not None and not self._failed:
            self._failed = True
            log.warning("the call history cannot be kept: %s", error)

    def close(self) -> None:
        """Finish what was handed over, then close the file."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.submit(HistoryFile.close)
        self._writer.shutdown(wait=True)


class Recorder:
    """Feeds one profile's states to the history: subscribe `feed` to the session."""

    def __init__(self, history: History, profile: str) -> None:
        self._history = history
        self._profile = profile
        self._last: AgentState | None = None

    def feed(self, state: AgentState) -> None:
        before, self._last = self._last, state
        self._history.record(self._profile, changes(before, state))
