"""System-wide keys on a real X server (Xvfb), pressed for real with xdotool.

Only the hotkeys get the Xvfb display; Qt keeps drawing offscreen. Waits are on the
asyncio loop (qasync's), never a nested Qt loop.
"""

import asyncio
import os
import subprocess
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio
from pytestqt.qtbot import QtBot
from Xlib import XK, X, display, error

from agent_toolbar.config.settings import DEFAULT_HOTKEYS
from agent_toolbar.ui.hotkeys.keys import GlobalHotkeys
from tests.helpers.xvfb import XServer, xvfb

pytestmark = pytest.mark.asyncio

CTRL_ALT = X.ControlMask | X.Mod1Mask
"""Ctrl+Alt on Xvfb's keyboard, where Alt is Mod1."""


@pytest.fixture(scope="module")
def server() -> Iterator[XServer]:
    with xvfb() as running:
        yield running


async def run_on(name: str, *command: str) -> None:
    """Run an X client on display `name` and wait for it on the loop.

    Polled rather than waited for in a worker thread: with `asyncio.to_thread`, Qt warned
    of objects destroyed from another thread (garbage collected there), and Python
    crashed at exit.
    """
    client = subprocess.Popen(command, env={**os.environ, "DISPLAY": name})
    try:
        async with asyncio.timeout(10):
            while client.poll() is None:
                await asyncio.sleep(0.01)
    finally:
        if client.poll() is None:
            client.kill()
            client.wait()
    assert client.returncode == 0, f"{command} failed"


class Keys:
    """The hotkeys under test, what they heard, and a keyboard to press on their display."""

    def __init__(self, hotkeys: GlobalHotkeys, name: str) -> None:
        self.hotkeys = hotkeys
        self.display = name
        self.heard: asyncio.Queue[str] = asyncio.Queue()
        hotkeys.activated.connect(self.heard.put_nowait)

    async def press(self, *keys: str) -> None:
        """Type each chord (xdotool's names: "ctrl+alt+r"), with no modifier left over."""
        for chord in keys:
            await self.xdotool("key", "--clearmodifiers", chord)

    async def xdotool(self, *arguments: str) -> None:
        await run_on(self.display, "xdotool", *arguments)

    async def next(self) -> str:
        async with asyncio.timeout(5):
            return await self.heard.get()

    async def nothing_for_a_while(self) -> None:
        await asyncio.sleep(0.4)
        assert self.heard.empty(), f"heard {self.heard.get_nowait()!r}"


@pytest_asyncio.fixture
async def keys(qtbot: QtBot, server: XServer) -> AsyncIterator[Keys]:
    hotkeys = GlobalHotkeys(display=server.display)
    assert hotkeys.unavailable() is None
    try:
        yield Keys(hotkeys, server.display)
    finally:
        hotkeys.close()


class OtherProgram:
    """A second X client, as the softphone might be, grabbing keys for itself."""

    def __init__(self, name: str) -> None:
        self.connection = display.Display(name)
        self.root = self.connection.screen().root

    def grab(self, keysym: str, modifiers: int) -> bool:
        """Whether X gave it the chord (no other client held it)."""
        keycode = self.connection.keysym_to_keycode(XK.string_to_keysym(keysym))
        refused = error.CatchError(error.BadAccess)
        self.root.grab_key(
            keycode, modifiers, False, X.GrabModeAsync, X.GrabModeAsync, onerror=refused
        )
        self.connection.sync()
        return refused.get_error() is None

    async def key_presses(self) -> int:
        """The key presses it got, once any came."""
        async with asyncio.timeout(5):
            while True:
                events = [
                    self.connection.next_event() for _ in range(self.connection.pending_events())
                ]
                presses = sum(1 for event in events if event.type == X.KeyPress)
                if presses:
                    return presses
                await asyncio.sleep(0.02)

    def close(self) -> None:
        self.connection.close()


async def test_each_default_key_reports_its_action(keys: Keys) -> None:
    assert keys.hotkeys.register(DEFAULT_HOTKEYS) == {}
    for action, chord in [
        ("ready", "ctrl+alt+r"),
        ("away", "ctrl+alt+a"),
        ("finish_wrapup", "ctrl+alt+f"),
        ("extend_wrapup", "ctrl+alt+e"),
        ("show_window", "ctrl+alt+t"),
    ]:
        await keys.press(chord)
        assert await keys.next() == action
    await keys.press("ctrl+r", "alt+r", "ctrl+shift+alt+r")  # other modifiers: not ours
    await keys.nothing_for_a_while()


