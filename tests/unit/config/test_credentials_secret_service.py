"""The keychain wrapper against a real Secret Service: gnome-keyring on a private D-Bus session.

Each test starts its own session bus and keyring daemon with HOME and the XDG
directories in a temporary directory, so the user's own keyring is never touched.
`scripts/bootstrap --tests` installs dbus and gnome-keyring.
"""

import sys
from pathlib import Path

from tests.helpers.secret_service import in_private_session, needs_secret_service

pytestmark = needs_secret_service

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
