"""The Windows hotkeys' logic, on any platform.

user32 cannot run here, so a stand-in plays it (the one thing mocked): it registers
chords, refuses the ones "another program" holds, and knows one keyboard layout's
punctuation. The WM_HOTKEY messages are real MSG structures, handed to the filter as
Qt's dispatcher hands Windows' (PySide6 cannot call the dispatcher's own
filterNativeEvent: its binding asks for an argument it does not accept).
"""

import ctypes
import ctypes.wintypes
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QByteArray, QKeyCombination
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from agent_toolbar.ui.hotkeys.windows import (
    ERROR_HOTKEY_ALREADY_REGISTERED,
    MOD_ALT,
    MOD_CONTROL,
    MOD_NOREPEAT,
    MOD_SHIFT,
    WM_HOTKEY,
    WindowsHotkeys,
)

ACCESS_DENIED = 5


class StandInUser32:
    """What RegisterHotKey, UnregisterHotKey and VkKeyScanW would do."""

    def __init__(self) -> None:
        self.registered: dict[int, tuple[int, int]] = {}
        self.held_elsewhere = {(MOD_CONTROL | MOD_ALT, 0x54)}  # Ctrl+Alt+T
        self.layout = {";": 0xBA, "-": 0xBD}  # VK_OEM_1, VK_OEM_MINUS on a US keyboard
        self.refuse_next: int | None = None

    def register(self, hotkey_id: int, flags: int, virtual_key: int) -> int:
        if self.refuse_next is not None:
            return self.refuse_next
        chord = (flags & ~MOD_NOREPEAT, virtual_key)
        if chord in self.held_elsewhere or chord in self.registered.values():
            return ERROR_HOTKEY_ALREADY_REGISTERED
        assert hotkey_id not in self.registered
        self.registered[hotkey_id] = chord
        return 0

    def unregister(self, hotkey_id: int) -> None:
        del self.registered[hotkey_id]

    def virtual_key_of(self, character: str) -> int | None:
        return self.layout.get(character)


@pytest.fixture
def user32() -> StandInUser32:
    return StandInUser32()


@pytest.fixture
def heard() -> list[str]:
    return []


@pytest.fixture
def hotkeys(
    qapp: QApplication, user32: StandInUser32, heard: list[str]
) -> Iterator[WindowsHotkeys]:
    made = WindowsHotkeys(heard.append, user32)
    yield made
    made.close()


def chord(text: str) -> QKeyCombination:
    combination = QKeySequence(text)[0]  # type: ignore[index]
    assert isinstance(combination, QKeyCombination)
    return combination


def deliver(
    hotkeys: WindowsHotkeys, message: int, hotkey_id: int, kind: bytes = b"windows_generic_MSG"
) -> bool:
    """Hand the filter a MSG as Qt's dispatcher would; whether the filter took it."""
    msg = ctypes.wintypes.MSG(message=message, wParam=hotkey_id)
    taken, result = hotkeys.nativeEventFilter(QByteArray(kind), ctypes.addressof(msg))
    assert result == 0
    return taken


def test_a_registered_chord_reports_its_action(
    hotkeys: WindowsHotkeys, user32: StandInUser32, heard: list[str]
) -> None:
    assert hotkeys.grab("ready", chord("Ctrl+Alt+R")) is None
    assert hotkeys.grab("away", chord("Ctrl+Shift+Num+5")) is None
    assert user32.registered == {
        1: (MOD_CONTROL | MOD_ALT, 0x52),
        2: (MOD_CONTROL | MOD_SHIFT, 0x65),
    }
    assert deliver(hotkeys, WM_HOTKEY, 2)
    assert deliver(hotkeys, WM_HOTKEY, 1)
    assert heard == ["away", "ready"]


def test_other_messages_pass_through(hotkeys: WindowsHotkeys, heard: list[str]) -> None:
    assert hotkeys.grab("ready", chord("Ctrl+Alt+R")) is None
    assert not deliver(hotkeys, WM_HOTKEY, 7)  # another id: not ours
    assert not deliver(hotkeys, 0x0100, 1)  # WM_KEYDOWN
    assert not deliver(hotkeys, WM_HOTKEY, 1, kind=b"xcb_generic_event_t")
    assert heard == []


def test_problems_are_explained(hotkeys: WindowsHotkeys, user32: StandInUser32) -> None:
    assert hotkeys.grab("show_window", chord("Ctrl+Alt+T")) == (
        "Ctrl+Alt+T is already taken by another program."
    )
    assert hotkeys.grab("away", chord("Ctrl+Alt+Volume Up")) == (
        "Ctrl+Alt+Volume Up is not on this keyboard."
    )
    assert hotkeys.grab("ready", chord("Ctrl+Alt+[")) == "Ctrl+Alt+[ is not on this keyboard."
    user32.refuse_next = ACCESS_DENIED
    assert hotkeys.grab("ready", chord("Ctrl+Alt+R")) == "Windows refused Ctrl+Alt+R (error 5)."
    assert user32.registered == {}


def test_punctuation_is_found_in_the_keyboard_layout(
    hotkeys: WindowsHotkeys, user32: StandInUser32
) -> None:
    assert hotkeys.grab("ready", chord("Ctrl+Alt+;")) is None
    assert user32.registered == {1: (MOD_CONTROL | MOD_ALT, 0xBA)}


def test_release_and_close_give_the_keys_back(
    hotkeys: WindowsHotkeys, user32: StandInUser32, heard: list[str]
) -> None:
    assert hotkeys.grab("ready", chord("Ctrl+Alt+R")) is None
    hotkeys.release_all()
    assert user32.registered == {}
    assert not deliver(hotkeys, WM_HOTKEY, 1)
    assert hotkeys.grab("away", chord("Ctrl+Alt+A")) is None
    hotkeys.close()
    assert user32.registered == {}
    assert not deliver(hotkeys, WM_HOTKEY, 1)
    hotkeys.close()  # again: harmless
    assert heard == []
