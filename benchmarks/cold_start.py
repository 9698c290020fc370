"""Start-up time to the first painted window: `python benchmarks/cold_start.py [--runs N]`.

On a private Xvfb it starts, N times each and in turn: (a) a bare PySide6 window, the
floor any Qt app stands on; (b) `agent-toolbar demo` from the source tree (.venv); (c) the
same from the frozen build (dist/agent-toolbar, `make frozen`). The demo is the one
command that opens the window without a server; it starts its simulator too, in (b) and
(c) alike. Each time runs from the process's start until its window is mapped and its
first pixels are drawn, which an X client watches for: the map as an event, the drawing
by reading the window's pixels (the root is black, the toolbar is not). Then the process
is stopped. Prints the median and the fastest of each.

The files come from the page cache after the first run: "cold" means a new process, not a
cold disk (dropping the caches needs privileges a shared machine does not give).
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from Xlib import X, display, error

ROOT = Path(__file__).resolve().parents[1]
BASELINE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
label = QLabel("A bare Qt window, for comparison")
label.setWindowTitle("Cold start baseline")
label.resize(640, 40)
label.show()
sys.exit(app.exec())
"""
TIMEOUT = 60.0


@dataclass(frozen=True)
class Subject:
    label: str
    command: list[str]
    title: str


@contextmanager
def virtual_display() -> Iterator[str]:
    """A private Xvfb with a black root; Xvfb names its display once it accepts clients."""
    ready, told = os.pipe()
    server = subprocess.Popen(
        [
            "Xvfb",
            "-displayfd",
            str(told),
            "-screen",
            "0",
            "1280x800x24",
            "-br",
            "-nolisten",
            "tcp",
            "-noreset",
        ],
        pass_fds=(told,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(told)
    try:
        with os.fdopen(ready) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def time_to_first_paint(screen: str, subject: Subject, environment: dict[str, str]) -> float:
    """Seconds from starting `subject` to its window showing drawn pixels."""
    watcher = display.Display(screen)
    root = watcher.screen().root
    root.change_attributes(event_mask=X.SubstructureNotifyMask)
    watcher.sync()
    started = time.perf_counter()
    process = subprocess.Popen(
        subject.command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while not drawn(wait_for_map(watcher, subject.title, started), started):
            continue
        return time.perf_counter() - started
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        watcher.close()


def wait_for_map(watcher: Any, title: str, started: float) -> Any:
    """The top-level window named `title`, when the X server maps it."""
    while time.perf_counter() - started < TIMEOUT:
        event = watcher.next_event()
        if event.type == X.MapNotify:
            name = event.window.get_full_text_property(watcher.get_atom("_NET_WM_NAME"))
            if name == title or event.window.get_wm_name() == title:
                return event.window
    raise TimeoutError(f"no window named {title!r} within {TIMEOUT:.0f} s")


def drawn(window: Any, started: float) -> bool:
    """Polls the window's contents until a pixel is not the black of the root: True then,
    False if the window goes away first (Qt makes a new one when its flags change)."""
    try:
        geometry = window.get_geometry()
        while time.perf_counter() - started < TIMEOUT:
            image = window.get_image(0, 0, geometry.width, geometry.height, X.ZPixmap, 0xFFFFFFFF)
            if any(image.data):
                return True
            time.sleep(0.002)
    except (error.BadDrawable, error.BadWindow, error.BadMatch):
        return False
    raise TimeoutError(f"the window was not drawn within {TIMEOUT:.0f} s")


def subjects(frozen: Path) -> list[Subject]:
    unfrozen = Path(sys.executable).parent / "agent-toolbar"
    return [
        Subject("bare PySide6 window", [sys.executable, "-c", BASELINE], "Cold start baseline"),
        Subject("agent-toolbar demo, unfrozen", [str(unfrozen), "demo"], "Agent toolbar"),
        Subject("agent-toolbar demo, frozen", [str(frozen), "demo"], "Agent toolbar"),
    ]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Cold starts to the first painted window.")
    parser.add_argument("--runs", type=int, default=5, help="starts of each (default 5)")
    parser.add_argument(
        "--frozen", type=Path, default=ROOT / "dist" / "agent-toolbar" / "agent-toolbar"
    )
    args = parser.parse_args(argv)
    if not args.frozen.is_file():
        print(f"cold_start: {args.frozen} is missing: run make frozen first", file=sys.stderr)
        return 2
    measured: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as home, virtual_display() as screen:
        environment = dict(
            os.environ,
            DISPLAY=screen,
            QT_QPA_PLATFORM="xcb",
            HOME=home,
            AGENT_TOOLBAR_CONFIG_DIR=str(Path(home) / "config"),
            AGENT_TOOLBAR_LOG_DIR=str(Path(home) / "logs"),
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        )
        environment.pop("WAYLAND_DISPLAY", None)
        for _ in range(args.runs):
            for subject in subjects(args.frozen):
                seconds = time_to_first_paint(screen, subject, environment)
                measured.setdefault(subject.label, []).append(seconds)
    print(f"{'':30} {'median':>8} {'fastest':>8}   each run (s), {args.runs} runs each")
    for label, times in measured.items():
        each = " ".join(f"{value:.2f}" for value in times)
        print(f"{label:30} {statistics.median(times):8.2f} {min(times):8.2f}   {each}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
