"""Where a policy is read on each platform: TOML files on Linux, the registry on
Windows, managed preferences (plists) on macOS. Each reader returns its sources in
order of precedence, the winner first; the places are parameters so that tests read
temporary ones.
"""

import getpass
import os
import plistlib
import sys
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol
from xml.parsers.expat import ExpatError

from agent_toolbar.config.policy.model import (
    Effective,
    Policy,
    Problem,
    Source,
    effective,
    policy_from,
)
from agent_toolbar.config.small_files import FileRefused, read_small_file

MAX_BYTES = 1024 * 1024
"""A policy is a few kilobytes: a larger file is refused unread."""
SYSTEM_FILE = Path("/etc/agent-toolbar/policy.toml")
BUNDLE_ID = "org.agenttoolbar.AgentToolbar"
MANAGED_PREFERENCES = Path("/Library/Managed Preferences")
REGISTRY_KEY = r"Software\Policies\AgentToolbar"
REGISTRY_PARTS = {"Defaults": "defaults", "Locked": "locked"}
_REG_MULTI_SZ = 7
_FIX_TOML = "correct the file (docs/policy.md has examples), or remove it"


def settings_in_force(path: Path, environ: Mapping[str, str] = os.environ) -> Effective:
    """The user's settings in `path` under this computer's policy. Blocking: it reads files."""
    return effective(path, read_policy(environ))


def read_policy(environ: Mapping[str, str] = os.environ) -> Policy:
    """This computer's policy, from its platform's place."""
    if sys.platform == "win32":
        found = registry_sources(WinregReader())
    elif sys.platform == "darwin":
        found = plist_sources(MANAGED_PREFERENCES, getpass.getuser())
    else:
        found = toml_sources(linux_places(environ))
    return policy_from(found)


# -- Linux -----------------------------------------------------------------------------


def linux_places(environ: Mapping[str, str], system_file: Path = SYSTEM_FILE) -> list[Path]:
    """`system_file`, then agent-toolbar/policy.toml in each of $XDG_CONFIG_DIRS."""
    directories = environ.get("XDG_CONFIG_DIRS") or "/etc/xdg"
    xdg = [Path(each) / "agent-toolbar" / "policy.toml" for each in directories.split(":") if each]
    return [system_file, *xdg]


def toml_sources(places: Sequence[Path]) -> list[Source]:
    """The policy files of `places` that exist, in their order."""
    return [source for source in map(_toml_source, places) if source is not None]


def _toml_source(path: Path) -> Source | None:
    name = str(path)
    try:
        raw = read_small_file(path, MAX_BYTES)
    except FileNotFoundError:
        return None
    except FileRefused as refused:
        return Source(name, unreadable=Problem(name, f"this {refused}", _FIX_TOML))
    except OSError as error:
        why = error.strerror or type(error).__name__
        fix = "make it readable by every user (it holds no secret), or remove it"
        return Source(name, unreadable=Problem(name, f"the file cannot be read ({why})", fix))
    try:
        return Source(name, tomllib.loads(raw.decode("utf-8-sig")))
    except UnicodeDecodeError:
        return Source(name, unreadable=Problem(name, "this is not UTF-8 text", "save it as UTF-8"))
    except tomllib.TOMLDecodeError as error:
        return Source(
            name, unreadable=Problem(name, f"this is not valid TOML ({error})", _FIX_TOML)
        )


# -- macOS -----------------------------------------------------------------------------


def plist_sources(directory: Path, user: str) -> list[Source]:
    """The machine's managed preferences, then the user's (the machine's win)."""
    file_name = f"{BUNDLE_ID}.plist"
    places = (directory / file_name, directory / user / file_name)
    return [source for source in map(_plist_source, places) if source is not None]


