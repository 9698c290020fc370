"""What a screen reader sees: the AT-SPI tree, read over D-Bus with jeepney.

A private session bus activates Debian's at-spi2-core (org.a11y.Bus, whose own bus
carries the registry and the applications' trees), so a test neither needs nor
disturbs a desktop's. Only the calls a screen reader makes are used: the registry's
list of applications, and each object's role, name, description, states, actions
with their key bindings, text and place on the screen.
"""

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REGISTRY = "org.a11y.atspi.Registry"
ROOT = "/org/a11y/atspi/accessible/root"
ACCESSIBLE = "org.a11y.atspi.Accessible"
ACTION = "org.a11y.atspi.Action"
TEXT = "org.a11y.atspi.Text"
COMPONENT = "org.a11y.atspi.Component"
FOCUSED = 12
"""The bit of AT_SPI_STATE_FOCUSED in an object's state set."""
SHOWING = 25
SCREEN = 0
"""Component coordinates relative to the screen (ATSPI_COORD_TYPE_SCREEN)."""


@dataclass(frozen=True)
class Node:
    """One accessible object as a screen reader reads it."""

    role: str
    name: str
    description: str
    keys: tuple[str, ...]
    """The key bindings of its actions (Action.GetKeyBinding), empty ones left out."""
    text: str | None
    """Its Text interface's content, where it has one."""
    focused: bool
    showing: bool
    extents: tuple[int, int, int, int]
    """x, y, width, height on the screen."""


@contextlib.contextmanager
def accessibility_bus(folder: Path) -> Iterator[str]:
    """A private session bus that can start at-spi2-core; yields its address.

    The AT-SPI bus's socket goes under `folder` (the launcher puts it in
    $XDG_RUNTIME_DIR), so it is this test's alone.
    """
    if shutil.which("dbus-daemon") is None:
        pytest.skip("needs dbus-daemon (apt-get install dbus)")
    runtime = folder / "runtime"
    runtime.mkdir(mode=0o700)
    environment = {key: value for key, value in os.environ.items() if key != "DISPLAY"}
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address"],
        env={**environment, "XDG_RUNTIME_DIR": str(runtime)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert daemon.stdout is not None
    try:
        address = daemon.stdout.readline().strip()
        if not _can_start(address, "org.a11y.Bus"):
            pytest.skip("needs at-spi2-core (apt-get install at-spi2-core)")
        yield address
    finally:
        daemon.terminate()
        daemon.wait(timeout=5)
        daemon.stdout.close()


def _can_start(address: str, name: str) -> bool:
    from jeepney.bus_messages import message_bus
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(address) as bus:
        (names,) = bus.send_and_get_reply(message_bus.ListActivatableNames()).body
    return name in names


class AtSpi:
    """A connection to the AT-SPI bus behind the session bus at `address`."""

    def __init__(self, address: str) -> None:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        launcher = DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus", interface="org.a11y.Bus")
        with open_dbus_connection(address) as session:
            (own,) = session.send_and_get_reply(new_method_call(launcher, "GetAddress")).body
        self._bus = open_dbus_connection(own)

    def close(self) -> None:
        self._bus.close()

    def _call(
        self,
        where: tuple[str, str],
        interface: str,
        member: str,
        signature: str | None = None,
        *body: Any,
    ) -> Any:
        from jeepney import DBusAddress, new_method_call

        target = DBusAddress(where[1], bus_name=where[0], interface=interface)
        reply = self._bus.send_and_get_reply(new_method_call(target, member, signature, body))
        return reply.body[0] if reply.body else None

    def _property(self, where: tuple[str, str], interface: str, name: str) -> Any:
        from jeepney import DBusAddress, Properties

        target = DBusAddress(where[1], bus_name=where[0], interface=interface)
        return self._bus.send_and_get_reply(Properties(target).get(name)).body[0][1]

    def application(self, name: str, seconds: float = 10.0) -> tuple[str, str]:
        """The application called `name` (its program's name), once it has registered."""
        deadline = time.monotonic() + seconds
        while True:
            for where in self._call((REGISTRY, ROOT), ACCESSIBLE, "GetChildren"):
                if self._property(where, ACCESSIBLE, "Name") == name:
                    return (str(where[0]), str(where[1]))
            if time.monotonic() > deadline:
                raise AssertionError(f"{name} never registered with the AT-SPI registry")
            time.sleep(0.1)

    def tree(self, root: tuple[str, str]) -> list[Node]:
        """Every object under `root` (itself included), depth first, as the screen reader
        would meet them."""
        found: list[Node] = []
        pending = [root]
        while pending:
            where = pending.pop()
            found.append(self.node(where))
            children = self._call(where, ACCESSIBLE, "GetChildren")
            pending.extend((str(bus), str(path)) for bus, path in reversed(children))
        return found

    def node(self, where: tuple[str, str]) -> Node:
        interfaces = set(self._call(where, ACCESSIBLE, "GetInterfaces"))
        states = self._call(where, ACCESSIBLE, "GetState")
        keys: tuple[str, ...] = ()
        if ACTION in interfaces:
            count = int(self._property(where, ACTION, "NActions"))
            keys = tuple(
                bound
                for index in range(count)
                if (bound := str(self._call(where, ACTION, "GetKeyBinding", "i", index)))
            )
        text = str(self._call(where, TEXT, "GetText", "ii", 0, -1)) if TEXT in interfaces else None
        extents = (0, 0, 0, 0)
        if COMPONENT in interfaces:
            x, y, width, height = self._call(where, COMPONENT, "GetExtents", "u", SCREEN)
            extents = (int(x), int(y), int(width), int(height))
        return Node(
            role=str(self._call(where, ACCESSIBLE, "GetRoleName")),
            name=str(self._property(where, ACCESSIBLE, "Name")),
            description=str(self._property(where, ACCESSIBLE, "Description")),
            keys=keys,
            text=text,
            focused=bool(states[0] & (1 << FOCUSED)),
            showing=bool(states[0] & (1 << SHOWING)),
            extents=extents,
        )
