"""Every command the window offers, as a QAction with its shortcut.

Buttons, menus and keys share the actions, so a shortcut always does what the
button does, and every tooltip names its key.
"""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolButton, QWidget


def action(
    owner: QWidget,
    text: str,
    keys: str | None,
    slot: Callable[[], object],
    *,
    checkable: bool = False,
) -> QAction:
    """An action of `owner`'s window, reachable by `keys` whenever the window has focus."""
    made = QAction(text, owner)
    made.setCheckable(checkable)
    if keys:
        made.setShortcut(QKeySequence(keys))
        made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    made.triggered.connect(lambda _checked=False: slot())
    owner.addAction(made)
    retitle(made, text)
    return made


def retitle(made: QAction, text: str) -> None:
    """Change an action's text and keep its tooltip naming the shortcut."""
    made.setText(text)
    keys = made.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    made.setToolTip(f"{text.replace('&', '')} ({keys})" if keys else text.replace("&", ""))


def button(made: QAction, name: str) -> QToolButton:
    """A button for `made`, with an accessible name for screen readers."""
    shown = QToolButton()
    shown.setDefaultAction(made)
    shown.setAccessibleName(name)
    shown.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    shown.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return shown
