"""Event pipeline throughput: `python benchmarks/pipeline.py [--quick]`.

Two figures, each beside a baseline measured in the same run (a shared machine is
noisy, so only a ratio taken minutes apart means anything):
- decode + reduce in this process, one core, against bare `json.loads` of the same
  frames: how much the typed pipeline costs over merely reading the JSON;
- `agent-toolbar replay FILE` as a new process over a file of a million frames, wall
  time, against a `python -c` that reads the same file with `json.loads` per line.

The frames: the example session (one agent's day in brief: offers, calls, wrap-up,
pauses, queue syncs) and the documentation's nineteen example events, plus the same
session as other agents on the account would send it: three others (our events are
30 % of the stream), and nineteen others (a busier account, 5 %). Every round of the mix
gets new message ids and later timestamps, so no frame is a duplicate or stale and
each one goes through the rules instead of their first shortcut. A benchmark reports;
it exits 0 even when a figure misses its budget.
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent_toolbar.backends.kazoo.frames import decode_frame  # noqa: E402
from agent_toolbar.domain import (  # noqa: E402
    AgentState,
    DecodeError,
    Ignored,
    RecipientEvent,
    step,
)
from tests.helpers import seed  # noqa: E402

SESSION = ROOT / "resources" / "examples" / "recipient-session.jsonl"
OTHER_AGENTS = (
    "1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a",
    "2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b",
    "3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c",
)
BUSY_ACCOUNT = tuple(f"{number:02d}" * 16 for number in range(10, 29))
"""Nineteen other agents: an account where our own events are a twentieth of the stream."""
ROUND_SECONDS = 7200
"""How far each round of the mix moves its timestamps: more than the session spans."""
GREGORIAN_TIME = re.compile(r"\b639\d{8}\b")
MESSAGE_ID = re.compile(r'("msg_id"\s*:\s*")([^"]*)"')
JSON_BASELINE = """
import json, sys
with open(sys.argv[1], "rb") as frames:
    for line in frames:
        try:
            json.loads(line)
        except ValueError:
            pass
"""


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure, its baseline, and the budgets it must meet."""

    figure: str
    median: float
    baseline: float
    unit: str
    least: float
    least_ratio: float

    @property
    def ratio(self) -> float:
        return self.median / self.baseline

    @property
    def passed(self) -> bool:
        return self.median >= self.least and self.ratio >= self.least_ratio

    @property
    def budget(self) -> str:
        ratio = f", >= {self.least_ratio:g}x" if self.least_ratio > 0 else ""
        return f">= {self.least:,.0f} {self.unit}{ratio}"


def mix(others: tuple[str, ...] = OTHER_AGENTS) -> list[str]:
    """One round of frames, one line each, in the order a server would send them."""
    session = [line for line in SESSION.read_text().splitlines() if line.strip()]
    examples = [
        " ".join(seed.repaired(title, frame).split("\n"))
        for title, frame in seed.examples().items()
    ]
    theirs = [line.replace(seed.AGENT, other) for other in others for line in session]
    theirs.sort(key=_timestamp)
    return examples + sorted(session + theirs, key=_timestamp)


def _timestamp(line: str) -> int:
    found = re.search(r'"event_timestamp"\s*:\s*(\d+)', line)
    return int(found[1]) if found else 0


def rounds(template: list[str]) -> Iterator[bytes]:
    """The mix again and again, each round with its own message ids and later times."""
    parts = [_split(line) for line in template]
    number = 0
    while True:
        shift = number * ROUND_SECONDS
        suffix = f"-r{number}"
        for pieces, times in parts:
            values = [str(t + shift) for t in times]
            yield pieces.format(*values, suffix=suffix).encode()
        number += 1


def _split(line: str) -> tuple[str, list[int]]:
    """`line` as a format string with a slot per timestamp and after each message id."""
    escaped = line.replace("{", "{{").replace("}", "}}")
    escaped = MESSAGE_ID.sub(lambda m: f'{m[1]}{m[2]}{{suffix}}"', escaped)
    times = [int(found) for found in GREGORIAN_TIME.findall(escaped)]
    counter = iter(range(len(times)))
    return GREGORIAN_TIME.sub(lambda _: f"{{{next(counter)}}}", escaped), times


