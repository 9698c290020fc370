"""System-wide keys on Windows: RegisterHotKey, with WM_HOTKEY caught on Qt's GUI thread.

Windows posts WM_HOTKEY to the message queue of the thread that registered the key;
that is Qt's GUI thread, whose dispatcher offers each message to native event filters
first. Nothing here touches user32 until a key is registered, so the module imports
(and its tables are tested) anywhere.
"""

import ctypes
import ctypes.wintypes
import sys
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import (
    QAbstractNativeEventFilter,
    QByteArray,
    QCoreApplication,
    QKeyCombination,
    Qt,
)
from PySide6.QtGui import QKeySequence

MOD_ALT = 0x0001
MOD_CONTROL = 0x0002
MOD_SHIFT = 0x0004
MOD_WIN = 0x0008
MOD_NOREPEAT = 0x4000
"""Holding the key down fires once, not at the keyboard's repeat rate."""
WM_HOTKEY = 0x0312
ERROR_HOTKEY_ALREADY_REGISTERED = 1409
_FIRST_ID = 1
"""Applications number their hotkeys from 0x0000 to 0xBFFF."""

_NAMED: dict[Qt.Key, int] = {
    Qt.Key.Key_Space: 0x20,
    Qt.Key.Key_Return: 0x0D,
    Qt.Key.Key_Enter: 0x0D,
    Qt.Key.Key_Escape: 0x1B,
    Qt.Key.Key_Tab: 0x09,
    Qt.Key.Key_Backspace: 0x08,
    Qt.Key.Key_Left: 0x25,
    Qt.Key.Key_Up: 0x26,
    Qt.Key.Key_Right: 0x27,
    Qt.Key.Key_Down: 0x28,
    Qt.Key.Key_Home: 0x24,
    Qt.Key.Key_End: 0x23,
    Qt.Key.Key_PageUp: 0x21,
    Qt.Key.Key_PageDown: 0x22,
    Qt.Key.Key_Insert: 0x2D,
    Qt.Key.Key_Delete: 0x2E,
    Qt.Key.Key_Pause: 0x13,
    Qt.Key.Key_Print: 0x2C,
    Qt.Key.Key_Menu: 0x5D,
}
"""Qt's named keys and their virtual-key codes (VK_SPACE, VK_RETURN, ...)."""

_KEYPAD: dict[Qt.Key, int] = {
    **{Qt.Key(Qt.Key.Key_0.value + digit): 0x60 + digit for digit in range(10)},
    Qt.Key.Key_Asterisk: 0x6A,
    Qt.Key.Key_Plus: 0x6B,
    Qt.Key.Key_Minus: 0x6D,
    Qt.Key.Key_Period: 0x6E,
    Qt.Key.Key_Slash: 0x6F,
}
"""Keys Qt marks with the keypad modifier: VK_NUMPAD0 to 9, VK_MULTIPLY, VK_ADD, ..."""

_FUNCTION_KEYS = 24
_VK_F1 = 0x70


def virtual_key(key: Qt.Key, keypad: bool) -> int | None:
    """The virtual-key code of Qt's `key` that no keyboard layout moves; None for the rest."""
    code = key.value
    if keypad and key in _KEYPAD:
        return _KEYPAD[key]
    if key in _NAMED:
        return _NAMED[key]
    if Qt.Key.Key_F1.value <= code < Qt.Key.Key_F1.value + _FUNCTION_KEYS:
        return _VK_F1 + code - Qt.Key.Key_F1.value
    if Qt.Key.Key_A.value <= code <= Qt.Key.Key_Z.value or Qt.Key.Key_0.value <= code <= 0x39:
        return code
    return None


def modifier_flags(modifiers: Qt.KeyboardModifier) -> int:
    """RegisterHotKey's modifier flags for Qt's modifiers, never repeating while held."""
    flags = MOD_NOREPEAT
    for qt, windows in (
        (Qt.KeyboardModifier.AltModifier, MOD_ALT),
        (Qt.KeyboardModifier.ControlModifier, MOD_CONTROL),
        (Qt.KeyboardModifier.ShiftModifier, MOD_SHIFT),
        (Qt.KeyboardModifier.MetaModifier, MOD_WIN),
    ):
        if modifiers & qt:
            flags |= windows
    return flags


class User32(Protocol):
    """The three user32 calls this module makes."""

    def register(self, hotkey_id: int, flags: int, virtual_key: int) -> int:
        """0 once registered, otherwise the Windows error code."""
        ...

    def unregister(self, hotkey_id: int) -> None: ...

    def virtual_key_of(self, character: str) -> int | None:
        """The key that types `character` in the current keyboard layout, if one does."""
        ...


