"""Where system-wide keys cannot be had, the agent is told why, and nothing breaks."""

import sys

import pytest
from PySide6.QtWidgets import QApplication

from agent_toolbar.config.settings import DEFAULT_HOTKEYS
from agent_toolbar.ui.hotkeys.keys import GlobalHotkeys

WAYLAND = (
    "Wayland does not let applications take system-wide keys; "
    "the toolbar's own shortcuts work while it has the focus."
)
NOWHERE = ":4242"
"""A display no server here answers."""


@pytest.fixture
def desktop(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> pytest.MonkeyPatch:
    """A Linux session with neither X nor Wayland, for each test to add to."""
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("variable", "value"), [("WAYLAND_DISPLAY", "wayland-0"), ("XDG_SESSION_TYPE", "wayland")]
)
def test_wayland_says_so_for_every_key(
    desktop: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    desktop.setenv(variable, value)
    desktop.setenv("DISPLAY", NOWHERE)  # XWayland's: its keys would reach only X programs
    hotkeys = GlobalHotkeys()
    assert hotkeys.unavailable() == WAYLAND
    assert hotkeys.register(DEFAULT_HOTKEYS) == dict.fromkeys(DEFAULT_HOTKEYS, WAYLAND)
    hotkeys.clear()
    hotkeys.close()


def test_a_bad_key_is_named_as_such_even_where_none_can_be_taken(
    desktop: pytest.MonkeyPatch,
) -> None:
    desktop.setenv("WAYLAND_DISPLAY", "wayland-0")
    problems = GlobalHotkeys().register({"ready": "Ctrl+Alt+R", "away": "Ctrl+Alt+Nope", "x": ""})
    assert problems == {"ready": WAYLAND, "away": "“Ctrl+Alt+Nope” is not a key combination."}


def test_no_display_at_all(desktop: pytest.MonkeyPatch) -> None:
    assert GlobalHotkeys().unavailable() == "There is no X display to take system-wide keys on."


def test_a_display_that_does_not_answer(desktop: pytest.MonkeyPatch) -> None:
    desktop.setenv("DISPLAY", NOWHERE)
    assert GlobalHotkeys().unavailable() == f"The X display {NOWHERE} cannot be reached."


def test_a_display_given_outright_is_used_even_under_wayland(desktop: pytest.MonkeyPatch) -> None:
    desktop.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert GlobalHotkeys(display=NOWHERE).unavailable() == (
        f"The X display {NOWHERE} cannot be reached."
    )


def test_macos_says_so(desktop: pytest.MonkeyPatch) -> None:
    desktop.setattr(sys, "platform", "darwin")
    hotkeys = GlobalHotkeys()
    assert hotkeys.unavailable() == (
        "System-wide keys are not available on macOS yet; "
        "the toolbar's own shortcuts work while it has the focus."
    )
    assert set(hotkeys.register(DEFAULT_HOTKEYS)) == set(DEFAULT_HOTKEYS)
