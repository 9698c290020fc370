"""Numbers to dial over the single-instance channel: real local sockets, real Qt events."""

from collections.abc import Callable

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QUrl
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtNetwork import QLocalSocket

from agent_toolbar.domain.dialing import NotANumber
from agent_toolbar.domain.state import AgentState, Connection
from agent_toolbar.ui.lifecycle.single_instance import (
    LinkEvents,
    SingleInstance,
    hand_over,
    server_name,
)
from tests.helpers.instances import claims, first_claim, profile
from tests.helpers.waiting import until

pytestmark = pytest.mark.asyncio
__all__ = ["claims"]  # the fixture this file uses


class Heard:
    """What a claim signalled: numbers to dial, and requests to come forward."""

    def __init__(self, running: SingleInstance) -> None:
        self.numbers: list[str] = []
        self.raised = 0
        running.dial_requested.connect(self.numbers.append)
        running.raise_requested.connect(self._raised)

    def _raised(self) -> None:
        self.raised += 1


class Window:
    """Stands in for the desktop's presenter: the states it shows, one by one."""

    def __init__(self) -> None:
        self.followers: list[Callable[[AgentState], None]] = []

    def follow(self, follower: Callable[[AgentState], None]) -> None:
        self.followers.append(follower)

    def show(self, connection: Connection) -> None:
        for each in self.followers:
            each(AgentState(recipient_id="ada", connection=connection))


def online(running: SingleInstance, taken: list[str]) -> None:
    """The desktop takes the numbers and is online."""
    window = Window()
    running.deliver_dials(taken.append, window.follow)
    window.show("online")


def send(name: str, data: bytes) -> QLocalSocket:
    """`data` written to the toolbar listening on `name`, as any local program could."""
    peer = QLocalSocket()
    peer.connectToServer(server_name(name))
    assert peer.waitForConnected(1000)
    peer.write(data)
    assert peer.waitForBytesWritten(1000)
    return peer


async def test_a_dial_line_delivers_the_number_and_raises_the_window(
    claims: list[SingleInstance],
) -> None:
    name = profile()
    running = first_claim(name, claims)
    heard = Heard(running)
    online(running, [])
    assert hand_over(name, "tel:+1 (555) 0100")
    await until(lambda: heard.numbers == ["+15550100"])
    assert heard.raised == 1


async def test_a_line_that_is_no_number_or_no_request_is_ignored(
    claims: list[SingleInstance],
) -> None:
    name = profile()
    running = first_claim(name, claims)
    heard = Heard(running)
    online(running, [])
    peer = send(name, b"dial mailto:boss@example.com\ndial 12ab\nhello\ndial +15550199\n")
    await until(lambda: heard.numbers == ["+15550199"])  # the good line after the bad ones
    assert heard.raised == 1
    peer.abort()


async def test_a_number_before_the_desktop_is_online_is_kept_until_it_is(
    claims: list[SingleInstance],
) -> None:
    """The toolbar claims its profile before signing in: a link clicked while the sign-in
    dialog is up, or while the window connects, is kept (the latest one), and given to
    the desktop once it shows a state online (before, it could only refuse to dial)."""
    name = profile()
    running = first_claim(name, claims)
    heard = Heard(running)
    assert hand_over(name, "tel:+15550100")
    assert hand_over(name, "callto://+15550111")
    await until(lambda: heard.raised == 2)
    taken: list[str] = []
    window = Window()
    running.deliver_dials(taken.append, window.follow)
    window.show("offline")
    window.show("connecting")
    assert hand_over(name, "+15550122")  # the latest, while connecting
    await until(lambda: heard.raised == 3)
    assert taken == []
    window.show("online")
    assert taken == ["+15550122"]
    window.show("stale")
    window.show("online")
    assert taken == ["+15550122"]  # once
    assert hand_over(name, "+15550133")
    await until(lambda: taken == ["+15550122", "+15550133"])
    assert heard.numbers == taken


async def test_handing_over_with_no_toolbar_running_says_so() -> None:
    assert not hand_over(profile(), "+15550100")


async def test_the_sender_refuses_a_non_number_too() -> None:
    with pytest.raises(NotANumber):
        hand_over(profile(), "sip:ada@example.com")


def open_link(url: str) -> None:
    """macOS's FileOpen of `url`, sent to the application as Qt's Cocoa plugin sends it."""
    app = QCoreApplication.instance()
    assert app is not None
    QCoreApplication.sendEvent(app, QFileOpenEvent(QUrl(url)))


class Unclaimed(QObject):
    """Notes the FileOpen events that reach it: those no filter installed later took."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's)
        if isinstance(event, QFileOpenEvent):
            self.seen.append(event.url().toString())
        return False


async def test_macos_link_events_are_kept_until_the_claim_then_handed_on(
    claims: list[SingleInstance],
) -> None:
    """macOS launches the app for a link and then sends it as a FileOpen event, which can
    come before the profile is claimed (the settings are read first)."""
    app = QCoreApplication.instance()
    assert app is not None
    unclaimed = Unclaimed()
    app.installEventFilter(unclaimed)
    links = LinkEvents(app)  # installed last, so it sees each event first
    try:
        open_link("tel:+1-555-0100")
        open_link("file:///tmp/report.pdf")  # not a link to dial: left to the others
        assert unclaimed.seen == ["file:///tmp/report.pdf"]
        running = first_claim(profile(), claims)  # claim() finds the app's LinkEvents
        heard = Heard(running)
        taken: list[str] = []
        online(running, taken)
        assert taken == ["+15550100"]
        open_link("callto:+15550111")
        assert taken == ["+15550100", "+15550111"]
        assert heard.raised == 1  # the second link's (the first came before Heard listened)
    finally:
        app.removeEventFilter(links)
        app.removeEventFilter(unclaimed)
        links.deleteLater()
