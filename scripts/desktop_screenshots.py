"""Screenshots of the desktop parts for docs/, in English and in Russian: the sign-in
dialog, the settings dialog's General, Sound and Hotkeys tabs, the tray icon's menu
and an offer's desktop notification.

Run it on an X display (`make screenshots` starts Xvfb). It first lays out a small
desktop there: a light background, trayer as the system tray, and a private session
bus with dunst as the notification service. Then it runs itself once per language,
as Qt's language is chosen once per process, before the widgets are made. The tray
and the notification are the real ones, against the built-in simulator; the sound
player is silent, as a picture has no sound.
"""

import argparse
import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection
from PySide6.QtCore import QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QSystemTrayIcon, QWidget
from Xlib import X
from Xlib import display as xdisplay

from agent_toolbar.backends.kazoo.auth import Credentials
from agent_toolbar.backends.kazoo.backend import KazooBackend, KazooSettings
from agent_toolbar.config.history import History, HistoryFile, Recorder
from agent_toolbar.config.policy.model import effective, policy_from
from agent_toolbar.config.policy.sources import toml_sources
from agent_toolbar.config.settings import Config, Language, Preferences, Profile, SoundPreferences
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Login, Pause, Ready, WrapupFinish
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import AgentConfig, QueueConfig, Scenario, Settings, Simulator
from agent_toolbar.ui import app, i18n
from agent_toolbar.ui.actions import ToolbarActions
from agent_toolbar.ui.alerts.alerting import Alerting
from agent_toolbar.ui.alerts.notifier import SERVICE, Notifier
from agent_toolbar.ui.dialing import Dialer
from agent_toolbar.ui.presenter import Presenter
from agent_toolbar.ui.screen_pop import ScreenPop
from agent_toolbar.ui.settings.dialog import SettingsDialog, SettingsServices
from agent_toolbar.ui.signin.dialog import SignInDialog
from agent_toolbar.ui.toolbar.history import HistoryView
from agent_toolbar.ui.toolbar.window import ToolbarWindow
from agent_toolbar.ui.tray.menu import Tray, TrayMenu

OUT = Path(__file__).parents[1] / "docs" / "screenshots"
LANGUAGES: tuple[Language, ...] = ("en", "ru")
PROGRAMS = {"trayer": "trayer", "dunst": "dunst", "dbus-daemon": "dbus"}
"""The programs the desktop needs, and the Debian package of each."""
BACKGROUND = (0xE4, 0xE8, 0xEE)
"""The desktop's colour: light, so that menus and notifications stand out as on a desktop."""
PANEL = "0x334155"
"""The tray bar's colour, a dark panel as many desktops have along the top."""
NOTIFICATION_OFFSET = (16, 44)
"""Where dunst puts its notifications, from the screen's top right corner: below the tray."""
MARGIN = 16
"""Background shown around a cropped part, so that its edges read as edges."""
DUNSTRC = """
[global]
    font = "DejaVu Sans 11"
    width = 440
    height = 300
    origin = top-right
    offset = {offset}
    padding = 12
    horizontal_padding = 14
    text_icon_padding = 12
    frame_width = 1
    frame_color = "#b8c0cc"
    corner_radius = 6
    markup = full
    format = "<b>%s</b>\\n%b"
    show_indicators = no
    icon_theme = Adwaita
    enable_recursive_icon_lookup = true
    min_icon_size = 48
    max_icon_size = 48
[urgency_low]
    background = "#ffffff"
    foreground = "#1f2933"
[urgency_normal]
    background = "#ffffff"
    foreground = "#1f2933"
[urgency_critical]
    background = "#ffffff"
    foreground = "#1f2933"
    frame_color = "#b8c0cc"
"""
"""dunst's look: a light card with a thin frame. dunst 1.9 looks an icon up at
`min_icon_size` only, so both sizes are 48, which the Adwaita theme has."""


# --- the desktop (the first process, which makes no widget) ---------------------


