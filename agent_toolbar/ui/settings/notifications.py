"""The settings dialog's Notifications tab: desktop notifications, and how early wrap-up warns."""

from msgspec.structs import replace
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from agent_toolbar.config.policy.model import Policy
from agent_toolbar.config.settings import NotificationPreferences
from agent_toolbar.ui.forms import labelled, lockable, note

LONGEST_WARNING = 600
"""The most seconds `NotificationPreferences.wrapup_warning` allows."""


class NotificationsTab(QWidget):
    """Signals:
    changed(): a control changed.
    """

    changed = Signal()

    def __init__(
        self, notifications: NotificationPreferences, policy: Policy | None = None
    ) -> None:
        super().__init__()
        locked = (policy or Policy()).locked
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
        labelled(
            form,
            self.tr("&Warn before wrap-up ends:"),
            lockable(self.wrapup_warning, locked("preferences.notifications.wrapup_warning")),
            self.wrapup_warning,
        )
        form.addRow(note(self.tr("The warning also plays the chime when sound is on.")))
        column = QVBoxLayout(self)
        column.addWidget(lockable(self.enabled, locked("preferences.notifications.enabled")))
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
