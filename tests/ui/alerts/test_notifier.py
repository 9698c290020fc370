"""The notifier over a real D-Bus: a private dbus-daemon, a notification service on it.

The daemon gets a configuration of its own rather than `--session`'s: that one lets
the bus start any installed notification daemon (dunst, say) on demand, and "no
service on the bus" must stay true. The service is a real D-Bus object exported by Qt
(`QDBusConnection.connectToBus`) from typed slots: like KDE's, it refuses a call whose
argument types differ from the specification's, and it records every call it takes.
The notifier talks to it over its own connection, as to any desktop's service.
"""

import asyncio
import itertools
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import ClassInfo, QObject, Signal, Slot
from PySide6.QtDBus import QDBusConnection, QDBusMessage

from agent_toolbar.domain import ConnectionChanged
from agent_toolbar.domain.events import Rejected, WentAway
from agent_toolbar.support.redaction import MASK, keep_secret
from agent_toolbar.ui.alerts.notifier import PATH, SERVICE, Notifier
from tests.helpers.alerts import ready_online, tell
from tests.helpers.dbus import private_bus
from tests.helpers.events import SALES, ev, offer, run
from tests.helpers.seed import UNIX_NOW
from tests.helpers.waiting import emitted

pytestmark = pytest.mark.asyncio


@contextmanager
def connection(address: str) -> Iterator[QDBusConnection]:
    """A named connection to the bus at `address`, closed afterwards."""
    name = f"test-{uuid.uuid4().hex}"
    bus = QDBusConnection.connectToBus(address, name)
    assert bus.isConnected(), bus.lastError().message()
    try:
        yield bus
    finally:
        QDBusConnection.disconnectFromBus(name)


@contextmanager
def silent_owner(address: str) -> Iterator[None]:
    """A connection that owns the service's name and never reads a message."""
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    owner = open_dbus_connection(address)
    try:
        owner.send_and_get_reply(message_bus.RequestName(SERVICE))
        yield
    finally:
        owner.close()


@asynccontextmanager
async def on_the_wire(address: str) -> AsyncIterator[list[Any]]:
    """The `Notify` calls crossing the bus, as sent (a monitor sees the exact types)."""
    from jeepney import HeaderFields, MatchRule
    from jeepney.bus_messages import Monitoring
    from jeepney.io.asyncio import open_dbus_connection

    monitor = await open_dbus_connection(address)
    rule = MatchRule(type="method_call", interface=SERVICE, member="Notify")
    await monitor.send(Monitoring().BecomeMonitor([rule.serialise()]))
    seen: list[Any] = []

    async def listen() -> None:
        while True:
            message = await monitor.receive()
            if message.header.fields.get(HeaderFields.member) == "Notify":
                seen.append(message)

    listening = asyncio.ensure_future(listen())
    try:
        yield seen
    finally:
        listening.cancel()
        await asyncio.gather(listening, return_exceptions=True)
        await monitor.close()


@ClassInfo({"D-Bus Interface": SERVICE})
class NotificationService(QObject):
    """`org.freedesktop.Notifications` as the specification (1.2) defines it."""

    ActionInvoked = Signal("uint", str)
    NotificationClosed = Signal("uint", "uint")

    def __init__(self, bus: QDBusConnection, capabilities: list[str]) -> None:
        super().__init__()
        self.calls: list[tuple[str, Any]] = []
        self.signatures: list[str] = []
        self._bus = bus
        self._capabilities = capabilities
        self._ids = itertools.count(1)
        options = QDBusConnection.RegisterOption
        registered = bus.registerObject(
            PATH, self, options.ExportAllSlots | options.ExportAllSignals
        )
        assert registered, bus.lastError().message()
        assert bus.registerService(SERVICE), bus.lastError().message()

    @Slot(
        str, "uint", str, str, str, "QStringList", "QVariantMap", int, QDBusMessage, result="uint"
    )
    def Notify(  # noqa: N802, PLR0917 (the specification's name and arguments)
        self,
        app_name: str,
        replaces_id: int,
        app_icon: str,
        summary: str,
        body: str,
        actions: list[str],
        hints: dict[str, Any],
        expire_timeout: int,
        message: QDBusMessage,
    ) -> int:
        self.signatures.append(message.signature())
        call = {
            "app_name": app_name,
            "replaces_id": replaces_id,
            "app_icon": app_icon,
            "summary": summary,
            "body": body,
            "actions": actions,
            "hints": hints,
            "expire_timeout": expire_timeout,
        }
        self.calls.append(("Notify", call))
        return replaces_id or next(self._ids)

    @Slot("uint")
    def CloseNotification(self, notification: int) -> None:  # noqa: N802
        self.calls.append(("CloseNotification", notification))
        self.NotificationClosed.emit(notification, 3)

    @Slot(result="QStringList")
    def GetCapabilities(self) -> list[str]:  # noqa: N802
        self.calls.append(("GetCapabilities", None))
        return self._capabilities

    @Slot(QDBusMessage)
    def GetServerInformation(self, message: QDBusMessage) -> None:  # noqa: N802
        """Four strings out, which a Python slot cannot return: answered by hand."""
        self.calls.append(("GetServerInformation", None))
        message.setDelayedReply(True)
        reply = message.createReply()
        reply.setArguments(["test-notifications", "agent-toolbar tests", "1.0", "1.2"])
        self._bus.send(reply)

    def notified(self) -> list[dict[str, Any]]:
        return [call for member, call in self.calls if member == "Notify"]


