"""Which of the toolbar's open windows this one is, so that a second one (a second
demo, a second profile) opens beside the first instead of exactly on top of it.

Windows that share a settings file restore the same saved place. Each takes the
first free slot, held by a lock file that dies with its process, and moves down and
right by its slot number; the first window stays where the agent left it.
"""

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile, QStandardPaths

SLOTS = 8
"""Beyond this many windows of one settings file, the last slot is shared."""


class WindowSlot:
    """The slot this window holds until `release` (or its process ends)."""

    def __init__(self, settings_file: str) -> None:
        self.number = SLOTS - 1
        self._lock: QLockFile | None = None
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.TempLocation)
        key = hashlib.sha256(settings_file.encode()).hexdigest()[:16]
        for number in range(SLOTS):
            lock = QLockFile(str(Path(folder) / f"agent-toolbar-window-{key}-{number}.lock"))
            lock.setStaleLockTime(0)  # only a dead process frees a slot, never its age
            if lock.tryLock(0):
                self.number, self._lock = number, lock
                return

    def release(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
