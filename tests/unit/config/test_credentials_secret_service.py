"""The keychain wrapper against a real Secret Service: gnome-keyring on a private D-Bus session.

Each test starts its own session bus and keyring daemon with HOME and the XDG
directories in a temporary directory, so the user's own keyring is never touched.
`scripts/bootstrap --tests` installs dbus and gnome-keyring.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

MISSING = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(tool)]
pytestmark = pytest.mark.skipif(
    bool(MISSING), reason=f"no {' or '.join(MISSING)} here (scripts/bootstrap --tests installs it)"
)

UNLOCK = (
    "echo -n unlock | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null"
)
STORE = """
from agent_toolbar.config.keychain import Keychain
keychain = Keychain()
assert keychain.available(), keychain.unavailable_reason()
assert keychain.set("kazoo https://pbx/v2 acme ada", "s3cret-in-the-keyring") is True
"""
READ_AND_DELETE = """
import keyring
from agent_toolbar.config.keychain import Keychain
keychain = Keychain()
print(type(keyring.get_keyring()).__module__)
print(keychain.get("kazoo https://pbx/v2 acme ada"))
keychain.delete("kazoo https://pbx/v2 acme ada")
keychain.delete("kazoo https://pbx/v2 acme ada")
print(keychain.get("kazoo https://pbx/v2 acme ada"))
"""


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


def test_a_secret_is_stored_read_by_the_next_run_and_deleted(tmp_path: Path) -> None:
    script = '"$0" -c "$1" && exec "$0" -c "$2"'
    assert in_private_session(tmp_path, script, sys.executable, STORE, READ_AND_DELETE) == [
        "keyring.backends.SecretService",
        "s3cret-in-the-keyring",
        "None",
    ]
    keyrings = tmp_path / "data" / "keyrings"
    assert any(keyrings.iterdir())  # gnome-keyring's own files: the secret went there
    for file in tmp_path.rglob("*"):
        if file.is_file():
            assert b"s3cret-in-the-keyring" not in file.read_bytes()
