"""The package installs with dpkg, the installed app opens its demo window on a virtual X
display, and removing the package leaves none of its files behind but IT's policy, which a
purge removes too. Root only: it changes the system. AGENT_TOOLBAR_SCREENSHOT=1 also saves
docs/screenshots/installed-demo.png."""

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.xvfb import xvfb
from tests.packaging.package import (
    NAME,
    POLICY,
    ROOT,
    VERSION,
    StderrLog,
    app_environment,
    dpkg,
    installed,
)

SCREENSHOT = ROOT / "docs" / "screenshots" / "installed-demo.png"


pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="installing a package needs root"),
    pytest.mark.skipif(shutil.which("dpkg") is None, reason="not a Debian system"),
    pytest.mark.skipif(
        installed(), reason=f"{NAME} is already installed here: the test would replace it"
    ),
]


def test_the_package_installs_runs_and_removes_cleanly(deb: Path, tmp_path: Path) -> None:
    result = dpkg("--install", str(deb))
    listed = dpkg("--listfiles", NAME).stdout.splitlines()
    try:
        assert result.returncode == 0, result.stderr
        assert f"/opt/{NAME}/{NAME}" in listed
        assert f"/usr/bin/{NAME}" in listed
        version = subprocess.run(
            [f"/usr/bin/{NAME}", "--version"],
            env=app_environment(tmp_path),
            capture_output=True,
            text=True,
            check=False,
        )
        assert version.stdout == f"agent-toolbar {VERSION}\n"
        run_the_installed_demo(tmp_path)
    finally:
        removal = dpkg("--remove", NAME)
    assert removal.returncode == 0, removal.stderr
    assert not installed()
    # What stays is IT's policy (a conffile, until a purge) and folders other packages
    # share, such as /usr/share/icons/hicolor.
    left = [path for path in listed if os.path.lexists(path) and not Path(path).is_dir()]
    assert left == [str(POLICY)]
    purge = dpkg("--purge", NAME)
    assert purge.returncode == 0, purge.stderr
    assert not POLICY.exists()
    assert not POLICY.parent.exists()
    assert not Path("/opt", NAME).exists()
    assert not Path("/usr/share/doc", NAME).exists()


def run_the_installed_demo(home: Path) -> None:
    """/usr/bin/agent-toolbar demo on Xvfb until its window shows; then Ctrl-C."""
    environment = app_environment(home, QT_QPA_PLATFORM="xcb")
    with xvfb() as server:
        environment["DISPLAY"] = server.display
        with subprocess.Popen(
            [f"/usr/bin/{NAME}", "demo", "--log-level", "info"],
            env=environment,
            stderr=subprocess.PIPE,
            text=True,
        ) as demo:
            assert demo.stderr is not None
            log = StderrLog(demo.stderr)
            try:
                log.wait_for("subscribed to qubicle.recipient", 30)
                window = on_display(
                    server.display,
                    "xdotool",
                    "search",
                    "--sync",
                    "--onlyvisible",
                    "--name",
                    "^Agent toolbar$",
                ).split()[0]
                if os.environ.get("AGENT_TOOLBAR_SCREENSHOT") == "1":
                    take_screenshot(server.display, window)
            finally:
                demo.send_signal(signal.SIGINT)
                demo.wait(timeout=15)
    said = log.all(15)
    assert demo.returncode == 0, said
    assert "simulator closed" in said
    assert "Traceback" not in said


def take_screenshot(display: str, window: str) -> None:
    """The whole virtual screen, after logging in (Ctrl+L) and opening the panel (Ctrl+P)
    so that the picture shows the server's answers."""
    on_display(display, "xdotool", "windowfocus", "--sync", window, "key", "ctrl+l")
    time.sleep(2)
    on_display(display, "xdotool", "key", "ctrl+p")
    time.sleep(1)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    on_display(display, "import", "-window", "root", str(SCREENSHOT))


def on_display(display: str, *command: str) -> str:
    """A command's output, run against the virtual display."""
    return subprocess.run(
        command,
        env={"DISPLAY": display, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
