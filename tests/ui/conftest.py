"""UI tests run on qasync's loop, so asyncio and Qt share it as in the app."""

from typing import Any

import pytest
import qasync

from tests.qt import application


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    return {"qt": lambda: qasync.QEventLoop(application())}
