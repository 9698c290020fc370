"""What the toolbar remembers between starts: sign-in profiles and the agent's preferences.

Typed, with the defaults a new agent gets; `settings_file.py` reads and writes them as
TOML. Secrets are never written here: they live in the OS keychain (`keychain.py`), and
`Secrets` only carries them beside a profile, to the sign-in and the backend.
"""

from dataclasses import dataclass, field
from typing import Annotated, Literal

import msgspec

from agent_toolbar.domain.quitting import QuitWhileReady
from agent_toolbar.domain.screen_pop import PopWhen

Backend = Literal["kazoo", "telphin"]
Language = Literal["system", "en", "ru"]
LogLevel = Literal["debug", "info", "warning", "error"]
HotkeyAction = Literal["ready", "away", "finish_wrapup", "extend_wrapup", "show_window"]

DEFAULT_AWAY_REASONS = ("Break", "Lunch", "Meeting", "Training", "Personal")
DEFAULT_HOTKEYS: dict[HotkeyAction, str] = {
    "ready": "Ctrl+Alt+R",
    "away": "Ctrl+Alt+A",
    "finish_wrapup": "Ctrl+Alt+F",
    "extend_wrapup": "Ctrl+Alt+E",
    "show_window": "Ctrl+Alt+T",
}


class _Table(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A TOML table: unknown keys are mistakes worth naming, not silently dropped."""


class Profile(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One way to sign in: a server, an account and a user. No secret."""

    backend: Backend = "kazoo"
    api_url: str
    username: str | None = None
    remember_password: bool = True
    """Keep the password in the keychain; otherwise it is asked at each start."""
    ca_file: str | None = None
    """Trust this CA bundle for the server's TLS certificate (a private PBX)."""
    allow_plain_http: bool = False
    """Plain http:// or ws:// to a host other than loopback needs this opt-in."""
    keep_history: bool = True
    """Keep this profile's calls in the local call history (`config/history.py`)."""
    away_reasons: tuple[str, ...] = DEFAULT_AWAY_REASONS
    screen_pop: str | None = None
    """The CRM to open for each call: an http(s) URL or a command (no shell) with
    placeholders such as {caller_id_number}; see docs/profiles.md."""
    screen_pop_on: PopWhen = "ring"
    """Open it when the call rings or when it is answered."""
    # Kazoo/Qubicle
    account_name: str | None = None
    websocket_url: str | None = None
    api_key: bool = False
    """The secret is a Kazoo API key rather than a password."""
    user_id: str | None = None
    # Telphin
    app_id: str | None = None
    agent_id: str | None = None
    extension_id: str | None = None
    callback_bind: str = "127.0.0.1:0"
    callback_url: str | None = None
    wire: dict[str, str] = msgspec.field(default_factory=dict)
    """Overrides of the server's wire facts no public source settles (`[profiles.NAME.wire]`),
    checked against the backend's keys; see docs/kazoo.md and docs/telphin.md."""


@dataclass(frozen=True)
class Secrets:
    """What a profile never holds: it comes from the keychain, the dialog or the environment."""

    password: str | None = field(default=None, repr=False)
    """The password, or the Kazoo API key when `profile.api_key`."""
    app_secret: str | None = field(default=None, repr=False)
    """Telphin's app secret."""


class SoundPreferences(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    enabled: bool = True
    volume: Annotated[int, msgspec.Meta(ge=0, le=100)] = 80
    """Percent, 0 to 100."""
    ring_device: str | None = None
    """The output device for the ring (e.g. the speakers); None is the system default."""
    chime_device: str | None = None


class NotificationPreferences(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    enabled: bool = True
    wrapup_warning: Annotated[int, msgspec.Meta(ge=0, le=600)] = 10
    """Seconds before wrap-up ends that a notification (and the chime) comes."""


class Preferences(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    language: Language = "system"
    log_level: LogLevel = "info"
    quit_while_ready: QuitWhileReady = "ask"
    start_at_login: bool = False
    history_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] = 30
    """Days the call history keeps a call; older ones are removed at start."""
    hotkeys_enabled: bool = True
    hotkeys: dict[HotkeyAction, str] = msgspec.field(default_factory=lambda: dict(DEFAULT_HOTKEYS))
    sound: SoundPreferences = msgspec.field(default_factory=SoundPreferences)
    notifications: NotificationPreferences = msgspec.field(default_factory=NotificationPreferences)


class Config(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    default_profile: str | None = None
    offer_demo: bool = True
    """Whether the sign-in dialog offers the demo (an organisation's policy may say no)."""
    preferences: Preferences = msgspec.field(default_factory=Preferences)
    profiles: dict[str, Profile] = msgspec.field(default_factory=dict)
