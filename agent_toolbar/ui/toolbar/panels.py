"""The panel's status lines: the agent's stats, a change in progress, a deferred change."""

from collections.abc import Sequence

from PySide6.QtWidgets import QHBoxLayout, QWidget

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.state import NOT_DONE, CommandProgress
from agent_toolbar.ui import text, theme
from agent_toolbar.ui.toolbar.cards import Card, Line


class StatsLine(Line):
    """Calls taken, missed, average talk time, time logged in."""

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName(self.tr("Your stats"))
        self.setWordWrap(True)

    def show_state(self, state: AgentState, now: float) -> None:
        self.setText(
            "   ·   ".join(
                f"{label} {value}"
                for label, value in text.stats_text(
                    state.stats, now, logged_in=state.status != "logged_out"
                )
            )
        )


class CommandLine(Card):
    """The last change the agent asked for while it is pending, or why it failed, with a retry."""

    def __init__(self, controls: Sequence[QWidget]) -> None:
        super().__init__(self.tr("Your change"), controls)
        self.message = self.line(self.tr("Change in progress"))
        self.add_controls()
        self.progress: CommandProgress | None = None

    def show_state(self, state: AgentState, dismissed: set[int]) -> None:
        shown = next(
            (
                each
                for each in reversed(state.commands)
                if each.phase == "pending" or (each.phase in NOT_DONE and each.id not in dismissed)
            ),
            None,
        )
        self.progress = shown
        self.setVisible(shown is not None)
        if shown is None:
            return
        words, tone = text.command_text(state, shown)
        self.message.setText(words)
        self.message.setStyleSheet(theme.ink(tone))
        for control in self._controls:
            control.setVisible(shown.phase in NOT_DONE)


class DeferralLine(QWidget):
    """A change that waits for the end of the call or wrap-up, and its cancel button."""

    def __init__(self, cancel: QWidget) -> None:
        super().__init__()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.message = Line()
        self.message.setAccessibleName(self.tr("Deferred change"))
        row.addWidget(self.message)
        row.addWidget(cancel)
        row.addStretch(1)
        self.setVisible(False)

    def show_state(self, state: AgentState) -> None:
        words = text.deferred_text(state)
        self.setVisible(words is not None)
        self.message.setText(self.tr("Planned: {change}").format(change=words) if words else "")
