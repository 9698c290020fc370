"""The settings dialog: every preference and the profiles, in tabs, with OK, Apply and Cancel.

It edits a copy: the `Config` it was given is never changed, and `applied` carries a
new one. What the dialog needs from the rest of the app (sound devices, a test
sound, the log folder, diagnostics, the sign-in dialog) is handed in, so tests pass
real ones and the dialog does no I/O of its own.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from msgspec.structs import replace
from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from agent_toolbar.config.policy.model import Policy
from agent_toolbar.config.settings import Config
from agent_toolbar.ui.forms import fit_to_screen, note
from agent_toolbar.ui.settings.general import GeneralTab
from agent_toolbar.ui.settings.hotkeys import HotkeysTab
from agent_toolbar.ui.settings.notifications import NotificationsTab
from agent_toolbar.ui.settings.profiles import ProfileDialog, ProfilesTab
from agent_toolbar.ui.settings.sound import SoundTab, SoundTest


@dataclass(frozen=True)
class SettingsServices:
    """What the dialog asks of the app."""

    open_log_folder: Callable[[], object]
    diagnostics: Callable[[], str]
    """The diagnostics text to copy; it runs in a thread, as it reads the log file."""
    test_sound: SoundTest
    profile_dialog: ProfileDialog
    output_devices: Sequence[tuple[str, str]] = ()
    """(id to store, name to show) of each sound output device."""
    sound_unavailable: str | None = None
    """Why sound cannot play here, in plain words; None when it can."""
    hotkeys_unavailable: str | None = None
    """Why this desktop has no system-wide keys, in plain words; None when it has them."""


class SettingsDialog(QDialog):
    """Signals:
    applied(Config): Apply or OK with changes; the new configuration, for the app to save and use.
    """

    applied = Signal(object)

    def __init__(
        self,
        config: Config,
        services: SettingsServices,
        parent: QWidget | None = None,
        policy: Policy | None = None,
    ) -> None:
        """`policy`: what the organisation locked shows disabled, with words that say so."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._applied_config = config
        preferences = config.preferences
        self.general = GeneralTab(
            preferences, services.open_log_folder, services.diagnostics, policy
        )
        self.sound = SoundTab(
            preferences.sound,
            services.output_devices,
            services.sound_unavailable,
            services.test_sound,
            policy,
        )
        self.notifications = NotificationsTab(preferences.notifications, policy)
        self.hotkeys = HotkeysTab(preferences, services.hotkeys_unavailable, policy)
        self.profiles = ProfilesTab(config, services.profile_dialog, policy)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Settings"))
        self.tabs.addTab(self.general, self.tr("General"))
        self.tabs.addTab(self.sound, self.tr("Sound"))
        self.tabs.addTab(self.notifications, self.tr("Notifications"))
        self.tabs.addTab(self.hotkeys, self.tr("Hotkeys"))
        self.tabs.addTab(self.profiles, self.tr("Profiles"))
        self.problems = note(problem=True)
        self.problems.setAccessibleName(self.tr("Problems"))
        self.problems.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.ok_button.setAccessibleName(self.tr("OK"))
        self.apply_button.setAccessibleName(self.tr("Apply"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            self.tr("Cancel")
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.apply_button.clicked.connect(self.apply)
        column = QVBoxLayout(self)
        column.addWidget(self.tabs, 1)
        column.addWidget(self.problems)
        column.addWidget(self.buttons)
        for tab in (self.general, self.sound, self.notifications, self.hotkeys, self.profiles):
            tab.changed.connect(self._update)
        self._update()
        fit_to_screen(self, 620, 520)

    def config(self) -> Config:
        """The configuration as the dialog shows it now."""
        applied = self._applied_config
        preferences = applied.preferences
        preferences = self.general.apply_to(preferences)
        preferences = self.hotkeys.apply_to(preferences)
        preferences = replace(
            preferences,
            sound=self.sound.apply_to(preferences.sound),
            notifications=self.notifications.apply_to(preferences.notifications),
        )
        return self.profiles.apply_to(replace(applied, preferences=preferences))

    def show_hotkey_problems(self, problems: Mapping[str, str]) -> None:
        """Show, under each key, what registering it went wrong with (action -> problem)."""
        self.hotkeys.show_registration_problems(problems)

    def apply(self) -> None:
        """Hand the new configuration over, if it is valid and differs from the last one."""
        if self._problems():
            return
        config = self.config()
        if config != self._applied_config:
            self._applied_config = config
            self.applied.emit(config)
        self._update()

    def accept(self) -> None:
        if self._problems():
            return
        self.apply()
        super().accept()

    def done(self, result: int) -> None:
        self.general.stop()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        self.general.stop()
        super().closeEvent(event)

    def _problems(self) -> list[str]:
        return [*self.hotkeys.problems().values(), *self.profiles.problems()]

    def _update(self) -> None:
        problems = self._problems()
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        self.ok_button.setEnabled(not problems)
        self.apply_button.setEnabled(not problems and self.config() != self._applied_config)
