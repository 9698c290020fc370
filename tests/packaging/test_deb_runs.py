"""The unpacked package's app runs as the source tree's does: its version, replay, the demo,
the keychain (a real gnome-keyring) and PortAudio, all frozen."""

import asyncio
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.xvfb import xvfb
from tests.packaging.package import EXAMPLE, UNFROZEN, VERSION, app_environment

UNLOCK = "echo -n unlock | gnome-keyring-daemon --unlock --components=secrets --daemonize"
STORE = "import keyring, sys; keyring.set_password('agent-toolbar', sys.argv[1], sys.stdin.read())"


def test_the_frozen_app_says_the_project_version(frozen_app: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [frozen_app, "--version"],
        env=app_environment(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"agent-toolbar {VERSION}\n",
        "",
    )


def test_replay_of_the_bundled_example_matches_the_unfrozen_app(
    frozen_app: Path, unpacked: Path, tmp_path: Path
) -> None:
    example = unpacked / EXAMPLE
    results = [
        subprocess.run(
            [app, "replay", example],
            env=app_environment(tmp_path),
            capture_output=True,
            text=True,
            check=False,
        )
        for app in (frozen_app, UNFROZEN)
    ]
    frozen, unfrozen = ((each.returncode, each.stdout, each.stderr) for each in results)
    assert frozen == unfrozen
    assert frozen[0] == 0
    assert len(frozen[1].splitlines()) > 10
    assert '"status":"ready"' in frozen[1]


@pytest.mark.asyncio
async def test_the_frozen_demo_connects_and_quits_cleanly_on_ctrl_c(
    frozen_app: Path, tmp_path: Path
) -> None:
    environment = app_environment(tmp_path, QT_QPA_PLATFORM="offscreen")
    log = await run_demo_until(frozen_app, environment, "subscribed to qubicle.recipient")
    assert "simulator closed" in log
    assert "Traceback" not in log


@pytest.mark.asyncio
async def test_the_frozen_demo_speaks_russian(frozen_app: Path, tmp_path: Path) -> None:
    """The bundle's translations, the app's own and Qt's, are found and loaded: the window
    says in Russian why there are no system-wide keys, and no catalogue is missing."""
    environment = app_environment(
        tmp_path, QT_QPA_PLATFORM="offscreen", LANGUAGE="ru", LANG="ru_RU.UTF-8"
    )
    log = await run_demo_until(frozen_app, environment, "no system-wide keys: ")
    reason = log.split("no system-wide keys: ", 1)[1].splitlines()[0]
    assert re.search("[А-Яа-я]{3}", reason), reason
    assert "translations found" not in log
    assert "Traceback" not in log


async def run_demo_until(app: Path, environment: dict[str, str], text: str) -> str:
    """Runs `app demo` until its log says `text`, then stops it with Ctrl-C; returns the
    whole log once it has ended by itself with 0."""
    demo = await asyncio.create_subprocess_exec(
        app, "demo", "--log-level", "info", stderr=asyncio.subprocess.PIPE, env=environment
    )
    assert demo.stderr is not None
    log = ""
    try:
        async with asyncio.timeout(30):
            while text not in log:
                line = (await demo.stderr.readline()).decode()
                assert line, "the demo ended early"
                log += line
        demo.send_signal(signal.SIGINT)
        async with asyncio.timeout(15):
            log += (await demo.stderr.read()).decode()
            assert await demo.wait() == 0, "the demo did not end with 0"
    except (AssertionError, TimeoutError) as failure:
        if demo.returncode is None:
            demo.kill()
            await demo.wait()
        raise AssertionError(f"{failure!r}, waiting for {text!r}; the demo said:\n{log}") from None
    return log


@pytest.mark.skipif(
    not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
    reason="no dbus-run-session or gnome-keyring here (scripts/bootstrap --packaging)",
)
def test_the_frozen_app_signs_in_with_the_password_from_a_real_keychain(
    frozen_app: Path, tmp_path: Path
) -> None:
    """keyring finds its Secret Service backend (and jeepney, secretstorage, cryptography)
    in the bundle: `set login` gets the password from gnome-keyring and nowhere else."""
    environment = app_environment(tmp_path)
    del environment["PYTHON_KEYRING_BACKEND"]
    with subprocess.Popen(
        [frozen_app, "sim", "--port", "0", "--websocket-port", "0"],
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
    ) as sim:
        assert sim.stdout is not None
        banner = "".join(sim.stdout.readline() for _ in range(3))
        api = re.search(r"(http://\S+/v2)", banner)
        assert api is not None, banner
        entry = f"kazoo {api.group(1)} demo agent"
        script = (
            f'{UNLOCK} >/dev/null && echo -n demo | "$0" -c "$1" "$2" && exec "$3" set login '
            f'--api-url "$4" --account-name demo --username agent'
        )
        arguments = [sys.executable, STORE, entry, frozen_app, api.group(1)]
        try:
            result = subprocess.run(
                ["dbus-run-session", "--", "sh", "-c", script, *map(str, arguments)],
                env=environment,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        finally:
            sim.send_signal(signal.SIGINT)
        assert sim.wait(timeout=15) == 0
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "log in: confirmed"


def test_the_frozen_app_loads_portaudio_for_sound(frozen_app: Path, tmp_path: Path) -> None:
    """With no PulseAudio server the toolbar plays through PortAudio, which the package
    takes from the system (libportaudio2): opening the settings asks whether sound can
    play, and the log says "sound is off" if PortAudio could not be loaded."""
    environment = app_environment(tmp_path, QT_QPA_PLATFORM="xcb", PULSE_SERVER="unix:/nonexistent")
    with xvfb() as server:
        environment["DISPLAY"] = server.display
        with subprocess.Popen(
            [frozen_app, "demo", "--log-level", "info"],
            env=environment,
            stderr=subprocess.PIPE,
            text=True,
        ) as demo:
            try:
                window = wait_for_window(server.display, "^Agent toolbar$")
                xdotool(server.display, "windowfocus", "--sync", window, "key", "ctrl+comma")
                wait_for_window(server.display, "^Settings$")
            finally:
                demo.send_signal(signal.SIGINT)
                _, log = demo.communicate(timeout=15)
    assert demo.returncode == 0, log
    assert "sound is off" not in log
    assert "Traceback" not in log


def wait_for_window(display: str, name: str) -> str:
    """The id of the first visible window whose title matches `name`, once there is one."""
    return xdotool(display, "search", "--sync", "--onlyvisible", "--name", name).split()[0]


def xdotool(display: str, *arguments: str) -> str:
    return subprocess.run(
        ["xdotool", *arguments],
        env={"DISPLAY": display, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
