"""The one QApplication of a test run, set up as the app sets it up, speaking English."""

from PySide6.QtWidgets import QApplication

from agent_toolbar.ui import i18n


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication) and existing.property("speaks") is not None:
        return existing
    app = existing if isinstance(existing, QApplication) else QApplication([])
    # As in the app: closing a window must not stop the loop under the test.
    QApplication.setQuitOnLastWindowClosed(False)
    # English needs its plural forms ("1 queue paused", "2 queues paused").
    app.setProperty("speaks", i18n.install("en"))
    return app
