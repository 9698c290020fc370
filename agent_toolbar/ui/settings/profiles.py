"""The settings dialog's Profiles tab: the ways to sign in, which one is the default, and the
away reasons each offers.

Adding or editing a profile opens the sign-in dialog, so a profile is only kept once
its server said yes. Removing one asks first, without a nested event loop.
"""

from collections.abc import Callable, Collection

from msgspec.structs import replace
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent_toolbar.config.policy.model import Policy
from agent_toolbar.config.settings import Config, Profile
from agent_toolbar.ui.forms import locked_words, note
from agent_toolbar.ui.signin.dialog import SignInDialog

ProfileDialog = Callable[[str | None, Profile | None, Collection[str]], SignInDialog]
"""Makes the sign-in dialog that adds a profile (name and profile None) or edits one; the
third argument is the names other profiles already use."""

_NAME = Qt.ItemDataRole.UserRole


class ProfilesTab(QWidget):
    """Signals:
    changed(): a profile was added, edited or removed, or the default or a reason changed.
    """

    changed = Signal()

    def __init__(
        self, config: Config, profile_dialog: ProfileDialog, policy: Policy | None = None
    ) -> None:
        super().__init__()
        self._profile_dialog = profile_dialog
        self._policy = policy or Policy()
        self._profiles = dict(config.profiles)
        self._default = config.default_profile
        self.asking: QMessageBox | None = None
        self.editing: SignInDialog | None = None
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Profiles"))
        title = QLabel(self.tr("&Profiles:"))
        title.setBuddy(self.list)
        self.add = self._button(self.tr("&Add…"), self.tr("Add a profile"), self._add)
        self.edit = self._button(self.tr("&Edit…"), self.tr("Edit the profile"), self._edit)
        self.remove = self._button(
            self.tr("Re&move…"), self.tr("Remove the profile"), self._ask_remove
        )
        self.make_default = self._button(
            self.tr("Make &default"), self.tr("Make the profile the default"), self._make_default
        )
        buttons = QVBoxLayout()
        for button in (self.add, self.edit, self.remove, self.make_default):
            buttons.addWidget(button)
        buttons.addStretch(1)
        lists = QHBoxLayout()
        lists.addWidget(self.list, 1)
        lists.addLayout(buttons)
        self.reasons_title = QLabel()
        self.reasons = QPlainTextEdit()
        self.reasons.setTabChangesFocus(True)
        self.reasons_title.setBuddy(self.reasons)
        self.reasons_note = note()
        self.keep_history = QCheckBox(self.tr("Keep this profile's call &history on this computer"))
        self.keep_history.setAccessibleName(self.tr("Keep call history"))
        self._history_tip = self.tr("Applies the next time the profile signs in")
        self.keep_history.setToolTip(self._history_tip)
        self.profile_locked = self._locked_note()
        self.reasons_locked = self._locked_note()
        self.keep_history_locked = self._locked_note()
        column = QVBoxLayout(self)
        column.addWidget(title)
        column.addLayout(lists, 2)
        column.addWidget(self.profile_locked)
        column.addWidget(self.reasons_title)
        column.addWidget(self.reasons, 1)
        column.addWidget(self.reasons_locked)
        column.addWidget(self.reasons_note)
        column.addWidget(self.keep_history)
        column.addWidget(self.keep_history_locked)
        self.list.currentItemChanged.connect(lambda *_: self._show_selected())
        self.list.itemDoubleClicked.connect(lambda _item: self._edit())
        self.reasons.textChanged.connect(self._reasons_edited)
        self.keep_history.toggled.connect(self._keep_history_toggled)
        self._refill(config.default_profile or next(iter(sorted(self._profiles)), None))

    def _locked_note(self) -> QLabel:
        label = note(locked_words())
        label.setVisible(False)
        return label

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    def apply_to(self, config: Config) -> Config:
        return replace(config, profiles=dict(self._profiles), default_profile=self._default)

    def problems(self) -> list[str]:
        return [
            self.tr("Give the profile {name} at least one away reason (one per line).").format(
                name=name
            )
            for name, profile in sorted(self._profiles.items())
            if profile.backend == "kazoo" and not profile.away_reasons
        ]

    def selected_name(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(_NAME)) if item is not None else None

    # --- the list ------------------------------------------------------------

    def _refill(self, selected: str | None) -> None:
        self.list.clear()
        for name in sorted(self._profiles):
            profile = self._profiles[name]
            text = self.tr("{name} (default)").format(name=name) if name == self._default else name
            item = QListWidgetItem(text)
            item.setData(_NAME, name)
            item.setToolTip(f"{_backend_name(profile)} · {profile.api_url}")
            if name == self._default:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
            if name == selected:
                self.list.setCurrentItem(item)
        self._show_selected()

    def _show_selected(self) -> None:
        name = self.selected_name()
        profile = self._profiles.get(name) if name is not None else None
        locked = self._policy.locked
        held = self._policy.profile_locked(name) if name is not None else None
        self.edit.setEnabled(profile is not None)
        self.remove.setEnabled(profile is not None and held is None)
        self.make_default.setEnabled(
            profile is not None and name != self._default and locked("default_profile") is None
        )
        _say_locked(self.remove, self.profile_locked, profile is not None and held is not None)
        telphin = profile is not None and profile.backend == "telphin"
        reasons_held = name is not None and locked(("profiles", name, "away_reasons")) is not None
        self.reasons.setEnabled(profile is not None and not telphin and not reasons_held)
        _say_locked(self.reasons, self.reasons_locked, profile is not None and reasons_held)
        self.reasons_title.setText(
            self.tr("Away &reasons for {name}, one per line:").format(name=name)
            if name is not None
            else self.tr("Away &reasons, one per line:")
        )
        self.reasons.setAccessibleName(self.tr("Away reasons"))
        self.reasons_note.setText(
            self.tr("Telphin has no Away status, so it has no away reasons.") if telphin else ""
        )
        self.reasons_note.setVisible(telphin)
        self.reasons.blockSignals(True)
        self.reasons.setPlainText("\n".join(profile.away_reasons) if profile else "")
        self.reasons.blockSignals(False)
        history_held = name is not None and locked(("profiles", name, "keep_history")) is not None
        self.keep_history.setEnabled(profile is not None and not history_held)
        _say_locked(self.keep_history, self.keep_history_locked, history_held, self._history_tip)
        self.keep_history.blockSignals(True)
        self.keep_history.setChecked(profile is None or profile.keep_history)
        self.keep_history.blockSignals(False)

    def _reasons_edited(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        reasons = _lines(self.reasons.toPlainText())
        profile = self._profiles[name]
        if reasons != profile.away_reasons:
            self._profiles[name] = replace(profile, away_reasons=reasons)
            self.changed.emit()

    def _keep_history_toggled(self, keep: bool) -> None:
        name = self.selected_name()
        if name is not None and self._profiles[name].keep_history != keep:
            self._profiles[name] = replace(self._profiles[name], keep_history=keep)
            self.changed.emit()

    # --- add, edit, remove, make default -------------------------------------

    def _add(self) -> None:
        self._open_sign_in(None)

    def _edit(self) -> None:
        self._open_sign_in(self.selected_name())

    def _open_sign_in(self, name: str | None) -> None:
        profile = self._profiles.get(name) if name is not None else None
        taken = [other for other in self._profiles if other != name]
        dialog = self._profile_dialog(name, profile, taken)
        dialog.signed_in.connect(
            lambda new_name, new_profile, _secrets, _session: self._saved(
                name, new_name, new_profile
            )
        )
        self.editing = dialog
        dialog.open()

    def _saved(self, old_name: str | None, name: str, profile: Profile) -> None:
        if old_name is not None and old_name != name:
            del self._profiles[old_name]
            if self._default == old_name:
                self._default = name
        self._profiles[name] = profile
        if self._default is None:
            self._default = name
        self._refill(name)
        self.changed.emit()

    def _ask_remove(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Remove the profile?"),
            self.tr(
                "Remove the profile {name}? The toolbar forgets its server and account, "
                "and the password it remembered for it."
            ).format(name=name),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        confirm = box.addButton(self.tr("Remove"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep it"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.finished.connect(
            lambda _result: self._answered(box, name, box.clickedButton() is confirm)
        )
        self.asking = box
        box.open()

    def _answered(self, box: QMessageBox, name: str, remove: bool) -> None:
        self.asking = None
        box.deleteLater()
        if not remove:
            return
        del self._profiles[name]
        if self._default == name:
            self._default = next(iter(sorted(self._profiles)), None)
        self._refill(self._default)
        self.changed.emit()

    def _make_default(self) -> None:
        name = self.selected_name()
        if name is not None:
            self._default = name
            self._refill(name)
            self.changed.emit()


def _say_locked(control: QWidget, words: QLabel, locked: bool, tip: str = "") -> None:
    """Show (or take away) the policy's lock on `control`: beside it, on hover (instead
    of its usual `tip`), and to screen readers."""
    said = words.text() if locked else ""
    control.setToolTip(said or tip)
    control.setAccessibleDescription(said)
    words.setVisible(locked)


def _lines(text: str) -> tuple[str, ...]:
    """The non-empty lines of `text`, trimmed, each once, in order."""
    return tuple(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


def _backend_name(profile: Profile) -> str:
    return "Telphin" if profile.backend == "telphin" else "Kazoo/Qubicle"
