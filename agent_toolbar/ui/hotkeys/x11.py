"""System-wide keys under X11: passive grabs on the root window, on the toolbar's own X connection.

X gives a key pressed in another program's window to the one client that grabbed it on
the root window. The toolbar opens its own connection rather than borrowing Qt's (which
may be offscreen, or not X at all), so its grabs and their errors never mix with Qt's;
it reads the presses on Qt's loop through a socket notifier, without a thread.
"""

import contextlib
import gc
import itertools
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QKeyCombination, QObject, QSocketNotifier, Qt
from PySide6.QtGui import QKeySequence
from Xlib import XK, X, display, error

from agent_toolbar.support.log import ui_hotkeys as log

_NAMED: dict[Qt.Key, str] = {
    Qt.Key.Key_Space: "space",
    Qt.Key.Key_Return: "Return",
    Qt.Key.Key_Enter: "KP_Enter",
    Qt.Key.Key_Escape: "Escape",
    Qt.Key.Key_Tab: "Tab",
    Qt.Key.Key_Backspace: "BackSpace",
    Qt.Key.Key_Left: "Left",
    Qt.Key.Key_Up: "Up",
    Qt.Key.Key_Right: "Right",
    Qt.Key.Key_Down: "Down",
    Qt.Key.Key_Home: "Home",
    Qt.Key.Key_End: "End",
    Qt.Key.Key_PageUp: "Prior",
    Qt.Key.Key_PageDown: "Next",
    Qt.Key.Key_Insert: "Insert",
    Qt.Key.Key_Delete: "Delete",
    Qt.Key.Key_Pause: "Pause",
    Qt.Key.Key_Print: "Print",
    Qt.Key.Key_SysReq: "Sys_Req",
    Qt.Key.Key_Menu: "Menu",
}
"""Qt's named keys and the X keysym names for them."""

_KEYPAD: dict[Qt.Key, str] = {
    **{Qt.Key(Qt.Key.Key_0.value + digit): f"KP_{digit}" for digit in range(10)},
    Qt.Key.Key_Asterisk: "KP_Multiply",
    Qt.Key.Key_Plus: "KP_Add",
    Qt.Key.Key_Minus: "KP_Subtract",
    Qt.Key.Key_Period: "KP_Decimal",
    Qt.Key.Key_Comma: "KP_Separator",
    Qt.Key.Key_Slash: "KP_Divide",
    Qt.Key.Key_Equal: "KP_Equal",
    Qt.Key.Key_Enter: "KP_Enter",
    Qt.Key.Key_Clear: "KP_Begin",
    Qt.Key.Key_Home: "KP_Home",
    Qt.Key.Key_End: "KP_End",
    Qt.Key.Key_Left: "KP_Left",
    Qt.Key.Key_Up: "KP_Up",
    Qt.Key.Key_Right: "KP_Right",
    Qt.Key.Key_Down: "KP_Down",
    Qt.Key.Key_PageUp: "KP_Prior",
    Qt.Key.Key_PageDown: "KP_Next",
    Qt.Key.Key_Insert: "KP_Insert",
    Qt.Key.Key_Delete: "KP_Delete",
}
"""Keys Qt marks with the keypad modifier ("Num+5"), and their keypad keysyms."""

_FUNCTION_KEYS = 35
"""F1 to F35: Qt and X number them alike and in a row."""

_UNICODE_KEYSYM = 0x0100_0000
"""X spells a character without a legacy keysym as this plus its code point."""

_CYRILLIC_KEYSYM = 0x600
"""Legacy Cyrillic keysyms (the ones Russian layouts use) are this plus the KOI8-R byte."""


