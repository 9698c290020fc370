"""UI tests run on the app's loop (qasync's, see ui/event_loop.py): asyncio and Qt share it.

pytest-qt processes Qt's events between a test's phases, when the loop is not running.
That also steps asyncio's tasks (a fixture's simulator, say), which would then fail with
"no running event loop"; so the test's loop counts as running meanwhile.
"""

import asyncio
import gc
from typing import Any

import pytest
import pytestqt.plugin

from agent_toolbar.ui.event_loop import QtLoop
from tests.helpers.qt import application

_loops: list[QtLoop] = []
_process_events = pytestqt.plugin._process_events


def _process_events_as_in_the_loop() -> None:
    loop = _loops[-1] if _loops else None
    if loop is None or loop.is_closed() or loop.is_running():
        _process_events()
        return
    asyncio._set_running_loop(loop)
    try:
        _process_events()
    finally:
        asyncio._set_running_loop(None)


pytestqt.plugin._process_events = _process_events_as_in_the_loop


def _qt_loop() -> QtLoop:
    _loops[:] = [QtLoop(application())]
    return _loops[0]


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    return {"qt": _qt_loop}


@pytest.fixture(autouse=True)
def _collected_here() -> Any:
    """Garbage from a test is collected on the main thread when it ends. Left to chance,
    a collection could run in a worker thread (asyncio.to_thread) of a later test and
    destroy a widget there, which Qt refuses ("Timers cannot be stopped from another
    thread")."""
    yield
    gc.collect()
