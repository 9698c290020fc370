"""The cards of the panel: a ringing offer, the call, wrap-up, and a missed offer.

Each card shows itself only when the state has something for it, and redraws its
countdown from `deadline - now` whenever the window's ticker says so.
"""

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from agent_toolbar.domain import AgentState, countdowns
from agent_toolbar.domain.state import Change
from agent_toolbar.ui import text, theme
from agent_toolbar.ui.text import LocalTime, Tone

_BAR_STEPS = 1000


class Line(QLabel):
    """Words a screen reader is told too: Qt's AT-SPI bridge gives a named label no text
    of its own, so the words go into its accessible description."""

    def setText(self, words: str, /) -> None:  # noqa: N802 (Qt's name)
        super().setText(words)
        self.setAccessibleDescription(words)


class Card(QFrame):
    """A bordered block with a title and, at its foot, a row of controls."""

    def __init__(self, title: str, controls: Sequence[QWidget]) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setVisible(False)
        self.body = QVBoxLayout(self)
        self.title = QLabel(title)
        self.title.setObjectName("title")
        self.body.addWidget(self.title)
        self._controls = controls

    def add_controls(self) -> None:
        """Put the controls last; subclasses call this after adding their own lines."""
        if not self._controls:
            return
        row = QHBoxLayout()
        for control in self._controls:
            row.addWidget(control)
        row.addStretch(1)
        self.body.addLayout(row)

    def line(self, name: str, object_name: str | None = None) -> QLabel:
        label = Line()
        label.setAccessibleName(name)
        label.setWordWrap(True)
        if object_name:
            label.setObjectName(object_name)
        self.body.addWidget(label)
        return label

    def caller_lines(self) -> None:
        """The caller's name in large, the number below it."""
        self.caller = self.line(self.tr("Caller"), "big")
        self.number = self.line(self.tr("Caller's number"))

    def show_caller(self, name: str | None, number: str | None) -> None:
        shown, below = text.caller(name, number)
        self.caller.setText(shown)
        show(self.number, below)

    def countdown(self, name: str) -> "Countdown":
        shown = Countdown(name)
        self.body.addWidget(shown)
        return shown


def show(label: QLabel, words: str | None) -> None:
    """A line shown only when it has something to say."""
    label.setText(words or "")
    label.setVisible(words is not None)


