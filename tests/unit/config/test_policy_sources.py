"""The Windows and macOS policy readers.

`winreg` cannot run here (it exists on Windows only), so the registry reader is given
a dict-backed fake of the two calls it makes (`RegistryReader`); the release workflow's
Windows runner is where the real registry is read. The macOS reader reads real plist
files, written by `plistlib` into a temporary folder standing for Managed Preferences.
"""

import plistlib
from pathlib import Path
from typing import Any

from agent_toolbar.config.policy.model import effective, policy_from
from agent_toolbar.config.policy.sources import (
    BUNDLE_ID,
    REGISTRY_KEY,
    plist_sources,
    registry_sources,
)

REG_SZ, REG_DWORD, REG_MULTI_SZ = 1, 4, 7


class FakeRegistry:
    """Registry keys as a dict: (hive, path) to its values; the keys above them exist too,
    as in the registry."""

    def __init__(self, keys: dict[tuple[str, str], list[tuple[str, Any, int]]]) -> None:
        self._keys = keys

    def _exists(self, hive: str, path: str) -> bool:
        return any(at == hive and f"{each}\\".startswith(f"{path}\\") for at, each in self._keys)

    def subkeys(self, hive: str, path: str) -> list[str]:
        if not self._exists(hive, path):
            raise FileNotFoundError(2, "The system cannot find the file specified")
        prefix = path + "\\"
        return sorted(
            {
                each.removeprefix(prefix).split("\\")[0]
                for (at, each) in self._keys
                if at == hive and each.startswith(prefix)
            }
        )

    def values(self, hive: str, path: str) -> list[tuple[str, Any, int]]:
        if not self._exists(hive, path):
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return self._keys.get((hive, path), [])


def key(*parts: str) -> str:
    return "\\".join((REGISTRY_KEY, *parts))


def test_the_registry_machine_wins_over_the_user_and_values_take_the_settings_types(
    tmp_path: Path,
) -> None:
    registry = FakeRegistry(
        {
            ("HKLM", key()): [],
            ("HKLM", key("Locked")): [("offer_demo", 0, REG_DWORD)],
            ("HKLM", key("Locked", "Preferences")): [("quit_while_ready", "away", REG_SZ)],
            ("HKLM", key("Locked", "Profiles")): [],
            ("HKLM", key("Locked", "Profiles", "Office")): [
                ("api_url", "https://pbx.example.com:8443/v2", REG_SZ),
                ("away_reasons", ["Break", "Coaching"], REG_MULTI_SZ),
                ("keep_history", 0, REG_DWORD),
            ],
            ("HKLM", key("Locked", "Profiles", "Office", "Wire")): [("queue_key", "queue", REG_SZ)],
            ("HKLM", key("Defaults")): [("default_profile", "Office", REG_SZ)],
            ("HKLM", key("Defaults", "Preferences", "Sound")): [("volume", 40, REG_DWORD)],
            ("HKCU", key()): [],
            ("HKCU", key("Defaults")): [],
            ("HKCU", key("Defaults", "Preferences")): [("history_days", 5, REG_DWORD)],
            ("HKCU", key("Locked")): [],
            ("HKCU", key("Locked", "Preferences")): [("quit_while_ready", "stay", REG_SZ)],
        }
    )
    settings = effective(tmp_path / "config.toml", policy_from(registry_sources(registry)))
    config = settings.config
    assert settings.problems() == []
    assert config.offer_demo is False
    assert config.preferences.quit_while_ready == "away"
    assert config.preferences.history_days == 5
    assert config.preferences.sound.volume == 40
    assert config.default_profile == "Office"
    office = config.profiles["Office"]
    assert office.away_reasons == ("Break", "Coaching")
    assert office.keep_history is False
    assert office.wire == {"queue_key": "queue"}
    assert settings.policy.locked("preferences.quit_while_ready") == (
        f"HKLM\\{key('Locked', 'Preferences')}: quit_while_ready"
    )


def test_a_wrong_registry_value_is_named_with_its_key(tmp_path: Path) -> None:
    registry = FakeRegistry(
        {
            ("HKLM", key()): [],
            ("HKLM", key("Defaults")): [],
            ("HKLM", key("Defaults", "Preferences")): [
                ("history_days", 0, REG_DWORD),
                ("log_level", "debug", REG_SZ),
            ],
        }
    )
    settings = effective(tmp_path / "config.toml", policy_from(registry_sources(registry)))
    assert settings.config.preferences.log_level == "debug"
    [problem] = settings.problems()
    assert problem.startswith(f"HKLM\\{key('Defaults', 'Preferences')}: history_days: ")


def test_no_policy_key_in_the_registry_is_no_policy() -> None:
    assert registry_sources(FakeRegistry({})) == []


def write_plist(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        plistlib.dump(data, file)


def test_managed_preferences_machine_wins_over_the_users(tmp_path: Path) -> None:
    write_plist(
        tmp_path / f"{BUNDLE_ID}.plist",
        {
            "Locked": {"preferences": {"hotkeys_enabled": False}},
            "Defaults": {"preferences": {"history_days": 60}},
        },
    )
    write_plist(
        tmp_path / "ada" / f"{BUNDLE_ID}.plist",
        {
            "Locked": {"preferences": {"hotkeys_enabled": True, "start_at_login": True}},
            "Defaults": {"profiles": {"main": {"api_url": "https://pbx.example.com/v2"}}},
        },
    )
    settings = effective(tmp_path / "config.toml", policy_from(plist_sources(tmp_path, "ada")))
    config = settings.config
    assert settings.problems() == []
    assert config.preferences.hotkeys_enabled is False
    assert config.preferences.start_at_login is True
    assert config.preferences.history_days == 60
    assert config.profiles["main"].api_url == "https://pbx.example.com/v2"
    assert settings.policy.locked("preferences.hotkeys_enabled") == (
        f"{tmp_path}/{BUNDLE_ID}.plist: locked.preferences.hotkeys_enabled"
    )


def test_a_broken_plist_is_named_and_the_other_applies(tmp_path: Path) -> None:
    (tmp_path / f"{BUNDLE_ID}.plist").write_bytes(b"<?xml version='1.0'?><plist><dict>")
    write_plist(tmp_path / "ada" / f"{BUNDLE_ID}.plist", {"Defaults": {"offer_demo": False}})
    settings = effective(tmp_path / "config.toml", policy_from(plist_sources(tmp_path, "ada")))
    assert settings.config.offer_demo is False
    [problem] = settings.problems()
    assert problem.startswith(f"{tmp_path}/{BUNDLE_ID}.plist: this cannot be read (")
