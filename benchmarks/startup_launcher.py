"""Runs a window and tells when it first paints: `python startup_launcher.py WHAT [ARGS]`.

WHAT is `bare` (a bare PySide6 window, the baseline) or `app` (the app itself: ARGS go to
`agent_toolbar.cli.main.main`, `demo` or nothing for the first-run sign-in dialog). An
application-wide event filter, installed before the app runs and without changing it,
watches for the first Paint event of a top-level widget and prints
`painted <time.monotonic()>` on stdout; the system-wide monotonic clock lets the caller
subtract the moment it started the process. Then the process ends at once (`os._exit`:
what comes after the first paint is not measured), unless `--stay` keeps it running for
someone who measures what it does next.
"""

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QWidget

BASELINE_TITLE = "Start-up baseline"


class FirstPaint(QObject):
    """Reports the first Paint of any top-level widget, once."""

    def __init__(self, stay: bool) -> None:
        super().__init__()
        self._stay = stay
        self._seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            not self._seen
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.isWindow()
        ):
            self._seen = True
            print(f"painted {time.monotonic():.6f}", flush=True)
            if not self._stay:
                os._exit(0)
        return False


def bare() -> int:
    """The floor any Qt app stands on: one label in a window, nothing else."""
    label = QLabel("A bare Qt window, for comparison")
    label.setWindowTitle(BASELINE_TITLE)
    label.resize(640, 40)
    label.show()
    return QApplication.exec()


def main(argv: list[str]) -> int:
    stay = "--stay" in argv
    words = [word for word in argv if word != "--stay"]
    if not words or words[0] not in ("bare", "app"):
        print("usage: startup_launcher.py bare|app [--stay] [agent-toolbar arguments]")
        return 2
    # The app takes the QApplication that exists (`instance() or QApplication(...)`).
    application = QApplication(sys.argv[:1])
    watcher = FirstPaint(stay)
    application.installEventFilter(watcher)
    if words[0] == "bare":
        return bare()
    from agent_toolbar.cli.main import main as agent_toolbar

    return agent_toolbar(words[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