if sys.platform == "win32":

    class _WindowsUser32:
        def __init__(self) -> None:
            self._dll = ctypes.WinDLL("user32", use_last_error=True)
            self._dll.RegisterHotKey.argtypes = (
                ctypes.wintypes.HWND,
                ctypes.c_int,
                ctypes.wintypes.UINT,
                ctypes.wintypes.UINT,
            )
            self._dll.RegisterHotKey.restype = ctypes.wintypes.BOOL
            self._dll.UnregisterHotKey.argtypes = (ctypes.wintypes.HWND, ctypes.c_int)
            self._dll.UnregisterHotKey.restype = ctypes.wintypes.BOOL
            self._dll.VkKeyScanW.argtypes = (ctypes.wintypes.WCHAR,)
            self._dll.VkKeyScanW.restype = ctypes.c_short

        def register(self, hotkey_id: int, flags: int, virtual_key: int) -> int:
            if self._dll.RegisterHotKey(None, hotkey_id, flags, virtual_key):
                return 0
            return ctypes.get_last_error() or 1

        def unregister(self, hotkey_id: int) -> None:
            self._dll.UnregisterHotKey(None, hotkey_id)

        def virtual_key_of(self, character: str) -> int | None:
            scanned = int(self._dll.VkKeyScanW(character))
            return None if scanned == -1 else scanned & 0xFF

    def _system_user32() -> User32:
        return _WindowsUser32()

else:

    def _system_user32() -> User32:
        raise OSError("user32 exists only on Windows")


class WindowsHotkeys(QAbstractNativeEventFilter):
    """Registers chords for the GUI thread and reports their WM_HOTKEY messages."""

    def __init__(self, on_activated: Callable[[str], None], user32: User32 | None = None) -> None:
        """`user32` stands in for the system's where Windows is not (in tests)."""
        super().__init__()
        self._user32 = user32 if user32 is not None else _system_user32()
        self._on_activated = on_activated
        self._actions: dict[int, str] = {}
        self._app = QCoreApplication.instance()
        if self._app is not None:
            self._app.installNativeEventFilter(self)

    def grab(self, action: str, chord: QKeyCombination) -> str | None:
        """Register `chord` for `action`; the problem in plain words if it cannot be."""
        shown = QKeySequence(chord).toString(QKeySequence.SequenceFormat.NativeText)
        modifiers = chord.keyboardModifiers()
        key = virtual_key(chord.key(), bool(modifiers & Qt.KeyboardModifier.KeypadModifier))
        if key is None and 0x20 < chord.key().value <= 0x10FFFF:
            key = self._user32.virtual_key_of(chr(chord.key().value).lower())
        if key is None:
            return QCoreApplication.translate(
                "GlobalHotkeys", "{keys} is not on this keyboard."
            ).format(keys=shown)
        hotkey_id = _FIRST_ID + len(self._actions)
        failure = self._user32.register(hotkey_id, modifier_flags(modifiers), key)
        if failure == ERROR_HOTKEY_ALREADY_REGISTERED:
            return QCoreApplication.translate(
                "GlobalHotkeys", "{keys} is already taken by another program."
            ).format(keys=shown)
        if failure:
            return QCoreApplication.translate(
                "GlobalHotkeys", "Windows refused {keys} (error {code})."
            ).format(keys=shown, code=failure)
        self._actions[hotkey_id] = action
        return None

    def release_all(self) -> None:
        """Give back every key registered, so other programs get them again."""
        for hotkey_id in self._actions:
            self._user32.unregister(hotkey_id)
        self._actions = {}

    def close(self) -> None:
        """Give the keys back and stop filtering messages; harmless to call again."""
        self.release_all()
        if self._app is not None:
            self._app.removeNativeEventFilter(self)
            self._app = None

    def nativeEventFilter(  # noqa: N802 (Qt's name)
        self, event_type: QByteArray | bytes | bytearray | memoryview, message: int
    ) -> tuple[bool, int]:
        """Take WM_HOTKEY messages for our keys; let every other message through."""
        if QByteArray(event_type).data() != b"windows_generic_MSG":
            return False, 0
        msg = ctypes.wintypes.MSG.from_address(message)
        action = self._actions.get(msg.wParam) if msg.message == WM_HOTKEY else None
        if action is None:
            return False, 0
        self._on_activated(action)
        return True, 0
