"""The strip that is always visible: read at a glance, used without looking for long.

The status is a word in a coloured pill (the word alone says it all), its detail (the
away reason, "all queues paused") in the same colour, then the time that matters now,
who is calling (while a call rings or is on), whether the link is confirmed, whether a
supervisor is listening, and the controls.

Every slot keeps its width whatever it says, so the strip never grows or shrinks
with its text and the controls stay where the hand expects them: what does not fit
is elided, and the tooltip says it whole.
"""

from typing import Protocol

from PySide6.QtCore import QSize
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QFrame, QHBoxLayout, QSizePolicy, QWidget

from agent_toolbar.domain import AgentState, countdowns
from agent_toolbar.ui import text, theme
from agent_toolbar.ui.i18n import translate
from agent_toolbar.ui.toolbar.elided import ElidedLabel

ROOM_EMS = 20
"""What a new window gives the status detail, the caller and the link, beside the fixed
slots and the controls."""
DETAIL_EMS = 16
"""The status detail's widest: an away reason whole, a longer one elided."""
PILL_ENDS = 28
"""The pill's padding and rounded ends, beside its words."""


class Clock(Protocol):
    """A server time as local wall-clock text (the presenter's `clock`)."""

    def __call__(self, server_time: float, *, seconds: bool = False) -> str: ...


class StatusStrip(QFrame):
    def __init__(self, controls: list[QWidget]) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        widest = self.fontMetrics().horizontalAdvance
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        pill = max(map(QFontMetrics(bold).horizontalAdvance, _pill_samples())) + PILL_ENDS
        self.pill = ElidedLabel(self.tr("Status"), pill)
        self.detail = ElidedLabel(self.tr("Status detail"))
        self.detail.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.detail.setMaximumWidth(widest("M") * DETAIL_EMS)
        self.since = ElidedLabel(self.tr("Time in status"), max(map(widest, _timer_samples())))
        self.caller = ElidedLabel(self.tr("Caller"), greedy=True)
        self.link = ElidedLabel(self.tr("Connection"))
        self.hint = ElidedLabel(self.tr("What to do next"))
        self.tap = ElidedLabel(self.tr("Monitoring"))
        self.tap.setStyleSheet(theme.ink("problem") + " font-weight: 600;")
        for label in (
            self.pill,
            self.detail,
            self.since,
            self.caller,
            self.link,
            self.hint,
            self.tap,
        ):
            row.addWidget(label, 1 if label is self.caller else 0)
        self._clock: Clock = lambda server_time, *, seconds=False: ""
        for control in controls:
            row.addWidget(control)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        """The fixed slots and controls, and room for the caller and the link."""
        hint = super().sizeHint()
        return QSize(
            hint.width() + self.fontMetrics().horizontalAdvance("M") * ROOM_EMS, hint.height()
        )

    def status_text(self) -> str:
        """The status as the agent reads it: the pill's word, and its detail if any."""
        detail = self.detail.full_text() if self.detail.isVisibleTo(self) else ""
        return f"{self.pill.full_text()} · {detail}" if detail else self.pill.full_text()

    def show_state(self, state: AgentState, now: float, clock: Clock) -> None:
        shown = text.headline(state, clock)
        words = f"{shown.word} · {shown.detail}" if shown.detail else shown.word
        confirmed = state.connection == "online"
        self.pill.set_full_text(shown.word if confirmed else f"{shown.word}?")
        theme.restyle(self.pill, theme.pill(shown.tone, confirmed=confirmed))
        unconfirmed = self.tr("{status}, not confirmed").format(status=words)
        self.pill.setAccessibleDescription(words if confirmed else unconfirmed)
        self.detail.set_full_text(shown.detail or "")
        self.detail.setVisible(shown.detail is not None)
        theme.restyle(self.detail, theme.ink(shown.tone) + " font-weight: 600;")
        self._clock = clock
        self._show_caller(state)
        phone = text.phone_text(state)
        hint = self.tr("Log in to take calls") if state.status == "logged_out" else ""
        self.hint.set_full_text(self.tr("Phone not registered") if phone else hint, phone)
        theme.restyle(self.hint, theme.ink("problem" if phone else "quiet"))
        self.hint.setVisible(bool(phone or hint))
        tap = text.wiretap_text(state.wiretap)
        self.tap.set_full_text(tap or "")
        self.tap.setVisible(tap is not None)
        self.refresh(state, now)

    def _show_caller(self, state: AgentState) -> None:
        """Who is calling and from which queue: the strip alone is enough to pick up."""
        offer, call = state.offer, state.call
        if offer is not None:
            name, number = offer.caller_id_name, offer.caller_id_number
            queue_name = text.queue_name(state, offer.queue_id) if offer.queue_id else None
        elif call is not None:
            name, number = call.caller_id_name, call.caller_id_number
            queue_name = call.queue_name or (
                text.queue_name(state, call.queue_id) if call.queue_id else None
            )
        else:
            self.caller.set_full_text("")
            self.caller.setVisible(False)
            return
        who, _ = text.caller(name, number)
        words = self.tr("{caller} · {queue}").format(caller=who, queue=queue_name)
        self.caller.set_full_text(words if queue_name else who)
        self.caller.setVisible(True)

    def refresh(self, state: AgentState, now: float) -> None:
        since = text.time_in_status(state, now) or ""
        self.since.set_full_text(since)
        left = countdowns.answer_left(state.offer, now) if state.offer is not None else None
        urgent = theme.ink("problem") + " font-weight: 700;" if theme.ring_urgent(left) else ""
        theme.restyle(self.since, urgent)
        link, tone = text.connection(state, lambda at: self._clock(at, seconds=True), now)
        self.link.set_full_text(f"● {link}")
        self.link.setAccessibleDescription(link)
        theme.restyle(self.link, theme.ink(tone))


def _pill_samples() -> list[str]:
    """Every word the pill says, unconfirmed: its slot holds each whole."""
    words = ("Ready", "Away", "Logged out", "Ringing", "On a call", "Wrap-up", "On another call")
    return [f"{translate('text', word)}?" for word in words]


def _timer_samples() -> list[str]:
    """The timer's words at their longest in minutes: its slot holds them whole."""
    return [
        translate("text", "{time} to answer").format(time="00:00"),
        translate("text", "talking {time}").format(time="00:00"),
        translate("text", "for {time}").format(time="0:00:00"),
        translate("text", "{time} left").format(time="00:00"),
    ]
