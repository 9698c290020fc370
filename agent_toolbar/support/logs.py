"""Where the toolbar's log goes: rotating files in the user's log directory, and stderr.

Support asks an agent for the log after the fact, so it is always written, in small
rotating files only the agent can read. Every handler formats a record first and
redacts the whole line after, so a secret in a message, its arguments, an exception
text or a traceback is masked before it is written anywhere.
"""

import contextlib
import logging
import logging.handlers
import os
import sys
from collections.abc import Callable
from io import TextIOWrapper
from pathlib import Path
from types import TracebackType

import platformdirs

from agent_toolbar.support.log import logs as log
from agent_toolbar.support.log import toolbar
from agent_toolbar.support.redaction import redact

APP_NAME = "agent-toolbar"
DIRECTORY_VARIABLE = "AGENT_TOOLBAR_LOG_DIR"
FILE_NAME = "agent-toolbar.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 4
"""With the current file, five files of about 1 MB: days of an agent's work at info level."""
LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}
CHATTY = ("aiohttp", "asyncio")
"""Libraries whose info lines drown ours: they say only warnings unless the level is debug."""
FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CONSOLE_FORMAT = "agent-toolbar %(name)s: %(levelname)s: %(message)s"


class RedactingFormatter(logging.Formatter):
    """Formats the whole record (traceback included), then masks every secret in it."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class _QuietFailures(logging.Handler):
    """logging's own report of a line it could not write prints the line's message and raw
    arguments (a password among them) with a traceback, for every line, to stderr. This
    says it once, in one redacted line without them."""

    told = False

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        if not logging.raiseExceptions or self.told:
            return
        self.told = True
        error = sys.exc_info()[1]
        why = error.strerror if isinstance(error, OSError) and error.strerror else None
        where = getattr(self, "baseFilename", "stderr")
        line = (
            f"agent-toolbar: the log could not be written to {where} "
            f"({why or type(error).__name__}); further failures of it are not reported\n"
        )
        with contextlib.suppress(OSError, ValueError, AttributeError):  # stderr may be gone too
            sys.stderr.write(redact(line))


class _Console(_QuietFailures, logging.StreamHandler):  # type: ignore[type-arg]
    """The command line's stderr."""


class _PrivateRotatingFileHandler(_QuietFailures, logging.handlers.RotatingFileHandler):
    """A rotating file that only its owner may read (mode 0600), from the first byte on."""

    def _open(self) -> TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if hasattr(os, "fchmod"):  # an older file may have been created readable by others
            os.fchmod(descriptor, 0o600)
        return open(descriptor, "a", encoding=self.encoding, errors=self.errors)


class _Installed:
    """What `configure` changed, so that configuring again or closing undoes exactly that."""

    def __init__(self) -> None:
        self.handlers: list[logging.Handler] = []
        self.levels: dict[str, int] | None = None


_installed = _Installed()


def log_directory() -> Path:
    """The user's log directory for the toolbar, or `$AGENT_TOOLBAR_LOG_DIR` when set."""
    override = os.environ.get(DIRECTORY_VARIABLE)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def configure(level: str, *, directory: Path | None, console: bool) -> Path | None:
    """Log at `level` to a rotating file in `directory` (None: no file), and to stderr
    when `console` (with the command line's format).

    Replaces whatever an earlier call installed. Returns the log file, or None when
    there is none; a directory that cannot be written is said in a warning, not raised,
    because the toolbar works without its log.
    """
    number = _number(level)
    close()
    _installed.levels = {name: logging.getLogger(name).level for name in ("", *CHATTY)}
    if console:
        stream = _Console(sys.stderr)
        stream.setFormatter(RedactingFormatter(CONSOLE_FORMAT))
        _install(stream)
    path = None
    problem = None
    if directory is not None:
        try:
            handler = _file_handler(directory)
        except OSError as error:
            problem = f"cannot write the log in {directory}: {error.strerror or error}"
        else:
            _install(handler)
            path = Path(handler.baseFilename)
    _set(number)
    if problem is not None:
        log.warning("%s", problem)
    return path


def catch_uncaught() -> Callable[[], None]:
    """Send exceptions nothing caught (in a Qt slot, say) to the log, masked like every
    line of it, instead of Python's bare traceback on stderr; returns the undo.

    The app's entry point installs it; tests leave pytest-qt's own hook in place.
    """
    previous = sys.excepthook

    def log_it(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, trace)
            return
        toolbar.error("an unexpected error, the toolbar goes on", exc_info=(kind, error, trace))

    sys.excepthook = log_it

    def undo() -> None:
        sys.excepthook = previous

    return undo


def set_level(level: str) -> None:
    """Change the level at run time (the settings dialog): every handler follows it."""
    _set(_number(level))


def close() -> None:
    """Remove and close what `configure` installed, and put the levels back (at exit, in tests)."""
    root = logging.getLogger()
    for handler in _installed.handlers:
        root.removeHandler(handler)
        with contextlib.suppress(OSError, ValueError):  # a full disk fails the last flush
            handler.close()
    _installed.handlers.clear()
    if _installed.levels is not None:
        for name, number in _installed.levels.items():
            logging.getLogger(name).setLevel(number)
        _installed.levels = None


def _number(level: str) -> int:
    number = LEVELS.get(level.lower())
    if number is None:
        raise ValueError(f"unknown log level {level!r}: use debug, info, warning or error")
    return number


def _file_handler(directory: Path) -> logging.FileHandler:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    handler = _PrivateRotatingFileHandler(
        directory / FILE_NAME, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(RedactingFormatter(FILE_FORMAT))
    return handler


def _install(handler: logging.Handler) -> None:
    logging.getLogger().addHandler(handler)
    _installed.handlers.append(handler)


def _set(number: int) -> None:
    logging.getLogger().setLevel(number)
    chatty = logging.NOTSET if number <= logging.DEBUG else max(logging.WARNING, number)
    for name in CHATTY:
        logging.getLogger(name).setLevel(chatty)