def frames(count: int, others: tuple[str, ...] = OTHER_AGENTS) -> list[bytes]:
    generator = rounds(mix(others))
    return [next(generator) for _ in range(count)]


def decode_and_reduce(lines: list[bytes]) -> AgentState:
    """What `replay` does to each line, without writing: the state after them all."""
    state = AgentState(recipient_id=seed.AGENT)
    for line in lines:
        decoded = decode_frame(line)
        if isinstance(decoded, Ignored | DecodeError):
            continue
        state = step(state, decoded).state
    return state


def json_only(lines: list[bytes]) -> None:
    """The baseline: read each frame as JSON, and go on past a broken one as `replay` does."""
    for line in lines:
        try:
            json.loads(line)
        except ValueError:
            continue


def rate(work: Callable[[list[bytes]], object], lines: list[bytes]) -> float:
    started = time.perf_counter()
    work(lines)
    return len(lines) / (time.perf_counter() - started)


def in_process(count: int, runs: int, others: tuple[str, ...] = OTHER_AGENTS) -> Row:
    """Frames per second through decode + reduce, and through json.loads, alternating."""
    lines = frames(count, others)
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):
        ours.append(rate(decode_and_reduce, lines))
        theirs.append(rate(json_only, lines))
    return Row(
        f"decode + reduce, {len(others) + 1} agents",
        statistics.median(ours),
        statistics.median(theirs),
        "frames/s",
        200_000,
        1.5,
    )


def through_cli(count: int, runs: int) -> Row:
    """Frames per second of `agent-toolbar replay` and of a json.loads script, wall time."""
    program = Path(sys.executable).parent / "agent-toolbar"
    with tempfile.TemporaryDirectory() as scratch:
        log = Path(scratch) / "frames.jsonl"
        generator = rounds(mix())
        with log.open("wb") as out:
            for _ in range(count):
                out.write(next(generator) + b"\n")
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(runs):
            ours.append(count / wall_time([str(program), "replay", str(log)]))
            theirs.append(count / wall_time([sys.executable, "-c", JSON_BASELINE, str(log)]))
    return Row(
        "agent-toolbar replay",
        statistics.median(ours),
        statistics.median(theirs),
        "frames/s",
        100_000,
        0,
    )


def wall_time(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def applied_share(count: int) -> float:
    """The share of the agent's own events that the rules applied: the mix is not all skips."""
    state = AgentState(recipient_id=seed.AGENT)
    events = applied = 0
    for line in frames(count):
        decoded = decode_frame(line)
        if isinstance(decoded, RecipientEvent) and decoded.recipient_id == seed.AGENT:
            events += 1
            state, ignored = step(state, decoded)
            applied += ignored is None
    return applied / events


def table(rows: list[Row]) -> str:
    header = f"{'figure':26} {'median':>14} {'baseline':>14} {'ratio':>6}  {'budget':28} result"
    lines = [header]
    for row in rows:
        lines.append(
            f"{row.figure:26} {row.median:14,.0f} {row.baseline:14,.0f} {row.ratio:6.2f}  "
            f"{row.budget:28} {'PASS' if row.passed else 'MISS'}"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Event pipeline throughput against json.loads.")
    parser.add_argument("--quick", action="store_true", help="a few seconds' smoke run")
    args = parser.parse_args(argv)
    in_memory, replayed, runs = (20_000, 20_000, 1) if args.quick else (200_000, 1_000_000, 5)
    rows = [
        in_process(in_memory, runs),
        in_process(in_memory, runs, BUSY_ACCOUNT),
        through_cli(replayed, 3 if runs > 1 else 1),
    ]
    print(f"frames per round of the mix: {len(mix())}; {in_memory:,} frames in memory, ", end="")
    print(f"{replayed:,} through replay; {runs} runs each, alternating with the baseline")
    print(f"this agent's events that the rules applied: {applied_share(len(mix()) * 10):.0%}")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
