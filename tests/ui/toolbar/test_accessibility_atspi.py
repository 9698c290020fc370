"""The window as a screen reader meets it: AT-SPI (Debian's at-spi2-core) on a private
bus, the real window on Xvfb with Qt's xcb platform, ringing, with its panel open.

Qt's platform is fixed per process and the suite draws offscreen (which exports no
AT-SPI tree), so the window runs in a child process (this module's `main`). The test
reads the tree over D-Bus, presses Tab with xdotool, and reads where the focus went;
the child grabs each stop with and without the focus, and reports whether its border
changed: a focus ring the agent can see.
"""

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.helpers.atspi import AtSpi, Node, accessibility_bus
from tests.helpers.xvfb import need, xvfb

ROOT = Path(__file__).parents[3]
APPLICATION = "Agent toolbar"
CONTROLS = {"push button", "toggle button", "button menu", "check box", "combo box"}
RING_BAND = 2
"""How deep into a stop's border the focus ring is looked for, in pixels."""
RING_SHARE = 0.25
"""A ring the eye finds: at least this share of the border band changes colour."""
CALLER = "Marie Curie"
SHORTCUTS = {
    "Away, with a reason": "Ctrl+A",
    "Log in or out": "Ctrl+L",
    "Show or hide the panel": "Ctrl+P",
    "Pause Sales": "Ctrl+1",
    "Pause Support": "Ctrl+2",
}
"""Keys the window's controls must name (the child says which key drives each)."""


@contextmanager
def ringing_window(display: str, bus: str, folder: Path) -> Iterator[dict[str, Any]]:
    """The child, ringing with its panel open; yields what it said when ready, and on
    leaving asks it to report its focus rings, added as "rings"."""
    environment = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "DBUS_SESSION_BUS_ADDRESS": bus,
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.toolbar.test_accessibility_atspi", str(folder)],
        env=environment,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None
    assert child.stdout is not None
    try:
        line = child.stdout.readline()
        if not line:
            raise AssertionError(f"the window did not start: {child.communicate()[1][-3000:]}")
        said: dict[str, Any] = json.loads(line)
        yield said
        output, errors = child.communicate("report\n", timeout=30)
        assert child.returncode == 0, errors[-3000:]
        said["rings"] = json.loads(output.strip().splitlines()[-1])
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)


def test_a_screen_reader_can_use_the_ringing_window(tmp_path: Path) -> None:
    need("Xvfb", "xdotool")
    with (
        xvfb() as server,
        accessibility_bus(tmp_path) as bus,
        ringing_window(server.display, bus, tmp_path) as said,
    ):
        reader = AtSpi(bus)
        try:
            application = reader.application(APPLICATION)
            tree = [node for node in reader.tree(application) if node.showing]
            stops = _tab_around(reader, application, server.display, said["window"])
        finally:
            reader.close()
    problems = [
        *_unnamed_controls(tree),
        *_keys_not_told(tree, said["keys"]),
        *_words_not_told(tree, said["labels"]),
        *_out_of_reading_order(stops),
        *_stops_without_a_ring(stops, said["rings"]),
    ]
    assert not problems, "\n".join(problems) + _listing(tree) + f"\nrings: {said['rings']}"


def _unnamed_controls(tree: list[Node]) -> Iterator[str]:
    """Every button has a role (it is one) and says what it is."""
    controls = [node for node in tree if node.role in CONTROLS]
    if len(controls) < 5:
        yield f"only {len(controls)} controls found"
    for node in controls:
        if not node.name.strip():
            yield f"a {node.role} without a name at {node.extents}"


def _keys_not_told(tree: list[Node], keys: dict[str, str]) -> Iterator[str]:
    """A control whose action has a key names it: as its key binding, or in its description
    (Qt's bridge gives a button driven by a QAction no key binding of its own)."""
    for name, key in SHORTCUTS.items():
        if keys.get(name) != key:
            yield f"{name!r} is driven by {keys.get(name)!r}, not {key!r}"
    for node in tree:
        key = keys.get(node.name)
        if node.role in CONTROLS and key and key not in node.keys and key not in node.description:
            yield f"{node.role} {node.name!r} does not tell its key {key}"