@pytest.mark.parametrize(
    ("chosen", "pressed"),
    [
        ("Ctrl+Alt+1", "ctrl+alt+1"),
        ("F12", "F12"),
        ("Ctrl+Shift+F24", None),
        ("Ctrl+Alt+PgDown", "ctrl+alt+Next"),
        ("Ctrl+Alt+Home", "ctrl+alt+Home"),
        ("Ctrl+Alt+Left", "ctrl+alt+Left"),
        ("Ctrl+Alt+Ins", "ctrl+alt+Insert"),
        ("Ctrl+Alt+Del", "ctrl+alt+Delete"),
        ("Ctrl+Shift+Return", "ctrl+shift+Return"),
        ("Ctrl+Alt+Esc", "ctrl+alt+Escape"),
        ("Ctrl+Alt+Print", "ctrl+alt+Print"),
        ("Ctrl+Pause", "ctrl+Pause"),
        ("Meta+Alt+Space", "super+alt+space"),
        ("Ctrl+Num+1", "ctrl+KP_End"),
        ("Ctrl+Num+Enter", "ctrl+KP_Enter"),
        ("Ctrl+Num+*", "ctrl+KP_Multiply"),
    ],
)
async def test_named_function_and_keypad_keys_work(
    keys: Keys, chosen: str, pressed: str | None
) -> None:
    problems = keys.hotkeys.register({"ready": chosen})
    if pressed is None:  # Xvfb's keyboard stops at F12
        assert problems == {"ready": f"{chosen} is not on this keyboard."}
        return
    assert problems == {}
    await keys.press(pressed)
    assert await keys.next() == "ready"


@pytest.mark.parametrize("lock", ["Num_Lock", "Caps_Lock"])
async def test_a_lock_being_on_changes_nothing(keys: Keys, server: XServer, lock: str) -> None:
    observer = OtherProgram(server.display)
    lock_bit = X.Mod2Mask if lock == "Num_Lock" else X.LockMask
    await keys.xdotool("key", lock)
    try:
        assert keys.hotkeys.register(DEFAULT_HOTKEYS) == {}
        for chord in ("ctrl+alt+r", "ctrl+alt+e"):  # --clearmodifiers would lift CapsLock
            await keys.xdotool("key", chord)
        assert [await keys.next(), await keys.next()] == ["ready", "extend_wrapup"]
        assert observer.root.query_pointer().mask & lock_bit  # the lock was on all along
    finally:
        await keys.xdotool("key", lock)
        assert not observer.root.query_pointer().mask & lock_bit
        observer.close()


async def test_a_key_another_program_holds_is_reported_and_the_rest_work(
    keys: Keys, server: XServer
) -> None:
    softphone = OtherProgram(server.display)
    try:
        assert softphone.grab("t", CTRL_ALT)
        problems = keys.hotkeys.register(DEFAULT_HOTKEYS)
        assert problems == {"show_window": "Ctrl+Alt+T is already taken by another program."}
        await keys.press("ctrl+alt+t")
        assert await softphone.key_presses() == 1  # the other program still gets its key
        await keys.press("ctrl+alt+r")
        assert await keys.next() == "ready"  # and not show_window before it
    finally:
        softphone.close()


async def test_registering_again_gives_the_old_keys_back(keys: Keys, server: XServer) -> None:
    assert keys.hotkeys.register(DEFAULT_HOTKEYS) == {}
    assert keys.hotkeys.register({"ready": "Ctrl+Alt+Y", "away": "Ctrl+Alt+A"}) == {}
    await keys.press("ctrl+alt+r", "ctrl+alt+t", "ctrl+alt+y")
    assert await keys.next() == "ready"  # the old keys came before it and were not heard
    await keys.press("ctrl+alt+a")
    assert await keys.next() == "away"
    other = OtherProgram(server.display)
    try:
        assert other.grab("r", CTRL_ALT)
        assert other.grab("t", CTRL_ALT | X.Mod2Mask)
        assert not other.grab("y", CTRL_ALT)
    finally:
        other.close()


