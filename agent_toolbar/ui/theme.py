"""Colours and style sheets in one place, so that a tone looks the same everywhere.

Every coloured thing also says what it means in words: colour is never the only cue.
"""

from agent_toolbar.ui.text import Tone

_TONES: dict[Tone, tuple[str, str]] = {
    "ready": ("#1e7e34", "#ffffff"),
    "away": ("#a14d00", "#ffffff"),
    "logged_out": ("#5f6368", "#ffffff"),
    "ringing": ("#1a56db", "#ffffff"),
    "busy": ("#0f766e", "#ffffff"),
    "wrapup": ("#6d28d9", "#ffffff"),
    "problem": ("#b91c1c", "#ffffff"),
    "quiet": ("#e5e7eb", "#111827"),
}
"""Background and text colour of each tone (white text has a contrast above 4.5:1)."""


def colour(tone: Tone) -> str:
    """The tone's own colour, for things drawn rather than styled (the tray icon)."""
    return _TONES[tone][0]


def pill(tone: Tone, *, confirmed: bool = True) -> str:
    """The status pill; unconfirmed (the link is down) it is hollow, so it cannot look sure."""
    background, text = _TONES[tone]
    if not confirmed:
        return (
            f"QLabel {{ background: transparent; color: {background}; border: 2px dashed"
            f" {background}; border-radius: 6px; padding: 0px 8px; font-weight: 600; }}"
        )
    return (
        f"QLabel {{ background: {background}; color: {text}; border-radius: 6px;"
        " padding: 2px 10px; font-weight: 600; }"
    )


def ink(tone: Tone) -> str:
    """Text in the tone's colour, for words on the window's own background."""
    color = "palette(text)" if tone == "quiet" else _TONES[tone][0]
    return f"color: {color};"


def bar(tone: Tone) -> str:
    return f"QProgressBar::chunk {{ background: {_TONES[tone][0]}; }}"


WINDOW = """
QFrame#card { border: 1px solid palette(mid); border-radius: 8px; background: palette(base); }
QFrame#demo { border: 2px dashed palette(mid); border-radius: 8px; }
QLabel#big { font-size: 15pt; font-weight: 600; }
QLabel#title { font-weight: 600; }
QProgressBar { border: 1px solid palette(mid); border-radius: 4px; text-align: center; }
"""
"""The window's style sheet: cards and the demo phone's dashed frame."""
