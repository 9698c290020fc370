"""Start-up to the first painted window, offscreen: `python benchmarks/startup.py [--runs N]`.

Starts, in turn and N times each: a bare PySide6 window (the baseline), `agent-toolbar demo`
(the simulator and the window signed in to it) and plain `agent-toolbar` on its first run
(the sign-in dialog, what agents open every day), each through `startup_launcher.py`,
which reports the first Paint of a top-level widget. Each time runs from just before the
process starts to that paint, on the system-wide monotonic clock. Qt's offscreen platform
draws into memory, so no display is needed. Every start gets an empty settings folder and
keyring's failing backend, so nothing on this machine changes what is measured: a toolbar
the user has running keeps its own settings, so it is not the one this start finds running.

Prints the median of each, the ratio to the baseline's median measured in the same run,
and the budget (1.3 times the bare window). A miss is reported, not an error: exit code 0.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = Path(__file__).resolve().parent / "startup_launcher.py"
BUDGET = 1.3
TIMEOUT = 60.0


@dataclass(frozen=True)
class Subject:
    label: str
    arguments: tuple[str, ...]


BASELINE = Subject("bare PySide6 window", ("bare",))
SUBJECTS = (
    Subject("agent-toolbar demo", ("app", "demo")),
    Subject("agent-toolbar, first-run sign-in", ("app",)),
)


def environment(home: Path) -> dict[str, str]:
    """An empty home and settings folder, no keychain, Qt drawing offscreen."""
    settings = home / "config"
    settings.mkdir(exist_ok=True)
    values = dict(
        os.environ,
        HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        AGENT_TOOLBAR_CONFIG_DIR=str(settings),
        AGENT_TOOLBAR_LOG_DIR=str(home / "logs"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    values.pop("PYTHONSTARTUP", None)
    return values


def time_to_first_paint(subject: Subject, home: Path) -> float:
    """Seconds from starting `subject` to the first paint of one of its windows."""
    variables = environment(home)
    command = [sys.executable, str(LAUNCHER), *subject.arguments]
    started = time.monotonic()
    finished = subprocess.run(
        command, env=variables, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    for line in finished.stdout.splitlines():
        if line.startswith("painted "):
            return float(line.split()[1]) - started
    raise RuntimeError(
        f"{subject.label} painted no window (exit code {finished.returncode}): "
        f"{finished.stderr.strip()[-500:]}"
    )


def measure(runs: int) -> dict[Subject, list[float]]:
    """Interleaved runs, so that a noisy moment of the machine hits every subject alike."""
    measured: dict[Subject, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as folder:
        for run in range(runs):
            for subject in (BASELINE, *SUBJECTS):
                home = Path(folder) / f"{run}-{len(measured.get(subject, []))}-{subject.label}"
                home.mkdir()
                measured.setdefault(subject, []).append(time_to_first_paint(subject, home))
    return measured


def table(measured: dict[Subject, list[float]]) -> list[str]:
    """Figure, median, the baseline's median, their ratio, the budget, and PASS or MISS."""
    base = statistics.median(measured[BASELINE])
    lines = [
        f"{'figure':34} {'median s':>9} {'baseline s':>11} {'ratio':>6} {'budget':>7} result",
    ]
    for subject in SUBJECTS:
        median = statistics.median(measured[subject])
        ratio = median / base
        verdict = "PASS" if ratio <= BUDGET else "MISS"
        lines.append(
            f"{subject.label:34} {median:9.3f} {base:11.3f} {ratio:6.2f} "
            f"{'≤' + format(BUDGET, '.1f') + 'x':>7} {verdict}"
        )
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Start-up to the first painted window.")
    parser.add_argument("--runs", type=int, default=10, help="starts of each (default 10)")
    parser.add_argument("--quick", action="store_true", help="one start of each: a smoke run")
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    if runs < 1:
        parser.error("--runs must be 1 or more")
    measured = measure(runs)
    for line in table(measured):
        print(line)
    print(f"{runs} start(s) of each, interleaved; each run (s):")
    for subject, times in measured.items():
        print(f"  {subject.label}: " + " ".join(f"{value:.3f}" for value in times))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
