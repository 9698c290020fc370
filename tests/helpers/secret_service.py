"""A real Secret Service (gnome-keyring) on a private D-Bus session, with HOME and the XDG
directories in a folder of the test's own, so that the user's own keyring is never
touched. `scripts/bootstrap --tests` installs dbus and gnome-keyring."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

_TOOLS = ("dbus-run-session", "gnome-keyring-daemon")
_MISSING = [tool for tool in _TOOLS if not shutil.which(tool)]
needs_secret_service = pytest.mark.skipif(
    bool(_MISSING),
    reason=f"no {' or '.join(_MISSING)} here (scripts/bootstrap --tests installs it)",
)
"""The mark of a test that needs them: skipped where they are missing."""

UNLOCK = (
    "echo -n unlock | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null"
)


def private_session(home: Path) -> dict[str, str]:
    """An environment whose keyring, config and runtime files all live under `home`."""
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    drop = ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND", "GNOME_KEYRING_CONTROL")
    environment = {key: value for key, value in os.environ.items() if key not in drop}
    return environment | {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_RUNTIME_DIR": str(runtime),
    }


def in_private_session(home: Path, script: str, *arguments: str) -> list[str]:
    """The lines the shell `script` prints on a private D-Bus with gnome-keyring unlocked
    (`arguments` are its $0, $1, ...), in `private_session(home)`."""
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", f"{UNLOCK}; {script}", *arguments],
        env=private_session(home),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()
