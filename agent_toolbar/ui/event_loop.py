"""asyncio's loop on Qt's event loop (qasync), without a step outside it.

qasync's `run_until_complete` processes Qt's events once more after the loop stops.
Timers of tasks still pending fire then, with no running loop, and those tasks die with
"no running event loop". asyncio.Runner calls `run_until_complete` for the main work
and again to shut down, so this loop leaves the last events to the next run instead.
"""

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import qasync

T = TypeVar("T")


class QtLoop(qasync.QEventLoop):  # type: ignore[misc]  # qasync has no type hints
    def run_until_complete(self, future: Awaitable[T]) -> T:
        if self.is_running():
            raise RuntimeError("Event loop already running")
        task = asyncio.ensure_future(future, loop=self)

        def stop(_: object) -> None:
            self.stop()

        task.add_done_callback(stop)
        try:
            self.run_forever()
        finally:
            task.remove_done_callback(stop)
        if not task.done():
            raise RuntimeError("Event loop stopped before Future completed.")
        return task.result()