def wait_for(condition: Callable[[], bool], failure: str, seconds: float = 10.0) -> None:
    """Wait until `condition` holds; `failure` says what did not happen in time."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{failure} within {seconds:g} s")
        time.sleep(0.05)


@contextlib.contextmanager
def running(command: list[str], environment: dict[str, str]) -> Iterator[None]:
    """A helper program, ended on leaving."""
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def light_background(display: str) -> Iterator[None]:
    """Paint the root window; the connection stays open, as Xvfb resets when its last
    client leaves."""
    screen = xdisplay.Display(display)
    try:
        root = screen.screen().root
        red, green, blue = (part * 257 for part in BACKGROUND)
        colour = screen.screen().default_colormap.alloc_color(red, green, blue)
        root.change_attributes(background_pixel=colour.pixel)
        root.clear_area()
        screen.sync()
        yield
    finally:
        screen.close()


@contextlib.contextmanager
def system_tray(display: str) -> Iterator[None]:
    """trayer along the top right edge, owning the display's system tray selection."""
    command = ["trayer", "--edge", "top", "--align", "right", "--widthtype", "percent"]
    command += ["--width", "100", "--height", "28", "--tint", PANEL, "--transparent", "true"]
    command += ["--alpha", "0", "--padding", "4"]
    with running(command, {**os.environ, "DISPLAY": display}):
        screen = xdisplay.Display(display)
        try:
            selection = screen.intern_atom("_NET_SYSTEM_TRAY_S0")
            wait_for(lambda: screen.get_selection_owner(selection) != 0, "trayer did not start")
        finally:
            screen.close()
        yield


@contextlib.contextmanager
def session_bus() -> Iterator[str]:
    """A private D-Bus session bus; yields its address."""
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert daemon.stdout is not None
    try:
        address = daemon.stdout.readline().strip()
        if not address:
            raise RuntimeError("dbus-daemon did not start")
        yield address
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
        daemon.stdout.close()


@contextlib.contextmanager
def notification_service(display: str, address: str, folder: Path) -> Iterator[None]:
    """dunst on the bus at `address`, styled as a light desktop notification."""
    config = folder / "dunstrc"
    offset = "{}x{}".format(*NOTIFICATION_OFFSET)
    config.write_text(DUNSTRC.format(offset=offset))
    environment = {**os.environ, "DISPLAY": display, "DBUS_SESSION_BUS_ADDRESS": address}
    with running(["dunst", "-config", str(config)], environment):
        bus = open_dbus_connection(address)
        try:
            wait_for(
                lambda: bool(bus.send_and_get_reply(message_bus.NameHasOwner(SERVICE)).body[0]),
                "dunst did not start",
            )
        finally:
            bus.close()
        yield


def take_all() -> int:
    """Lay out the desktop, then take each language's pictures in a process of its own."""
    display = os.environ.get("DISPLAY")
    if not display:
        print("desktop_screenshots: run it on an X display (make screenshots)", file=sys.stderr)
        return 1
    missing = [package for program, package in PROGRAMS.items() if shutil.which(program) is None]
    if missing:
        print(
            f"desktop_screenshots: install {' '.join(missing)} first "
            f"(apt-get install {' '.join(missing)})",
            file=sys.stderr,
        )
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as folder,
        light_background(display),
        system_tray(display),
        session_bus() as address,
        notification_service(display, address, Path(folder)),
    ):
        # The children get no session bus: Qt then docks its icon in trayer through XEmbed
        # rather than looking for a D-Bus tray, and the notifier is handed dunst's bus.
        environment = {
            key: value for key, value in os.environ.items() if key != "DBUS_SESSION_BUS_ADDRESS"
        }
        environment["QT_QPA_PLATFORM"] = "xcb"
        for language in LANGUAGES:
            command = [sys.executable, __file__, "--language", language, "--bus", address]
            child = subprocess.run(command, env=environment, check=False)
            if child.returncode != 0:
                return child.returncode
    return 0


# --- the pictures (a child process per language) ----------------------------------


class Pictures:
    """Grabs parts of the screen into docs/screenshots/NAME-LANGUAGE.png."""

    def __init__(self, language: Language) -> None:
        self.language = language

    async def shot(self, name: str, x: int, y: int, width: int, height: int) -> None:
        await asyncio.sleep(1.0)  # let Qt paint in its own turns: never process events re-entrantly
        screen = QGuiApplication.primaryScreen()
        area = screen.geometry().intersected(QRect(x, y, width, height))
        picture = screen.grabWindow(0, area.x(), area.y(), area.width(), area.height())
        path = OUT / f"{name}-{self.language}.png"
        if not picture.save(str(path), "PNG", 0):
            raise RuntimeError(f"could not write {path.name}")
        print(f"docs/screenshots/{path.name} ({path.stat().st_size // 1024} KB)")

    async def widget(self, name: str, widget: QWidget) -> None:
        frame = widget.frameGeometry()
        await self.shot(name, frame.x(), frame.y(), frame.width(), frame.height())


