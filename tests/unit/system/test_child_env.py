"""No child process gets the toolbar's secrets: pactl and pacat are real processes here
(stand-ins on PATH that write down the environment they were given)."""

import os
import stat
import sys
import threading
from pathlib import Path

import pytest

from agent_toolbar.config.keychain import APP_SECRET_VARIABLE, SECRET_VARIABLE
from agent_toolbar.system.child_env import child_environment
from agent_toolbar.system.sound import pulse as sound_pulse

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="pulseaudio-utils are Linux's")

PASSWORD = "child-env-password-5150"
APP_SECRET = "child-env-app-secret-6160"


@pytest.fixture
def secrets_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SECRET_VARIABLE, PASSWORD)
    monkeypatch.setenv(APP_SECRET_VARIABLE, APP_SECRET)


def stand_in(folder: Path, name: str, script: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`name` on PATH: a shell script that writes its environment to a file beside it."""
    folder.mkdir(exist_ok=True)
    seen = folder / f"{name}.env"
    path = folder / name
    path.write_text(f'#!/bin/sh\nenv > "{seen}"\n{script}\n', "utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return seen


def test_the_child_environment_keeps_everything_but_the_secrets(
    secrets_in_the_environment: None,
) -> None:
    given = child_environment(LC_ALL="C")
    assert SECRET_VARIABLE not in given
    assert APP_SECRET_VARIABLE not in given
    assert given["LC_ALL"] == "C"
    assert given["PATH"] == os.environ["PATH"]


def test_pactl_sees_no_secret(
    secrets_in_the_environment: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = stand_in(tmp_path, "pactl", 'echo "Default Sink: speakers"', monkeypatch)
    stand_in(tmp_path, "pacat", "", monkeypatch)
    found = sound_pulse.PulseServer().sinks(fresh=True)
    assert found is not None
    assert found.default == "speakers"
    environment = seen.read_text("utf-8")
    assert "LC_ALL=C" in environment
    assert PASSWORD not in environment
    assert APP_SECRET not in environment


class _Silence:
    def fill(self, out: object, frames: int) -> bool:
        return False


def test_pacat_sees_no_secret(
    secrets_in_the_environment: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = stand_in(tmp_path, "pacat", "cat > /dev/null", monkeypatch)
    ended = threading.Event()
    stream = sound_pulse.PulseStream(_Silence(), sink=None, rate=8000, name="test", ended=ended.set)
    assert ended.wait(5)
    stream.close()
    environment = seen.read_text("utf-8")
    assert "LC_ALL=C" in environment
    assert PASSWORD not in environment
    assert APP_SECRET not in environment