def _words_not_told(tree: list[Node], labels: list[list[str]]) -> Iterator[str]:
    """Every line of words on the window reaches a screen reader (a named label has no
    Text interface in Qt's bridge: its words must be its description); among them the
    status, the caller and the countdown."""
    told: dict[str, list[str]] = {}
    for node in tree:
        told.setdefault(node.name, []).append(f"{node.name} {node.description} {node.text or ''}")
    for name, needed in (("Status", "Ringing"), ("Caller", CALLER), ("Time left to answer", ":")):
        if not any(needed in said for said in told.get(name, [])):
            yield f"no {name!r} tells {needed!r}"
    for name, shown in labels:
        words = shown.lstrip("● ")  # the link's dot is its colour's bearer, not a word
        pool = told.get(name, [])
        match = next((said for said in pool if words in said), None)
        if match is None:
            yield f"{name!r} shows {shown!r}, which a screen reader is not told"
        else:
            pool.remove(match)


def _tab_around(
    reader: AtSpi, application: tuple[str, str], display: str, window: int
) -> list[Node]:
    """Tab from the first stop back to it, real key presses on the X display; the focused
    object after each, as AT-SPI reports it."""
    environment = {**os.environ, "DISPLAY": display}

    def xdotool(*arguments: str) -> None:
        subprocess.run(["xdotool", *arguments], env=environment, check=True, timeout=10)

    def focused() -> Node | None:
        return next((node for node in reader.tree(application) if node.focused), None)

    xdotool("windowfocus", "--sync", str(window))
    stops: list[Node] = []
    for _ in range(40):
        before = focused()
        xdotool("key", "Tab")
        now = _focus_after(before, focused)
        if stops and now == stops[0]:
            return stops
        stops.append(now)
    raise AssertionError(f"Tab never came back to the first stop: {_listing(stops)}")


def _focus_after(before: Node | None, focused: Callable[[], Node | None]) -> Node:
    """The focused object, once it is another than `before`."""
    deadline = time.monotonic() + 5
    while (now := focused()) is None or now == before:
        assert time.monotonic() < deadline, f"Tab left the focus on {before}"
        time.sleep(0.02)
    return now


def _out_of_reading_order(stops: list[Node]) -> Iterator[str]:
    """Tab goes as the eye reads: row by row from the top, left to right in a row (the
    strip, then the panel: the offer, the queues, the timeline)."""
    if not stops:
        yield "Tab moved the focus nowhere"
        return
    start = min(range(len(stops)), key=lambda n: _reading_place(stops[n], stops))
    walked = stops[start:] + stops[:start]
    if walked != sorted(stops, key=lambda node: _reading_place(node, stops)):
        yield "Tab does not follow the reading order:" + _listing(walked)


def _reading_place(node: Node, everyone: list[Node]) -> tuple[int, int]:
    """(row, x): a stop shares the row of the topmost stop its middle lies beside."""
    x, y, _width, height = node.extents
    middle = y + height // 2
    row = min(
        other.extents[1]
        for other in everyone
        if other.extents[1] <= middle <= other.extents[1] + other.extents[3]
    )
    return (row, x)


def _stops_without_a_ring(stops: list[Node], rings: dict[str, dict[str, int]]) -> Iterator[str]:
    """Every stop shows the focus: its border changes when it gets it."""
    for node in stops:
        ring = rings.get(node.name)
        if ring is None or ring["changed"] < RING_SHARE * ring["band"]:
            yield f"{node.role} {node.name!r} shows no focus ring ({ring})"


def _listing(nodes: list[Node]) -> str:
    return "\n" + "\n".join(
        f"{node.role} {node.name!r} {node.description!r} keys={node.keys} text={node.text!r}"
        f" at={node.extents}"
        for node in nodes
    )


