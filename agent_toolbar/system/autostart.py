"""Start the toolbar when the agent logs in to the computer, the way each OS expects.

Linux (and other XDG desktops): a desktop entry in `$XDG_CONFIG_HOME/autostart`.
Windows: a value under the current user's `Run` key. macOS: a launch agent in
`~/Library/LaunchAgents`. Each is per user and needs no administrator. The functions
do file or registry I/O: the window calls them through `asyncio.to_thread`.
"""

import contextlib
import os
import plistlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ENTRY_NAME = "agent-toolbar"
"""The autostart entry's file name (Linux) and registry value name (Windows)."""
LAUNCH_AGENT_LABEL = "io.github.agent-toolbar"
"""The launch agent's label and file name on macOS."""
APP_NAME = "Agent toolbar"
_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"

_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")
"""Characters that make the Desktop Entry spec quote an Exec argument."""
_ESCAPED_IN_QUOTES = set('"`$\\')


class AutostartError(Exception):
    """Start at login could not be set up or removed; the message says why in plain words."""


def launch_command(profile: str | None = None) -> list[str]:
    """How the OS should start this toolbar: the installed executable when frozen, else
    this Python with `-m agent_toolbar`; with the agent's chosen profile, if any."""
    if getattr(sys, "frozen", False):
        command = [sys.executable]
    else:
        command = [sys.executable, "-m", "agent_toolbar"]
    return [*command, "--profile", profile] if profile else command


def enable(command: Sequence[str]) -> None:
    """Start `command` at every login of this user (replacing an earlier entry)."""
    if not command:
        raise AutostartError("start at login needs a command to run")
    if sys.platform == "win32":
        _set_run_value(subprocess.list2cmdline(command))
    elif sys.platform == "darwin":
        _write(launch_agent_path(Path.home()), launch_agent_plist(command))
    else:
        _write(desktop_entry_path(), desktop_entry(command).encode())


def disable() -> None:
    """Stop starting at login; nothing happens if it was not set up."""
    if sys.platform == "win32":
        _delete_run_value()
        return
    path = launch_agent_path(Path.home()) if sys.platform == "darwin" else desktop_entry_path()
    try:
        path.unlink(missing_ok=True)
    except OSError as error:
        raise AutostartError(f"could not stop starting at login: {_why(error, path)}") from error


def is_enabled() -> bool:
    """Whether the toolbar starts at login (on Linux, also not switched off by the desktop)."""
    if sys.platform == "win32":
        return _run_value_exists()
    if sys.platform == "darwin":
        return launch_agent_path(Path.home()).is_file()
    try:
        values = _entry_values(desktop_entry_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return False
    # Desktops switch an entry off in place rather than delete it (GNOME Tweaks, the spec).
    return values.get("Hidden") != "true" and values.get("X-GNOME-Autostart-enabled") != "false"


# --- Linux and other XDG desktops -----------------------------------------------


def desktop_entry_path() -> Path:
    """`$XDG_CONFIG_HOME/autostart/agent-toolbar.desktop` (`~/.config` by default)."""
    configured = os.environ.get("XDG_CONFIG_HOME", "")
    # The spec says a relative value is invalid and must be ignored.
    base = Path(configured) if os.path.isabs(configured) else Path.home() / ".config"
    return base / "autostart" / f"{ENTRY_NAME}.desktop"


def desktop_entry(command: Sequence[str]) -> str:
    """A valid desktop entry that starts `command` at login."""
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        f"Name={APP_NAME}\n"
        "Comment=Call-center agent status, offers and wrap-up\n"
        f"Exec={exec_line(command)}\n"
        f"Icon={ENTRY_NAME}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def exec_line(command: Sequence[str]) -> str:
    """`command` as an Exec value: arguments quoted as the Desktop Entry spec says, `%`
    doubled (it starts field codes), then escaped as any string value is."""
    line = " ".join(_quote_argument(argument.replace("%", "%%")) for argument in command)
    return line.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def _entry_values(text: str) -> dict[str, str]:
    """The keys of the `[Desktop Entry]` group (spaces around `=` do not count)."""
    values: dict[str, str] = {}
    group = None
    for line in map(str.strip, text.splitlines()):
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
        elif group == "Desktop Entry" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def _quote_argument(argument: str) -> str:
    if argument and not _RESERVED & set(argument):
        return argument
    escaped = "".join(f"\\{char}" if char in _ESCAPED_IN_QUOTES else char for char in argument)
    return f'"{escaped}"'


# --- macOS ------------------------------------------------------------------------


def launch_agent_path(home: Path) -> Path:
    return home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"


def launch_agent_plist(command: Sequence[str]) -> bytes:
    """A launch agent that starts `command` once at login, in the agent's desktop session."""
    return plistlib.dumps(
        {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "LimitLoadToSessionType": "Aqua",
        }
    )


# --- files, and the Windows registry ---------------------------------------------


def _write(path: Path, content: bytes) -> None:
    """Write whole or not at all: a half-written entry could start something else."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(content)
        partial.replace(path)
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise AutostartError(f"could not set up start at login: {_why(error, path)}") from error


def _why(error: OSError, path: Path) -> str:
    return f"{error.strerror or error} ({path})"


if sys.platform == "win32":
    import winreg

    def _set_run_value(command_line: str) -> None:
        try:
            with winreg.CreateKey(winreg.HKEY_CURRENT_USER, _RUN_KEY) as key:
                winreg.SetValueEx(key, ENTRY_NAME, 0, winreg.REG_SZ, command_line)
        except OSError as error:
            raise AutostartError(
                f"could not set up start at login in the registry: {error.strerror or error}"
            ) from error

    def _delete_run_value() -> None:
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, ENTRY_NAME)
        except FileNotFoundError:
            return
        except OSError as error:
            raise AutostartError(
                f"could not stop starting at login in the registry: {error.strerror or error}"
            ) from error

    def _run_value_exists() -> bool:
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, _RUN_KEY) as key:
                winreg.QueryValueEx(key, ENTRY_NAME)
        except OSError:
            return False
        return True
