"""Coroutines started from the UI, on the app's own loop (qasync's): the outcome reaches the
callbacks, a failure nobody takes is logged in the owner's words, and a cancelled one
reaches neither."""

import asyncio
import logging

import pytest

from agent_toolbar.ui.operations import Operations

pytestmark = pytest.mark.asyncio


async def answer(value: int, wait: asyncio.Event | None = None) -> int:
    if wait is not None:
        await wait.wait()
    return value


async def broken() -> int:
    raise ValueError("no line")


async def test_the_result_goes_to_success_and_the_error_to_failure() -> None:
    operations = Operations("an action failed")
    results: list[int] = []
    errors: list[Exception] = []
    operations.run(answer(7), success=results.append, failure=errors.append)
    operations.run(broken(), success=results.append, failure=errors.append)
    assert operations.busy
    await operations.settled()
    assert results == [7]
    assert [str(error) for error in errors] == ["no line"]
    assert not operations.busy


async def test_a_failure_nobody_takes_is_logged_in_the_owners_words(
    caplog: pytest.LogCaptureFixture,
) -> None:
    operations = Operations("a notification failed")
    with caplog.at_level(logging.ERROR, logger="agent_toolbar.ui"):
        operations.run(broken())
        await operations.settled()
    (record,) = [each for each in caplog.records if each.name == "agent_toolbar.ui"]
    assert record.getMessage() == "a notification failed"
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], ValueError)


async def test_closing_cancels_what_runs_and_calls_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    operations = Operations("a desktop task failed")
    called: list[object] = []
    never = asyncio.Event()
    operations.run(answer(1, never), success=called.append, failure=called.append)
    await asyncio.sleep(0)
    with caplog.at_level(logging.ERROR, logger="agent_toolbar.ui"):
        await operations.close()
        await asyncio.sleep(0)
    assert called == []
    assert not operations.busy
    assert not [each for each in caplog.records if each.name == "agent_toolbar.ui"]


async def test_settled_waits_for_work_started_meanwhile() -> None:
    operations = Operations("an action failed")
    results: list[int] = []

    def then_more(value: int) -> None:
        results.append(value)
        if value == 1:
            operations.run(answer(2), success=then_more)

    operations.run(answer(1), success=then_more)
    await operations.settled()
    assert results == [1, 2]


async def test_cancelled_work_is_no_longer_busy_but_close_still_waits_for_it() -> None:
    operations = Operations("an action failed")
    ended = asyncio.Event()

    async def slow_to_stop() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            await asyncio.sleep(0.05)  # cleaning up after the cancellation
            ended.set()

    operations.run(slow_to_stop())
    await asyncio.sleep(0)
    operations.cancel()
    assert not operations.busy  # the same work may start again at once
    await operations.close()
    assert ended.is_set()