@dataclass
class Desktop:
    address: str
    service: NotificationService
    notifier: Notifier


@asynccontextmanager
async def desktop(
    folder: Path, capabilities: tuple[str, ...] = ("actions", "body")
) -> AsyncIterator[Desktop]:
    """A bus with a notification service, and a notifier using it (closed afterwards)."""
    with private_bus(folder) as address, connection(address) as own:
        shown = Desktop(address, NotificationService(own, list(capabilities)), Notifier(address))
        try:
            yield shown
        finally:
            await shown.notifier.close()


async def test_an_offer_is_urgent_carries_its_ring_time_and_closes_when_the_ring_stops(
    tmp_path: Path,
) -> None:
    async with desktop(tmp_path) as shown, on_the_wire(shown.address) as wire:
        service, notifier = shown.service, shown.notifier
        ready = ready_online()
        first = run(offer(2, session="s1", ring=20), state=ready)
        tell(notifier, ready, first, 4)
        await notifier.settled()
        async with asyncio.timeout(2):
            while not wire:
                await asyncio.sleep(0.01)
        assert wire[0].body[1] == 0
        assert wire[0].body[6] == {"urgency": ("y", 2)}  # a byte, as the specification says
        assert service.notified() == [
            {
                "app_name": "Agent toolbar",
                "replaces_id": 0,
                "app_icon": "call-start",
                "summary": "Call from Marie Curie",
                "body": "+33123456789\nQueue: Sales",
                "actions": ["default", "Show", "show", "Show"],
                "hints": {"urgency": 2},
                "expire_timeout": 18000,
            }
        ]
        assert service.signatures == ["susssasa{sv}i"]  # the specification's types exactly
        second = run(offer(5, session="s2", force_away_on_reject=True), state=first)
        tell(notifier, first, second, 5)
        await notifier.settled()
        assert service.calls[-2] == ("CloseNotification", 1)  # never two offers stacked
        assert service.notified()[-1]["replaces_id"] == 0
        assert service.notified()[-1]["body"].endswith("Missing it sets you Away")
        answered = run(ev(Rejected, 9, session_id="s2", queue_id=SALES), state=second)
        tell(notifier, second, answered, 9)
        await notifier.settled()
        assert ("CloseNotification", 2) in service.calls


async def test_a_missed_call_then_the_forced_away_replace_each_other_and_offer_ready_again(
    tmp_path: Path,
) -> None:
    async with desktop(tmp_path) as shown:
        service, notifier = shown.service, shown.notifier
        ready = ready_online()
        ringing = run(offer(2, session="s1", force_away_on_reject=True), state=ready)
        missed = run(ev(Rejected, 22, session_id="s1", queue_id=SALES), state=ringing)  # rang out
        away = run(ev(WentAway, 23, reason="missed_call"), state=missed)
        tell(notifier, ready, ringing, 2)
        tell(notifier, ringing, missed, 22)
        tell(notifier, missed, away, 23)
        await notifier.settled()
        _offer, missed_call, forced = service.notified()
        assert missed_call["summary"] == "Missed call"
        assert missed_call["body"] == "You missed a call from Marie Curie (+33123456789) in Sales."
        assert missed_call["actions"][-2:] == ["ready", "Ready again"]
        assert missed_call["hints"] == {"urgency": 1}
        assert forced["summary"] == "You are Away"
        assert forced["replaces_id"] == 2  # the missed call's notification, updated
        assert forced["body"].endswith("The queue set you Away because of it.")
        asked: list[str] = []
        notifier.ready_requested.connect(lambda: asked.append("ready"))
        notifier.show_requested.connect(lambda: asked.append("show"))
        service.ActionInvoked.emit(999, "ready")  # another application's notification
        service.ActionInvoked.emit(2, "ready")
        await emitted(notifier.ready_requested)
        service.ActionInvoked.emit(2, "default")
        await emitted(notifier.show_requested)
        assert asked == ["ready", "show"]  # signals arrive in order: the other one was ignored