def keysyms(key: Qt.Key, keypad: bool) -> tuple[int, ...]:
    """The X keysyms that may stand for Qt's `key`, most likely first; none if X has no name."""
    named = (_KEYPAD if keypad else _NAMED).get(key)
    if named is None and keypad:
        named = _NAMED.get(key)
    if named is not None:
        return (XK.string_to_keysym(named),)
    first_function, code = Qt.Key.Key_F1.value, key.value
    if first_function <= code < first_function + _FUNCTION_KEYS:
        return (XK.string_to_keysym(f"F{code - first_function + 1}"),)
    if code > 0x10FFFF or not chr(code).isprintable():
        return ()
    character = chr(code).lower()
    if ord(character) <= 0xFF:
        return (ord(character),)
    try:
        cyrillic = character.encode("koi8_r")
    except UnicodeEncodeError:
        return (_UNICODE_KEYSYM + ord(character),)
    return (_CYRILLIC_KEYSYM + cyrillic[0], _UNICODE_KEYSYM + ord(character))


class XDisplayUnavailable(Exception):
    """The X display cannot be reached; the message says why, in plain words."""


@dataclass(frozen=True)
class _Masks:
    """Where this server put Alt, Super and the locks among its eight modifier bits."""

    alt: int
    meta: int
    locks: tuple[int, ...]
    """CapsLock, NumLock and ScrollLock (those mapped): a grab must not depend on them."""

    def of(self, modifiers: Qt.KeyboardModifier) -> int:
        mask = 0
        for qt, x in (
            (Qt.KeyboardModifier.ShiftModifier, X.ShiftMask),
            (Qt.KeyboardModifier.ControlModifier, X.ControlMask),
            (Qt.KeyboardModifier.AltModifier, self.alt),
            (Qt.KeyboardModifier.MetaModifier, self.meta),
        ):
            if modifiers & qt:
                mask |= x
        return mask

    def lock_states(self) -> list[int]:
        """Every combination of the locks being on, starting with none."""
        return [
            sum(chosen)
            for size in range(len(self.locks) + 1)
            for chosen in itertools.combinations(self.locks, size)
        ]

    def significant(self, state: int) -> int:
        """The modifier bits of an event's `state` that tell grabs apart (no locks, buttons)."""
        return state & 0xFF & ~sum(self.locks)


def _masks(connection: Any) -> _Masks:
    def mask_of(*names: str) -> int:
        codes = {connection.keysym_to_keycode(XK.string_to_keysym(name)) for name in names} - {0}
        for index, mapped in enumerate(connection.get_modifier_mapping()):
            if codes & set(mapped):
                return 1 << index
        return 0

    locks = (X.LockMask, mask_of("Num_Lock"), mask_of("Scroll_Lock"))
    return _Masks(
        alt=mask_of("Alt_L", "Alt_R", "Meta_L", "Meta_R") or X.Mod1Mask,
        meta=mask_of("Super_L", "Super_R") or X.Mod4Mask,
        locks=tuple(dict.fromkeys(mask for mask in locks if mask)),
    )


def _connect(name: str) -> Any:
    # python-xlib leaves a failed attempt's sockets in a cycle with its traceback: they are
    # collected here, rather than warn "unclosed socket" later, anywhere.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return display.Display(name)
        except (error.DisplayError, OSError) as failure:
            # A string, not the error: a kept log record would keep its sockets alive.
            log.info("no X connection to %s: %s", name, str(failure))
        gc.collect()
    raise XDisplayUnavailable(
        QCoreApplication.translate(
            "GlobalHotkeys", "The X display {name} cannot be reached."
        ).format(name=name)
    )


