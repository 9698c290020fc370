"""Where the built package is, what it should hold, and how to run what is in it."""

import os
import subprocess
import sys
import threading
import tomllib
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
NAME = "agent-toolbar"
APP_ID = "org.agenttoolbar.AgentToolbar"
INSTALL_DIR = Path("opt") / NAME
POLICY = Path("/etc") / NAME / "policy.toml"
"""The conffile: a commented example of the fleet policy, IT's to edit."""
BUNDLE = INSTALL_DIR / "_internal"
EXAMPLE = BUNDLE / "agent_toolbar" / "resources" / "examples" / "recipient-session.jsonl"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

with (ROOT / "pyproject.toml").open("rb") as _pyproject:
    VERSION: str = tomllib.load(_pyproject)["project"]["version"]

UNFROZEN = Path(sys.executable).parent / NAME
"""The same app from the source tree (.venv's command), to compare the frozen one with."""


def architecture() -> str:
    return subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()


def dpkg(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["dpkg", *arguments], capture_output=True, text=True, check=False)


def installed() -> bool:
    """Whether the package is installed here (not merely left with its conffiles)."""
    status = subprocess.run(
        ["dpkg-query", "--show", "--showformat=${db:Status-Abbrev}", NAME],
        capture_output=True,
        text=True,
        check=False,
    )
    return status.stdout.startswith("ii")


def deb_path() -> Path:
    """dist/agent-toolbar_VERSION_ARCH.deb, as `make deb` names it."""
    return ROOT / "dist" / f"{NAME}_{VERSION}_{architecture()}.deb"


def app_environment(home: Path, **extra: str) -> dict[str, str]:
    """This environment with no display, no session bus and no keychain of the developer's:
    config, logs and home all under `home`."""
    drop = ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "QT_QPA_PLATFORM")
    environment = {key: value for key, value in os.environ.items() if key not in drop}
    runtime = home / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return environment | {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_RUNTIME_DIR": str(runtime),
        "AGENT_TOOLBAR_CONFIG_DIR": str(home / "agent-config"),
        "AGENT_TOOLBAR_LOG_DIR": str(home / "agent-logs"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        **extra,
    }


def control_fields(deb: Path) -> dict[str, str]:
    """DEBIAN/control as a dict; a continued field keeps its lines."""
    text = subprocess.run(
        ["dpkg-deb", "--field", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    fields: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        if line.startswith(" ") and key:
            fields[key] += "\n" + line
        else:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return fields


def dependency_names(field: str) -> set[str]:
    """Package names in a Depends-like field, alternatives included, versions dropped."""
    names = set()
    for group in field.split(","):
        for alternative in group.split("|"):
            if alternative.strip():
                names.add(alternative.split("(")[0].strip())
    return names


class StderrLog:
    """A process's stderr, read in the background: waiting for a line can time out, and
    the failure then shows what the process said."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._text = ""
        self._ended = False
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in iter(self._stream.readline, ""):
            with self._changed:
                self._text += line
                self._changed.notify_all()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def wait_for(self, text: str, seconds: float) -> None:
        with self._changed:
            self._changed.wait_for(lambda: text in self._text or self._ended, seconds)
            if text not in self._text:
                ended = "ended" if self._ended else f"said nothing more in {seconds:.0f} s"
                raise AssertionError(f"waiting for {text!r}, the process {ended}:\n{self._text}")

    def all(self, seconds: float) -> str:
        """Everything, once the process has closed its stderr (it has ended)."""
        self._reader.join(seconds)
        with self._changed:
            return self._text
