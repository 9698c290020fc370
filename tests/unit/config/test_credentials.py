"""The keychain wrapper over keyring's own backends: a working one, none, and failing ones."""

import logging

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringLocked, PasswordDeleteError

from agent_toolbar.config.keychain import SERVICE, Keychain, entry_for
from agent_toolbar.config.settings import Profile
from agent_toolbar.support.redaction import MASK, redact


class MemoryKeyring(KeyringBackend):
    """A keychain that lives in a dict: keyring ships none."""

    priority = 1
    viable = False
    """Never chosen by keyring itself: only the tests that pass it use it."""

    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.stored.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.stored[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.stored.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class LockedKeyring(MemoryKeyring):
    """A keychain the user did not unlock: every call fails as Secret Service's does."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


class EmptyChainer(chainer.ChainerBackend):
    """keyring's chainer when it found no real backend to chain."""

    viable = False
    backends: list[KeyringBackend] = []  # noqa: RUF012 (keyring's own class attribute)


def test_a_working_keychain_stores_reads_and_deletes() -> None:
    backend = MemoryKeyring()
    keychain = Keychain(backend)
    assert (keychain.available(), keychain.unavailable_reason()) == (True, None)
    assert keychain.get("kazoo https://pbx/v2 acme ada") is None
    assert keychain.set("kazoo https://pbx/v2 acme ada", "correct horse") is True
    assert backend.stored == {(SERVICE, "kazoo https://pbx/v2 acme ada"): "correct horse"}
    assert Keychain(backend).get("kazoo https://pbx/v2 acme ada") == "correct horse"
    keychain.delete("kazoo https://pbx/v2 acme ada")
    keychain.delete("kazoo https://pbx/v2 acme ada")
    assert backend.stored == {}
    assert keychain.get("kazoo https://pbx/v2 acme ada") is None


@pytest.mark.parametrize(
    "backend", [fail.Keyring(), null.Keyring(), EmptyChainer()], ids=["fail", "null", "chainer"]
)
def test_without_a_keychain_a_secret_lives_in_memory_for_this_run(
    backend: KeyringBackend, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "agent_toolbar.credentials")
    keychain = Keychain(backend)
    assert keychain.available() is False
    assert keychain.unavailable_reason() == (
        "no keychain service is running in this session (GNOME Keyring, KWallet or "
        "KeePassXC's Secret Service); the password will be asked at each start"
    )
    assert keychain.set("entry", "in-memory-only") is False
    assert keychain.set("other", "in-memory-too") is False
    assert keychain.get("entry") == "in-memory-only"
    assert Keychain(backend).get("entry") is None  # the next run asks again
    keychain.delete("entry")
    assert keychain.get("entry") is None
    assert [record.levelname for record in caplog.records] == ["INFO"]
    assert "in-memory" not in caplog.text


def test_a_chainer_with_a_real_keychain_in_it_is_a_keychain() -> None:
    class Chained(EmptyChainer):
        backends = [null.Keyring(), MemoryKeyring()]  # noqa: RUF012

    assert Keychain(Chained()).available() is True


def test_keychain_errors_never_escape(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "agent_toolbar.credentials")
    keychain = Keychain(LockedKeyring())
    assert keychain.available() is True
    assert keychain.get("entry") is None
    assert keychain.set("entry", "locked-out-secret") is False
    assert keychain.get("entry") == "locked-out-secret"  # kept for this run instead
    keychain.delete("entry")
    assert [record.getMessage() for record in caplog.records] == [
        "the keychain could not be read (KeyringLocked)",
        "the keychain refused the secret (KeyringLocked)",
        "the keychain could not be read (KeyringLocked)",
        "the keychain could not delete the secret (RuntimeError)",
    ]


def test_every_secret_that_passes_is_masked_from_then_on() -> None:
    backend = MemoryKeyring()
    backend.set_password(SERVICE, "stored", "read-back-secret")
    keychain = Keychain(backend)
    keychain.set("new", "written-secret")
    assert keychain.get("stored") == "read-back-secret"
    assert redact("read-back-secret and written-secret") == f"{MASK} and {MASK}"


def test_entries_are_the_ones_the_command_line_always_used() -> None:
    kazoo = Profile(api_url="https://pbx:8443/v2", account_name="acme", username="ada")
    assert entry_for(kazoo, "password") == "kazoo https://pbx:8443/v2 acme ada"
    api_key = Profile(api_url="https://pbx:8443/v2", api_key=True, username="ignored")
    assert entry_for(api_key, "password") == "kazoo https://pbx:8443/v2 - api-key"
    telphin = Profile(
        backend="telphin", api_url="https://apiproxy.telphin.ru/api/ver1.0", app_id="42"
    )
    assert entry_for(telphin, "app_secret") == (
        "telphin https://apiproxy.telphin.ru/api/ver1.0 42 app-secret"
    )
    with_user = Profile(
        backend="telphin", api_url="https://t/api/ver1.0", app_id="42", username="ada"
    )
    assert entry_for(with_user, "password") == "telphin https://t/api/ver1.0 42 ada"
    assert entry_for(with_user, "app_secret") == "telphin https://t/api/ver1.0 42 app-secret"