async def test_markup_is_escaped_for_a_service_that_reads_it(tmp_path: Path) -> None:
    async with desktop(tmp_path, ("actions", "body", "body-markup")) as shown:
        service, notifier = shown.service, shown.notifier
        ready = ready_online(queue="R&D <2>")
        tell(notifier, ready, run(offer(2), state=ready), 2)
        await notifier.settled()
        assert service.notified()[0]["body"] == "+33123456789\nQueue: R&amp;D &lt;2&gt;"


async def test_without_a_service_the_tray_says_it_and_nothing_waits(tmp_path: Path) -> None:
    told: list[tuple[str, str, bool]] = []
    with private_bus(tmp_path) as address:
        notifier = Notifier(address, lambda *said: told.append(said))
        try:
            ready = ready_online(queue="R&D")
            started = time.monotonic()
            tell(notifier, ready, run(offer(2), state=ready), 2)
            assert time.monotonic() - started < 0.05  # asking never waits for the bus
            async with asyncio.timeout(2):
                await notifier.settled()
        finally:
            await notifier.close()
    assert told == [("Call from Marie Curie", "+33123456789\nQueue: R&D", True)]


async def test_a_service_that_never_answers_costs_the_window_nothing(tmp_path: Path) -> None:
    """The service's name is owned by a connection that reads nothing: calls time out."""
    told: list[tuple[str, str, bool]] = []
    with private_bus(tmp_path) as address, silent_owner(address):
        notifier = Notifier(address, lambda *said: told.append(said))
        try:
            ready = ready_online()
            tell(notifier, ready, run(offer(2), state=ready), 2)
            beats, started = 0, time.monotonic()
            while not told:
                await asyncio.sleep(0.01)
                beats += 1
            waited = time.monotonic() - started
        finally:
            await notifier.close()
    assert told[0][0] == "Call from Marie Curie"
    assert 2.5 < waited < 6  # the call's time limit
    assert beats > waited / 0.02  # the loop kept turning meanwhile


async def test_without_a_bus_the_fallback_or_nothing() -> None:
    told: list[tuple[str, str, bool]] = []
    ready = ready_online()
    away = run(ev(WentAway, 5, reason="meeting"), state=ready)
    with_tray = Notifier(None, lambda *said: told.append(said), offer_ready=False)
    silent = Notifier(None)
    tell(with_tray, ready, away, 5)
    tell(silent, ready, away, 5)
    await with_tray.settled()
    await silent.settled()
    await with_tray.close()
    await silent.close()
    assert told == [("You are Away", "Why: away: meeting\nBy: Server", False)]


async def test_a_closed_notifier_hears_no_more_answers(tmp_path: Path) -> None:
    async with desktop(tmp_path) as shown:
        service, notifier = shown.service, shown.notifier
        ready = ready_online()
        tell(notifier, ready, run(ev(WentAway, 5), state=ready), 5)
        await notifier.settled()
        await notifier.close()
        heard: list[None] = []
        notifier.show_requested.connect(lambda: heard.append(None))
        service.ActionInvoked.emit(1, "default")
        await asyncio.sleep(0.2)
        assert heard == []


async def test_a_secret_in_the_servers_words_never_reaches_the_desktop(tmp_path: Path) -> None:
    keep_secret("tray-test-secret-42")
    async with desktop(tmp_path) as shown:
        ready = ready_online()
        problem = "signed out: tray-test-secret-42 was refused"
        out = run(
            ConnectionChanged(connection="offline", at=UNIX_NOW + 9, problem=problem), state=ready
        )
        tell(shown.notifier, ready, out, 9)
        await shown.notifier.settled()
        (notice,) = shown.service.notified()
        assert "tray-test-secret-42" not in notice["body"]
        assert MASK in notice["body"]


async def test_an_unreachable_bus_means_the_fallback(tmp_path: Path) -> None:
    told: list[tuple[str, str, bool]] = []
    notifier = Notifier(f"unix:path={tmp_path / 'no-bus-here'}", lambda *said: told.append(said))
    ready = ready_online()
    try:
        tell(notifier, ready, run(offer(2, session="s1"), state=ready), 2)
        tell(notifier, ready, run(offer(3, session="s2"), state=ready), 3)
        async with asyncio.timeout(2):
            await notifier.settled()
    finally:
        await notifier.close()
    assert [summary for summary, _body, _critical in told] == ["Call from Marie Curie"] * 2
