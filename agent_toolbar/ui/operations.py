"""Coroutines the UI starts from a Qt slot, run on qasync's loop without blocking the window.

After Anki's `aqt.operations` (`CollectionOp`, `QueryOp`): a slot hands its coroutine
to `Operations.run` and returns at once; the outcome comes back to callbacks on the GUI
thread. Each object that starts work keeps one `Operations`, which holds a reference to
every task until it ends (asyncio keeps only weak ones) and cancels them when its owner
closes. A failure goes to the `failure` callback, or else into the log under the
owner's words; it never reaches Qt, which would drop it or abort.
"""

import asyncio
from collections.abc import Callable, Coroutine
from functools import partial
from typing import Any, TypeVar

from agent_toolbar.support.log import ui as log

Result = TypeVar("Result")


class Operations:
    """The coroutines one UI object started and has not yet seen end."""

    def __init__(self, failed: str) -> None:
        """`failed` is the log's words for a failure no `failure` callback takes."""
        self._failed = failed
        self._tasks: set[asyncio.Future[Any]] = set()
        self._stopping: set[asyncio.Future[Any]] = set()
        """Cancelled, not yet ended: no longer busy, still waited for by `close`."""

    @property
    def busy(self) -> bool:
        """Whether any of them is still running."""
        return bool(self._tasks)

    def run(
        self,
        work: Coroutine[Any, Any, Result],
        *,
        success: Callable[[Result], object] | None = None,
        failure: Callable[[Exception], object] | None = None,
    ) -> None:
        """Start `work`; `success` gets its result, `failure` its exception. Neither is
        called when it is cancelled."""
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(partial(self._finished, success, failure))

    def cancel(self) -> None:
        """Cancel those still running, without waiting for them (from a Qt slot): from now
        on they no longer count as busy, so the same work may start again at once."""
        for task in self._tasks:
            task.cancel()
        self._stopping |= self._tasks
        self._tasks = set()

    async def settled(self) -> None:
        """Wait until every one started so far, and any they started meanwhile, has ended."""
        while self._tasks or self._stopping:
            await asyncio.gather(*self._tasks, *self._stopping, return_exceptions=True)

    async def close(self) -> None:
        """Cancel those still running and wait until they have ended."""
        self.cancel()
        await asyncio.gather(*self._stopping, return_exceptions=True)

    def _finished(
        self,
        success: Callable[[Any], object] | None,
        failure: Callable[[Exception], object] | None,
        task: "asyncio.Future[Any]",
    ) -> None:
        self._tasks.discard(task)
        self._stopping.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            if success is not None:
                success(task.result())
        elif failure is not None and isinstance(error, Exception):
            failure(error)
        else:
            log.error(self._failed, exc_info=error)