class X11Hotkeys:
    """Grabs chords on the root window of `display_name` and reports their presses.

    Holding a key down fires once: X's auto-repeat sends a release and a press with the
    same timestamp, and such a press is not a new one.
    """

    def __init__(
        self,
        display_name: str,
        on_activated: Callable[[str], None],
        on_lost: Callable[[str], None],
        parent: QObject,
    ) -> None:
        self._display: Any = _connect(display_name)
        self._display.set_error_handler(self._on_error)
        self._root: Any = self._display.screen().root
        self._masks = _masks(self._display)
        self._on_activated = on_activated
        self._on_lost = on_lost
        self._grabs: dict[tuple[int, int], str] = {}
        self._released_at: dict[int, int] = {}
        self._notifier = QSocketNotifier(self._display.fileno(), QSocketNotifier.Type.Read, parent)
        self._notifier.activated.connect(self._drain)
        self._connected = True

    def grab(self, action: str, chord: QKeyCombination) -> str | None:
        """Take `chord` for `action`; the problem in plain words if it cannot be taken."""
        shown = QKeySequence(chord).toString(QKeySequence.SequenceFormat.NativeText)
        keypad = bool(chord.keyboardModifiers() & Qt.KeyboardModifier.KeypadModifier)
        candidates = keysyms(chord.key(), keypad)
        if not candidates:
            return QCoreApplication.translate(
                "GlobalHotkeys", "{keys} cannot be taken system-wide."
            ).format(keys=shown)
        keycode = next(filter(None, map(self._display.keysym_to_keycode, candidates)), 0)
        if not keycode:
            return QCoreApplication.translate(
                "GlobalHotkeys", "{keys} is not on this keyboard."
            ).format(keys=shown)
        modifiers = self._masks.of(chord.keyboardModifiers())
        if (keycode, modifiers) in self._grabs:  # "Num+1" and "Num+End" are one key
            return QCoreApplication.translate(
                "GlobalHotkeys", "{keys} is already set for another action."
            ).format(keys=shown)
        refused = error.CatchError(error.BadAccess)
        for lock in self._masks.lock_states():
            self._root.grab_key(
                keycode, modifiers | lock, False, X.GrabModeAsync, X.GrabModeAsync, onerror=refused
            )
        try:
            self._display.sync()
        except error.ConnectionClosedError:
            self._lose()
            return QCoreApplication.translate(
                "GlobalHotkeys", "The connection to the X display was lost."
            )
        self._drain()
        if refused.get_error() is not None:
            self._ungrab([(keycode, modifiers)])
            return QCoreApplication.translate(
                "GlobalHotkeys", "{keys} is already taken by another program."
            ).format(keys=shown)
        self._grabs[(keycode, modifiers)] = action
        return None

    def release_all(self) -> None:
        """Give back every key taken, so other programs get them again."""
        grabbed, self._grabs = list(self._grabs), {}
        self._ungrab(grabbed)

    def close(self) -> None:
        """Give the keys back and hang up; harmless to call again."""
        self.release_all()
        if self._connected:
            self._hang_up()
            with contextlib.suppress(error.ConnectionClosedError):
                self._display.close()

    def _ungrab(self, chords: Iterable[tuple[int, int]]) -> None:
        if not self._connected:
            return
        try:
            for keycode, modifiers in chords:
                for lock in self._masks.lock_states():
                    self._root.ungrab_key(keycode, modifiers | lock)
            self._display.sync()
        except error.ConnectionClosedError:
            self._lose()

    def _drain(self) -> None:
        try:
            while self._display.pending_events():
                self._handle(self._display.next_event())
        except error.ConnectionClosedError:
            self._lose()

    def _handle(self, event: Any) -> None:
        if event.type == X.MappingNotify:
            self._display.refresh_keyboard_mapping(event)
        elif event.type == X.KeyRelease:
            self._released_at[event.detail] = event.time
        elif event.type == X.KeyPress and self._released_at.get(event.detail) != event.time:
            action = self._grabs.get((event.detail, self._masks.significant(event.state)))
            if action is not None:
                self._on_activated(action)

    def _hang_up(self) -> None:
        self._connected = False
        self._grabs = {}
        self._notifier.setEnabled(False)
        self._notifier.deleteLater()  # with it goes its hold on this object

    def _lose(self) -> None:
        if self._connected:
            self._hang_up()
            log.warning("the X display closed the connection; system-wide keys are off")
            self._on_lost(
                QCoreApplication.translate(
                    "GlobalHotkeys",
                    "The X display closed the connection, so system-wide keys are off.",
                )
            )

    def _on_error(self, failure: object, request: object) -> None:
        log.warning("X refused a request for system-wide keys: %s", failure)
