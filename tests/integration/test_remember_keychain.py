"""Remembering a password at sign-in, against a real Secret Service: gnome-keyring on a
private D-Bus session (as tests/helpers/secret_service.py starts it).

Each run is a separate process, as a restart of the toolbar is: what the next one reads
is what the keychain kept, not what this run's memory holds.
"""

import sys
from pathlib import Path

import pytest

from tests.helpers.secret_service import in_private_session, needs_secret_service

pytestmark = needs_secret_service

PROFILES = """
from agent_toolbar.config.settings import Profile
PROFILES = {
    "kazoo": Profile(api_url="https://pbx:8443/v2", account_name="acme", username="ada"),
    "api-key": Profile(api_url="https://pbx:8443/v2", account_name="acme", api_key=True),
    "telphin": Profile(
        backend="telphin", api_url="https://t/api/ver1.0", app_id="42", username="ada"
    ),
}
"""
SIGN_IN = (
    PROFILES
    + """
import asyncio, sys
from agent_toolbar.config.keychain import Keychain
from agent_toolbar.config.settings import Secrets
from agent_toolbar.ui.desktop import remember
profile = PROFILES[sys.argv[1]]
telphin = profile.backend == "telphin"  # as the sign-in form gives them
secrets = Secrets(password="pw-" + sys.argv[1], app_secret="app-telphin" if telphin else None)
if sys.argv[2] == "locked":
    import secretstorage
    secretstorage.get_default_collection(secretstorage.dbus_init()).lock()
print(asyncio.run(remember(Keychain(), profile, secrets)))
"""
)
RESTART = (
    PROFILES
    + """
import sys
from agent_toolbar.config.keychain import Keychain, entry_for
profile = PROFILES[sys.argv[1]]
keychain = Keychain()
print(keychain.get(entry_for(profile, "password")))
print(keychain.get(entry_for(profile, "app_secret")))
"""
)


def sign_in_then_restart(home: Path, which: str, keychain: str) -> list[str]:
    """Sign in (the desktop's `remember`) in one process, read the keychain in the next."""
    script = '"$0" -c "$1" "$3" "$4" && exec "$0" -c "$2" "$3"'
    return in_private_session(home, script, sys.executable, SIGN_IN, RESTART, which, keychain)


@pytest.mark.parametrize("which", ["kazoo", "api-key"])
def test_a_remembered_kazoo_password_is_there_after_a_restart(tmp_path: Path, which: str) -> None:
    assert sign_in_then_restart(tmp_path, which, "unlocked") == ["None", f"pw-{which}", "None"]


def test_a_remembered_telphin_password_and_app_secret_are_there_after_a_restart(
    tmp_path: Path,
) -> None:
    assert sign_in_then_restart(tmp_path, "telphin", "unlocked") == [
        "None",
        "pw-telphin",
        "app-telphin",
    ]


def test_a_keychain_that_refuses_is_said_and_the_next_start_asks(tmp_path: Path) -> None:
    said, password, _ = sign_in_then_restart(tmp_path, "kazoo", "locked")
    assert said == (
        "the keychain did not keep the password (KeyringLocked); it will be asked at the next start"
    )
    assert password == "None"
