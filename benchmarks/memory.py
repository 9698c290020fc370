"""Resident memory: `python benchmarks/memory.py [--quick]`.

Each figure is the VmRSS of a process of its own, read from /proc, in the same run:
- a bare PySide6 window shown offscreen, the floor any Qt app stands on (baseline);
- the toolbar as agents run it: `agent-toolbar` with a server's options, signed in to
  the simulator running as a process of its own (`agent-toolbar sim`), read once it logs
  that it subscribed to the server's events (the budget's figure);
- `agent-toolbar demo` offscreen, read at the same point: the same toolbar plus the
  simulator it starts in its own process (the network server side of aiohttp, the
  call-center engine), for comparison;
- the domain alone (decode + reduce of the pipeline benchmark's frame mix) after 100,000
  and after 1,000,000 events: the state keeps bounded histories, so the second figure
  must not grow over the first.
A benchmark reports; it exits 0 even when a figure misses its budget.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADROOM_MB = 40.0
GROWTH_MB = 2.0
TIMEOUT = 60.0
BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv)
label = QLabel("A bare Qt window, for comparison")
label.resize(640, 40)
label.show()
def report():
    print(sys.argv[1], flush=True)
    sys.stdin.readline()
    app.quit()
QTimer.singleShot(500, report)
app.exec()
"""
"""Shows its window, lets it settle, says so, and waits for the reader before quitting."""


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure in MB beside its baseline and budget."""

    figure: str
    megabytes: float
    baseline: float
    budget: str
    passed: bool


def resident_mb(pid: int) -> float:
    """VmRSS of process `pid` in MB (10⁶ bytes)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError(f"process {pid} has no VmRSS")


def environment(home: str) -> dict[str, str]:
    """Offscreen Qt, and a home of its own so no real profile or keychain is touched."""
    settings = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=home,
        AGENT_TOOLBAR_CONFIG_DIR=str(Path(home) / "config"),
        AGENT_TOOLBAR_LOG_DIR=str(Path(home) / "logs"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    settings.pop("DISPLAY", None)
    settings.pop("WAYLAND_DISPLAY", None)
    return settings


def rss_when_told(
    command: list[str], word: str, stream: str, settings: dict[str, str], stdin: str = ""
) -> float:
    """Start `command`, wait for a line containing `word` on `stream`, read its RSS, stop it."""
    process = subprocess.Popen(
        command,
        env=settings,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE if stream == "stdout" else subprocess.DEVNULL,
        stderr=subprocess.PIPE if stream == "stderr" else subprocess.DEVNULL,
        text=True,
    )
    output = process.stdout if stream == "stdout" else process.stderr
    assert output is not None
    assert process.stdin is not None
    process.stdin.write(stdin)
    process.stdin.flush()
    try:
        started = time.perf_counter()
        for line in output:
            if word in line:
                time.sleep(0.5)
                return resident_mb(process.pid)
            if time.perf_counter() - started > TIMEOUT:
                break
        raise RuntimeError(f"{command[0]} did not say {word!r}")
    finally:
        process.terminate()
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def simulator(settings: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """`agent-toolbar sim` in a process of its own, and its REST URL once it prints it."""
    program = str(Path(sys.executable).parent / "agent-toolbar")
    process = subprocess.Popen(
        [program, "sim"], env=settings, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:
        found = re.search(r"REST \(Crossbar\):\s+(\S+)", line)
        if found:
            return process, found[1]
    process.kill()
    raise RuntimeError("the simulator did not print its URL")


def signed_in_toolbar(settings: dict[str, str]) -> float:
    """RSS of `agent-toolbar` signed in to a simulator in another process."""
    program = str(Path(sys.executable).parent / "agent-toolbar")
    server, url = simulator(settings)
    try:
        command = [
            program,
            *("--api-url", url, "--account-name", "demo", "--username", "agent"),
            *("--password-stdin", "--log-level", "info"),
        ]
        return rss_when_told(command, "subscribed to", "stderr", settings, stdin="demo\n")
    finally:
        server.terminate()
        server.wait(timeout=20)


def domain_child(counts: list[int]) -> None:
    """In the child: reduce the frame mix, printing the RSS before and after each count."""
    sys.path.insert(0, str(Path(__file__).parent))
    from pipeline import mix, rounds

    from agent_toolbar.backends.kazoo.frames import decode_frame
    from agent_toolbar.domain import AgentState, DecodeError, Ignored, step
    from tests.helpers.seed import AGENT

    state = AgentState(recipient_id=AGENT)
    generator = rounds(mix())
    print(f"0 {resident_mb(os.getpid())}", flush=True)
    done = 0
    for count in counts:
        while done < count:
            decoded = decode_frame(next(generator))
            done += 1
            if not isinstance(decoded, Ignored | DecodeError):
                state = step(state, decoded).state
        print(f"{done} {resident_mb(os.getpid())}", flush=True)


def domain(counts: list[int]) -> dict[int, float]:
    """RSS in MB after each count of events, all reduced in one child process."""
    result = subprocess.run(
        [sys.executable, __file__, "--domain-child", *map(str, counts)],
        capture_output=True,
        text=True,
        check=True,
    )
    return {
        int(done): float(mb)
        for done, mb in (line.split() for line in result.stdout.split("\n") if line)
    }


def table(rows: list[Row]) -> str:
    lines = [f"{'figure':34} {'RSS MB':>8} {'baseline':>9} {'ratio':>6}  {'budget':26} result"]
    for row in rows:
        lines.append(
            f"{row.figure:34} {row.megabytes:8.1f} {row.baseline:9.1f} "
            f"{row.megabytes / row.baseline:6.2f}  {row.budget:26} "
            f"{'PASS' if row.passed else 'MISS'}"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Resident memory of the toolbar and its domain.")
    parser.add_argument("--quick", action="store_true", help="a few seconds' smoke run")
    parser.add_argument("--domain-child", nargs="+", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.domain_child:
        domain_child(args.domain_child)
        return 0
    few, many = (10_000, 100_000) if args.quick else (100_000, 1_000_000)
    program = str(Path(sys.executable).parent / "agent-toolbar")
    with tempfile.TemporaryDirectory() as home:
        settings = environment(home)
        bare = rss_when_told(
            [sys.executable, "-c", BARE_WINDOW, "shown"], "shown", "stdout", settings
        )
        toolbar = signed_in_toolbar(settings)
        demo = rss_when_told(
            [program, "demo", "--log-level", "info"], "subscribed to", "stderr", settings
        )
    after = domain([few, many])
    growth = after[many] - after[few]
    rows = [
        Row("bare PySide6 window", bare, bare, "baseline", True),
        Row(
            "agent-toolbar, signed in",
            toolbar,
            bare,
            f"<= baseline + {HEADROOM_MB:g} MB",
            toolbar <= bare + HEADROOM_MB,
        ),
        Row("agent-toolbar demo (+ simulator)", demo, bare, "(for comparison)", True),
        Row("domain before any event", after[0], after[0], "baseline", True),
        Row(f"domain after {few:,} events", after[few], after[0], "", True),
        Row(
            f"domain after {many:,} events",
            after[many],
            after[few],
            f"< {few:,} + {GROWTH_MB:g} MB",
            growth < GROWTH_MB,
        ),
    ]
    print(f"RSS of each in a process of its own; MB = 10^6 bytes; growth {growth:+.1f} MB")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
