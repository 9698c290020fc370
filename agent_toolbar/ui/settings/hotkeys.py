"""The settings dialog's Hotkeys tab: the system-wide keys that work while another program
(the softphone, the CRM) has the focus.

A key chosen for two actions, or one that would take an ordinary key from every
program, is said under the key and blocks Apply. Problems the platform reports when
the keys are registered (a key another program holds) show under the key as well.
"""

from collections.abc import Mapping
from typing import get_args

from msgspec.structs import replace
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QKeySequenceEdit,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_toolbar.config.policy.model import Policy
from agent_toolbar.config.settings import DEFAULT_HOTKEYS, HotkeyAction, Preferences
from agent_toolbar.ui.forms import FieldRow, lockable, note

ACTIONS: tuple[HotkeyAction, ...] = get_args(HotkeyAction)
_PORTABLE = QKeySequence.SequenceFormat.PortableText
_CHORD_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class HotkeysTab(QWidget):
    """Signals:
    changed(): a key or the switch changed.
    """

    changed = Signal()

    def __init__(
        self, preferences: Preferences, unavailable: str | None, policy: Policy | None = None
    ) -> None:
        super().__init__()
        locked = (policy or Policy()).locked
        self._saved = dict(preferences.hotkeys)
        self._reported: dict[HotkeyAction, str] = {}
        self.enabled = QCheckBox(
            self.tr("&Use system-wide keys (they work while another program has the focus)")
        )
        self.enabled.setAccessibleName(self.tr("Use system-wide keys"))
        self.enabled.setChecked(preferences.hotkeys_enabled)
        self.unavailable = note(
            self.tr("This desktop does not let the toolbar use system-wide keys: {reason}").format(
                reason=unavailable or ""
            ),
            problem=True,
        )
        self.unavailable.setVisible(unavailable is not None)
        form = QFormLayout()
        self.edits: dict[HotkeyAction, QKeySequenceEdit] = {}
        self.rows: dict[HotkeyAction, FieldRow] = {}
        for action, name in self._names().items():
            edit = QKeySequenceEdit(QKeySequence(preferences.hotkeys.get(action, "")))
            edit.setMaximumSequenceLength(1)
            clear = QPushButton(self.tr("Clear"))
            clear.setAccessibleName(self.tr("Clear the key for {action}").format(action=name))
            clear.clicked.connect(edit.clear)
            row = FieldRow(edit, clear)
            label = QLabel(self.tr("{action}:").format(action=name))
            label.setBuddy(edit)
            edit.setAccessibleName(self.tr("Key for {action}").format(action=name))
            form.addRow(label, row)
            edit.keySequenceChanged.connect(lambda _keys, changed=action: self._edited(changed))
            self.edits[action] = edit
            self.rows[action] = row
        # The keys are one value of the settings: a policy locks them all, or none.
        if locked("preferences.hotkeys") is not None:
            for each in self.rows.values():
                each.lock()
        self.reset = QPushButton(self.tr("&Reset to defaults"))
        self.reset.setAccessibleName(self.tr("Reset the keys to their defaults"))
        self.reset.clicked.connect(self._reset)
        reset_row = QHBoxLayout()
        reset_row.addStretch(1)
        reset_row.addWidget(self.reset)
        column = QVBoxLayout(self)
        column.addWidget(lockable(self.enabled, locked("preferences.hotkeys_enabled")))
        column.addWidget(self.unavailable)
        column.addLayout(form)
        column.addLayout(reset_row)
        self.reset.setEnabled(locked("preferences.hotkeys") is None)
        column.addStretch(1)
        self.enabled.toggled.connect(self.changed)
        self._show_problems()

    def _names(self) -> dict[HotkeyAction, str]:
        return {
            "ready": self.tr("Ready"),
            "away": self.tr("Away"),
            "finish_wrapup": self.tr("Finish wrap-up"),
            "extend_wrapup": self.tr("Extend wrap-up"),
            "show_window": self.tr("Show the toolbar"),
        }

    def apply_to(self, preferences: Preferences) -> Preferences:
        return replace(
            preferences, hotkeys_enabled=self.enabled.isChecked(), hotkeys=self._chosen()
        )

    def _chosen(self) -> dict[HotkeyAction, str]:
        """Action to key text; an action without a key is left out. A key that did not
        change keeps its saved spelling."""
        chosen: dict[HotkeyAction, str] = {}
        for action, edit in self.edits.items():
            keys = edit.keySequence().toString(_PORTABLE)
            saved = self._saved.get(action)
            if saved is not None and QKeySequence(saved).toString(_PORTABLE) == keys:
                chosen[action] = saved
            elif keys:
                chosen[action] = keys
        return chosen

    def problems(self) -> dict[HotkeyAction, str]:
        """What is wrong with the keys as chosen, by action."""
        names = self._names()
        found: dict[HotkeyAction, str] = {}
        first_with: dict[str, HotkeyAction] = {}
        for action, edit in self.edits.items():
            keys = edit.keySequence()
            if keys.isEmpty():
                continue
            text = keys.toString(QKeySequence.SequenceFormat.NativeText)
            chord = keys[0]  # type: ignore[index]  # PySide6 has it; its stubs lack it
            if not chord.keyboardModifiers() & _CHORD_MODIFIERS and not _is_function_key(
                chord.key()
            ):
                found[action] = self.tr(
                    "{keys} alone would take that key from every program: add Ctrl, Alt or "
                    "the Windows key."
                ).format(keys=text)
            elif text in first_with:
                other = first_with[text]
                found[action] = self.tr(
                    "{keys} is already the key for {other}: choose another key."
                ).format(keys=text, other=names[other])
            else:
                first_with[text] = action
        return found

    def show_registration_problems(self, problems: Mapping[str, str]) -> None:
        """Show what registering the keys went wrong with, e.g. a key another program holds."""
        self._reported = {action: problems[action] for action in ACTIONS if action in problems}
        self._show_problems()

    def _edited(self, action: HotkeyAction) -> None:
        self._reported.pop(action, None)
        self._show_problems()
        self.changed.emit()

    def _reset(self) -> None:
        for action, edit in self.edits.items():
            edit.setKeySequence(QKeySequence(DEFAULT_HOTKEYS[action]))

    def _show_problems(self) -> None:
        mine = self.problems()
        for action, row in self.rows.items():
            row.show_problem(mine.get(action) or self._reported.get(action))


def _is_function_key(key: Qt.Key) -> bool:
    return Qt.Key.Key_F1.value <= key.value <= Qt.Key.Key_F35.value
