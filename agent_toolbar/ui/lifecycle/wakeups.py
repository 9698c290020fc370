"""Moments the event link has probably broken without noticing: the computer woke from
sleep, or the network changed under it. Reconnecting then, at once, beats waiting for a
ping to fail while a call rings unseen.

On Linux, logind says `PrepareForSleep(false)` on the system bus when the computer
resumes. On every platform Qt's network information (when a backend loads: glib or
NetworkManager on Linux, the OS's own elsewhere) says when the network becomes
reachable again or its medium changes (Wi-Fi to cable). A resume brings a burst of
these; they are gathered for a moment and reported once. The session's own watch for
clock jumps still catches a sleep where neither source speaks.
"""

import sys

from PySide6.QtCore import SLOT, QObject, QTimer, Signal, Slot
from PySide6.QtDBus import QDBusConnection
from PySide6.QtNetwork import QNetworkInformation

from agent_toolbar.support.log import ui as log

LOGIN1 = "org.freedesktop.login1"
LOGIN1_PATH = "/org/freedesktop/login1"
LOGIN1_MANAGER = "org.freedesktop.login1.Manager"
SETTLE_SECONDS = 1.0
"""Changes within this long of the first one are one wake-up."""

_REACHABLE = (
    QNetworkInformation.Reachability.Local,
    QNetworkInformation.Reachability.Site,
    QNetworkInformation.Reachability.Online,
)


class Wakeups(QObject):
    """Signals:
    woke(str): the link may be broken; the reason, in words for the timeline. Changes
    within `settle` seconds of the first are gathered into one.
    """

    woke = Signal(str)

    def __init__(
        self,
        bus: QDBusConnection | None = None,
        parent: QObject | None = None,
        *,
        settle: float = SETTLE_SECONDS,
    ) -> None:
        """Listen on `bus` for logind (the system bus on Linux when None)."""
        super().__init__(parent)
        self._reason: str | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(round(settle * 1000))
        self._settle.timeout.connect(self._report)
        self._reachability = QNetworkInformation.Reachability.Unknown
        self._medium = QNetworkInformation.TransportMedium.Unknown
        self._watching_sleep = self._watch_sleep(bus)
        self._network = self._watch_network()

    @property
    def watches_sleep(self) -> bool:
        return self._watching_sleep

    @property
    def watches_network(self) -> bool:
        return self._network is not None

    def note(self, reason: str) -> None:
        """A change that may have broken the link; the first of a burst names it."""
        if self._reason is None:
            self._reason = reason
            self._settle.start()

    @Slot(bool)
    def on_prepare_for_sleep(self, going_to_sleep: bool) -> None:
        if going_to_sleep:
            log.info("the computer is going to sleep")
            return
        self.note(self.tr("the computer woke from sleep"))

    @Slot(QNetworkInformation.Reachability)
    def on_reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        before, self._reachability = self._reachability, reachability
        if before in (reachability, QNetworkInformation.Reachability.Unknown):
            return  # the backend only now says what it knows
        if reachability in _REACHABLE and before in _REACHABLE:
            self.note(self.tr("the network changed"))
        elif reachability in _REACHABLE:
            self.note(self.tr("the network came back"))
        else:
            log.info("the network is unreachable (%s)", reachability.name)

    @Slot(QNetworkInformation.TransportMedium)
    def on_transport_medium_changed(self, medium: QNetworkInformation.TransportMedium) -> None:
        before, self._medium = self._medium, medium
        learned = before == QNetworkInformation.TransportMedium.Unknown
        if medium != before and not learned and self._reachability in _REACHABLE:
            self.note(self.tr("the network changed"))

    def _report(self) -> None:
        reason, self._reason = self._reason, None
        if reason is not None:
            log.info("reconnecting at once: %s", reason)
            self.woke.emit(reason)

    def _watch_sleep(self, bus: QDBusConnection | None) -> bool:
        if bus is None:
            if not sys.platform.startswith("linux"):
                return False
            bus = QDBusConnection.systemBus()
        if not bus.isConnected():
            log.info(
                "no system bus (%s): sleep is noticed by clock jumps", bus.lastError().message()
            )
            return False
        # PySide's stubs ask for bytes here, but the binding itself takes SLOT()'s str.
        watching: bool = bus.connect(  # type: ignore[call-overload]
            LOGIN1,
            LOGIN1_PATH,
            LOGIN1_MANAGER,
            "PrepareForSleep",
            self,
            SLOT("on_prepare_for_sleep(bool)"),
        )
        if not watching:
            log.info("cannot follow logind's sleep signal: %s", bus.lastError().message())
        return watching

    def _watch_network(self) -> QNetworkInformation | None:
        if not QNetworkInformation.loadDefaultBackend():
            log.info("no network information on this system: network changes go unnoticed")
            return None
        network = QNetworkInformation.instance()
        self._reachability = network.reachability()
        self._medium = network.transportMedium()
        network.reachabilityChanged.connect(self.on_reachability_changed)
        network.transportMediumChanged.connect(self.on_transport_medium_changed)
        log.info("following network changes through Qt's %s backend", network.backendName())
        return network
