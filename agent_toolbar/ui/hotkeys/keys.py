"""Keys that reach the toolbar while another program has the focus (the softphone, the CRM).

Agents set themselves Ready or Away, or end wrap-up, without leaving the call screen.
Each platform takes system-wide keys its own way, or not at all: this module checks the
chords the agent chose, picks the platform's way, and reports every key it could not
take in plain words, for the settings to show next to that key.
"""

import os
import sys
from collections.abc import Mapping
from typing import Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QKeyCombination, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence

Action = TypeVar("Action", bound=str)

_MODIFIER_KEYS = frozenset(
    {
        Qt.Key.Key_Shift,
        Qt.Key.Key_Control,
        Qt.Key.Key_Alt,
        Qt.Key.Key_AltGr,
        Qt.Key.Key_Meta,
        Qt.Key.Key_Super_L,
        Qt.Key.Key_Super_R,
        Qt.Key.Key_Hyper_L,
        Qt.Key.Key_Hyper_R,
        Qt.Key.Key_CapsLock,
        Qt.Key.Key_NumLock,
        Qt.Key.Key_ScrollLock,
    }
)
_CHORD_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)
_ALONE = frozenset({Qt.Key.Key_Pause, Qt.Key.Key_Print})
"""Keys besides F1 to F35 that type nothing, so taking them alone costs no program its typing."""


class _Grabber(Protocol):
    """One platform's way of taking keys system-wide."""

    def grab(self, action: str, chord: QKeyCombination) -> str | None: ...
    def release_all(self) -> None: ...
    def close(self) -> None: ...


class _BadChord(ValueError):
    """The text names no chord the toolbar may take; the message says why."""


class GlobalHotkeys(QObject):
    """The agent's system-wide keys, where the platform lets an application take them.

    Signals:
        activated(str): the action (a name from `register`'s keys) whose key was pressed.
    """

    activated = Signal(str)

    def __init__(self, parent: QObject | None = None, *, display: str | None = None) -> None:
        """On Linux, `display` is the X display to use instead of `$DISPLAY`'s."""
        super().__init__(parent)
        self._reason: str | None = None
        self._grabber: _Grabber | None = self._platform_grabber(display)

    def unavailable(self) -> str | None:
        """None when keys can be taken here; otherwise why not, in plain words."""
        return self._reason

    def register(self, keys: Mapping[Action, str]) -> dict[Action, str]:
        """Take the key-sequence text of each action ("Ctrl+Alt+R") in place of any taken before.

        An empty text leaves its action without a key. Returns the problem of each action
        whose key was not taken; the other actions' keys work.
        """
        self.clear()
        problems: dict[Action, str] = {}
        chosen: set[int] = set()
        for action, text in keys.items():
            if not text.strip():
                continue
            try:
                chord = _chord(text)
            except _BadChord as bad:
                problems[action] = str(bad)
                continue
            if chord.toCombined() in chosen:
                problems[action] = self.tr("{keys} is already set for another action.").format(
                    keys=_shown(chord)
                )
                continue
            chosen.add(chord.toCombined())
            problem = self._grabber.grab(action, chord) if self._grabber else self._reason
            if problem is not None:
                problems[action] = problem
        return problems

    def clear(self) -> None:
        """Give every key back to the other programs."""
        if self._grabber is not None:
            self._grabber.release_all()

    def close(self) -> None:
        """Give the keys back for good, when the toolbar shuts down; harmless to call again.

        Not tied to `aboutToQuit`, which qasync emits each time a loop run ends. Should the
        process die instead, the X server and Windows free its keys themselves.
        """
        if self._grabber is not None:
            self._grabber.close()
            self._grabber = None
            self._reason = self.tr("System-wide keys are off because the toolbar is closing.")

    def _platform_grabber(self, display: str | None) -> _Grabber | None:
        if sys.platform == "win32":
            from agent_toolbar.ui.hotkeys.windows import WindowsHotkeys

            return WindowsHotkeys(self.activated.emit)
        if sys.platform == "darwin":
            self._reason = self.tr(
                "System-wide keys are not available on macOS yet; the toolbar's own "
                "shortcuts work while it has the focus."
            )
            return None
        return self._x11_grabber(display)

    def _x11_grabber(self, display: str | None) -> _Grabber | None:
        if display is None:
            if os.environ.get("WAYLAND_DISPLAY") or os.environ.get("XDG_SESSION_TYPE") == "wayland":
                self._reason = self.tr(
                    "Wayland does not let applications take system-wide keys; the toolbar's "
                    "own shortcuts work while it has the focus."
                )
                return None
            display = os.environ.get("DISPLAY")
        if not display:
            self._reason = self.tr("There is no X display to take system-wide keys on.")
            return None
        from agent_toolbar.ui.hotkeys.x11 import X11Hotkeys, XDisplayUnavailable

        try:
            return X11Hotkeys(display, self.activated.emit, self._lost, self)
        except XDisplayUnavailable as failure:
            self._reason = str(failure)
            return None

    def _lost(self, reason: str) -> None:
        self._grabber = None
        self._reason = reason


def _chord(text: str) -> QKeyCombination:
    """The one chord `text` names, if the toolbar may take it system-wide."""
    sequence = QKeySequence.fromString(text, QKeySequence.SequenceFormat.PortableText)
    keys = _chords(sequence)
    if not keys or any(chord.key() == Qt.Key.Key_unknown for chord in keys):
        raise _BadChord(
            QCoreApplication.translate(
                "GlobalHotkeys", "“{text}” is not a key combination."
            ).format(text=text.strip())
        )
    if len(keys) > 1:
        raise _BadChord(
            QCoreApplication.translate(
                "GlobalHotkeys",
                "{keys} is a sequence of keys; a system-wide key must be one combination.",
            ).format(keys=sequence.toString(QKeySequence.SequenceFormat.NativeText))
        )
    chord = keys[0]
    if chord.key() in _MODIFIER_KEYS:
        raise _BadChord(
            QCoreApplication.translate(
                "GlobalHotkeys", "{keys} has no key besides the modifiers."
            ).format(keys=_shown(chord))
        )
    if not chord.keyboardModifiers() & _CHORD_MODIFIERS and not _types_nothing(chord.key()):
        raise _BadChord(
            QCoreApplication.translate(
                "GlobalHotkeys",
                "{keys} alone would stop that key working in every other program; "
                "add Ctrl, Alt or Meta.",
            ).format(keys=_shown(chord))
        )
    return chord


def _chords(sequence: QKeySequence) -> list[QKeyCombination]:
    """The chords of `sequence`, by the indexing PySide6 has and its type stubs leave out."""
    chords = [sequence[index] for index in range(sequence.count())]  # type: ignore[index]
    return [chord for chord in chords if isinstance(chord, QKeyCombination)]


def _types_nothing(key: Qt.Key) -> bool:
    return Qt.Key.Key_F1.value <= key.value <= Qt.Key.Key_F35.value or key in _ALONE


def _shown(chord: QKeyCombination) -> str:
    return QKeySequence(chord).toString(QKeySequence.SequenceFormat.NativeText)
