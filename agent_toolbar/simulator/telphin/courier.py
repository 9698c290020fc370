"""The Telphin callbacks' way out: real HTTP requests to the URLs clients registered.

One attempt each, with a short timeout, and no retry [assumed]: a refused connection,
a timeout or an answer other than 2xx (redirects are not followed) is logged and
counted, never raised, because a client's dead listener must not break the call
center. Each subscription has its own outbox, sent one callback at a time, so its
callbacks arrive in the order they happened; different subscriptions go in parallel.
"""

import asyncio
from collections import deque
from dataclasses import dataclass

import aiohttp
import msgspec
from yarl import URL

from agent_toolbar.support.log import simulator_telphin_callbacks as log

CALLBACK_TIMEOUT = 5.0
"""Seconds one callback may take, connecting included."""


@dataclass(frozen=True)
class Callback:
    """One request to send: GET puts `fields` in the query string, POST in a form body."""

    subscription_id: int
    url: str
    method: str
    fields: dict[str, str]


class CallbackStats(msgspec.Struct, frozen=True, kw_only=True):
    """What became of the callbacks so far (those in flight are in none of the counts)."""

    delivered: int
    failed: int
    dropped: int
    """Not sent because of the `drop_callbacks` fault."""


class Courier:
    """Sends callbacks over one `ClientSession`, opened and closed with the simulator."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None
        self._outboxes: dict[int, deque[Callback]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._drop_next = 0
        self._delivered = 0
        self._failed = 0
        self._dropped = 0

    @property
    def stats(self) -> CallbackStats:
        return CallbackStats(delivered=self._delivered, failed=self._failed, dropped=self._dropped)

    def open(self) -> None:
        """Create the session; call inside the running loop."""
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=CALLBACK_TIMEOUT))

    def drop(self, times: int) -> None:
        self._drop_next += times

    def send(self, callback: Callback) -> None:
        """Queue `callback` behind the earlier ones of its subscription (in the running loop)."""
        if self._drop_next > 0:
            self._drop_next -= 1
            self._dropped += 1
            log.info("dropped a callback to %s (fault)", _where(callback.url))
            return
        outbox = self._outboxes.setdefault(callback.subscription_id, deque())
        outbox.append(callback)
        if callback.subscription_id not in self._workers:
            self._workers[callback.subscription_id] = asyncio.create_task(
                self._work(callback.subscription_id, outbox),
                name=f"telphin callbacks {callback.subscription_id}",
            )

    async def idle(self) -> None:
        """Wait until every callback queued so far has been delivered or has failed."""
        while self._workers:
            await asyncio.wait(list(self._workers.values()))

    async def close(self) -> None:
        """Abandon the callbacks still queued or in flight, and close the session."""
        workers = list(self._workers.values())
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
        if self._session is not None:
            await self._session.close()

    async def _work(self, subscription_id: int, outbox: deque[Callback]) -> None:
        try:
            while outbox:
                await self._deliver(outbox.popleft())
        finally:
            del self._workers[subscription_id]
            if not outbox:
                del self._outboxes[subscription_id]

    async def _deliver(self, callback: Callback) -> None:
        assert self._session is not None
        if callback.method == "GET":
            request = self._session.get(callback.url, params=callback.fields, allow_redirects=False)
        else:
            request = self._session.post(callback.url, data=callback.fields, allow_redirects=False)
        try:
            async with request as response:
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as error:
            self._failed += 1
            log.warning("callback %s %s failed: %r", callback.method, _where(callback.url), error)
            return
        if 200 <= status < 300:
            self._delivered += 1
            log.debug("callback %s %s: %d", callback.method, _where(callback.url), status)
        else:
            self._failed += 1
            log.warning("callback %s %s answered %d", callback.method, _where(callback.url), status)


def _where(url: str) -> str:
    """Where a callback goes, without its path: the path is the subscriber's secret."""
    return str(URL(url).origin())
