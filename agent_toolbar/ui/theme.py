"""Colours and style sheets in one place, so that a tone looks the same everywhere.

Every coloured thing also says what it means in words: colour is never the only cue.
Every text meets WCAG AA contrast (4.5:1) on what it is drawn on, in light and dark
desktop themes alike: words in a tone's colour take a lighter shade of it on a dark
window (tests/ui/toolbar/test_contrast.py measures the pixels of the real window in both).
"""

from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

from agent_toolbar.ui.text import Tone

_TONES: dict[Tone, tuple[str, str]] = {
    "ready": ("#1b7430", "#ffffff"),
    "away": ("#a14d00", "#ffffff"),
    "logged_out": ("#5f6368", "#ffffff"),
    "ringing": ("#1a56db", "#ffffff"),
    "busy": ("#0f766e", "#ffffff"),
    "wrapup": ("#6d28d9", "#ffffff"),
    "problem": ("#b91c1c", "#ffffff"),
    "quiet": ("#e5e7eb", "#111827"),
}
"""Background and text colour of each tone (white text has a contrast above 4.5:1)."""

_ON_DARK: dict[Tone, str] = {
    "ready": "#4ade80",
    "away": "#fbbf24",
    "logged_out": "#d1d5db",
    "ringing": "#93c5fd",
    "busy": "#5eead4",
    "wrapup": "#c4b5fd",
    "problem": "#fca5a5",
}
"""Each tone's words on a dark window: the fill colours are too dark to read there."""

RING_URGENT_SECONDS = 5
"""A ring's last seconds: its countdown turns red and bold, on the card and the strip."""


def ring_urgent(left: float | None) -> bool:
    """Whether a ring with `left` seconds to answer is in its last seconds."""
    return left is not None and left <= RING_URGENT_SECONDS


def dark() -> bool:
    """Whether the desktop's theme is dark (light words on a dark window)."""
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def colour(tone: Tone) -> str:
    """The tone's own colour, for things drawn rather than styled (the tray icon)."""
    return _TONES[tone][0]


def _words(tone: Tone) -> str:
    """The tone's colour for words on the window's own background."""
    if tone == "quiet":
        return "palette(text)"
    return _ON_DARK[tone] if dark() else _TONES[tone][0]


def pill(tone: Tone, *, confirmed: bool = True) -> str:
    """The status pill; unconfirmed (the link is down) it is hollow, so it cannot look sure."""
    background, text = _TONES[tone]
    if not confirmed:
        outline = _words(tone)
        return (
            f"QLabel {{ background: transparent; color: {outline}; border: 2px dashed"
            f" {outline}; border-radius: 6px; padding: 0px 8px; font-weight: 600; }}"
        )
    return (
        f"QLabel {{ background: {background}; color: {text}; border-radius: 6px;"
        " padding: 2px 10px; font-weight: 600; }"
    )


def ink(tone: Tone) -> str:
    """Text in the tone's colour, for words on the window's own background."""
    return f"color: {_words(tone)};"


def bar(tone: Tone) -> str:
    return f"QProgressBar::chunk {{ background: {_TONES[tone][0]}; }}"


WINDOW = """
QFrame#card { border: 1px solid palette(mid); border-radius: 8px; background: palette(base); }
QFrame#demo { border: 2px dashed palette(mid); border-radius: 8px; }
QLabel#big { font-size: 15pt; font-weight: 600; }
QLabel#title { font-weight: 600; }
QProgressBar { border: 1px solid palette(mid); border-radius: 4px; text-align: center; }
QAbstractItemView { border: 2px solid palette(mid); }
QAbstractItemView:focus { border-color: palette(highlight); }
"""
"""The window's style sheet: cards and the demo phone's dashed frame; a list (the timeline)
shows the focus by its border, which the style alone draws too faintly to see."""


def restyle(widget: QWidget, style: str) -> None:
    """Set a style sheet only when it changes: setting one re-polishes the widget, which
    under a burst of events took about 7 % of the toolbar's time (benchmarks/latency.py)."""
    if widget.styleSheet() != style:
        widget.setStyleSheet(style)
