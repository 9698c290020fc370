"""The sdist and the wheel as a release builds them, installed the way pipx installs an app.

The files are copied from the work tree as a fresh clone would have them (tracked and new
files, none that git ignores), then `python -m build` makes the sdist and, from the sdist
alone, the wheel. pipx installs the wheel into its own virtual environment, fetching the
dependencies from the package index; the installed command then runs: --version, replay
of the bundled example, and the demo on Qt's offscreen platform.

Slow (minutes: new virtual environments, PySide6 and the rest installed into them), so
it belongs to the packaging suite, not the default test run.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
BIN = "Scripts" if sys.platform == "win32" else "bin"

pytestmark = pytest.mark.timeout(1200)


@dataclass(frozen=True)
class Built:
    source: Path
    sdist: Path
    wheel: Path


@dataclass(frozen=True)
class Installed:
    command: Path
    python: Path
    pipx_home: Path
    home: Path


def run(*command: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    """Run a step of the build or install; on failure show what it printed."""
    result = subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def clean_copy(destination: Path) -> Path:
    """The files a clone of the work tree would have, new ones included."""
    listed = run("git", "-C", ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the work tree is not there
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    return destination


@pytest.fixture(scope="module")
def tools(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the release tools: build, and pipx."""
    venv = tmp_path_factory.mktemp("tools")
    run(sys.executable, "-m", "venv", venv)
    run(venv / BIN / "python", "-m", "pip", "install", "--quiet", "build", "pipx")
    return venv / BIN / "python"


@pytest.fixture(scope="module")
def built(tools: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    source = clean_copy(tmp_path_factory.mktemp("clone"))
    out = tmp_path_factory.mktemp("dist")
    run(tools, "-m", "build", "--outdir", out, source)
    sdist = out / f"agent_toolbar-{VERSION}.tar.gz"
    wheel = out / f"agent_toolbar-{VERSION}-py3-none-any.whl"
    assert sorted(out.iterdir()) == sorted([sdist, wheel])
    return Built(source, sdist, wheel)


@pytest.fixture(scope="module")
def installed(tools: Path, built: Built, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """`pipx install` of the wheel, with pipx's folders and the agent's home in tmp."""
    base = tmp_path_factory.mktemp("pipx")
    env = dict(
        os.environ,
        PIPX_HOME=str(base / "home"),
        PIPX_BIN_DIR=str(base / "bin"),
        PIPX_MAN_DIR=str(base / "man"),
    )
    run(tools, "-m", "pipx", "install", built.wheel, env=env)
    suffix = ".exe" if sys.platform == "win32" else ""
    return Installed(
        command=base / "bin" / f"agent-toolbar{suffix}",
        python=base / "home" / "venvs" / "agent-toolbar" / BIN / f"python{suffix}",
        pipx_home=base / "home",
        home=tmp_path_factory.mktemp("agent"),
    )


def resource_files(source: Path) -> set[str]:
    """resources/ as the wheel installs it: the package agent_toolbar.resources."""
    resources = source / "resources"
    return {
        f"agent_toolbar/resources/{path.relative_to(resources).as_posix()}"
        for path in resources.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_the_wheel_carries_the_resources_and_not_the_tests(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        names = set(wheel.namelist())
        entry_points = wheel.read(f"agent_toolbar-{VERSION}.dist-info/entry_points.txt")
    assert resource_files(built.source) <= names
    assert {
        "agent_toolbar/resources/examples/recipient-session.jsonl",
        "agent_toolbar/resources/sounds/ring.wav",
        "agent_toolbar/resources/translations/agent_toolbar_ru.qm",
        "agent_toolbar/resources/icons/agent-toolbar.svg",
        "agent_toolbar/simulator/default.toml",
        "agent_toolbar/py.typed",
    } <= names
    assert not [name for name in names if name.startswith("tests/") or name.endswith(".pyc")]
    assert "agent-toolbar = agent_toolbar.cli.main:main" in entry_points.decode()


def test_the_sdist_holds_the_sources_and_nothing_of_the_work_tree(built: Built) -> None:
    top = f"agent_toolbar-{VERSION}/"
    with tarfile.open(built.sdist) as sdist:
        names = {name.removeprefix(top) for name in sdist.getnames()}
    assert {"pyproject.toml", "README.md", "agent_toolbar/cli/main.py"} <= names
    assert {
        name.replace("agent_toolbar/resources/", "resources/", 1)
        for name in resource_files(built.source)
    } <= names
    unwanted = ("tests/", ".venv/", ".github/", "build/", "dist/", "docs/")
    assert not [name for name in names if name.startswith(unwanted)]


def test_pipx_installs_the_command(installed: Installed) -> None:
    version = run(installed.command, "--version", cwd=installed.home)
    assert version.strip() == f"agent-toolbar {VERSION}"


def test_the_installed_command_replays_its_bundled_example(installed: Installed) -> None:
    """The example is found as the app finds its files (importlib.resources), inside the
    environment pipx made, not in this source tree (nor in the current folder, which
    `python -c` puts first on the module path)."""
    example = Path(
        run(
            installed.python,
            "-c",
            "from importlib.resources import files; "
            "print(files('agent_toolbar.resources') / 'examples' / 'recipient-session.jsonl')",
            cwd=installed.home,
        ).strip()
    )
    assert example.is_relative_to(installed.pipx_home)
    states = [
        json.loads(line)
        for line in run(installed.command, "replay", example, cwd=installed.home).splitlines()
    ]
    assert len(states) > 10
    assert {(state["status"], state["activity"]) for state in states} >= {
        ("ready", "offered"),
        ("ready", "on_call"),
    }
    assert states[-1]["status"] == "logged_out"


@pytest.mark.skipif(sys.platform == "win32", reason="stopped with SIGINT, as a terminal does")
def test_the_installed_demo_runs_offscreen_and_quits_cleanly(installed: Installed) -> None:
    """The window's side (PySide6, qasync, sounds, translations) works from the install:
    the demo signs in to its simulator, then quits on Ctrl-C with exit code 0."""
    home = installed.home
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "PYTHON"))
    }
    env |= {"HOME": str(home), "XDG_RUNTIME_DIR": str(home), "QT_QPA_PLATFORM": "offscreen"}
    log = home / "demo.log"
    with log.open("wb") as stderr:
        demo = subprocess.Popen(
            [installed.command, "demo", "--log-level", "info"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
            cwd=home,
        )
        try:
            deadline = time.monotonic() + 60
            while "subscribed to qubicle.recipient" not in log.read_text(errors="replace"):
                assert demo.poll() is None, log.read_text(errors="replace")
                assert time.monotonic() < deadline, log.read_text(errors="replace")
                time.sleep(0.2)
            demo.send_signal(signal.SIGINT)
            assert demo.wait(timeout=30) == 0, log.read_text(errors="replace")
        finally:
            if demo.poll() is None:
                demo.kill()
                demo.wait()
    text = log.read_text(errors="replace")
    assert "simulator closed" in text
    assert "Traceback" not in text
