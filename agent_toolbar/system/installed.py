"""Whether the installed program was replaced under this running toolbar (an upgrade).

An upgrade does not stop a running toolbar: dpkg renames the new executable over the old
one (a new inode), a macOS package replaces the app bundle, pip reinstalls the modules. The
process keeps running the old code while files it may still load are of another version,
so the window should offer a restart (or the agent gets the new one at the next login).

The stamp (device, inode, size, modification time) of the file every upgrade replaces,
taken at start and compared with the file's stamp now, tells. Chosen over comparing
version numbers because it needs nothing written by the installers, works the same for
every package format, and also catches a rebuilt package of the same version. On Windows
the installer asks the toolbar to close before replacing it (CloseApplications), so there
this mostly stays False.
"""

import sys
from dataclasses import dataclass
from pathlib import Path

import agent_toolbar


@dataclass(frozen=True)
class Stamp:
    """What changes when a file is replaced or rewritten."""

    device: int
    inode: int
    size: int
    modified_ns: int


def program_file() -> Path:
    """The file an upgrade replaces: the frozen executable, else this package's own
    `__init__.py` (a wheel's install, which pip replaces whole)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable)
    return Path(agent_toolbar.__file__)


def stamp_of(path: Path) -> Stamp | None:
    """The file's stamp now; None when it is missing or unreadable."""
    try:
        status = path.stat()
    except OSError:
        return None
    return Stamp(status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


class InstalledProgram:
    """The program as this process found it at start. One `stat` per call: cheap enough to
    poll every minute from the window's timer."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or program_file()
        self._at_start = stamp_of(self.path)

    def changed(self) -> bool:
        """True once another program is in place of the one this process started from.
        False while the file is missing (removed, or mid-replacement): there is nothing to
        restart into yet. False for good when it was missing at start."""
        now = stamp_of(self.path)
        return self._at_start is not None and now is not None and now != self._at_start
