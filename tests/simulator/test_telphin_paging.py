"""Telphin's lists come in pages (`page`, `per_page`): a default size when the request
names none, a cap whatever it asks, and an empty list or a 404 past the last page."""

from typing import Any

import aiohttp
import pytest

from tests.simulator.telphin_helpers import Receiver, TelphinClient, signed_in

pytestmark = pytest.mark.asyncio


async def ids(client: TelphinClient, path: str) -> list[int]:
    status, body = await client.call("GET", path)
    assert status == 200, body
    return [item["id"] for item in body]


async def test_a_request_without_paging_gets_the_first_page_of_the_default_size(
    http: aiohttp.ClientSession,
) -> None:
    async with signed_in(http, page_size=2) as ada:
        assert await ids(ada, "client/@me/agent/local/") == [1001, 1002]
        assert await ids(ada, "client/@me/agent/local/?page=2") == [1003]
        assert await ids(ada, "client/@me/agent/local/?page=3") == []
        assert await ids(ada, "client/@me/extension/?type=queue&page=1") == [3001, 3002]


async def test_per_page_is_honoured_up_to_the_cap(http: aiohttp.ClientSession) -> None:
    async with signed_in(http, page_size=2, max_per_page=4) as ada:
        assert await ids(ada, "client/@me/extension/?per_page=1&page=4") == [3001]
        assert await ids(ada, "client/@me/extension/?per_page=3&page=2") == [3001, 3002]
        assert await ids(ada, "client/@me/extension/?per_page=50") == [2001, 2002, 2003, 3001]
        assert await ids(ada, "client/@me/extension/?per_page=50&page=2") == [3002]


async def test_subscription_lists_are_paged_too(
    http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    async with signed_in(http, page_size=2) as ada:
        for kind in ("dial-in", "answer", "hangup"):
            hook = {"url": receiver.url(kind), "event_type": kind, "method": "POST"}
            assert (await ada.call("POST", "extension/2001/event/", hook))[0] == 200
        first = await ids(ada, "extension/2001/event/")
        second = await ids(ada, "extension/2001/event/?page=2")
        assert (len(first), len(second)) == (2, 1)
        assert len(set(first + second)) == 3


@pytest.mark.parametrize(("past", "answer"), [("empty", (200, [])), ("not_found", None)])
async def test_a_page_past_the_last_is_empty_or_not_found(
    http: aiohttp.ClientSession, past: str, answer: tuple[int, Any] | None
) -> None:
    async with signed_in(http, page_size=2, past_last_page=past) as ada:
        status, body = await ada.call("GET", "client/@me/agent/local/?page=3")
        if answer is None:
            assert (status, body) == (404, {"message": "there is no page 3"})
        else:
            assert (status, body) == answer
        assert await ids(ada, "client/@me/agent/remote/") == []  # an empty list's first page


@pytest.mark.parametrize("query", ["page=0", "page=x", "per_page=0", "per_page=-1"])
async def test_a_page_or_size_that_is_no_whole_number_from_1_is_400(
    http: aiohttp.ClientSession, query: str
) -> None:
    async with signed_in(http) as ada:
        status, body = await ada.call("GET", f"client/@me/agent/local/?{query}")
        assert status == 400
        assert "must be a whole number from 1" in body["message"]
