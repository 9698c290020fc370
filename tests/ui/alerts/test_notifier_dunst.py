"""The notifier with a real notification daemon: dunst, on Xvfb and a private bus.

dunst is strict about types (GDBus checks every call against the specification) and
reads the urgency only as a byte: its format per urgency shows which one it saw.
"""

import asyncio
import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent_toolbar.domain.alerts import alerts
from agent_toolbar.ui.alerts.notifier import PATH, SERVICE, Notifier
from tests.helpers.alerts import ready_online, tell
from tests.helpers.dbus import private_bus
from tests.helpers.events import offer, run
from tests.helpers.seed import UNIX_NOW
from tests.helpers.waiting import emitted, wait_for
from tests.helpers.xvfb import need, xvfb

pytestmark = pytest.mark.asyncio

DUNSTRC = """
[urgency_normal]
    format = "normal: %s"
[urgency_critical]
    format = "critical: %s"
"""


class Dunst:
    """dunst's own D-Bus commands (`org.dunstproject.cmd0`), as dunstctl sends them."""

    def __init__(self, address: str) -> None:
        from jeepney.io.blocking import open_dbus_connection

        self._bus = open_dbus_connection(address)

    def ask(self, member: str, signature: str | None = None, *body: Any) -> tuple[Any, ...]:
        from jeepney import DBusAddress, new_method_call

        dunst = DBusAddress(PATH, bus_name=SERVICE, interface="org.dunstproject.cmd0")
        return tuple(
            self._bus.send_and_get_reply(new_method_call(dunst, member, signature, body)).body
        )

    def owns_the_name(self) -> bool:
        from jeepney.bus_messages import message_bus

        return bool(self._bus.send_and_get_reply(message_bus.NameHasOwner(SERVICE)).body[0])

    def displayed(self) -> int:
        from jeepney import DBusAddress, Properties

        dunst = DBusAddress(PATH, bus_name=SERVICE, interface="org.dunstproject.cmd0")
        return int(
            self._bus.send_and_get_reply(Properties(dunst).get("displayedLength")).body[0][1]
        )

    def history(self) -> list[dict[str, Any]]:
        (entries,) = self.ask("NotificationListHistory")
        return [{key: value for key, (_type, value) in entry.items()} for entry in entries]

    def close(self) -> None:
        self._bus.close()


@contextlib.contextmanager
def dunst_on(display: str, address: str, folder: Path) -> Iterator[Dunst]:
    config = folder / "dunstrc"
    config.write_text(DUNSTRC)
    daemon = subprocess.Popen(
        ["dunst", "-config", str(config)],
        env={**os.environ, "DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": address},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    control = Dunst(address)
    try:
        wait_for(control.owns_the_name)
        yield control
    finally:
        control.close()
        daemon.terminate()
        daemon.wait(timeout=10)


async def test_dunst_shows_an_urgent_offer_hears_its_click_and_closes_it(tmp_path: Path) -> None:
    need("Xvfb", "dunst")
    with (
        xvfb() as server,
        private_bus(tmp_path) as address,
        dunst_on(server.display, address, tmp_path) as dunst,
    ):
        notifier = Notifier(address)
        try:
            ready = ready_online()
            ringing = run(offer(2, session="s1", ring=20), state=ready)
            tell(notifier, ready, ringing, 2)
            await notifier.settled()
            assert dunst.displayed() == 1
            dunst.ask("NotificationAction", "u", 0)  # the agent clicks it
            await emitted(notifier.show_requested)
            for alert in alerts(ringing, ready, UNIX_NOW + 5, 10.0):  # the ring stops
                notifier.notify(alert)
            await notifier.settled()
            async with asyncio.timeout(2):
                while dunst.displayed():
                    await asyncio.sleep(0.02)
            (shown,) = dunst.history()
        finally:
            await notifier.close()
    assert shown["appname"] == "Agent toolbar"
    assert shown["summary"] == "Call from Marie Curie"
    assert shown["body"] == "+33123456789\nQueue: Sales"
    assert shown["message"] == "critical: Call from Marie Curie"  # the urgency, as a byte
