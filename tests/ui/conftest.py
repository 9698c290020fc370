"""UI tests run on qasync's loop, so asyncio and Qt share it as in the app."""

from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication


def _application() -> QApplication:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    # As in the app: closing a window must not stop the loop under the test.
    QApplication.setQuitOnLastWindowClosed(False)
    return app


def pytest_asyncio_loop_factories(config: pytest.Config, item: pytest.Item) -> dict[str, Any]:
    return {"qt": lambda: qasync.QEventLoop(_application())}
