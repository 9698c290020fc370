"""When the client stops reading a Telphin list (pure): at an empty page, at a page that
brings nothing new, at a page shorter than the first, and at the cap."""

import logging

import pytest

from agent_toolbar.backends.telphin.paging import Item, Pages


def items(*ids: int) -> list[Item]:
    return [{"id": number} for number in ids]


def read(pages: Pages, *answers: list[Item]) -> list[int]:
    """Feed pages until the reader stops asking; the ids it kept."""
    for answer in answers:
        assert pages.more
        pages.take(answer)
    assert not pages.more
    return [item["id"] for item in pages.items]


def test_a_server_that_honours_per_page_ends_with_a_short_page() -> None:
    assert read(Pages(per_page=2), items(1, 2), items(3, 4), items(5)) == [1, 2, 3, 4, 5]


def test_a_full_last_page_is_followed_by_an_empty_one() -> None:
    assert read(Pages(per_page=2), items(1, 2), items(3, 4), []) == [1, 2, 3, 4]


def test_an_empty_list_is_one_empty_page() -> None:
    assert read(Pages(per_page=2), []) == []


def test_a_first_page_shorter_than_asked_may_be_the_servers_own_size() -> None:
    """Asked for 50, the server holds 2 a page: the first page tells its size."""
    assert read(Pages(per_page=50), items(1, 2), items(3, 4), items(5)) == [1, 2, 3, 4, 5]
    assert read(Pages(per_page=50), items(1, 2, 3), []) == [1, 2, 3]


def test_a_server_that_ignores_page_is_read_once() -> None:
    assert read(Pages(per_page=2), items(1, 2), items(1, 2)) == [1, 2]


def test_repeats_are_dropped_and_items_without_an_id_kept() -> None:
    pages = Pages(per_page=3)
    pages.take([{"id": 1}, {"name": "x"}, {"id": "1"}])
    pages.take([{"id": 2}, {"name": "x"}])
    assert pages.items == [{"id": 1}, {"name": "x"}, {"id": 2}, {"name": "x"}]
    assert not pages.more


def test_a_list_that_never_ends_is_not_followed_past_the_cap(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pages = Pages(per_page=1, max_pages=3)
    with caplog.at_level(logging.WARNING, "agent_toolbar.telphin"):
        assert read(pages, items(1), items(2), items(3)) == [1, 2, 3]
    assert pages.read == 3
    assert "went on past 3 pages" in caplog.text
