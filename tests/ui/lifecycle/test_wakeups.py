"""Wake-ups: logind's signal over a real (private) D-Bus, and the burst debounce.

The private `dbus-daemon` stands in for the system bus; the test owns logind's name on
it and emits `PrepareForSleep` exactly as logind does. Qt's network information cannot
be made to change here, so its slots are called with the values it would pass.
"""

import asyncio
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusMessage
from PySide6.QtNetwork import QNetworkInformation

from agent_toolbar.ui.lifecycle.wakeups import LOGIN1, LOGIN1_MANAGER, LOGIN1_PATH, Wakeups
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio

Reachability = QNetworkInformation.Reachability
Medium = QNetworkInformation.TransportMedium
SETTLE = 0.05


class Bus:
    """A private bus: the toolbar's connection, logind's (owning its name), a stranger's."""

    def __init__(self, address: str) -> None:
        self._address = address
        self._names: list[str] = []
        self.listener = self._connect()
        self._logind = self._connect()
        assert self._logind.registerService(LOGIN1)
        self._stranger = self._connect()

    def prepare_for_sleep(self, going_to_sleep: bool, *, as_logind: bool = True) -> None:
        signal = QDBusMessage.createSignal(LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep")
        signal.setArguments([going_to_sleep])
        assert (self._logind if as_logind else self._stranger).send(signal)

    def close(self) -> None:
        for name in self._names:
            QDBusConnection.disconnectFromBus(name)

    def _connect(self) -> QDBusConnection:
        name = f"test-{uuid.uuid4()}"
        self._names.append(name)
        connection = QDBusConnection.connectToBus(self._address, name)
        assert connection.isConnected(), connection.lastError().message()
        return connection


@pytest.fixture
def bus(tmp_path: Path) -> Iterator[Bus]:
    """A private message bus, started for the test and stopped after it."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("dbus-daemon is not installed (scripts/bootstrap --tests installs it)")
    daemon = subprocess.Popen(
        [
            "dbus-daemon",
            "--session",
            f"--address=unix:dir={tmp_path}",  # its socket file stays in the test's folder
            "--print-address",
            "--nofork",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert daemon.stdout is not None
    try:
        with daemon.stdout:
            private = Bus(daemon.stdout.readline().strip())
        yield private
        private.close()
    finally:
        daemon.terminate()
        daemon.wait(10)


def collect(wakeups: Wakeups) -> list[str]:
    reasons: list[str] = []
    wakeups.woke.connect(reasons.append)
    return reasons


async def test_resuming_from_sleep_wakes_the_toolbar(bus: Bus) -> None:
    wakeups = Wakeups(bus.listener, settle=SETTLE)
    assert wakeups.watches_sleep
    reasons = collect(wakeups)
    bus.prepare_for_sleep(False)
    await until(lambda: reasons)
    assert reasons == ["the computer woke from sleep"]


async def test_going_to_sleep_and_strangers_wake_nothing(bus: Bus) -> None:
    wakeups = Wakeups(bus.listener, settle=SETTLE)
    reasons = collect(wakeups)
    bus.prepare_for_sleep(True)
    bus.prepare_for_sleep(False, as_logind=False)  # not logind: anyone may send a signal
    await asyncio.sleep(0.5)
    assert reasons == []
    bus.prepare_for_sleep(False)  # the same bus still delivers logind's own
    await until(lambda: reasons)


async def test_a_burst_of_changes_is_one_wake_up(bus: Bus) -> None:
    wakeups = Wakeups(bus.listener, settle=SETTLE)
    reasons = collect(wakeups)
    wakeups.note("the computer woke from sleep")
    wakeups.note("the network changed")
    wakeups.note("the network came back")
    await until(lambda: reasons)
    await asyncio.sleep(SETTLE * 4)
    assert reasons == ["the computer woke from sleep"]
    wakeups.note("the network changed")  # a later change is a new wake-up
    await until(lambda: len(reasons) == 2)
    assert reasons[1] == "the network changed"


async def test_the_network_coming_back_or_changing_wakes_losing_it_does_not(bus: Bus) -> None:
    wakeups = Wakeups(bus.listener, settle=SETTLE)
    reasons = collect(wakeups)
    # Whatever this machine's network was: lost, and on Wi-Fi (nothing to reconnect to yet).
    wakeups.on_reachability_changed(Reachability.Disconnected)
    wakeups.on_transport_medium_changed(Medium.WiFi)
    await asyncio.sleep(SETTLE * 4)
    assert reasons == []
    wakeups.on_reachability_changed(Reachability.Online)
    await until(lambda: reasons == ["the network came back"])
    wakeups.on_reachability_changed(Reachability.Online)  # no change: nothing
    wakeups.on_transport_medium_changed(Medium.WiFi)
    await asyncio.sleep(SETTLE * 4)
    assert reasons == ["the network came back"]
    wakeups.on_transport_medium_changed(Medium.Ethernet)  # a cable plugged in
    await until(lambda: len(reasons) == 2)
    assert reasons[1] == "the network changed"
    wakeups.on_reachability_changed(Reachability.Disconnected)
    wakeups.on_transport_medium_changed(Medium.WiFi)  # lost: nowhere to reconnect to
    await asyncio.sleep(SETTLE * 4)
    assert len(reasons) == 2


async def test_what_a_backend_says_after_not_knowing_is_no_change() -> None:
    wakeups = Wakeups(QDBusConnection("never connected"), settle=SETTLE)
    assert not wakeups.watches_sleep
    reasons = collect(wakeups)
    wakeups.on_reachability_changed(Reachability.Unknown)  # e.g. NetworkManager restarting
    wakeups.on_transport_medium_changed(Medium.Unknown)
    wakeups.on_reachability_changed(Reachability.Online)
    wakeups.on_transport_medium_changed(Medium.Ethernet)
    await asyncio.sleep(SETTLE * 4)
    assert reasons == []


async def test_without_a_bus_or_network_backend_it_still_runs() -> None:
    wakeups = Wakeups(settle=SETTLE)
    system = QDBusConnection.systemBus()
    assert wakeups.watches_sleep == system.isConnected()
    assert wakeups.watches_network == (QNetworkInformation.instance() is not None)
    reasons = collect(wakeups)
    wakeups.note("the network changed")
    await until(lambda: reasons == ["the network changed"])
