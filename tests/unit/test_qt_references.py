"""The Qt binding keeps Python's references straight over a day's worth of calls.

PySide6 6.12.0 drops a reference to None on every call of a method that returns
nothing (QLabel.setText, QObject.killTimer, which qasync calls for every callback, …).
Python 3.11 aborts once None's count reaches zero ("deallocating None"): for a toolbar
that redraws all day, within hours. pyproject.toml keeps that release out; these tests
fail on any release that does it.
"""

import asyncio
import sys
from collections.abc import Callable

from PySide6.QtWidgets import QLabel

from agent_toolbar.ui.event_loop import QtLoop
from tests.helpers.qt import application

CALLS = 20_000


def lost_references(work: Callable[[], object]) -> int:
    before = sys.getrefcount(None)
    work()
    return before - sys.getrefcount(None)


def test_widget_calls_keep_none_alive() -> None:
    application()
    label = QLabel()

    def redraw() -> None:
        for number in range(CALLS):
            label.setText(str(number))

    assert lost_references(redraw) < CALLS // 2


def test_loop_callbacks_keep_none_alive() -> None:
    loop = QtLoop(application())

    async def many() -> None:
        for _ in range(CALLS):
            await asyncio.sleep(0)

    try:
        assert lost_references(lambda: loop.run_until_complete(many())) < CALLS // 2
    finally:
        loop.close()
