"""One running toolbar per profile, settings file and OS user; a second start brings the
first forward.

Two windows for one agent would each show a status and each send changes. The first
toolbar listens on a local socket (a named pipe on Windows) named from the user, the
settings file and the profile; a later start finds it answering, asks it to raise its
window, and ends. A toolbar with other settings (a test, a benchmark, another HOME) is
another toolbar, and runs beside it.
A socket file left by a crashed toolbar does not answer: it is removed and taken over.
A lock file serializes the claim itself, so two toolbars started together (a
double click) cannot both decide the socket is stale.
"""

import getpass
import hashlib
import os
import sys

from PySide6.QtCore import QDir, QLockFile, QObject, Qt, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from agent_toolbar.config import settings_file as config_file
from agent_toolbar.support.log import ui as log

RAISE = b"raise\n"
"""The whole protocol: one line asking the running toolbar to show its window."""
_TIMEOUT_MS = 1000
_LOCK_WAIT_MS = 3000
_LONGEST_LINE = 64


class SingleInstance(QObject):
    """The claim of the toolbar that runs for a profile; keep it for the app's lifetime.

    Signals:
    raise_requested(): another start of the same profile asked to see this window.
    """

    raise_requested = Signal()

    def __init__(self, server: QLocalServer) -> None:
        super().__init__()
        self._server = server
        server.setParent(self)
        server.newConnection.connect(self._accept)

    @property
    def server_name(self) -> str:
        return self._server.serverName()

    def close(self) -> None:
        """Stop answering (a toolbar quitting): a new start then runs on its own."""
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.readyRead.connect(lambda peer=connection: self._read(peer))
            connection.disconnected.connect(connection.deleteLater)
            self._read(connection)

    def _read(self, connection: QLocalSocket) -> None:
        while connection.canReadLine():
            if bytes(connection.readLine().data()) == RAISE:
                log.info("another start of this profile asked to see the window")
                self.raise_requested.emit()
        if connection.bytesAvailable() > _LONGEST_LINE:
            connection.abort()  # not a toolbar talking


class ClaimError(Exception):
    """The single-instance socket could not be set up; the message says why."""


def claim(profile: str) -> SingleInstance | None:
    """Become the toolbar for `profile`, or None if one already runs: it has then been
    asked to raise its window, and this start should end (exit 0, saying so).

    Call it after creating the QApplication and before signing in.
    """
    name = server_name(profile)
    lock = QLockFile(os.path.join(QDir.tempPath(), f"{name}.lock"))
    if not lock.tryLock(_LOCK_WAIT_MS):
        log.warning("another start of this toolbar holds its lock; claiming without it")
    try:
        if _ask_to_raise(name):
            return None
        server = QLocalServer()
        in_use = QAbstractSocket.SocketError.AddressInUseError
        if not server.listen(name) and server.serverError() == in_use:
            # Nobody answered on it: a toolbar that crashed left its socket behind.
            log.info("removing the socket a stopped toolbar left behind")
            QLocalServer.removeServer(name)
            server.listen(name)
        if not server.isListening():
            raise ClaimError(
                "could not make sure this is the only toolbar for the profile: "
                f"{server.errorString()}"
            )
        return SingleInstance(server)
    finally:
        lock.unlock()


def already_running(profile: str) -> str:
    """The line a second start prints before it ends."""
    return f"agent-toolbar: already running for profile {profile}; brought its window forward"


def server_name(profile: str) -> str:
    """A name unique to the OS user, the settings file and the profile: hashed, so no
    space or slash, and short enough for macOS's 104-byte socket paths under its long
    temporary directory."""
    settings = config_file.config_path().resolve()
    digest = hashlib.sha256(f"{_user()}\0{settings}\0{profile}".encode()).hexdigest()
    return f"agent-toolbar-{digest[:20]}"


def bring_forward(window: QWidget) -> None:
    """Show `window` un-minimized and on top, for the agent who just started it again."""
    window.setWindowState(
        (window.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
    )
    window.show()
    window.raise_()
    window.activateWindow()


def _ask_to_raise(name: str) -> bool:
    """Whether a running toolbar answered on `name` (and was asked to raise its window)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(_TIMEOUT_MS):
        return False
    socket.write(RAISE)
    sent = socket.waitForBytesWritten(_TIMEOUT_MS)
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(_TIMEOUT_MS)
    if not sent:
        log.warning("a running toolbar answered but did not take the request to show itself")
    return True


def _user() -> str:
    """The OS account: its id where there is one (names can be changed or repeated)."""
    if sys.platform == "win32":
        return getpass.getuser()
    return str(os.getuid())
