"""`agent-toolbar` as a separate process, as an agent or a script runs it: the installed
command, the simulator it runs (`agent-toolbar sim`), and the options that reach it."""

import asyncio
import contextlib
import os
import re
import shutil
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

COMMAND = shutil.which("agent-toolbar", path=str(Path(sys.executable).parent)) or "agent-toolbar"


@dataclass
class Running:
    api_url: str
    websocket_url: str
    banner: str


@contextlib.asynccontextmanager
async def sim_process(tmp_path: Path, text: str) -> AsyncIterator[Running]:
    """`agent-toolbar sim` with the scenario `text`, in its own process until the end."""
    scenario = tmp_path / "scenario.toml"
    scenario.write_text(text)
    process = await asyncio.create_subprocess_exec(
        COMMAND, "sim", "--scenario", str(scenario), stdout=asyncio.subprocess.PIPE
    )
    assert process.stdout is not None
    banner = ""
    async with asyncio.timeout(20):
        while "Press Ctrl-C" not in banner:
            banner += (await process.stdout.readline()).decode()
    api = re.search(r"(http://\S+/v2)", banner)
    websocket = re.search(r"(ws://\S+)", banner)
    assert api is not None
    assert websocket is not None
    try:
        yield Running(api.group(1), websocket.group(1), banner)
    finally:
        process.send_signal(signal.SIGINT)
        assert await process.wait() == 0


def connection(sim: Running) -> list[str]:
    return ["--api-url", sim.api_url, "--account-name", "demo", "--username", "ada"]


def telphin(sim: Running) -> tuple[list[str], str]:
    """The options that reach the simulator's Telphin server as ada, and its app secret."""
    api = re.search(r"Telphin API:\s+(\S+)", sim.banner)
    app = re.search(r"app id (\S+)\s+app secret (\S+)", sim.banner)
    assert api is not None
    assert app is not None
    options = ["--backend", "telphin", "--api-url", api.group(1), "--app-id", app.group(1)]
    return [*options, "--username", "ada"], app.group(2)


async def run(
    *args: str,
    secret: str | None = "ada-secret",
    stdin: bytes | None = None,
    app_secret: str | None = None,
    within: float = 60,
) -> tuple[int, str, str]:
    env = {key: value for key, value in os.environ.items() if key != "AGENT_TOOLBAR_PASSWORD"}
    if secret is not None:
        env["AGENT_TOOLBAR_PASSWORD"] = secret
    if app_secret is not None:
        env["AGENT_TOOLBAR_APP_SECRET"] = app_secret
    process = await asyncio.create_subprocess_exec(
        COMMAND,
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )
    try:
        async with asyncio.timeout(within):
            out, err = await process.communicate(stdin)
    finally:
        if process.returncode is None:  # hung: no test may leave it behind
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()
