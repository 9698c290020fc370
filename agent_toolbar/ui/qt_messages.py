"""Qt's own messages, into the toolbar's log.

Qt prints its warnings (a platform plugin that cannot do something, a broken style
sheet) on stderr, where nobody looks in a desktop app. Routed into `logging`, they
land in the log file, redacted and timestamped, beside the toolbar's own lines.
"""

import logging
from collections.abc import Callable

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from agent_toolbar.support.log import qt as log

LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def install() -> Callable[[], None]:
    """Send Qt's messages to the `agent_toolbar.qt` logger from now on.

    Returns the function that puts the previous handler back (Qt's default, or the
    one pytest-qt installs during tests).
    """
    previous = qInstallMessageHandler(_to_logging)

    def uninstall() -> None:
        qInstallMessageHandler(previous)

    return uninstall


def _to_logging(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt may call this from any thread: logging is thread-safe, and no widget is touched."""
    category = context.category
    if category and category != "default":
        message = f"{category}: {message}"
    log.log(LEVELS.get(kind, logging.WARNING), "%s", message)
