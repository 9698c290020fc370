"""Reading a small file a person named (the settings, a CA bundle) without hanging on it.

Opening a named pipe (FIFO) waits for a writer that may never come, a device can be
read for ever, and a file of hundreds of megabytes takes minutes and gigabytes to turn
down. So the path is looked at before it is opened, and only a regular file within
the size limit is read. Writing goes through one place too: the toolbar's own small
files are private and are never left half written.
"""

import json
import logging
import os
import stat
import tempfile
from pathlib import Path

MAX_CA_FILE_BYTES = 4 * 1024 * 1024
"""A CA bundle larger than this is not one: the system's whole bundle is about 200 KB."""


class FileRefused(Exception):
    """The path names no regular file, or one too large; the message says which in plain
    words, to follow the file's name ("is a named pipe (FIFO), not a regular file")."""


class FileTooLarge(FileRefused):
    """A regular file, larger than it may be."""


def check_small_file(path: Path, limit: int) -> None:
    """Before a library opens `path` itself: raises FileNotFoundError when there is none,
    FileRefused when it is no regular file (FileTooLarge when it holds more than `limit`
    bytes), and OSError when it cannot be looked at."""
    _check(os.stat(path), limit)


def read_small_file(path: Path, limit: int) -> bytes:
    """The bytes of `path`; raises what `check_small_file` raises, and OSError when it
    cannot be read."""
    check_small_file(path, limit)
    # Should a pipe take the file's place between the look and the open, a non-blocking
    # open does not wait for its writer; for a regular file the flag changes nothing.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(descriptor, "rb") as file:
        _check(os.fstat(file.fileno()), limit)
        data = file.read(limit + 1)
    if len(data) > limit:  # it grew after the look
        raise FileTooLarge(_too_large(len(data), limit))
    return data


def read_json_object(path: Path, limit: int, log: logging.Logger, what: str) -> dict[str, object]:
    """The JSON object in the toolbar's own file `path`: empty when there is none, and
    when it cannot be read or holds anything else (logged as "ignoring `what` in ..."),
    so that a damaged file is never a reason not to start."""
    try:
        data = json.loads(read_small_file(path, limit))
    except FileNotFoundError:
        return {}
    except (OSError, FileRefused, ValueError, RecursionError) as error:
        log.warning("ignoring %s in %s (%s)", what, path, error)
        return {}
    return data if isinstance(data, dict) else {}


def write_private_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` readable by the user only (0600, in a 0700 folder made if
    missing), atomically: a temporary file in the same folder, synced, then renamed over
    `path`, so a crash or power cut leaves the old file or the new one, never half of
    one. Raises OSError, with no temporary file left behind."""
    directory = path.parent
    if not directory.is_dir():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(directory, 0o700)
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(directory)


def _sync_directory(directory: Path) -> None:
    """The rename survives a power cut only once the directory is on disk (POSIX only)."""
    if os.name != "posix":
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _check(status: os.stat_result, limit: int) -> None:
    _require_regular(status.st_mode)
    if status.st_size > limit:
        raise FileTooLarge(_too_large(status.st_size, limit))


def _require_regular(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        what = "a folder"
    elif stat.S_ISFIFO(mode):
        what = "a named pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    else:
        what = "something other than a file"
    raise FileRefused(f"is {what}, not a regular file")


def _too_large(size: int, limit: int) -> str:
    return f"holds {_megabytes(size)}, more than the {_megabytes(limit)} such a file may hold"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} bytes"
