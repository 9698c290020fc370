"""Everything around the window for one signed-in session, from start to a safe quit.

The window shows the state; this puts it on the desktop: the tray icon, notifications,
the ring and the chime, system-wide keys, reconnecting after sleep, the settings, and
a quit that first asks whether calls should stop ringing here. The demo runs through
it too, so what people try is what agents get.
"""

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import PySide6
from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox

from agent_toolbar.config.history import History
from agent_toolbar.config.keychain import NOT_KEPT_REASONS, Keychain, SecretKind, entry_for
from agent_toolbar.config.policy.model import Policy
from agent_toolbar.config.policy.report import in_force_lines
from agent_toolbar.config.quit_record import QuitRecord
from agent_toolbar.config.settings import Config, HotkeyAction, Preferences, Profile, Secrets
from agent_toolbar.config.settings_file import ConfigError
from agent_toolbar.doctor.report import Report, render_text
from agent_toolbar.domain.commands import Ready
from agent_toolbar.session.core import Session
from agent_toolbar.support import logs
from agent_toolbar.support.diagnostics import diagnostics
from agent_toolbar.support.log import ui as log
from agent_toolbar.system import autostart
from agent_toolbar.system.sound import devices as sound_devices
from agent_toolbar.system.sound.sounds import Sounds
from agent_toolbar.ui.actions import ToolbarActions, on_trigger
from agent_toolbar.ui.alerts.alerting import Alerting
from agent_toolbar.ui.alerts.notifier import SESSION_BUS, Notifier
from agent_toolbar.ui.dialing import Dialer
from agent_toolbar.ui.hotkeys.keys import GlobalHotkeys
from agent_toolbar.ui.i18n import translated_reason
from agent_toolbar.ui.lifecycle.quit_guard import QuitGuard
from agent_toolbar.ui.lifecycle.restart_notice import Restarting, RestartNotice, here
from agent_toolbar.ui.lifecycle.single_instance import SingleInstance, bring_forward
from agent_toolbar.ui.lifecycle.wakeups import Wakeups
from agent_toolbar.ui.operations import Operations
from agent_toolbar.ui.presenter import Presenter
from agent_toolbar.ui.screen_pop import ScreenPop
from agent_toolbar.ui.settings.dialog import SettingsDialog, SettingsServices
from agent_toolbar.ui.settings.sound import SoundKind
from agent_toolbar.ui.signin.dialog import SignInDialog
from agent_toolbar.ui.signin.doctor_dialog import DoctorDialog, examination
from agent_toolbar.ui.toolbar.history import HistoryView
from agent_toolbar.ui.toolbar.window import ToolbarWindow
from agent_toolbar.ui.tray.menu import Tray, show_window

if TYPE_CHECKING:
    from agent_toolbar.simulator.demo_phone import (
        DemoPhone,  # the simulator: loaded only by the demo
    )

TEST_RING_SECONDS = 3.0
"""How long the settings' Test button rings."""


@dataclass(frozen=True)
class Place:
    """Where the session runs: what the desktop reads and writes besides the server."""

    config: Config
    profile_name: str | None
    """The profile signed in with; None for the demo and for command-line options."""
    save: Callable[[Config], None] | None
    """Writes the configuration (blocking; raises ConfigError); None where nothing is saved."""
    keychain: Keychain
    log_file: Path | None
    instance: SingleInstance | None = None
    demo: "DemoPhone | None" = None
    signed_in_with: tuple[Profile, Secrets] | None = None
    """The profile and secrets the session signed in with, which "Check connection…"
    examines; None where the desktop has none (the demo, the command line's options)."""
    policy: Policy = field(default_factory=Policy)
    """What the organisation set: the settings show its locks."""


def window_settings() -> QSettings:
    """Qt's settings (the window's place and size), readable by the user only, as every
    file of the toolbar is. Qt creates its file with the umask's mode, and keeps the mode
    of a file that exists: so the file is made first (an ini file where Qt writes one)."""
    settings = QSettings()
    if os.name == "posix" and sys.platform != "darwin":  # macOS keeps them in its own store
        path = Path(settings.fileName())
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                os.fchmod(descriptor, 0o600)
            finally:
                os.close(descriptor)
        except OSError as error:
            log.warning("the window's settings cannot be kept in %s: %s", path, error.strerror)
    return settings


