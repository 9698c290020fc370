"""The tray in a real system tray: Xvfb, trayer as the tray, and the toolbar on Qt's xcb.

Qt's platform is fixed per process, and the suite draws offscreen, so the toolbar runs
in a child process (this module's `main`) that prints what it saw as JSON. A close
"from the title bar" is what a window manager sends: a WM_DELETE_WINDOW message.
"""

import asyncio
import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests.helpers.waiting import wait_for
from tests.helpers.xvfb import need, xvfb

ROOT = Path(__file__).parents[3]


@contextlib.contextmanager
def tray_on(display: str) -> Iterator[None]:
    """trayer, owning the display's system tray selection."""
    from Xlib import display as xdisplay

    tray = subprocess.Popen(
        ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request", "--height", "24"],
        env={**os.environ, "DISPLAY": display},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    screen = xdisplay.Display(display)
    try:
        selection = screen.intern_atom("_NET_SYSTEM_TRAY_S0")
        wait_for(lambda: screen.get_selection_owner(selection) != 0)
        yield
    finally:
        screen.close()
        tray.terminate()
        tray.wait(timeout=10)


def test_in_a_real_tray_the_icon_docks_and_a_title_bar_close_hides_to_it(
    tmp_path: Path,
) -> None:
    need("Xvfb", "trayer")
    with xvfb() as server, tray_on(server.display):
        environment = {**os.environ, "DISPLAY": server.display, "QT_QPA_PLATFORM": "xcb"}
        environment.pop("DBUS_SESSION_BUS_ADDRESS", None)  # the XEmbed tray, not a D-Bus one
        child = subprocess.run(
            [sys.executable, "-m", "tests.ui.tray.test_tray_x11", str(tmp_path)],
            env=environment,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert child.returncode == 0, child.stderr[-3000:]
    seen = json.loads(child.stdout.strip().splitlines()[-1])
    assert seen["available"]
    assert seen["docked"]
    assert seen["tooltip"] == "Agent toolbar\nReady\nOnline\nQueues: Taking calls"
    assert seen["menu"] == [
        "Ready (Online)",
        "",
        "&Ready",
        "Away",
        "Queues",
        "",
        "Reconnect now",
        "Hide window",
        "&Settings…",
        "",
        "&Quit",
    ]
    assert seen["after_title_bar_close"] == {"visible": False, "closed": False}
    assert seen["after_tray_click"] == {"visible": True, "closed": False}
    assert seen["after_quit"] == {"visible": False, "closed": True}


async def until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(10):
        while not condition():
            await asyncio.sleep(0.02)


async def _in_a_real_tray(folder: Path) -> dict[str, Any]:
    """The child's work: the real window and tray against the real simulator."""
    from PySide6.QtCore import QSettings

    from agent_toolbar.domain.commands import Login, Ready
    from agent_toolbar.session.core import Session
    from agent_toolbar.simulator import Simulator
    from agent_toolbar.ui.actions import ToolbarActions
    from agent_toolbar.ui.presenter import Presenter
    from agent_toolbar.ui.toolbar.window import ToolbarWindow
    from agent_toolbar.ui.tray.menu import Tray
    from tests.helpers.kazoo import FAST, backend, scenario

    async with Simulator(scenario()) as sim:
        session = Session(backend(sim), FAST)
        await session.sign_in()
        presenter = Presenter(session)
        settings = QSettings(str(folder / "toolbar.ini"), QSettings.Format.IniFormat)
        actions = ToolbarActions(presenter)
        window = ToolbarWindow(presenter, actions, settings)
        tray = Tray(window, actions, presenter)
        window.show()
        running = asyncio.create_task(session.run())
        try:
            await session.execute(Login())
            await session.execute(Ready())
            return await _look_and_close(window, tray)
        finally:
            tray.close()
            session.stop()
            await running
            presenter.close()
            await session.close()


async def _look_and_close(window: Any, tray: Any) -> dict[str, Any]:
    """What the tray shows, and what closing the window from its title bar does."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QSystemTrayIcon

    icon, menu = tray.icon, tray.menu
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    await until(lambda: menu.status.text() == "Ready (Online)")
    await until(lambda: not icon.geometry().isEmpty())
    menu.popup(QPoint(700, 30))  # as a right click on the icon opens it
    await until(menu.isVisible)
    seen = {
        "available": tray.available,
        "docked": icon.isVisible() and not icon.geometry().isEmpty(),
        "tooltip": icon.toolTip(),
        "menu": [each.text() for each in menu.actions()],
    }
    menu.hide()

    def now() -> dict[str, bool]:
        return {"visible": window.isVisible(), "closed": bool(closed)}

    _close_from_the_title_bar(int(window.winId()))
    await until(lambda: not window.isVisible())
    await asyncio.sleep(0.2)  # a close would have been reported by now
    seen["after_title_bar_close"] = now()
    icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    await until(window.isVisible)
    seen["after_tray_click"] = now()
    window.toolbar_actions.quit.trigger()
    seen["after_quit"] = now()
    return seen


def _close_from_the_title_bar(window: int) -> None:
    """What a window manager sends when the agent clicks the title bar's close button."""
    from Xlib import X, display, protocol

    screen = display.Display()
    try:
        target = screen.create_resource_object("window", window)
        protocols = screen.intern_atom("WM_PROTOCOLS")
        delete = screen.intern_atom("WM_DELETE_WINDOW")
        message = protocol.event.ClientMessage(
            window=target, client_type=protocols, data=(32, [delete, X.CurrentTime, 0, 0, 0])
        )
        target.send_event(message, event_mask=X.NoEventMask)
        screen.sync()  # a round trip: requests still buffered when a client leaves may be lost
    finally:
        screen.close()


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from agent_toolbar.ui import i18n
    from agent_toolbar.ui.event_loop import QtLoop

    app = QApplication([])
    QApplication.setQuitOnLastWindowClosed(False)
    i18n.install("en")
    with asyncio.Runner(loop_factory=lambda: QtLoop(app)) as runner:
        print(json.dumps(runner.run(_in_a_real_tray(Path(sys.argv[1])))))


if __name__ == "__main__":
    main()
