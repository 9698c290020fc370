"""The real programs as processes: `agent-toolbar sim`, `watch` and `set`, and the control.

Each starts through `setpriv --pdeathsig KILL`, so it dies with the test run however the
run ends, in a process group of its own (Ctrl-C in the terminal reaches the tests, which
stop their processes themselves), and is stopped by that group's id when its test ends.
"""

import asyncio
import json
import os
import re
import signal
import sys
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from agent_toolbar.domain.view import StateView
from agent_toolbar.simulator import AgentView

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
AGENT_TOOLBAR = str(Path(sys.executable).parent / "agent-toolbar")
STARTUP = 30.0
"""Seconds a program may take to say it is ready (two busy cores, a slow link)."""


async def spawn(argv: list[str], *, capture_errors: bool = False) -> asyncio.subprocess.Process:
    """Start `argv` with pipes for stdin and stdout; stderr goes where the test's does
    (pytest shows it with a failure) unless captured."""
    return await asyncio.create_subprocess_exec(
        "setpriv",
        "--pdeathsig",
        "KILL",
        *argv,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE if capture_errors else None,
        cwd=ROOT,
        start_new_session=True,
    )


async def stop(process: asyncio.subprocess.Process, *, interrupt: bool = True) -> int:
    """End a process and anything it started (its process group): Ctrl-C (or, for one
    reading stdin, the end of its input), then SIGKILL if it has not ended within 5 s.
    Returns its exit code."""
    if process.stdin is not None:
        process.stdin.close()
    if interrupt:
        _signal_group(process, signal.SIGINT)
    try:
        async with asyncio.timeout(5.0):
            return await process.wait()
    except TimeoutError:
        _signal_group(process, signal.SIGKILL)
        return await process.wait()
    finally:
        _signal_group(process, signal.SIGKILL)


def _signal_group(process: asyncio.subprocess.Process, number: signal.Signals) -> None:
    with suppress(ProcessLookupError):
        os.killpg(process.pid, number)


@dataclass
class Sim:
    """`agent-toolbar sim` and the URL its banner gives."""

    process: asyncio.subprocess.Process
    api_url: str

    @property
    def control_url(self) -> str:
        return self.api_url.removesuffix("/v2") + "/sim"


async def start_sim(prefix: list[str], host: str, scenario: Path) -> Sim:
    """Start the simulator on `host` (any free ports) and read its banner."""
    process = await spawn(
        [*prefix, AGENT_TOOLBAR, "sim", "--host", host, "--scenario", str(scenario)]
    )
    assert process.stdout is not None
    banner = ""
    try:
        async with asyncio.timeout(STARTUP):
            while "Press Ctrl-C" not in banner:
                line = await process.stdout.readline()
                if not line:
                    raise AssertionError(f"the simulator ended: {banner}")
                banner += line.decode()
    except BaseException:
        await stop(process)
        raise
    api = re.search(r"REST \(Crossbar\):\s+(\S+)", banner)
    assert api is not None, banner
    return Sim(process, api.group(1))


@dataclass
class Watch:
    """`agent-toolbar watch`: every line it printed, when it came, and the latest."""

    process: asyncio.subprocess.Process
    lines: list[tuple[float, StateView]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._reader = asyncio.create_task(self._read())

    @property
    def latest(self) -> StateView | None:
        return self.lines[-1][1] if self.lines else None

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            self.lines.append((time.monotonic(), msgspec.json.decode(raw, type=StateView)))

    async def close(self) -> None:
        await stop(self.process)
        await self._reader


@dataclass
class Control:
    """The control process beside the simulator (`tests/network/control.py`)."""

    process: asyncio.subprocess.Process
    agents: dict[str, AgentView] = field(default_factory=dict)
    replies: asyncio.Queue[tuple[int, Any]] = field(default_factory=asyncio.Queue)

    def __post_init__(self) -> None:
        self._reader = asyncio.create_task(self._read())
        self._seen = asyncio.Event()

    async def started(self) -> None:
        """Wait for the first reading of the server's truth."""
        async with asyncio.timeout(STARTUP):
            await self._seen.wait()

    async def post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        """POST to the simulator's `/sim` controls from its own side; the status and body."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"path": path, "body": body}).encode() + b"\n")
        await self.process.stdin.drain()
        async with asyncio.timeout(10):
            return await self.replies.get()

    async def _read(self) -> None:
        """Keep the last truth read; once the control has ended, none is known."""
        assert self.process.stdout is not None
        async for raw in self.process.stdout:
            message = json.loads(raw)
            if "agents" in message:
                agents = msgspec.convert(message["agents"], list[AgentView])
                self.agents = {agent.user_id: agent for agent in agents}
                self._seen.set()
            else:
                await self.replies.put((message["reply"]["status"], message["reply"]["body"]))
        self.agents = {}

    async def close(self) -> None:
        await stop(self.process, interrupt=False)
        await self._reader


async def start_control(prefix: list[str], sim: Sim) -> Control:
    process = await spawn([*prefix, PYTHON, "-m", "tests.network.control", sim.control_url])
    control = Control(process)
    await control.started()
    return control


@dataclass(frozen=True)
class Outcome:
    """How one `agent-toolbar set` ended: exit code, its words, and how long it took."""

    code: int | None
    """None: it had not ended within its limit (then it was killed)."""
    out: str
    err: str
    seconds: float

    @property
    def phase(self) -> str:
        """How the change ended, as `set` said it (`ready: confirmed`); "failed" when the
        change never went out (the server unreachable, the sign-in refused: said on
        stderr); "lost" when `set` never ended."""
        if self.code is None:
            return "lost"
        said = re.match(r"[^:]+: (\w+)", self.out)
        return said.group(1) if said else "failed"


async def run_set(argv: list[str], limit: float) -> Outcome:
    """Run `agent-toolbar set ...` to its end, or kill it after `limit` seconds."""
    started = time.monotonic()
    process = await spawn(argv, capture_errors=True)
    try:
        async with asyncio.timeout(limit):
            out, err = await process.communicate()
    except TimeoutError:
        await stop(process)
        return Outcome(None, "", "", time.monotonic() - started)
    return Outcome(process.returncode, out.decode(), err.decode(), time.monotonic() - started)
