"""The strip that is always visible: read at a glance, used without looking for long.

The status is a word in a coloured pill (the word alone says it all), then the time
in it, whether the link is confirmed, whether a supervisor is listening, and the
controls.
"""

from typing import Protocol

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from agent_toolbar.domain import AgentState
from agent_toolbar.ui import text, theme


class Clock(Protocol):
    """A server time as local wall-clock text (the presenter's `clock`)."""

    def __call__(self, server_time: float, *, seconds: bool = False) -> str: ...


class StatusStrip(QFrame):
    def __init__(self, controls: list[QWidget]) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        self.pill = self._label(row, self.tr("Status"))
        self.since = self._label(row, self.tr("Time in status"))
        self.link = self._label(row, self.tr("Connection"))
        self.hint = self._label(row, self.tr("What to do next"))
        self.tap = self._label(row, self.tr("Monitoring"))
        self.tap.setStyleSheet(theme.ink("problem") + " font-weight: 600;")
        self._clock: Clock = lambda server_time, *, seconds=False: ""
        row.addStretch(1)
        for control in controls:
            row.addWidget(control)

    @staticmethod
    def _label(row: QHBoxLayout, name: str) -> QLabel:
        label = QLabel()
        label.setAccessibleName(name)
        row.addWidget(label)
        return label

    def show_state(self, state: AgentState, now: float, clock: Clock) -> None:
        shown = text.headline(state, clock)
        words = f"{shown.word} · {shown.detail}" if shown.detail else shown.word
        confirmed = state.connection == "online"
        self.pill.setText(words if confirmed else f"{words}?")
        _restyle(self.pill, theme.pill(shown.tone, confirmed=confirmed))
        unconfirmed = self.tr("{status}, not confirmed").format(status=words)
        self.pill.setAccessibleDescription(words if confirmed else unconfirmed)
        self._clock = clock
        phone = text.phone_text(state)
        hint = self.tr("Log in to take calls") if state.status == "logged_out" else ""
        self.hint.setText(self.tr("Phone not registered") if phone else hint)
        self.hint.setToolTip(phone or "")
        _restyle(self.hint, theme.ink("problem" if phone else "quiet"))
        self.hint.setVisible(bool(phone or hint))
        tap = text.wiretap_text(state.wiretap)
        self.tap.setText(tap or "")
        self.tap.setVisible(tap is not None)
        self.refresh(state, now)

    def refresh(self, state: AgentState, now: float) -> None:
        since = text.time_in_status(state, now) or ""
        self.since.setText(since)
        self.since.setAccessibleDescription(since)
        link, tone = text.connection(state, lambda at: self._clock(at, seconds=True), now)
        self.link.setText(f"● {link}")
        _restyle(self.link, theme.ink(tone))
        self.link.setAccessibleDescription(link)


def _restyle(widget: QWidget, style: str) -> None:
    """Set a style sheet only when it changes: setting one re-polishes the widget, which
    under a burst of events took about 7 % of the toolbar's time (benchmarks/latency.py)."""
    if widget.styleSheet() != style:
        widget.setStyleSheet(style)