class Desktop(QObject):
    """Signals nothing: `run()` returns once the window has closed and all is shut."""

    def __init__(
        self, session: Session, place: Place, restarting: Restarting | None = None
    ) -> None:
        """`restarting`: what the restart notice watches (default: this computer's policy
        files and installed program)."""
        super().__init__()
        self._session = session
        self._place = place
        self._config = place.config
        preferences = place.config.preferences
        profile = self._profile()
        self.presenter = Presenter(session)
        reasons = profile.away_reasons if profile is not None else None
        self.actions = ToolbarActions(self.presenter, reasons, place.demo)
        self.window = ToolbarWindow(self.presenter, self.actions, window_settings())
        self.tray = Tray(self.window, self.actions, self.presenter)
        self.notifier = Notifier(
            SESSION_BUS,
            self.tray.show_message if self.tray.available else None,
            offer_ready=self.presenter.capabilities.away,
        )
        self.sounds = Sounds()
        self.alerting = Alerting(self.presenter, self.notifier, self.sounds, preferences)
        self.hotkeys = GlobalHotkeys(self)
        self.wakeups = Wakeups(parent=self)
        self.screen_pop = ScreenPop(profile, self._tell_not_opened)
        self.dialer = Dialer(self.presenter, self.window)
        # A quit that leaves the agent taking calls is recorded for the profile's next start.
        name = place.profile_name
        record = None if name is None or profile is None else QuitRecord(name, profile.api_url)
        self.guard = QuitGuard(session, preferences.quit_while_ready, self.window, record=record)
        self.history: History | None = None
        """The profile's call history, written as states arrive (None: not kept)."""
        if name is not None and profile is not None and profile.keep_history:
            self.history = History.follow(session.subscribe, name, preferences.history_days)
            self.history_view = HistoryView(self.history, name)
            self.presenter.changed.connect(self.history_view.show_state)
            self.history_view.add_row_actions(self.dialer, self.screen_pop)
            self.window.add_panel_part(self.history_view)
        self.settings: SettingsDialog | None = None
        self.doctor: DoctorDialog | None = None
        self.latest_check: Report | None = None
        """The latest connection check's report, for "Copy diagnostics"."""
        self._keychain_problem: str | None = None
        """Why secrets cannot be kept, asked (off the GUI thread) when the settings open."""
        self.restart_notice = RestartNotice(self.window, restarting or here(), place.policy)
        self._restarting = False
        self._closed = asyncio.Event()
        self._may_close = False
        self._operations = Operations("a desktop task failed")
        self._connect(place)
        self._take_hotkeys(preferences)

    def _connect(self, place: Place) -> None:
        window = self.window
        window.installEventFilter(self)
        window.closed.connect(self._closed.set)
        on_trigger(self.actions.settings, lambda: self._operations.run(self.open_settings()))
        on_trigger(self.actions.check_connection, self.check_connection)
        on_trigger(self.actions.open_in_crm, self.screen_pop.open_current)
        on_trigger(self.actions.dial, self.dialer.open_box)
        on_trigger(self.actions.call_back, self.dialer.call_back)
        self.actions.open_in_crm.setVisible(self.screen_pop.available)
        self.actions.check_connection.setEnabled(place.signed_in_with is not None)
        self.notifier.show_requested.connect(lambda: show_window(window))
        self.presenter.changed.connect(self.screen_pop.follow)
        self.notifier.ready_requested.connect(lambda: self.presenter.execute(Ready()))
        self.hotkeys.activated.connect(self._hotkey)
        self.wakeups.woke.connect(self._session.reconnect_now)
        self.guard.session_ended.connect(self._close_now)
        self.restart_notice.restart_requested.connect(self._restart)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            self.guard.follow_session_end(app)
        if place.instance is not None:
            place.instance.raise_requested.connect(lambda: bring_forward(window))
            place.instance.deliver_dials(self.dialer.ask, self.presenter.changed.connect)
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            # Ctrl-C in a terminal or a service manager's stop: nobody is there to answer
            # a question, so the quit preference's change is made without one, tried for
            # the time a service manager gives; a second signal quits at once.
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(number, self.guard.stop_signalled)

    async def run(self) -> int:
        self.window.show()
        self._operations.run(self.guard.tell_last_quit())
        self.restart_notice.start()
        running = asyncio.create_task(self._session.run())
        try:
            await self._closed.wait()
        finally:
            await self._shut_down(running)
        return 0

    async def _shut_down(self, running: "asyncio.Task[str]") -> None:
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(number)
        for dialog in (self.settings, self.doctor):
            if dialog is not None:
                dialog.close()
        await self.restart_notice.stop()
        self.alerting.stop()
        self.hotkeys.close()
        self.tray.close()
        await self._operations.close()
        await self.notifier.close()
        self._session.stop()
        await running
        if self.history is not None:
            self.history_view.close_view()
            await asyncio.to_thread(self.history.close)
        self.presenter.close()
        await self._session.close()
        await asyncio.to_thread(self.sounds.close)
        if self._restarting:
            # The new process must not find this one still holding the instance's name.
            if self._place.instance is not None:
                self._place.instance.close()
            self.restart_notice.restart()

    # --- quitting -----------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """A close that would quit asks the guard first; one the tray turns into hiding
        (from the title bar, with a tray) goes on to the tray."""
        if watched is not self.window or event.type() != QEvent.Type.Close or self._may_close:
            return False
        if event.spontaneous() and self.tray.available:
            return False
        event.ignore()
        self._operations.run(self._ask_to_quit())
        return True

    async def _ask_to_quit(self) -> None:
        if await self.guard.may_quit():
            self._close_now()

    def _restart(self) -> None:
        """Quit without the quit plan's change (see `QuitGuard.approve_restart`), then
        start again once all is shut."""
        self.guard.approve_restart()
        self._restarting = True
        self._close_now()

    def _close_now(self) -> None:
        self._may_close = True
        self.window.close()

    # --- keys ---------------------------------------------------------------

    def _take_hotkeys(self, preferences: Preferences) -> Mapping[HotkeyAction, str]:
        if not preferences.hotkeys_enabled:
            self.hotkeys.clear()
            return {}
        unavailable = self.hotkeys.unavailable()
        if unavailable is not None:
            log.info("no system-wide keys: %s", unavailable)
            return {}
        problems = self.hotkeys.register(preferences.hotkeys)
        for action, problem in problems.items():
            log.warning("the system-wide key for %s was not taken: %s", action, problem)
        return problems

    def _hotkey(self, action: str) -> None:
        window = self.window
        if action == "show_window":
            bring_forward(window)
            return
        if action == "away" and not self.actions.away.isEnabled():
            return
        if action == "away":
            show_window(window)
        triggered = self.actions.by_hotkey(action)
        if triggered is not None and triggered.isEnabled():
            triggered.trigger()

    # --- settings -----------------------------------------------------------

    async def open_settings(self) -> None:
        """The settings dialog; the sound devices are asked for first, off the GUI thread."""
        if self.settings is not None:
            show_window(self.settings)
            return
        devices, unavailable, self._keychain_problem = await asyncio.gather(
            asyncio.to_thread(sound_devices.output_devices),
            asyncio.to_thread(sound_devices.available),
            asyncio.to_thread(self._place.keychain.unavailable_reason),
        )
        if self.settings is not None or self._closed.is_set():
            return
        services = SettingsServices(
            open_log_folder=self._open_log_folder,
            diagnostics=self._diagnostics,
            test_sound=self._test_sound,
            profile_dialog=self._profile_dialog,
            output_devices=[(device.id, device.name) for device in devices],
            sound_unavailable=unavailable,
            hotkeys_unavailable=self.hotkeys.unavailable(),
        )
        dialog = SettingsDialog(self._config, services, self.window, self._place.policy)
        dialog.applied.connect(lambda config: self._operations.run(self._apply(dialog, config)))
        dialog.finished.connect(lambda _result: self._settings_closed(dialog))
        self.settings = dialog
        dialog.open()

    def _settings_closed(self, dialog: SettingsDialog) -> None:
        if self.settings is dialog:
            self.settings = None
        dialog.deleteLater()

    async def _apply(self, dialog: SettingsDialog, config: Config) -> None:
        """Use the new configuration at once, and keep it."""
        before, self._config = self._config, config
        preferences = config.preferences
        logs.set_level(preferences.log_level)
        self.alerting.preferences = preferences
        self.screen_pop.profile = self._profile()
        self.actions.open_in_crm.setVisible(self.screen_pop.available)
        self.guard.preference = preferences.quit_while_ready
        problems = self._take_hotkeys(preferences)
        if problems and self.settings is dialog:
            dialog.show_hotkey_problems({str(action): text for action, text in problems.items()})
        if preferences.start_at_login != before.preferences.start_at_login:
            await self._start_at_login(preferences.start_at_login)
        await self._forget_removed(before, config)
        if self._place.save is not None:
            try:
                await asyncio.to_thread(self._place.save, config)
            except ConfigError as error:
                self.tell_not_saved(error)

    def tell_not_saved(self, error: ConfigError) -> None:
        """The settings apply, but were not kept: the agent hears it before quitting."""
        log.error("%s", error)
        self.tray.show_message(
            self.tr("Settings not saved"),
            self.tr("They apply until the toolbar quits: {reason}").format(reason=error),
            True,
        )

    def _tell_not_opened(self, text: str) -> None:
        self.tray.show_message(self.tr("Screen pop"), text, True)

    def tell_not_kept(self, reason: str | None) -> None:
        """The keychain did not keep a password (`remember`'s reason; None when it did): the
        agent hears it now, not at the next start."""
        if reason is None:
            return
        log.warning("%s", reason)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Password not remembered"),
            translated_reason("keychain", NOT_KEPT_REASONS, reason),
            QMessageBox.StandardButton.Ok,
            self.settings or self.window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    async def _start_at_login(self, wanted: bool) -> None:
        command = autostart.launch_command(self._place.profile_name)
        try:
            if wanted:
                await asyncio.to_thread(autostart.enable, command)
            else:
                await asyncio.to_thread(autostart.disable)
        except OSError as error:
            log.error("start at login could not be changed: %s", error)

    async def _forget_removed(self, before: Config, after: Config) -> None:
        """A profile removed in the settings takes its remembered secrets with it."""
        for name, profile in before.profiles.items():
            if name not in after.profiles:
                kinds: tuple[SecretKind, ...] = ("password", "app_secret")
                for kind in kinds:
                    entry = entry_for(profile, kind)
                    await asyncio.to_thread(self._place.keychain.delete, entry)

    # --- checking the connection --------------------------------------------

    def check_connection(self) -> None:
        """The read-only doctor for the profile in use, in its dialog (one at a time)."""
        if self.doctor is not None:
            show_window(self.doctor)
            return
        signed_in_with = self._place.signed_in_with
        if signed_in_with is None or self._closed.is_set():
            return
        profile, secrets = signed_in_with
        dialog = DoctorDialog(self.window)
        dialog.reported.connect(self._keep_check)
        dialog.finished.connect(lambda _result: self._doctor_closed(dialog))
        self.doctor = dialog
        dialog.open()
        self._operations.run(dialog.run(examination(profile, secrets, self._place.profile_name)))

    def _keep_check(self, report: Report) -> None:
        self.latest_check = report

    def _doctor_closed(self, dialog: DoctorDialog) -> None:
        if self.doctor is dialog:
            self.doctor = None
        dialog.deleteLater()

    def _open_log_folder(self) -> None:
        folder = logs.log_directory()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _diagnostics(self) -> str:
        profile = self._profile()
        state = self.presenter.state
        check = self.latest_check
        return diagnostics(
            backend=profile.backend if profile else None,
            api_url=profile.api_url if profile else None,
            connection=state.connection if state is not None else None,
            log_file=self._place.log_file,
            connection_check=render_text(check) if check is not None else None,
            toolkit=f"Qt {qVersion()}, PySide6 {PySide6.__version__}",
            settings=in_force_lines(),
        )

    def _test_sound(self, kind: SoundKind, device: str | None, volume: int) -> None:
        if kind == "ring":
            self.sounds.ring(device, volume, TEST_RING_SECONDS)
        else:
            self.sounds.chime(device, volume)

    def _profile_dialog(
        self, name: str | None, profile: Profile | None, taken: Collection[str]
    ) -> SignInDialog:
        dialog = SignInDialog(
            name=name,
            profile=profile,
            keychain_problem=self._keychain_problem,
            taken_names=taken,
            offer_demo=False,
            policy=self._place.policy,
            parent=self.settings or self.window,
        )
        dialog.checked.connect(self._keep_check)
        dialog.signed_in.connect(
            lambda _name, new_profile, secrets, checked: self._operations.run(
                self._keep_checked(new_profile, secrets, checked)
            )
        )
        return dialog

    async def _keep_checked(self, profile: Profile, secrets: Secrets, checked: Session) -> None:
        """A profile the settings added or edited signed in: keep its secrets, if the agent
        wants them kept, and close the session the check opened."""
        await checked.close()
        self.tell_not_kept(await remember(self._place.keychain, profile, secrets))

    # --- helpers ------------------------------------------------------------

    def _profile(self) -> Profile | None:
        name = self._place.profile_name
        return self._config.profiles.get(name) if name is not None else None


async def remember(keychain: Keychain, profile: Profile, secrets: Secrets) -> str | None:
    """Keep the profile's secrets in the keychain when it says so, else forget them.

    Returns why the keychain refused a secret (one of `NOT_KEPT_REASONS`), None when
    it kept them or there is none: the agent is told, so the next start's question
    comes as no surprise.
    """
    not_kept = None
    kept: tuple[tuple[SecretKind, str | None], ...] = (
        ("password", secrets.password),
        ("app_secret", secrets.app_secret),
    )
    for kind, secret in kept:
        entry = entry_for(profile, kind)
        if profile.remember_password and secret:
            if not await asyncio.to_thread(keychain.set, entry, secret):
                not_kept = keychain.refusal()
        else:
            await asyncio.to_thread(keychain.delete, entry)
    return not_kept