async def test_clear_gives_every_key_back(keys: Keys, server: XServer) -> None:
    assert keys.hotkeys.register(DEFAULT_HOTKEYS) == {}
    keys.hotkeys.clear()
    await keys.press("ctrl+alt+r", "ctrl+alt+t")
    await keys.nothing_for_a_while()
    other = OtherProgram(server.display)
    try:
        for letter in "raefy":
            for lock in (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask):
                assert other.grab(letter, CTRL_ALT | lock)
    finally:
        other.close()


async def test_holding_a_key_down_fires_once(keys: Keys) -> None:
    assert keys.hotkeys.register(DEFAULT_HOTKEYS) == {}
    await keys.xdotool("keydown", "ctrl+alt+e")
    await asyncio.sleep(1.2)  # past the server's auto-repeat delay: it repeats several times
    await keys.xdotool("keyup", "ctrl+alt+e")
    await keys.press("ctrl+alt+r")
    assert [await keys.next(), await keys.next()] == ["extend_wrapup", "ready"]


async def test_keys_that_cannot_be_taken_are_explained(keys: Keys) -> None:
    problems = keys.hotkeys.register(
        {
            "ready": "Ctrl+Alt+Banana",
            "away": "Ctrl+K, Ctrl+A",
            "finish_wrapup": "Ctrl+Alt",
            "extend_wrapup": "E",
            "show_window": "Ctrl+Alt+Volume Up",
            "other": "Ctrl+Alt+F13",
            "same": "ctrl+alt+f13",
            "kept": "Ctrl+Alt+K",
            "unset": " ",
            "keypad": "Ctrl+Num+1",
            "keypad_without_numlock": "Ctrl+Num+End",
        }
    )
    assert problems == {
        "ready": "“Ctrl+Alt+Banana” is not a key combination.",
        "away": "Ctrl+K, Ctrl+A is a sequence of keys; a system-wide key must be one combination.",
        "finish_wrapup": "Ctrl+Alt has no key besides the modifiers.",
        "extend_wrapup": (
            "E alone would stop that key working in every other program; add Ctrl, Alt or Meta."
        ),
        "show_window": "Ctrl+Alt+Volume Up cannot be taken system-wide.",
        "other": "Ctrl+Alt+F13 is not on this keyboard.",
        "same": "Ctrl+Alt+F13 is already set for another action.",
        "keypad_without_numlock": "Ctrl+Num+End is already set for another action.",
    }
    await keys.press("ctrl+alt+k")
    assert await keys.next() == "kept"


async def test_a_russian_letter_takes_the_key_that_types_it(qtbot: QtBot) -> None:
    with xvfb() as own:
        hotkeys = GlobalHotkeys(display=own.display)
        keys = Keys(hotkeys, own.display)
        try:
            await _switch_to_english_and_russian(own.display)
            assert hotkeys.register({"away": "Ctrl+Alt+Ы"}) == {}
            await keys.press("ctrl+alt+s")
            assert await keys.next() == "away"
        finally:
            hotkeys.close()


async def test_the_x_server_going_away_turns_the_keys_off_quietly(qtbot: QtBot) -> None:
    with xvfb() as own:
        hotkeys = GlobalHotkeys(display=own.display)
        assert hotkeys.register(DEFAULT_HOTKEYS) == {}
        own.stop()
        async with asyncio.timeout(5):
            while hotkeys.unavailable() is None:
                await asyncio.sleep(0.02)
        assert hotkeys.unavailable() == (
            "The X display closed the connection, so system-wide keys are off."
        )
        assert hotkeys.register(DEFAULT_HOTKEYS) == dict.fromkeys(
            DEFAULT_HOTKEYS, hotkeys.unavailable()
        )
        hotkeys.clear()
        hotkeys.close()


async def _switch_to_english_and_russian(name: str) -> None:
    """Load the us,ru layouts, and wait until the server has (setxkbmap returns before)."""
    await run_on(name, "setxkbmap", "-layout", "us,ru")
    probe = display.Display(name)
    try:
        async with asyncio.timeout(5):
            while not probe.keysym_to_keycode(0x6D9):  # Cyrillic_yeru, on the S key
                await asyncio.sleep(0.05)
                for _ in range(probe.pending_events()):
                    probe.refresh_keyboard_mapping(probe.next_event())
    finally:
        probe.close()
