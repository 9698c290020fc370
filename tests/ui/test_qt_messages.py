"""Qt's messages into logging, and pytest-qt's own handler back afterwards."""

import logging
from collections.abc import Callable

import pytest
from PySide6.QtCore import (
    QFile,
    QLoggingCategory,
    QMessageLogContext,
    QtMsgType,
    qCritical,
    qCWarning,
    qDebug,
    qInfo,
    qInstallMessageHandler,
)
from pytestqt.logging import _QtMessageCapture

from agent_toolbar.ui import qt_messages

Handler = Callable[[QtMsgType, QMessageLogContext, str], None] | None


def current_handler() -> Handler:
    def probe(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        """Never called: installed only to read which handler it replaced."""

    previous = qInstallMessageHandler(probe)
    qInstallMessageHandler(previous)
    return previous


def test_qt_messages_reach_logging_at_their_level(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="agent_toolbar.qt")
    uninstall = qt_messages.install()
    try:
        QFile("no-such-file-for-the-test").read(1)  # a warning of Qt's own
        qCWarning(QLoggingCategory("agent_toolbar.test"), "a categorised warning")
        qDebug("a debug line")
        qInfo("an info line")
        qCritical("a critical line")
    finally:
        uninstall()
    assert [(record.name, record.levelno, record.getMessage()) for record in caplog.records] == [
        (
            "agent_toolbar.qt",
            logging.WARNING,
            'QIODevice::read (QFile, "no-such-file-for-the-test"): device not open',
        ),
        ("agent_toolbar.qt", logging.WARNING, "agent_toolbar.test: a categorised warning"),
        ("agent_toolbar.qt", logging.DEBUG, "a debug line"),
        ("agent_toolbar.qt", logging.INFO, "an info line"),
        ("agent_toolbar.qt", logging.ERROR, "a critical line"),
    ]


def test_uninstalling_gives_pytest_qt_its_handler_back(qtlog: _QtMessageCapture) -> None:
    before = current_handler()
    assert before is not None  # pytest-qt's, capturing this test's Qt messages
    uninstall = qt_messages.install()
    assert current_handler() != before
    uninstall()
    assert current_handler() == before
    qDebug("seen by pytest-qt again")
    assert "seen by pytest-qt again" in [record.message for record in qtlog.records]
