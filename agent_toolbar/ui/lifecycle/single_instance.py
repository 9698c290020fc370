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

The same channel takes a number to dial (`agent-toolbar dial tel:…`, which a clicked
`tel:` or `callto:` link runs): the window comes forward and the number goes to the
desktop, or is kept (the latest one) while the toolbar still signs in and connects.
macOS gives a clicked link to the running app itself, as a FileOpen event: `LinkEvents`
takes those.
"""

import getpass
import hashlib
import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QDir, QEvent, QLockFile, QObject, Qt, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from agent_toolbar.config import settings_file as config_file
from agent_toolbar.domain.dialing import SCHEMES, NotANumber, from_link
from agent_toolbar.domain.state import AgentState
from agent_toolbar.support.log import ui as log

RAISE = b"raise\n"
"""One line asking the running toolbar to show its window."""
DIAL = b"dial "
"""`dial NUMBER\n`: show the window and dial NUMBER (normalised, as `from_link` gives it)."""
DEFAULT_INSTANCE = "default"
"""The single-instance name of a start with no profile yet (the first run)."""
_TIMEOUT_MS = 1000
_LOCK_WAIT_MS = 3000
_LONGEST_LINE = 64


class SingleInstance(QObject):
    """The claim of the toolbar that runs for a profile; keep it for the app's lifetime.

    Signals:
    raise_requested(): another start of the same profile asked to see this window.
    dial_requested(str): a link asked to dial this number (normalised); emitted only once
        the desktop is up and online (`deliver_dials`), so a number is not lost before.
    """

    raise_requested = Signal()
    dial_requested = Signal(str)

    def __init__(self, server: QLocalServer) -> None:
        super().__init__()
        self._kept: str | None = None
        self._online = False
        """Whether the desktop has shown a state online: numbers then go at once."""
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

    def hand(self, link: str) -> None:
        """A number to dial from outside the window: the window is asked forward, and the
        number goes to the desktop, or is kept (the latest) until the desktop can use it.
        Anything `from_link` refuses is dropped here too."""
        try:
            number = from_link(link)
        except NotANumber as error:
            log.warning("a request to dial was refused: %s", error)
            return
        log.info("a link asked to dial a number")
        self.raise_requested.emit()
        if self._online:
            self.dial_requested.emit(number)
        else:
            self._kept = number

    def deliver_dials(
        self,
        receiver: Callable[[str], object],
        follow: Callable[[Callable[[AgentState], None]], object],
    ) -> None:
        """Send the numbers to dial to `receiver`. `follow` subscribes to the states the
        window shows (`presenter.changed.connect`): numbers wait, the latest kept, until
        the first state online, since before it the window could only say it cannot dial
        (it signs in, then connects); from then on each goes at once."""
        self.dial_requested.connect(receiver)
        follow(self._follow)

    def _follow(self, state: AgentState) -> None:
        if self._online or state.connection != "online":
            return
        self._online = True
        number, self._kept = self._kept, None
        if number is not None:
            self.dial_requested.emit(number)

    def _read(self, connection: QLocalSocket) -> None:
        while connection.canReadLine():
            line = bytes(connection.readLine().data())
            if line == RAISE:
                log.info("another start of this profile asked to see the window")
                self.raise_requested.emit()
            elif line.startswith(DIAL):
                self.hand(line[len(DIAL) :].decode("ascii", errors="replace").strip())
            else:
                log.warning("ignored a line on the single-instance channel that is no request")
        if connection.bytesAvailable() > _LONGEST_LINE:
            connection.abort()  # not a toolbar talking


class LinkEvents(QObject):
    """macOS's way of handing the app a clicked `tel:`/`callto:` link: a FileOpen event on
    the application (never argv, never a second process). Made with the application, so
    that the link which launched the app is kept (the latest) until the profile is claimed;
    then every link goes to the claim, as the channel's own do."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._kept: str | None = None
        self._instance: SingleInstance | None = None
        app.installEventFilter(self)

    def forward_to(self, instance: SingleInstance) -> None:
        self._instance = instance
        kept, self._kept = self._kept, None
        if kept is not None:
            instance.hand(kept)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() != QEvent.Type.FileOpen or not isinstance(event, QFileOpenEvent):
            return False
        link = event.url().toString()
        if event.url().scheme().lower() not in SCHEMES:
            return False
        if self._instance is None:
            self._kept = link
        else:
            self._instance.hand(link)
        return True


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
        instance = SingleInstance(server)
        app = QCoreApplication.instance()
        links = app.findChild(LinkEvents) if app is not None else None
        if links is not None:
            links.forward_to(instance)
        return instance
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


def instance_name(profile: str | None, default_profile: str | None) -> str:
    """Which toolbar a start is: its profile, else the settings' default, else the first
    run's; `agent-toolbar dial` finds the running toolbar by the same rule."""
    return profile or default_profile or DEFAULT_INSTANCE


def hand_over(profile: str, number: str) -> bool:
    """Whether the running toolbar of `profile` answered and was given `number` to dial
    (it then comes forward, and asks the agent). Needs no QApplication: a command-line
    client runs it."""
    return _send(server_name(profile), DIAL + from_link(number).encode("ascii") + b"\n")


def _ask_to_raise(name: str) -> bool:
    """Whether a running toolbar answered on `name` (and was asked to raise its window)."""
    return _send(name, RAISE)


def _send(name: str, line: bytes) -> bool:
    """Whether a running toolbar answered on `name` (and `line` was sent to it)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(_TIMEOUT_MS):
        return False
    socket.write(line)
    sent = socket.waitForBytesWritten(_TIMEOUT_MS)
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(_TIMEOUT_MS)
    if not sent:
        log.warning("a running toolbar answered but did not take the request")
    return True


def _user() -> str:
    """The OS account: its id where there is one (names can be changed or repeated)."""
    if sys.platform == "win32":
        return getpass.getuser()
    return str(os.getuid())
