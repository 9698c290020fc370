"""The settings dialog's Notifications tab: desktop notifications, and how early wrap-up warns."""

from msgspec.structs import replace
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from agent_toolbar.config.settings import NotificationPreferences
from agent_toolbar.ui.forms import labelled, note

LONGEST_WARNING = 600
"""The most seconds `NotificationPreferences.wrapup_warning` allows."""


class NotificationsTab(QWidget):
    """Signals:
    changed(): a control changed.
    """

    changed = Signal()

    def __init__(self, notifications: NotificationPreferences) -> None:
        super().__init__()
        self.enabled = QCheckBox(
            self.tr(
                "&Show desktop notifications (an offer, a missed call, a sign-out, wrap-up ending)"
            )
        )
        self.enabled.setAccessibleName(self.tr("Show desktop notifications"))
        self.enabled.setChecked(notifications.enabled)
        form = QFormLayout()
        self.wrapup_warning = QSpinBox()
        self.wrapup_warning.setRange(0, LONGEST_WARNING)
        self.wrapup_warning.setSuffix(self.tr(" s", "seconds"))
        self.wrapup_warning.setValue(notifications.wrapup_warning)
        labelled(form, self.tr("&Warn before wrap-up ends:"), self.wrapup_warning)
        form.addRow(note(self.tr("The warning also plays the chime when sound is on.")))
        column = QVBoxLayout(self)
        column.addWidget(self.enabled)
        column.addLayout(form)
        column.addStretch(1)
        self.enabled.toggled.connect(self.changed)
        self.wrapup_warning.valueChanged.connect(self.changed)

    def apply_to(self, notifications: NotificationPreferences) -> NotificationPreferences:
        return replace(
            notifications,
            enabled=self.enabled.isChecked(),
            wrapup_warning=self.wrapup_warning.value(),
        )
