"""Small pieces the settings and sign-in dialogs build their forms from.

Every field gets a label that is its buddy (so Alt+letter reaches it) and an
accessible name, and every choice list maps its rows to typed values.
"""

from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from agent_toolbar.ui import theme
from agent_toolbar.ui.i18n import translate

T = TypeVar("T")

_PROBLEM_COLOUR = "#b91c1c"
"""The "problem" tone of `theme`."""
PROBLEM_FIELD = f"border: 2px solid {_PROBLEM_COLOUR}; border-radius: 3px;"
"""How a field with a problem looks."""


def labelled(form: QFormLayout, text: str, field: QWidget, buddy: QWidget | None = None) -> QLabel:
    """Add `field` to `form` under `text`; `buddy` is the control inside `field` it names."""
    label = QLabel(text)
    target = buddy or field
    label.setBuddy(target)
    target.setAccessibleName(plain(text))
    form.addRow(label, field)
    return label


def plain(text: str) -> str:
    """A label's words without its mnemonic marker or trailing colon, for accessible names."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(":")


def note(text: str = "", *, problem: bool = False) -> QLabel:
    """A wrapped line of explanation; a problem shows in the problem colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if problem:
        label.setStyleSheet(theme.ink("problem"))
    return label


def fill(combo: QComboBox, choices: Sequence[tuple[T, str]], current: T) -> list[T]:
    """Put `choices` (value, words) in `combo`, select `current`, and return the values in order."""
    values = [value for value, _ in choices]
    for _, words in choices:
        combo.addItem(words)
    combo.setCurrentIndex(values.index(current))
    return values


def selected(combo: QComboBox, values: Sequence[T]) -> T:
    """The value of the row `combo` shows."""
    return values[combo.currentIndex()]


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Open at `width` x `height` (at least the size hint), within nine tenths of the screen: a
    1366x768 laptop shows all of it, and the layouts still stretch when the agent resizes."""
    wanted = window.sizeHint().expandedTo(QSize(width, height))
    screen = window.screen().availableGeometry()
    window.resize(
        min(wanted.width(), round(screen.width() * 0.9)),
        min(wanted.height(), round(screen.height() * 0.9)),
    )


def locked_words() -> str:
    """What a setting the organisation's policy locks says, beside it and on hover."""
    return translate("forms", "Set by your organisation")


def lock(field: QWidget, *also: QWidget) -> QLabel:
    """Disable `field` (and the buttons `also` beside it) as the policy locked it: the words
    show on hover and to screen readers; the small label returned shows them on the row."""
    words = locked_words()
    for widget in (field, *also):
        widget.setEnabled(False)
        widget.setToolTip(words)
    field.setAccessibleDescription(words)
    label = note(words)
    label.setObjectName("locked")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.9)
    font.setItalic(True)
    label.setFont(font)
    return label


def lockable(field: QWidget, where: str | None, control: QWidget | None = None) -> QWidget:
    """`field` itself when the policy leaves it to the agent (`where` None); otherwise
    `field` locked (see `lock`) in a row with the words beside it. `control` is the
    control inside `field` a screen reader names (default: `field`)."""
    if where is None:
        return field
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(field, 1)
    line.addWidget(lock(field))
    if control is not None:
        control.setToolTip(locked_words())
        control.setAccessibleDescription(locked_words())
    return row


class FieldRow(QWidget):
    """A field (with any buttons beside it) and the line under it that says what is wrong."""

    def __init__(self, field: QWidget, *beside: QWidget) -> None:
        super().__init__()
        self.field = field
        self._beside = beside
        self.locked: QLabel | None = None
        """The words of a lock by the policy, beside the field; None while it has none."""
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(field, 1)
        for widget in beside:
            line.addWidget(widget)
        self._line = line
        self.problem = note(problem=True)
        self.problem.setVisible(False)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(line)
        column.addWidget(self.problem)

    def lock(self) -> None:
        """The policy locked this field: disabled, with the words beside it (see `lock`)."""
        if self.locked is None:
            self.locked = lock(self.field, *self._beside)
            self._line.addWidget(self.locked)

    def show_problem(self, text: str | None) -> None:
        """Say what is wrong under the field and frame it in the problem colour; None clears it."""
        self.problem.setText(text or "")
        self.problem.setVisible(text is not None)
        self.field.setStyleSheet(PROBLEM_FIELD if text is not None else "")
        self.field.setAccessibleDescription(
            text or (self.locked.text() if self.locked is not None else "")
        )


def banner(text: str) -> QFrame:
    """A framed notice at the top of a dialog, for something the agent must know first."""
    frame = QFrame()
    frame.setObjectName("banner")
    frame.setStyleSheet(
        f"QFrame#banner {{ border: 2px solid {_PROBLEM_COLOUR}; border-radius: 6px; }}"
    )
    column = QVBoxLayout(frame)
    words = note(text, problem=True)
    words.setObjectName("bannerText")
    column.addWidget(words)
    return frame