async def sign_in(pictures: Pictures) -> None:
    """The first run's sign-in dialog, filled in for Kazoo, the password typed."""
    dialog = SignInDialog()
    form = dialog.form
    form.name.setText("work")
    form.api_url.setText("https://pbx.example.com:8443/v2")
    form.account_name.setText("acme")
    form.username.setText("ada")
    dialog.move(40, 40)
    dialog.show()
    try:
        await asyncio.sleep(0.5)  # typed once shown: showing selects the focused field's text
        form.password.setFocus()
        QTest.keyClicks(form.password, "example-password")
        await pictures.widget("signin", dialog)
    finally:
        dialog.close()


def example_config(language: Language) -> Config:
    """Two profiles, "work" the default; the sound split between speakers and headset."""
    work = Profile(api_url="https://pbx.example.com:8443/v2", account_name="acme", username="ada")
    home = Profile(
        backend="telphin",
        api_url="https://apiproxy.telphin.ru/api/ver1.0",
        app_id="a1b2c3d4e5f6",
        username="ada",
    )
    sound = SoundPreferences(
        volume=70,
        ring_device="Pulse: alsa_output.pci.analog-stereo",
        chime_device="Pulse: bluez_sink.headset",
    )
    preferences = Preferences(language=language, sound=sound)
    return Config(
        default_profile="work", preferences=preferences, profiles={"work": work, "home": home}
    )


async def settings(pictures: Pictures) -> None:
    """The settings dialog on its General, Sound and Hotkeys tabs."""

    def profile_dialog(
        name: str | None, profile: Profile | None, taken: Collection[str]
    ) -> SignInDialog:
        """Adds or edits a profile: never opened for a picture."""
        return SignInDialog(name=name, profile=profile, taken_names=taken)

    services = SettingsServices(
        open_log_folder=lambda: None,
        diagnostics=lambda: "",
        test_sound=lambda _kind, _device, _volume: None,
        profile_dialog=profile_dialog,
        output_devices=(
            ("Pulse: alsa_output.pci.analog-stereo", "Built-in Audio Analog Stereo"),
            ("Pulse: bluez_sink.headset", "Jabra Evolve2 65"),
        ),
    )
    dialog = SettingsDialog(example_config(pictures.language), services)
    dialog.move(40, 40)
    dialog.show()
    try:
        for name, tab in (
            ("settings", dialog.general),
            ("settings-sound", dialog.sound),
            ("settings-hotkeys", dialog.hotkeys),
        ):
            dialog.tabs.setCurrentWidget(tab)
            await pictures.widget(name, dialog)
    finally:
        dialog.close()


EXAMPLE_POLICY = """\
[defaults]
default_profile = "main"
offer_demo = false

[locked.profiles.main]
api_url = "https://pbx.example.com:8443/v2"
account_name = "acme"
ca_file = "/etc/ssl/certs/acme-ca.pem"
remember_password = true
"""


async def preset_sign_in(pictures: Pictures) -> None:
    """The sign-in dialog under an organisation's policy: the server preset and locked,
    the demo not offered; the agent types only a user name and password."""
    with tempfile.TemporaryDirectory() as folder:
        policy_file = Path(folder) / "policy.toml"
        policy_file.write_text(EXAMPLE_POLICY)
        own = Path(folder) / "config.toml"
        in_force = effective(own, policy_from(toml_sources([policy_file])))
    profile = in_force.config.profiles["main"]
    dialog = SignInDialog(name="main", profile=profile, offer_demo=False, policy=in_force.policy)
    dialog.move(40, 40)
    dialog.show()
    try:
        await asyncio.sleep(0.5)
        dialog.form.username.setText("ada")
        dialog.form.password.setFocus()
        QTest.keyClicks(dialog.form.password, "example-password")
        await pictures.widget("signin-preset", dialog)
    finally:
        dialog.close()


class Silence:
    """The sound player of a picture: the ring and the chime are not what it shows."""

    def ring(self, device: str | None, volume: int, seconds: float) -> None:
        """Nothing rings."""

    def stop_ring(self) -> None:
        """Nothing rings."""

    def chime(self, device: str | None, volume: int) -> None:
        """Nothing chimes."""


