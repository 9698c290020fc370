"""The text behind "Copy diagnostics": what support needs to know, with no secret in it.

Versions, platform and desktop session, which server (its origin only: paths and
queries can carry ids and tokens), the connection state, the latest connection check's
report ("Check connection…"), and the end of the log.
The whole text goes through `redact`. It reads files: call it off the GUI thread.
Qt is imported only here, when asked, so that this module loads without it.
"""

import os
import platform
from collections import deque
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from yarl import URL

from agent_toolbar.support.redaction import redact

PACKAGE = "agent-toolbar"


def diagnostics(
    *,
    backend: str | None,
    api_url: str | None,
    connection: str | None,
    log_file: Path | None,
    connection_check: str | None = None,
    toolkit: str | None = None,
    settings: Sequence[str] = (),
    tail_lines: int = 200,
) -> str:
    """Everything support asks for first, as plain text for the clipboard.

    `connection_check` is the latest "Check connection…" report as text, None when
    none was run; `toolkit` is the window's Qt and PySide6 versions (the window says
    them: nothing outside `ui/` imports Qt), None without a window; `settings` the
    settings in force with where each came from (`config.policy.report`)."""
    lines = [
        f"Agent toolbar {_app_version()}",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        toolkit or "Qt: no window",
        f"Platform: {platform.platform()}",
        f"Desktop: {_desktop()}",
        f"Backend: {backend or 'none'}",
        f"Server: {_origin(api_url)}",
        f"Connection: {connection or 'none'}",
        f"Log file: {log_file if log_file is not None else 'none'}",
    ]
    if connection_check is None:
        lines.append("Connection check: none run")
    else:
        lines += ["--- the latest connection check ---", *connection_check.splitlines()]
    if settings:
        lines += ["--- the settings in force, and where each came from ---", *settings]
    if log_file is not None:
        lines += [f"--- the last {tail_lines} lines of the log ---", *_tail(log_file, tail_lines)]
    return redact("\n".join(lines) + "\n")


def _app_version() -> str:
    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return "(not installed: a source tree)"


def _desktop() -> str:
    """The desktop and its display protocol: where windows, trays and hotkeys differ."""
    desktop = os.environ.get("XDG_CURRENT_DESKTOP") or "unknown"
    session = os.environ.get("XDG_SESSION_TYPE") or "unknown"
    return f"{desktop}, session type {session}"


def _origin(api_url: str | None) -> str:
    """Scheme, host and port only: never the user, path or query of the URL."""
    if not api_url:
        return "none"
    try:
        url = URL(api_url)
    except (TypeError, ValueError):
        return "(not a URL)"
    if not url.absolute or not url.host:
        return "(not a URL)"
    return str(url.origin())


def _tail(log_file: Path, count: int) -> list[str]:
    """The last `count` lines, reaching into the rotated file when the current one is short."""
    last: deque[str] = deque(maxlen=max(count, 0))
    found = False
    for path in (log_file.with_name(log_file.name + ".1"), log_file):
        try:
            with path.open(encoding="utf-8", errors="replace") as lines:
                last.extend(line.rstrip("\n") for line in lines)
        except FileNotFoundError:
            continue
        except OSError as error:
            last.append(f"(could not read {path.name}: {error.strerror or error})")
        found = True
    return list(last) if found else ["(no log written yet)"]
