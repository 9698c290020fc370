"""The settings dialog's Sound tab: on or off, the volume, and where the ring and the chime play.

The ring can play on the speakers while the call is in the headset, so each sound
has its own output device and its own Test button.
"""

from collections.abc import Callable, Sequence
from typing import Literal

from msgspec.structs import replace
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from agent_toolbar.config.policy.model import Policy
from agent_toolbar.config.settings import SoundPreferences
from agent_toolbar.system.sound.devices import REASONS
from agent_toolbar.ui.forms import labelled, lockable, locked_words, note, selected
from agent_toolbar.ui.i18n import translated_reason

SoundKind = Literal["ring", "chime"]
SoundTest = Callable[[SoundKind, str | None, int], object]
"""Plays one sound now: (which, device id or None for the system default, volume 0-100)."""


class SoundTab(QWidget):
    """Signals:
    changed(): a control changed.
    """

    changed = Signal()

    def __init__(
        self,
        sound: SoundPreferences,
        devices: Sequence[tuple[str, str]],
        unavailable: str | None,
        test: SoundTest,
        policy: Policy | None = None,
    ) -> None:
        super().__init__()
        locked = (policy or Policy()).locked
        self._test = test
        self._devices = devices
        self.enabled = QCheckBox(
            self.tr("&Play sounds (a ring for an offer, a chime before wrap-up ends)")
        )
        self.enabled.setAccessibleName(self.tr("Play sounds"))
        self.enabled.setChecked(sound.enabled)
        enabled_row = lockable(self.enabled, locked("preferences.sound.enabled"))
        self.unavailable = note(
            self.tr("Sound cannot play on this computer: {reason}").format(
                reason=translated_reason("sound", REASONS, unavailable or "")
            ),
            problem=True,
        )
        self.unavailable.setVisible(unavailable is not None)
        form = QFormLayout()
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setPageStep(10)
        self.volume.setValue(sound.volume)
        self.percent = QLabel()
        self.percent.setMinimumWidth(self.percent.fontMetrics().horizontalAdvance("100 %"))
        volume_row = QWidget()
        volume_line = QHBoxLayout(volume_row)
        volume_line.setContentsMargins(0, 0, 0, 0)
        volume_line.addWidget(self.volume, 1)
        volume_line.addWidget(self.percent)
        self._volume_locked = locked("preferences.sound.volume") is not None
        labelled(
            form,
            self.tr("&Volume:"),
            lockable(volume_row, locked("preferences.sound.volume"), self.volume),
            self.volume,
        )
        self.ring_device, self._ring_ids, self.test_ring = self._device_row(
            form, self.tr("&Ring plays on:"), sound.ring_device, "ring", locked
        )
        self.chime_device, self._chime_ids, self.test_chime = self._device_row(
            form, self.tr("C&hime plays on:"), sound.chime_device, "chime", locked
        )

        for button in (self.test_ring, self.test_chime):
            button.setEnabled(unavailable is None)
        column = QVBoxLayout(self)
        column.addWidget(enabled_row)
        column.addWidget(self.unavailable)
        column.addLayout(form)
        column.addStretch(1)
        self._show_percent(sound.volume)
        self._follow_enabled(sound.enabled)
        self.volume.valueChanged.connect(self._show_percent)
        self.enabled.toggled.connect(self._follow_enabled)
        self.enabled.toggled.connect(self.changed)
        self.volume.valueChanged.connect(self.changed)
        self.ring_device.currentIndexChanged.connect(self.changed)
        self.chime_device.currentIndexChanged.connect(self.changed)

    def _device_row(
        self,
        form: QFormLayout,
        label: str,
        current: str | None,
        kind: SoundKind,
        locked: Callable[[str], str | None],
    ) -> tuple[QComboBox, list[str | None], QPushButton]:
        combo = QComboBox()
        ids: list[str | None] = [None]
        combo.addItem(self.tr("System default"))
        for device_id, name in self._devices:
            ids.append(device_id)
            combo.addItem(name)
        if current is not None and current not in ids:
            # Unplugged for now: keep it chosen, so that it plays there once it is back.
            ids.append(current)
            combo.addItem(self.tr("{device} (not connected)").format(device=current))
        combo.setCurrentIndex(ids.index(current))
        test = QPushButton(self.tr("Test"))
        test.setAccessibleName(
            self.tr("Test the ring") if kind == "ring" else self.tr("Test the chime")
        )
        test.clicked.connect(lambda: self._test(kind, selected(combo, ids), self.volume.value()))
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(combo, 1)
        line.addWidget(test)
        labelled(
            form, label, lockable(row, locked(f"preferences.sound.{kind}_device"), combo), combo
        )
        return combo, ids, test

    def apply_to(self, sound: SoundPreferences) -> SoundPreferences:
        return replace(
            sound,
            enabled=self.enabled.isChecked(),
            volume=self.volume.value(),
            ring_device=selected(self.ring_device, self._ring_ids),
            chime_device=selected(self.chime_device, self._chime_ids),
        )

    def _show_percent(self, value: int) -> None:
        self.percent.setText(self.tr("{percent} %").format(percent=value))
        said = (
            [self.percent.text(), locked_words()] if self._volume_locked else [self.percent.text()]
        )
        self.volume.setAccessibleDescription(" · ".join(said))

    def _follow_enabled(self, enabled: bool) -> None:
        for control in (self.volume, self.ring_device, self.chime_device):
            control.setEnabled(enabled)
