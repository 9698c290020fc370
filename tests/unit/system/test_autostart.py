"""Start at login: real files in a temporary config directory and home.

The Linux entry is checked with `desktop-file-validate` when it is installed, and its
Exec line is decoded by the Desktop Entry spec's rules and run. The macOS launch agent
is written for real under a temporary home; only Windows' registry cannot be tried here.
"""

import plistlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agent_toolbar import __version__
from agent_toolbar.system import autostart
from agent_toolbar.system.autostart import AutostartError

ODD = ["/opt/Agent Toolbar/bin/agent toolbar", "--profile", 'Sales "B" $HOME \\ 100% `x`']


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def entry_file(config_home: Path) -> Path:
    return config_home / "autostart" / "agent-toolbar.desktop"


def entry_values(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


def decode_exec(value: str) -> list[str]:
    """The Desktop Entry spec's reading of an Exec value, written independently of the
    module: string escapes first, then quoted arguments, then `%%`."""
    unescaped, chars = "", iter(value)
    for char in chars:
        if char == "\\":
            follower = next(chars)
            unescaped += {"s": " ", "n": "\n", "t": "\t", "r": "\r"}.get(follower, follower)
        else:
            unescaped += char
    arguments: list[str] = []
    current, quoted, started = "", False, False
    chars = iter(unescaped)
    for char in chars:
        if quoted and char == "\\":
            current += next(chars)
        elif char == '"':
            quoted, started = not quoted, True
        elif char == " " and not quoted:
            if started:
                arguments.append(current)
            current, started = "", False
        else:
            current, started = current + char, True
    if started:
        arguments.append(current)
    return [argument.replace("%%", "%") for argument in arguments]


def test_enabling_writes_a_valid_autostart_entry(config_home: Path) -> None:
    autostart.enable(ODD)
    path = entry_file(config_home)
    values = entry_values(path)
    assert values["Type"] == "Application"
    assert values["Name"] == "Agent toolbar"
    assert values["Icon"] == "agent-toolbar"
    assert values["X-GNOME-Autostart-enabled"] == "true"
    assert decode_exec(values["Exec"]) == ODD
    validator = shutil.which("desktop-file-validate")
    if validator is not None:
        checked = subprocess.run(
            [validator, str(path)], check=False, capture_output=True, text=True
        )
        assert (checked.returncode, checked.stdout, checked.stderr) == (0, "", "")
    assert autostart.is_enabled()
    assert not list(path.parent.glob(".*partial"))


def test_the_entry_really_starts_the_toolbar(config_home: Path) -> None:
    autostart.enable(autostart.launch_command())
    command = decode_exec(entry_values(entry_file(config_home))["Exec"])
    started = subprocess.run(
        [*command, "--version"], check=True, capture_output=True, text=True, timeout=60
    )
    assert started.stdout.strip() == f"agent-toolbar {__version__}"


def test_disabling_removes_the_entry_and_may_be_repeated(config_home: Path) -> None:
    autostart.enable(["agent-toolbar"])
    autostart.disable()
    assert not entry_file(config_home).exists()
    assert not autostart.is_enabled()
    autostart.disable()


def test_enabling_again_replaces_the_command(config_home: Path) -> None:
    autostart.enable(["agent-toolbar", "--profile", "old"])
    autostart.enable(["agent-toolbar", "--profile", "new"])
    assert entry_values(entry_file(config_home))["Exec"] == "agent-toolbar --profile new"


@pytest.mark.parametrize("switch", ["X-GNOME-Autostart-enabled=false", "Hidden = true"])
def test_an_entry_the_desktop_switched_off_is_not_enabled(config_home: Path, switch: str) -> None:
    autostart.enable(["agent-toolbar"])
    path = entry_file(config_home)
    text = path.read_text().replace("X-GNOME-Autostart-enabled=true\n", "")
    path.write_text(f"{text}{switch}\n")
    assert not autostart.is_enabled()


@pytest.mark.parametrize("configured", [None, "relative/config"])
def test_without_a_usable_xdg_config_home_the_entry_goes_to_dot_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, configured: str | None
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    if configured is None:
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CONFIG_HOME", configured)
    autostart.enable(["agent-toolbar"])
    assert (tmp_path / ".config" / "autostart" / "agent-toolbar.desktop").is_file()


def test_a_file_in_the_way_is_a_plain_error(config_home: Path) -> None:
    config_home.write_text("not a directory")
    with pytest.raises(AutostartError, match=r"^could not set up start at login: ") as caught:
        autostart.enable(["agent-toolbar"])
    assert str(config_home) in str(caught.value)
    assert "Traceback" not in str(caught.value)


def test_an_empty_command_is_refused(config_home: Path) -> None:
    with pytest.raises(AutostartError, match="needs a command"):
        autostart.enable([])
    assert not entry_file(config_home).exists()


def test_the_command_runs_this_python_or_the_frozen_executable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert autostart.launch_command() == [sys.executable, "-m", "agent_toolbar"]
    assert autostart.launch_command("Night shift") == [
        sys.executable,
        "-m",
        "agent_toolbar",
        "--profile",
        "Night shift",
    ]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert autostart.launch_command("Sales") == [sys.executable, "--profile", "Sales"]


def test_the_macos_launch_agent_runs_the_command_at_login(tmp_path: Path) -> None:
    path = autostart.launch_agent_path(tmp_path)
    assert path == tmp_path / "Library/LaunchAgents/io.github.agent-toolbar.plist"
    agent = plistlib.loads(autostart.launch_agent_plist(ODD))
    assert agent == {
        "Label": "io.github.agent-toolbar",
        "ProgramArguments": ODD,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "LimitLoadToSessionType": "Aqua",
    }


def test_on_macos_the_launch_agent_file_comes_and_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "darwin")
    autostart.enable(ODD)
    path = autostart.launch_agent_path(tmp_path)
    assert plistlib.loads(path.read_bytes())["ProgramArguments"] == ODD
    assert autostart.is_enabled()
    autostart.disable()
    assert not path.exists()
    assert not autostart.is_enabled()


def test_autostart_loads_no_qt() -> None:
    probe = "import sys, agent_toolbar.system.autostart; print('PySide6' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    )
    assert result.stdout.strip() == "False"