async def tray_and_notification(pictures: Pictures, bus: str) -> None:
    """The real window, tray and notifier against the simulator: the tray's menu for a
    Ready agent in two queues, then an offer's notification."""
    async with Simulator(_scenario()) as sim:
        me = sim.logins[0]
        credentials = Credentials(account_name=me.account_name, username="ada", password="demo")
        session = Session(KazooBackend(KazooSettings(api_url=sim.api_url, credentials=credentials)))
        await session.sign_in()
        presenter = Presenter(session)
        notifier = Notifier(bus)
        alerting = Alerting(presenter, notifier, Silence(), Preferences())
        with tempfile.TemporaryDirectory() as folder:
            settings = QSettings(str(Path(folder) / "toolbar.ini"), QSettings.Format.IniFormat)
            actions = ToolbarActions(presenter)
            window = ToolbarWindow(presenter, actions, settings)
            tray = Tray(window, actions, presenter)
            window.move(40, 40)
            window.show()
            work = asyncio.create_task(session.run())
            try:
                if tray.icon is None or tray.menu is None:
                    raise RuntimeError("Qt found no system tray on this display")
                await _until(
                    lambda: session.state is not None and session.state.connection == "online"
                )
                await session.execute(Login())
                await session.execute(Ready())
                support = next(each.id for each in sim.engine.queues() if each.name == "Support")
                await session.execute(Pause(queue_id=support, timeout=900))
                await _tray_menu(pictures, tray.icon, tray.menu)
                await _notification(pictures, sim, me.user_id, session)
            finally:
                alerting.stop()
                tray.close()
                window.close()
                session.stop()
                await work
                await notifier.close()
                presenter.close()
                await session.close()


async def history_and_dial(pictures: Pictures) -> None:
    """The History view after a short real shift against the simulator (two calls
    answered, one declined), then the question a clicked `tel:` link asks."""
    async with Simulator(_scenario()) as sim:
        me = sim.logins[0]
        credentials = Credentials(account_name=me.account_name, username="ada", password="demo")
        session = Session(KazooBackend(KazooSettings(api_url=sim.api_url, credentials=credentials)))
        await session.sign_in()
        presenter = Presenter(session)
        with tempfile.TemporaryDirectory() as folder:
            history = History(HistoryFile(Path(folder) / "history.sqlite"))
            stop_recording = session.subscribe(Recorder(history, "work").feed)
            settings = QSettings(str(Path(folder) / "toolbar.ini"), QSettings.Format.IniFormat)
            actions = ToolbarActions(presenter)
            window = ToolbarWindow(presenter, actions, settings)
            crm = Profile(
                api_url=sim.api_url, screen_pop="https://crm.example.com/?q={caller_id_number}"
            )
            view = HistoryView(history, "work")
            view.add_row_actions(Dialer(presenter, window), ScreenPop(crm, print))
            presenter.changed.connect(view.show_state)
            window.add_panel_part(view)
            dialer = Dialer(presenter, window)
            window.move(40, 40)
            window.show()
            work = asyncio.create_task(session.run())
            try:
                await _until(
                    lambda: session.state is not None and session.state.connection == "online"
                )
                await session.execute(Login())
                await session.execute(Ready())
                await _shift(sim, me.user_id, session)
                await _history_view(pictures, window, view)
                dialer.ask("tel:+1-555-0100")
                question = dialer.question
                if question is None:
                    raise RuntimeError(f"no question was asked: {dialer.refusal()}")
                await pictures.widget("dial-question", question)
                question.reject()
            finally:
                stop_recording()
                window.close()
                session.stop()
                await work
                presenter.close()
                await session.close()
                history.close()


async def _shift(sim: Simulator, me: str, session: Session) -> None:
    """Marie Curie answered, Alan Turing declined, Grace Hopper answered: real calls of a
    few seconds each, as the simulator runs them."""

    def state() -> AgentState:
        assert session.state is not None
        return session.state

    for name, number, queue, answer in (
        ("Marie Curie", "+33 1 23 45 67 89", "Support", True),
        ("Alan Turing", "+44 20 7123 4567", "Sales", False),
        ("Grace Hopper", "+1 212 555 0199", "Support", True),
    ):
        if state().status != "ready":
            await session.execute(Ready())
        # A declined caller would ring again: this one hangs up while it is declined.
        patience = 120.0 if answer else 3.0
        sim.engine.add_caller(queue, name, number, talk_seconds=600, patience=patience)
        await _until(lambda: state().offer is not None)
        await asyncio.sleep(2.0)
        if not answer:
            sim.engine.decline(me)
            await _until(lambda: state().offer is None)
            await asyncio.sleep(2.0)  # the caller gives up before the agent is Ready again
            continue
        sim.engine.answer(me)
        await _until(lambda: state().call is not None)
        await asyncio.sleep(3.0)
        sim.engine.hang_up(me)
        await _until(lambda: state().wrapup is not None)
        await session.execute(WrapupFinish())