class Countdown(QWidget):
    """Time left as words above a bar: the words never sit on the bar's fill, whose edge
    would cut them in two colours, and the last seconds turn red and bold."""

    def __init__(self, name: str) -> None:
        super().__init__()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        self.words = Line()
        self.words.setAccessibleName(name)
        self.bar = QProgressBar()
        self.bar.setRange(0, _BAR_STEPS)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(self.fontMetrics().height() // 2 + 2)
        self.bar.setAccessibleName(name)
        column.addWidget(self.words)
        column.addWidget(self.bar)

    def show_time(self, fraction: float, words: str, tone: Tone, *, urgent: bool = False) -> None:
        self.bar.setValue(round(fraction * _BAR_STEPS))
        self.bar.setAccessibleDescription(words)
        self.words.setText(words)
        theme.restyle(self.bar, theme.bar("problem" if urgent else tone))
        weight = " font-weight: 700;" if urgent else ""
        theme.restyle(self.words, theme.ink("problem") + weight if urgent else "")


class OfferCard(Card):
    """Who is calling, from which queue, and how long is left to answer."""

    def __init__(self, controls: Sequence[QWidget]) -> None:
        super().__init__(self.tr("Incoming call"), controls)
        self.caller_lines()
        self.queue = self.line(self.tr("Queue"))
        self.place = self.line(self.tr("Place in queue"))
        self.bar = self.countdown(self.tr("Time left to answer"))
        self.cost = self.line(self.tr("What missing it costs"))
        self.add_controls()

    def show_state(self, state: AgentState, now: float) -> None:
        offer = state.offer
        self.setVisible(offer is not None)
        if offer is None:
            return
        self.show_caller(offer.caller_id_name, offer.caller_id_number)
        self.queue.setText(
            self.tr("Queue: {queue}").format(queue=text.queue_name(state, offer.queue_id))
        )
        show(self.cost, text.offer_cost(offer))
        theme.restyle(self.cost, theme.ink("away"))
        self.refresh(state, now)

    def refresh(self, state: AgentState, now: float) -> None:
        offer = state.offer
        if offer is None:
            return
        show(self.place, text.offer_place(offer, now))
        # No deadline: how long it has rung, with no bar; an estimate is never urgent.
        self.bar.bar.setVisible(countdowns.ring_counts_down(offer, now))
        self.bar.setToolTip(text.ring_note(offer) or "")
        urgent = theme.ring_urgent(countdowns.answer_left(offer, now))
        self.bar.show_time(
            countdowns.ring_fraction(offer, now),
            text.ring_text(offer, now),
            "ringing",
            urgent=urgent,
        )


class CallCard(Card):
    """The call being handled: who, from which queue, for how long."""

    def __init__(self, controls: Sequence[QWidget]) -> None:
        super().__init__(self.tr("On a call"), controls)
        self.caller_lines()
        self.queue = self.line(self.tr("Queue"))
        self.talk = self.line(self.tr("Talk time"))
        self.add_controls()

    def show_state(self, state: AgentState, now: float) -> None:
        call = state.call
        self.setVisible(call is not None)
        if call is None:
            return
        self.show_caller(call.caller_id_name, call.caller_id_number)
        queue = call.queue_name or text.queue_name(state, call.queue_id)
        self.queue.setText(self.tr("Queue: {queue}").format(queue=queue))
        self.refresh(state, now)

    def refresh(self, state: AgentState, now: float) -> None:
        talk = text.talk_time(state, now)
        self.talk.setText(
            self.tr("Talking for {time}").format(time=talk) if talk else self.tr("Talking")
        )


class WrapupCard(Card):
    """Wrap-up's countdown, with a warning before it ends, and what can be done about it."""

    def __init__(self, controls: Sequence[QWidget]) -> None:
        super().__init__(self.tr("Wrap-up"), controls)
        self.queue = self.line(self.tr("Queue"))
        self.bar = self.countdown(self.tr("Wrap-up time left"))
        self.warning = self.line(self.tr("Wrap-up is ending"))
        self.add_controls()

    def show_state(self, state: AgentState, now: float) -> None:
        wrapup = state.wrapup
        self.setVisible(wrapup is not None and state.call is None)
        if wrapup is None:
            return
        queue = text.queue_name(state, wrapup.queue_id)
        self.queue.setText(self.tr("After a {queue} call").format(queue=queue))
        self.refresh(state, now)

    def refresh(self, state: AgentState, now: float) -> None:
        if state.wrapup is None:
            return
        words, ending = text.wrapup_text(state, now)
        self.warning.setText(words)
        self.warning.setVisible(ending)
        theme.restyle(self.warning, theme.ink("away") + " font-weight: 600;")
        fraction = countdowns.wrapup_fraction(state, now)
        self.bar.show_time(fraction, words, "away" if ending else "wrapup")


class MissedCard(Card):
    """After a missed offer: who was missed, why the status changed, one click back."""

    def __init__(self, controls: Sequence[QWidget]) -> None:
        super().__init__(self.tr("Missed call"), controls)
        self.message = self.line(self.tr("What happened"))
        self.add_controls()

    def show_state(self, state: AgentState, dismissed: bool) -> None:
        message = text.missed_text(state)
        self.setVisible(message is not None and not dismissed and state.offer is None)
        self.title.setText(text.missed_title(state))
        self.message.setText(message or "")


class LoggedOutCard(Card):
    """Logged out by someone else: who, why, and one click to log in again."""

    def __init__(self, controls: Sequence[QWidget]) -> None:
        super().__init__(self.tr("You were logged out"), controls)
        self.message = self.line(self.tr("Who logged you out, and why"))
        self.add_controls()

    def show_state(self, change: Change | None, local: LocalTime) -> None:
        """`change` is the log-out someone else made, None when there is none to show."""
        self.setVisible(change is not None)
        if change is None:
            return
        when = local(change.at) if change.at is not None else "?"
        lines = (
            self.tr("By: {who}, at {time}").format(who=text.source_word(change.source), time=when),
            self.tr("Why: {why}").format(why=text.cause_words(change.cause)),
            self.tr("No call can ring until you log in again."),
        )
        self.message.setText("\n".join(lines))
