"""Qt's keys in each platform's terms: X keysyms and Windows virtual-key codes.

Expected values are copied from X11's keysymdef.h and Microsoft's list of virtual-key
codes, not computed the way the code computes them.
"""

import pytest
from PySide6.QtCore import Qt

from agent_toolbar.ui.hotkeys.windows import modifier_flags, virtual_key
from agent_toolbar.ui.hotkeys.x11 import keysyms

K = Qt.Key
M = Qt.KeyboardModifier

NAMED = [
    # Qt key, X keysym, Windows virtual key
    (K.Key_Space, 0x0020, 0x20),
    (K.Key_Return, 0xFF0D, 0x0D),
    (K.Key_Escape, 0xFF1B, 0x1B),
    (K.Key_Tab, 0xFF09, 0x09),
    (K.Key_Backspace, 0xFF08, 0x08),
    (K.Key_Left, 0xFF51, 0x25),
    (K.Key_Up, 0xFF52, 0x26),
    (K.Key_Right, 0xFF53, 0x27),
    (K.Key_Down, 0xFF54, 0x28),
    (K.Key_Home, 0xFF50, 0x24),
    (K.Key_End, 0xFF57, 0x23),
    (K.Key_PageUp, 0xFF55, 0x21),
    (K.Key_PageDown, 0xFF56, 0x22),
    (K.Key_Insert, 0xFF63, 0x2D),
    (K.Key_Delete, 0xFFFF, 0x2E),
    (K.Key_Pause, 0xFF13, 0x13),
    (K.Key_Print, 0xFF61, 0x2C),
    (K.Key_A, 0x0061, 0x41),
    (K.Key_R, 0x0072, 0x52),
    (K.Key_Z, 0x007A, 0x5A),
    (K.Key_0, 0x0030, 0x30),
    (K.Key_9, 0x0039, 0x39),
    (K.Key_F1, 0xFFBE, 0x70),
    (K.Key_F12, 0xFFC9, 0x7B),
    (K.Key_F13, 0xFFCA, 0x7C),
    (K.Key_F24, 0xFFD5, 0x87),
]
KEYPAD = [
    (K.Key_0, 0xFFB0, 0x60),
    (K.Key_5, 0xFFB5, 0x65),
    (K.Key_9, 0xFFB9, 0x69),
    (K.Key_Asterisk, 0xFFAA, 0x6A),
    (K.Key_Plus, 0xFFAB, 0x6B),
    (K.Key_Minus, 0xFFAD, 0x6D),
    (K.Key_Period, 0xFFAE, 0x6E),
    (K.Key_Slash, 0xFFAF, 0x6F),
    (K.Key_Enter, 0xFF8D, 0x0D),
]


@pytest.mark.parametrize(("key", "keysym", "vk"), NAMED)
def test_letters_digits_function_and_named_keys(key: Qt.Key, keysym: int, vk: int) -> None:
    assert keysyms(key, keypad=False) == (keysym,)
    assert virtual_key(key, keypad=False) == vk


@pytest.mark.parametrize(("key", "keysym", "vk"), KEYPAD)
def test_keypad_keys(key: Qt.Key, keysym: int, vk: int) -> None:
    assert keysyms(key, keypad=True) == (keysym,)
    assert virtual_key(key, keypad=True) == vk


def test_keypad_navigation_keys_are_the_keypad_ones_on_x() -> None:
    assert keysyms(K.Key_Home, keypad=True) == (0xFF95,)  # KP_Home, the 7 with NumLock off
    assert keysyms(K.Key_Space, keypad=True) == (0x0020,)  # no keypad keysym: the usual one


def test_x_has_keysyms_past_f24_and_for_characters_of_any_script() -> None:
    assert keysyms(K.Key_F35, keypad=False) == (0xFFE0,)
    assert keysyms(K.Key_Eacute, keypad=False) == (0x00E9,)  # eacute: lower case
    assert keysyms(K.Key_Exclam, keypad=False) == (0x0021,)
    # Russian layouts use the legacy Cyrillic keysyms; others may use the Unicode ones.
    assert keysyms(Qt.Key(ord("Ы")), keypad=False) == (0x06D9, 0x0100_044B)
    assert keysyms(Qt.Key(ord("Ё")), keypad=False) == (0x06A3, 0x0100_0451)
    assert keysyms(Qt.Key(ord("Ω")), keypad=False) == (0x0100_03C9,)


def test_keys_without_a_name_on_the_platform_have_none() -> None:
    for key in (K.Key_unknown, K.Key_VolumeUp, K.Key_LaunchMail):
        assert keysyms(key, keypad=False) == ()
        assert virtual_key(key, keypad=False) is None
    assert virtual_key(K.Key_F25, keypad=False) is None  # Windows stops at F24
    assert virtual_key(K.Key_Comma, keypad=False) is None  # moves with the layout


def test_windows_modifier_flags_never_repeat() -> None:
    assert modifier_flags(M.NoModifier) == 0x4000
    assert modifier_flags(M.ControlModifier | M.AltModifier) == 0x4003
    assert modifier_flags(M.ShiftModifier | M.MetaModifier) == 0x400C
    assert modifier_flags(M.ControlModifier | M.KeypadModifier) == 0x4002
