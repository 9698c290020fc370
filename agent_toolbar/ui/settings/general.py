"""The settings dialog's General tab: language, start at login, quitting while Ready, logs."""

import asyncio
from collections.abc import Callable

from msgspec.structs import replace
from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from agent_toolbar.config.policy.model import Policy
from agent_toolbar.config.settings import Language, LogLevel, Preferences
from agent_toolbar.domain.quitting import QuitWhileReady
from agent_toolbar.support.log import ui as log
from agent_toolbar.support.redaction import redact
from agent_toolbar.ui.forms import fill, labelled, lockable, note, selected
from agent_toolbar.ui.operations import Operations


class GeneralTab(QWidget):
    """Signals:
    changed(): a control changed; the dialog compares the result with what it started from.
    """

    changed = Signal()

    def __init__(
        self,
        preferences: Preferences,
        open_log_folder: Callable[[], object],
        diagnostics: Callable[[], str],
        policy: Policy | None = None,
    ) -> None:
        super().__init__()
        locked = (policy or Policy()).locked
        self._open_log_folder = open_log_folder
        self._diagnostics = diagnostics
        self._copying = Operations("collecting diagnostics failed")
        form = QFormLayout()
        self.language = QComboBox()
        self._languages: list[Language] = fill(
            self.language,
            [
                ("system", self.tr("The system's language")),
                ("en", self.tr("English", "the language's own name")),
                ("ru", self.tr("Русский", "the language's own name")),
            ],
            preferences.language,
        )
        labelled(
            form,
            self.tr("&Language:"),
            lockable(self.language, locked("preferences.language")),
            self.language,
        )
        form.addRow(note(self.tr("A new language shows the next time the toolbar starts.")))
        self.start_at_login = QCheckBox(self.tr("&Start the toolbar when I log in to the computer"))
        self.start_at_login.setChecked(preferences.start_at_login)
        self.start_at_login.setAccessibleName(self.tr("Start at login"))
        form.addRow(lockable(self.start_at_login, locked("preferences.start_at_login")))
        self.quit_while_ready = QComboBox()
        self._quit_choices: list[QuitWhileReady] = fill(
            self.quit_while_ready,
            [
                ("ask", self.tr("Ask me what to do")),
                ("log_out", self.tr("Log out of the queues first")),
                ("away", self.tr("Go Away first")),
                ("stay", self.tr("Stay Ready (calls keep coming)")),
            ],
            preferences.quit_while_ready,
        )
        labelled(
            form,
            self.tr("&Quitting while Ready:"),
            lockable(self.quit_while_ready, locked("preferences.quit_while_ready")),
            self.quit_while_ready,
        )
        self.history_days = QSpinBox()
        self.history_days.setRange(1, 3650)
        self.history_days.setValue(preferences.history_days)
        self.history_days.setSuffix(self.tr(" days"))
        labelled(
            form,
            self.tr("Keep call &history for:"),
            lockable(self.history_days, locked("preferences.history_days")),
            self.history_days,
        )
        form.addRow(note(self.tr("Older calls are removed when the toolbar starts.")))
        self.log_level = QComboBox()
        self._levels: list[LogLevel] = fill(
            self.log_level,
            [
                ("debug", self.tr("Debug (everything, for support)")),
                ("info", self.tr("Info")),
                ("warning", self.tr("Warnings")),
                ("error", self.tr("Errors only")),
            ],
            preferences.log_level,
        )
        labelled(
            form,
            self.tr("Log &detail:"),
            lockable(self.log_level, locked("preferences.log_level")),
            self.log_level,
        )
        self.open_logs = QPushButton(self.tr("&Open log folder"))
        self.open_logs.setAccessibleName(self.tr("Open log folder"))
        self.open_logs.clicked.connect(lambda _checked=False: self._open_log_folder())
        self.copy_diagnostics = QPushButton(self.tr("&Copy diagnostics"))
        self.copy_diagnostics.setAccessibleName(self.tr("Copy diagnostics"))
        self.copy_diagnostics.setToolTip(
            self.tr("Versions, connection and recent log lines for support; secrets are left out")
        )
        self.copy_diagnostics.clicked.connect(self._copy)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_logs)
        buttons.addWidget(self.copy_diagnostics)
        buttons.addStretch(1)
        self.copied = note()
        self.copied.setAccessibleName(self.tr("Diagnostics"))
        self.copied.setVisible(False)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addLayout(buttons)
        column.addWidget(self.copied)
        column.addStretch(1)
        for combo in (self.language, self.quit_while_ready, self.log_level):
            combo.currentIndexChanged.connect(self.changed)
        self.start_at_login.toggled.connect(self.changed)
        self.history_days.valueChanged.connect(self.changed)

    def apply_to(self, preferences: Preferences) -> Preferences:
        return replace(
            preferences,
            language=selected(self.language, self._languages),
            start_at_login=self.start_at_login.isChecked(),
            history_days=self.history_days.value(),
            quit_while_ready=selected(self.quit_while_ready, self._quit_choices),
            log_level=selected(self.log_level, self._levels),
        )

    def stop(self) -> None:
        """Stop collecting diagnostics (the dialog is closing)."""
        self._copying.cancel()

    def _copy(self) -> None:
        """Collecting reads the log file: in a thread, so the window never freezes."""
        if not self._copying.busy:
            self.copy_diagnostics.setEnabled(False)
            self._copying.run(
                asyncio.to_thread(self._diagnostics), success=self._copied, failure=self._not_copied
            )

    def _copied(self, text: str) -> None:
        QGuiApplication.clipboard().setText(redact(text))
        self._tell(self.tr("Copied to the clipboard: paste it into your message to support."))

    def _not_copied(self, error: Exception) -> None:
        log.warning("collecting diagnostics failed: %s", redact(repr(error)))
        self._tell(
            self.tr("The diagnostics could not be collected: {reason}").format(
                reason=redact(str(error) or type(error).__name__)
            )
        )

    def _tell(self, words: str) -> None:
        self.copied.setText(words)
        self.copy_diagnostics.setEnabled(True)
        self.copied.setVisible(True)
