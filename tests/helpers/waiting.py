"""Waiting for something to happen in a test, without a nested event loop (qasync
forbids one inside a coroutine) and never longer than a timeout."""

import asyncio
import time
from collections.abc import Callable
from typing import Any


async def until(condition: Callable[[], object], timeout: float = 8.0) -> None:
    """Poll `condition` on the running loop until it holds."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Poll `condition` outside any event loop (another process's work) until it holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


async def emitted(signal: Any) -> None:
    """Wait for `signal` to be emitted once."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def note() -> None:
        if not done.done():
            done.set_result(None)

    signal.connect(note)
    try:
        await asyncio.wait_for(done, 5)
    finally:
        signal.disconnect(note)