def _plist_source(path: Path) -> Source | None:
    name = str(path)
    fix = "correct the configuration profile that installs it (docs/policy.md has an example)"
    try:
        data = plistlib.loads(read_small_file(path, MAX_BYTES))
    except FileNotFoundError:
        return None
    except (OSError, FileRefused, ValueError, ExpatError) as error:  # a ValueError: bad plist
        return Source(name, unreadable=Problem(name, f"this cannot be read ({error})", fix))
    if not isinstance(data, dict):
        return Source(name, unreadable=Problem(name, "this is not a dictionary", fix))
    parts = {REGISTRY_PARTS.get(str(key), str(key)): value for key, value in data.items()}
    return Source(
        name, parts, names={(part,): f"{name}: {key}" for key, part in REGISTRY_PARTS.items()}
    )


# -- Windows ---------------------------------------------------------------------------


class RegistryReader(Protocol):
    """The part of `winreg` a policy needs; both raise OSError for a key that is absent."""

    def subkeys(self, hive: str, path: str) -> list[str]:
        """The names of the key's subkeys."""
        ...

    def values(self, hive: str, path: str) -> list[tuple[str, Any, int]]:
        """The key's values: name, data and registry type (REG_SZ, REG_DWORD, ...)."""
        ...


def registry_sources(reader: RegistryReader) -> list[Source]:
    """The machine's policy (HKLM), then the user's (HKCU): the machine's wins."""
    found = []
    for hive in ("HKLM", "HKCU"):
        root = f"{hive}\\{REGISTRY_KEY}"
        try:
            subkeys = reader.subkeys(hive, REGISTRY_KEY)
        except OSError:
            continue
        parts: dict[str, Any] = {}
        names: dict[tuple[str, ...], str] = {}
        for subkey in subkeys:
            part = REGISTRY_PARTS.get(subkey, subkey.lower())
            path = f"{REGISTRY_KEY}\\{subkey}"
            parts[part] = _registry_table(reader, hive, path, (part,), names)
            names[(part,)] = f"{hive}\\{path}"
        found.append(Source(root, parts, lenient=True, names=names))
    return found


def _registry_table(
    reader: RegistryReader,
    hive: str,
    path: str,
    key: tuple[str, ...],
    names: dict[tuple[str, ...], str],
) -> dict[str, Any]:
    """A key as a TOML table: its values, and a table for each subkey (lower case, but for
    the profiles' names)."""
    table: dict[str, Any] = {}
    for name, data, kind in _values(reader, hive, path):
        table[name] = list(data) if kind == _REG_MULTI_SZ else data
        names[(*key, name)] = f"{hive}\\{path}: {name}"
    for subkey in _subkeys(reader, hive, path):
        inner = subkey if key[-1] == "profiles" else subkey.lower()
        table[inner] = _registry_table(reader, hive, f"{path}\\{subkey}", (*key, inner), names)
    return table


def _values(reader: RegistryReader, hive: str, path: str) -> Iterator[tuple[str, Any, int]]:
    try:
        yield from reader.values(hive, path)
    except OSError:
        return


def _subkeys(reader: RegistryReader, hive: str, path: str) -> list[str]:
    try:
        return reader.subkeys(hive, path)
    except OSError:
        return []


if sys.platform == "win32":
    import winreg

    _HIVES = {"HKLM": winreg.HKEY_LOCAL_MACHINE, "HKCU": winreg.HKEY_CURRENT_USER}

    class WinregReader:
        """The registry itself, through `winreg`."""

        def subkeys(self, hive: str, path: str) -> list[str]:
            with winreg.OpenKey(_HIVES[hive], path) as key:
                count = winreg.QueryInfoKey(key)[0]
                return [winreg.EnumKey(key, index) for index in range(count)]

        def values(self, hive: str, path: str) -> list[tuple[str, Any, int]]:
            with winreg.OpenKey(_HIVES[hive], path) as key:
                count = winreg.QueryInfoKey(key)[1]
                return [winreg.EnumValue(key, index) for index in range(count)]
