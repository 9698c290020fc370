"""CPU the running demo takes while nothing happens: `python benchmarks/idle_cpu.py [--seconds S]`.

Starts `agent-toolbar demo` (offscreen, through `startup_launcher.py --stay`) twice, each
with a scenario of one agent who starts Ready: first with no caller (idle, Ready, no
call), then with one caller who rings from the start for longer than the measurement
(the offer's countdown runs all along). The baseline is a bare PySide6 window, idle. Each
is measured after its first paint and a short settling time, over S seconds (default 60),
from the kernel's count of the process's user and system time (/proc/PID/stat, utime +
stime, in clock ticks). The window is cut into slices; the figure is the median slice,
as a percentage of one core, so that one stray wake-up does not decide it.

Budgets: idle at most 0.2 % of a core, ringing at most 1 %. A miss is reported, not an
error: exit code 0. The baseline's figure is printed beside, and the ratio when the
baseline took any time at all (a bare window often takes none).
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
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")
PAINT_TIMEOUT = 60.0
SCENARIO = """
[account]
name = "bench"

[[queues]]
name = "Sales"
ring_timeout = {ring}
wrapup_time = 0
force_away_on_reject = false

[[agents]]
username = "agent"
password = "bench"
display_name = "Idle Agent"
queues = ["Sales"]
start = "ready"
answer = "manual"
"""
CALLER = """
[[callers]]
at = 0
queue = "Sales"
name = "Ringing Caller"
number = "+15550100"
patience = {ring}
"""


@dataclass(frozen=True)
class Subject:
    label: str
    arguments: tuple[str, ...]
    budget: float | None
    """Percent of one core; None for the baseline."""


def subjects(folder: Path, seconds: float, settle: float) -> tuple[Subject, ...]:
    """The baseline, then the demo idle and ringing, with their scenario files written."""
    ring = round(settle + seconds + 120)
    idle = folder / "idle.toml"
    idle.write_text(SCENARIO.format(ring=ring), encoding="utf-8")
    ringing = folder / "ringing.toml"
    ringing.write_text(SCENARIO.format(ring=ring) + CALLER.format(ring=ring), encoding="utf-8")
    demo = ("app", "demo", "--scenario")
    return (
        Subject("bare PySide6 window, idle", ("bare",), None),
        Subject("demo, Ready, no call", (*demo, str(idle)), 0.2),
        Subject("demo, an offer ringing", (*demo, str(ringing)), 1.0),
    )


def cpu_ticks(pid: int) -> int:
    """utime + stime of the process, in clock ticks (fields 14 and 15 of /proc/PID/stat)."""
    text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    # The command name (field 2) may hold spaces; the fields after its ")" are plain.
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])


def measure(
    subject: Subject, folder: Path, seconds: float, settle: float, slices: int
) -> list[float]:
    """Percent of one core in each slice of `seconds`, after the first paint and `settle`."""
    home = folder / subject.label.replace(" ", "-").replace(",", "")
    (home / "config").mkdir(parents=True)
    variables = dict(
        os.environ,
        HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        AGENT_TOOLBAR_CONFIG_DIR=str(home / "config"),
        AGENT_TOOLBAR_LOG_DIR=str(home / "logs"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    command = [sys.executable, str(LAUNCHER), *subject.arguments, "--stay"]
    process = subprocess.Popen(
        command, env=variables, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        wait_for_paint(process, subject.label)
        time.sleep(settle)
        shares = []
        step = seconds / slices
        for _ in range(slices):
            before, started = cpu_ticks(process.pid), time.monotonic()
            time.sleep(step)
            used = (cpu_ticks(process.pid) - before) / TICKS_PER_SECOND
            shares.append(100.0 * used / (time.monotonic() - started))
        if process.poll() is not None:
            raise RuntimeError(f"{subject.label} ended during the measurement")
        return shares
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_paint(process: "subprocess.Popen[str]", label: str) -> None:
    """Blocks until the launcher says the window painted."""
    assert process.stdout is not None
    deadline = time.monotonic() + PAINT_TIMEOUT
    for line in process.stdout:
        if line.startswith("painted "):
            return
        if time.monotonic() > deadline:
            break
    raise RuntimeError(f"{label} painted no window (exit code {process.poll()})")


def table(measured: dict[Subject, list[float]]) -> list[str]:
    """Figure, median, the baseline's median, their ratio, the budget, and PASS or MISS."""
    baseline = next(subject for subject in measured if subject.budget is None)
    base = statistics.median(measured[baseline])
    lines = [f"{'figure':28} {'median %':>9} {'baseline %':>11} {'ratio':>6} {'budget':>8} result"]
    for subject, shares in measured.items():
        if subject.budget is None:
            continue
        median = statistics.median(shares)
        ratio = f"{median / base:6.1f}" if base > 0 else f"{'n/a':>6}"
        verdict = "PASS" if median <= subject.budget else "MISS"
        lines.append(
            f"{subject.label:28} {median:9.3f} {base:11.3f} {ratio} "
            f"{'≤' + format(subject.budget, 'g') + ' %':>8} {verdict}"
        )
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="CPU of the idle and ringing demo.")
    parser.add_argument(
        "--seconds", type=float, default=60.0, help="measured time of each (default 60)"
    )
    parser.add_argument("--quick", action="store_true", help="1 s each: a smoke run")
    args = parser.parse_args(argv)
    seconds, settle, slices = (1.0, 0.3, 2) if args.quick else (args.seconds, 3.0, 5)
    if seconds <= 0:
        parser.error("--seconds must be positive")
    measured: dict[Subject, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="idle-cpu-bench-") as name:
        folder = Path(name)
        for subject in subjects(folder, seconds, settle):
            measured[subject] = measure(subject, folder, seconds, settle, slices)
    for line in table(measured):
        print(line)
    print(f"{seconds:g} s each in {slices} slices after {settle:g} s settling; % of one core:")
    for subject, shares in measured.items():
        print(f"  {subject.label}: " + " ".join(f"{share:.3f}" for share in shares))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