async def _history_view(pictures: Pictures, window: ToolbarWindow, view: HistoryView) -> None:
    """The panel open on the History view, the declined call selected."""
    window.toolbar_actions.panel.trigger()
    window.resize(max(window.width(), 760), 620)
    await _until(lambda: view.tree.topLevelItemCount() == 3)
    declined = view.tree.topLevelItem(1)
    if declined is not None:
        view.tree.setCurrentItem(declined)
    window.panel_scroll.ensureWidgetVisible(view)
    await pictures.widget("history", window)


def _scenario() -> Scenario:
    return Scenario(
        simulator=Settings(seed=11, sync_interval=3600),
        queues=(
            QueueConfig(name="Sales", ring_timeout=30, wrapup_time=40, force_away_on_reject=True),
            QueueConfig(name="Support", ring_timeout=30, wrapup_time=15),
        ),
        agents=(
            AgentConfig(
                username="ada", password="demo", display_name="Ada", queues=("Sales", "Support")
            ),
        ),
    )


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(30):
        while not condition():
            await asyncio.sleep(0.05)


async def _tray_menu(pictures: Pictures, icon: QSystemTrayIcon, menu: TrayMenu) -> None:
    """The menu as a right click on the icon opens it, with its Queues submenu open."""
    await _until(lambda: not icon.geometry().isEmpty())
    await _until(lambda: menu.queues.menuAction().isVisible())
    place = icon.geometry()
    menu.popup(place.bottomLeft())
    await _until(menu.isVisible)
    menu.setActiveAction(menu.queues.menuAction())
    QTest.keyClick(menu, Qt.Key.Key_Right)
    await _until(menu.queues.isVisible)
    shown = place.united(menu.geometry()).united(menu.queues.geometry())
    right = menu.screen().geometry().right()
    left = shown.left() - MARGIN
    try:
        await pictures.shot("tray-menu", left, 0, right - left + 1, shown.bottom() + MARGIN)
    finally:
        menu.queues.hide()
        menu.hide()


async def _notification(pictures: Pictures, sim: Simulator, me: str, session: Session) -> None:
    """A caller rings: dunst shows the offer; answering closes it."""
    sim.engine.add_caller("Sales", "Marie Curie", "+33 1 23 45 67 89", talk_seconds=600)
    await _until(lambda: session.state is not None and session.state.offer is not None)
    x, y, width, height = await asyncio.to_thread(_dunst_window)
    try:
        await pictures.shot(
            "notification", x - MARGIN, y - MARGIN, width + 2 * MARGIN, height + 2 * MARGIN
        )
    finally:
        sim.engine.answer(me)
        await _until(lambda: session.state is not None and session.state.call is not None)
        await asyncio.to_thread(_dunst_window, shown=False)


def _dunst_window(shown: bool = True) -> tuple[int, int, int, int]:
    """dunst's notification on the screen (x, y, width, height), once it shows; with
    `shown` False, wait until it has gone instead."""
    screen = xdisplay.Display()
    try:
        failure = "dunst showed no notification" if shown else "dunst kept the notification"
        wait_for(lambda: (_dunst_on(screen) is not None) == shown, failure)
        return _dunst_on(screen) or (0, 0, 0, 0)
    finally:
        screen.close()


def _dunst_on(screen: xdisplay.Display) -> tuple[int, int, int, int] | None:
    for window in screen.screen().root.query_tree().children:
        kind = window.get_wm_class()
        if kind is None or "Dunst" not in kind:
            continue
        if window.get_attributes().map_state == X.IsViewable:
            box = window.get_geometry()
            return (box.x, box.y, box.width, box.height)
    return None


async def pictures_in(language: Language, bus: str) -> int:
    """One language's pictures; Qt's language is set before any widget is made."""
    i18n.install(language)
    pictures = Pictures(language)
    await sign_in(pictures)
    await preset_sign_in(pictures)
    await settings(pictures)
    await tray_and_notification(pictures, bus)
    await history_and_dial(pictures)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", choices=LANGUAGES, help="take one language's pictures")
    parser.add_argument("--bus", help="the session bus address dunst listens on")
    options = parser.parse_args()
    if options.language is None:
        return take_all()
    return app.run(lambda: pictures_in(options.language, options.bus))


if __name__ == "__main__":
    sys.exit(main())
