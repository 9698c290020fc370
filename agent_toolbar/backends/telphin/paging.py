"""Telphin's lists, read page by page ([paging], [max_per_page], [past_last_page]): the one
way every list is read.

The client asks `per_page` items a page and reads on until a page is empty, brings
nothing new (a server that ignores `page` repeats itself), or is shorter than the
first page (a server may hold fewer items a page than asked: its first page tells how
many). A 404 after the first page ends the list too: some servers answer so past the
last page. A server that never ends a list is not followed beyond `max_pages`.
"""

from collections.abc import Callable
from typing import Any

from agent_toolbar.backends.http import Response
from agent_toolbar.backends.telphin import wire
from agent_toolbar.backends.telphin.api import TelphinApi
from agent_toolbar.support.log import telphin as log

Item = dict[str, Any]


class Pages:
    """What has been read of one list so far, and whether to read another page."""

    def __init__(self, per_page: int = wire.PER_PAGE, max_pages: int = wire.MAX_PAGES) -> None:
        self.per_page = per_page
        self.max_pages = max_pages
        self.items: list[Item] = []
        self.read = 0
        self.more = True
        self._size: int | None = None
        self._seen: set[str] = set()

    def take(self, page: list[Item]) -> None:
        """Add one page's items; `more` says whether the next page is worth asking for."""
        self.read += 1
        fresh = [item for item in page if self._is_new(item)]
        self.items += fresh
        if self._size is None:
            self._size = len(page)
        if not fresh or len(page) < self._size:
            self.more = False
        elif self.read >= self.max_pages:
            log.warning("a list went on past %d pages; the rest is not read", self.max_pages)
            self.more = False

    def _is_new(self, item: Item) -> bool:
        """Items without an id cannot be told apart: each counts as new."""
        if "id" not in item:
            return True
        key = str(item["id"])
        if key in self._seen:
            return False
        self._seen.add(key)
        return True


async def every_page(
    api: TelphinApi,
    path: str,
    read: Callable[[Response], list[Item]],
    params: dict[str, str] | None = None,
) -> list[Item]:
    """Every item of the list at `path`; `read` turns one answer into its items, or raises."""
    pages = Pages()
    while pages.more:
        query = {**(params or {}), "page": str(pages.read + 1), "per_page": str(pages.per_page)}
        answer = await api.call("GET", path, params=query)
        if pages.read and answer.status == 404:
            break
        pages.take(read(answer))
    return pages.items
