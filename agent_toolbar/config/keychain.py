"""Secrets in the OS keychain, or in this run's memory when the session has no keychain.

Secrets never go to config files, command lines or logs. Where no keychain exists
(a bare Linux session), a secret is kept in memory for this run only and asked
again at the next start: never written anywhere. Every call may block (D-Bus, a
keychain prompt): the GUI calls them through `asyncio.to_thread`. keyring is
imported only when the keychain is first asked, because it is slow to load.
"""

import sys
import threading
from typing import TYPE_CHECKING, Literal

from agent_toolbar.config.settings import Profile
from agent_toolbar.domain.causes import marked
from agent_toolbar.support.log import credentials as log
from agent_toolbar.support.redaction import keep_secret

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "agent-toolbar"
SECRET_VARIABLE = "AGENT_TOOLBAR_PASSWORD"
APP_SECRET_VARIABLE = "AGENT_TOOLBAR_APP_SECRET"

SecretKind = Literal["password", "app_secret"]

_NO_SERVICE = marked(
    "keychain",
    "no keychain service is running in this session (GNOME Keyring, KWallet or "
    "KeePassXC's Secret Service); the password will be asked at each start",
)
_NO_KEYCHAIN = marked(
    "keychain", "no keychain is available; the password will be asked at each start"
)
_NOT_A_KEYCHAIN = marked(
    "keychain",
    "the configured keyring ({name}) keeps secrets in a file, not in a keychain; "
    "the password will be asked at each start",
)
UNAVAILABLE_REASONS = (_NO_SERVICE, _NO_KEYCHAIN, _NOT_A_KEYCHAIN)
"""Every reason `unavailable_reason` gives, as templates marked for Qt's lupdate in the
context "keychain": English here and in the log, the window translates them."""


_REFUSED = marked(
    "keychain",
    "the keychain did not keep the password ({error}); it will be asked at the next start",
)
NOT_KEPT_REASONS = (_REFUSED,)
"""Every reason `Keychain.refusal` gives, marked as `UNAVAILABLE_REASONS` are."""


def entry_for(profile: Profile, what: SecretKind) -> str:
    """The keychain user name under which one profile's password or app secret is stored.

    Named after the server and the sign-in, not the profile, so that renaming a
    profile keeps its password, and two profiles of one sign-in share it. Each kind
    has its own name: when a Kazoo profile's (never used) app secret shared the
    password's, remembering the password then forgot it.
    """
    if profile.backend == "telphin":
        account = profile.app_id
        user = profile.username
    else:
        account = profile.account_name
        user = None if profile.api_key else profile.username
    secret = "app-secret" if what == "app_secret" else user or "api-key"
    return f"{profile.backend} {profile.api_url} {account or '-'} {secret}"


class Keychain:
    """The OS keychain through keyring; this run's memory stands in when there is none.

    Keychain errors (locked, a dismissed prompt, D-Bus gone) never escape: a read
    gives None, a write False, with one line in the log.
    """

    def __init__(self, backend: "KeyringBackend | None" = None) -> None:
        """`backend`: keyring's own choice for this session when None."""
        self._backend = backend
        self._memory: dict[str, str] = {}
        self._lock = threading.Lock()
        self._told = False
        self._refusal: str | None = None

    def available(self) -> bool:
        """A real keychain that keeps secrets between runs."""
        return self.unavailable_reason() is None

    def unavailable_reason(self) -> str | None:
        """Why secrets will not be remembered, in plain words; None when they will."""
        backend = self._keyring()
        if _is_real(backend):
            return None
        if type(backend).__module__.startswith("keyrings.alt"):
            return _NOT_A_KEYCHAIN.format(name=type(backend).__name__)
        return _NO_SERVICE if sys.platform.startswith("linux") else _NO_KEYCHAIN

    def get(self, entry: str) -> str | None:
        """The stored secret, or None when there is none or it cannot be read."""
        secret = None
        if self.available():
            try:
                secret = self._keyring().get_password(SERVICE, entry)
            except Exception as error:  # every backend raises its own library's errors
                log.info("the keychain could not be read (%s)", type(error).__name__)
        if secret is None:
            with self._lock:
                secret = self._memory.get(entry)
        keep_secret(secret)
        return secret

    def set(self, entry: str, secret: str) -> bool:
        """Store `secret`; True when the keychain has it, False when only this run remembers
        it (`refusal` says why when a keychain refused it)."""
        keep_secret(secret)
        if self.available():
            try:
                self._keyring().set_password(SERVICE, entry, secret)
            except Exception as error:  # every backend raises its own library's errors
                log.info("the keychain refused the secret (%s)", type(error).__name__)
                self._refusal = _REFUSED.format(error=type(error).__name__)
            else:
                with self._lock:
                    self._memory.pop(entry, None)
                self._refusal = None
                return True
        else:
            self._tell_once()
            self._refusal = None
        with self._lock:
            self._memory[entry] = secret
        return False

    def refusal(self) -> str | None:
        """Why the keychain refused the secret last given to `set`, in plain words (one of
        `NOT_KEPT_REASONS`); None when it kept it, or when there is no keychain at all:
        `unavailable_reason` says that where the password is typed."""
        return self._refusal

    def delete(self, entry: str) -> None:
        """Forget the secret everywhere; forgetting one that is not there is no error."""
        with self._lock:
            self._memory.pop(entry, None)
        if not self.available():
            return
        import keyring.errors

        try:
            self._keyring().delete_password(SERVICE, entry)
        except keyring.errors.PasswordDeleteError:
            pass
        except Exception as error:  # every backend raises its own library's errors
            log.info("the keychain could not delete the secret (%s)", type(error).__name__)

    def _keyring(self) -> "KeyringBackend":
        if self._backend is None:
            import keyring

            self._backend = keyring.get_keyring()
        return self._backend

    def _tell_once(self) -> None:
        if not self._told:
            self._told = True
            log.info("secrets are kept in memory for this run: %s", self.unavailable_reason())


def _is_real(backend: "KeyringBackend") -> bool:
    """Not keyring's stand-ins (`fail` raises, `null` drops), nor a file posing as a keychain."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, chainer.ChainerBackend):
        return any(_is_real(each) for each in backend.backends)
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    return not type(backend).__module__.startswith("keyrings.alt")