# --- the child: the real window against the real simulator --------------------


class Rings:
    """Each widget grabbed the last time it gained the focus and the last time it lost it,
    keyed by its accessible name (as the test knows the stops)."""

    def __init__(self) -> None:
        from PySide6.QtGui import QImage

        self.focused: dict[str, QImage] = {}
        self.unfocused: dict[str, QImage] = {}

    def changed(self, old: Any, new: Any) -> None:
        if old is not None:
            self.unfocused[old.accessibleName()] = old.grab().toImage()
        if new is not None:
            self.focused[new.accessibleName()] = new.grab().toImage()

    def report(self) -> dict[str, dict[str, int]]:
        return {
            name: _ring(image, self.unfocused[name])
            for name, image in self.focused.items()
            if name in self.unfocused
        }


def _ring(focused: Any, unfocused: Any) -> dict[str, int]:
    """How many pixels of the border band differ clearly between the two grabs."""
    width, height = focused.width(), focused.height()
    band = [
        (x, y)
        for y in range(height)
        for x in range(width)
        if min(x, y, width - 1 - x, height - 1 - y) < RING_BAND
    ]
    changed = sum(
        1 for x, y in band if _distance(focused.pixelColor(x, y), unfocused.pixelColor(x, y)) > 60
    )
    return {"changed": changed, "band": len(band)}


def _distance(one: Any, other: Any) -> int:
    return int(
        abs(one.red() - other.red())
        + abs(one.green() - other.green())
        + abs(one.blue() - other.blue())
    )


async def _ringing(folder: Path) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    from agent_toolbar.simulator import QueueConfig, Scenario, Settings, Simulator
    from agent_toolbar.ui import i18n
    from tests.helpers.kazoo import ada, backend
    from tests.helpers.toolbar import open_toolbar

    i18n.install("en")
    scenario = Scenario(
        simulator=Settings(seed=7, sync_interval=3600.0),
        queues=(
            QueueConfig(name="Sales", ring_timeout=120.0),
            QueueConfig(name="Support", ring_timeout=120.0),
        ),
        agents=(ada(),),
    )
    async with (
        Simulator(scenario) as sim,
        open_toolbar(None, folder, sim, backend(sim)) as shown,
    ):
        window = shown.window
        window.move(0, 0)
        await shown.ready()
        sim.engine.add_caller("Sales", CALLER, "+33 1 23 45 67 89")
        await shown.shows(
            lambda: window.offer_card.isVisible() and window.panel_area.isVisible(), 10
        )
        rings = Rings()
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(rings.changed)
        keys = _keys(window, shown.session.state)
        labels = [
            [label.accessibleName(), words]
            for label in window.findChildren(QLabel)
            if label.isVisible()
            and label.accessibleName()
            and (words := getattr(label, "full_text", label.text)().strip())
        ]
        ready = {"window": int(window.winId()), "keys": keys, "labels": labels}
        print(json.dumps(ready), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        print(json.dumps(rings.report()), flush=True)
    return 0


def _keys(window: Any, state: Any) -> dict[str, str]:
    """The key that does what each shown button does, by the button's accessible name: its
    action's, and for a queue's pause or resume the window's key for that queue."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QToolButton

    def native(made: Any) -> str:
        return str(made.shortcut().toString(QKeySequence.SequenceFormat.NativeText))

    keys = {
        shown.accessibleName(): native(shown.defaultAction())
        for shown in window.findChildren(QToolButton)
        if shown.isVisible() and shown.defaultAction() is not None
    }
    members = [queue for queue in state.queues if queue.member]
    for made, queue in zip(window.toolbar_actions.queue_keys, members, strict=False):
        keys[f"Pause {queue.name}"] = keys[f"Resume {queue.name}"] = native(made)
    return keys


def main() -> None:
    from agent_toolbar.ui import app

    sys.exit(app.run(lambda: _ringing(Path(sys.argv[1]))))


if __name__ == "__main__":
    main()
