"""The toolbar window: a compact strip that stays on top, and a panel that opens when
something needs the agent (a ringing call, a missed one, a failed change, a sign-out).

Every control is an action with a shortcut named in its tooltip. The window keeps
its position and size per screen. One single-shot timer redraws what counts down,
scheduled only for the moment the display next changes.
"""

from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agent_toolbar.domain import AgentState, countdowns
from agent_toolbar.domain.alerts import logged_out_by_other
from agent_toolbar.domain.commands import Pause, Resume
from agent_toolbar.domain.state import NOT_DONE, Change, MissedOffer
from agent_toolbar.ui import text, theme
from agent_toolbar.ui.actions import QUEUE_KEYS, ToolbarActions, button, on_trigger, retitle
from agent_toolbar.ui.i18n import translate
from agent_toolbar.ui.presenter import Presenter
from agent_toolbar.ui.toolbar.cards import (
    CallCard,
    LoggedOutCard,
    MissedCard,
    OfferCard,
    WrapupCard,
)
from agent_toolbar.ui.toolbar.panels import CommandLine, DeferralLine, StatsLine
from agent_toolbar.ui.toolbar.queues import QueuesView
from agent_toolbar.ui.toolbar.strip import StatusStrip
from agent_toolbar.ui.toolbar.timeline import TimelineView
from agent_toolbar.ui.toolbar.window_slot import WindowSlot

COMPACT_LINES = 14
"""The panel's scrolling part (queues, stats, timeline) until the agent sizes it: a few
lines of text high, so that a ringing call does not cover the agent's work."""


class ToolbarWindow(QWidget):
    """Shows `actions` as buttons and menus, and takes their keys.

    Signals:
    closed(): the window was closed; the application then stops the session.
    """

    closed = Signal()

    def __init__(self, presenter: Presenter, actions: ToolbarActions, settings: QSettings) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Agent toolbar"))
        self.setStyleSheet(theme.WINDOW)
        self._presenter = presenter
        self.toolbar_actions = actions
        self._settings = settings
        self._state: AgentState | None = None
        self._dismissed: set[int] = set()
        self._missed_dismissed: MissedOffer | None = None
        self._logout_dismissed: Change | None = None
        self._sizing = False
        self._panel_by_agent = False
        self._defer_buttons: list[QToolButton] = []
        self._slot = WindowSlot(settings.fileName())
        self._take_actions()
        self._layout()
        self._ticker = QTimer(self)
        self._ticker.setSingleShot(True)
        self._ticker.timeout.connect(self._tick)
        presenter.changed.connect(self.show_state)
        self._restore()
        if presenter.state is not None:
            self.show_state(presenter.state)

    # --- actions ------------------------------------------------------------

    def _take_actions(self) -> None:
        """The keys of every action work here; what an action does to this window, it says."""
        self.addActions(self.toolbar_actions.every)
        for made, slot in (
            (self.toolbar_actions.away, self._open_away_menu),
            (self.toolbar_actions.defer_away, self._open_defer_menu),
            (self.toolbar_actions.retry, self._retry),
            (self.toolbar_actions.dismiss, self._dismiss),
            (self.toolbar_actions.panel, self._toggle_panel),
            (self.toolbar_actions.on_top, self._apply_on_top),
            (self.toolbar_actions.quit, self.close),
        ):
            on_trigger(made, slot)

    def _open_away_menu(self) -> None:
        self.away_button.showMenu()

    def _open_defer_menu(self) -> None:
        for shown in self._defer_buttons:
            if shown.isVisibleTo(self):
                shown.showMenu()

    def _retry(self) -> None:
        progress = self.command_line.progress
        if progress is not None and progress.phase in NOT_DONE:
            self._dismissed.add(progress.id)
            self._presenter.execute(progress.command)

    def _dismiss(self) -> None:
        progress = self.command_line.progress
        if progress is not None and progress.phase in NOT_DONE:
            self._dismissed.add(progress.id)
        elif self._state is not None and self.missed_card.isVisible():
            self._missed_dismissed = self._state.missed_offer
        elif self._state is not None and self.logged_out_card.isVisible():
            self._logout_dismissed = logged_out_by_other(self._state)
        if self._state is not None:
            self.show_state(self._state)

    # --- layout -------------------------------------------------------------

    def _layout(self) -> None:
        self.strip = StatusStrip(self._strip_controls())
        self._cards()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.strip)
        outer.addWidget(self._panel(), 1)

    def _strip_controls(self) -> list[QWidget]:
        """The strip's controls, each as wide as its widest words."""
        self.away_button = button(self.toolbar_actions.away, self.tr("Away, with a reason"))
        self.away_button.setMenu(self.toolbar_actions.away_menu)
        self.away_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.queues_button = QToolButton()
        self.queues_button.setAccessibleName(self.tr("Queues"))
        self.queues_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.queues_button.clicked.connect(self._show_queues)
        _retain_room(self.queues_button)
        menu_button = QToolButton()
        menu_button.setText("☰")
        menu_button.setAccessibleName(self.tr("Menu"))
        menu_button.setToolTip(self.tr("Menu"))
        menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(menu_button)
        for item in (
            self.toolbar_actions.on_top,
            self.toolbar_actions.panel,
            self.toolbar_actions.dial,
            self.toolbar_actions.reconnect,
            self.toolbar_actions.check_connection,
            self.toolbar_actions.settings,
            self.toolbar_actions.quit,
        ):
            menu.addAction(item)
        menu_button.setMenu(menu)
        self.ready_button = button(self.toolbar_actions.ready, self.tr("Ready"))
        login_button = button(self.toolbar_actions.login, self.tr("Log in or out"))
        panel_button = button(self.toolbar_actions.panel, self.tr("Show or hide the panel"))
        _widest(login_button, (self.tr("Log &in"), self.tr("Log &out")))
        panel_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        panel_button.setArrowType(Qt.ArrowType.DownArrow)
        self._panel_button = panel_button
        self._queues_frame = _widest(self.queues_button, _queue_summaries())
        self.queues_button.setFixedWidth(self.queues_button.minimumWidth())
        return [
            self.ready_button,
            self.away_button,
            login_button,
            self.queues_button,
            panel_button,
            menu_button,
        ]

    def _cards(self) -> None:
        self.offer_card = OfferCard([self._open_in_crm()])
        self.call_card = CallCard([self._open_in_crm(), *self._plans()])
        self.wrapup_card = WrapupCard(
            [
                button(self.toolbar_actions.extend, self.tr("Extend wrap-up")),
                button(self.toolbar_actions.finish, self.tr("Finish wrap-up")),
                *self._plans(),
            ]
        )
        self.missed_card = MissedCard(
            [
                button(self.toolbar_actions.ready, self.tr("Ready again")),
                button(self.toolbar_actions.call_back, self.tr("Call the missed caller back")),
                button(self.toolbar_actions.dismiss, self.tr("Dismiss")),
            ]
        )
        self.logged_out_card = LoggedOutCard(
            [
                button(self.toolbar_actions.login, self.tr("Log in again")),
                button(self.toolbar_actions.dismiss, self.tr("Dismiss")),
            ]
        )
        self.command_line = CommandLine(
            [
                button(self.toolbar_actions.retry, self.tr("Retry the change")),
                button(self.toolbar_actions.dismiss, self.tr("Dismiss the failure")),
            ]
        )
        self.deferral_line = DeferralLine(
            button(self.toolbar_actions.cancel_deferred, self.tr("Cancel the planned change"))
        )
        self.queues_view = QueuesView(lambda n: f"Ctrl+{n}" if n <= QUEUE_KEYS else "")
        self.queues_view.pause.connect(
            lambda queue, timeout: self._presenter.execute(Pause(queue_id=queue, timeout=timeout))
        )
        self.queues_view.resume.connect(
            lambda queue: self._presenter.execute(Resume(queue_id=queue))
        )
        self.stats_line = StatsLine()
        self.timeline = TimelineView()

    def _panel(self) -> QWidget:
        """What needs the agent (the caller, the wrap-up) stays above the scrolling part
        (queues, stats, timeline), so no scroll and no focus moving into the timeline can
        hide the next caller."""
        pinned = QWidget()
        attention = QVBoxLayout(pinned)
        attention.setContentsMargins(9, 9, 9, 0)
        if self.toolbar_actions.demo is not None:
            attention.addWidget(self._demo_phone())
        for card in (
            self.offer_card,
            self.call_card,
            self.wrapup_card,
            self.missed_card,
            self.logged_out_card,
            self.deferral_line,
            self.command_line,
        ):
            attention.addWidget(card)
        self._content = content = QWidget()
        column = QVBoxLayout(content)
        for part in (self.queues_view, self.stats_line, self.timeline):
            column.addWidget(part)
        column.addStretch(1)
        self.panel_scroll = QScrollArea()
        self.panel_scroll.setWidget(content)
        self.panel_scroll.setWidgetResizable(True)
        self.panel_scroll.setFrameShape(QFrame.Shape.NoFrame)
        # Not a Tab stop: frameless, it could show no focus; it scrolls to the focused control.
        self.panel_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.panel_area = QWidget()
        panel = QVBoxLayout(self.panel_area)
        panel.setContentsMargins(0, 0, 0, 0)
        panel.setSpacing(0)
        panel.addWidget(pinned)
        panel.addWidget(self.panel_scroll, 1)
        self.panel_area.setVisible(False)
        return self.panel_area

    def add_panel_part(self, part: QWidget) -> None:
        """A part of the panel's scrolling part that the desktop owns (the call history),
        below the timeline."""
        column = self._content.layout()
        if isinstance(column, QVBoxLayout):
            column.insertWidget(column.count() - 1, part)

    def _open_in_crm(self) -> QWidget:
        """The screen pop by hand, on the offer and the call cards (hidden without a template)."""
        return button(self.toolbar_actions.open_in_crm, self.tr("Open the caller in the CRM"))

    def _plans(self) -> list[QWidget]:
        """Changes for after the call or wrap-up; the call and wrap-up cards each have a set."""
        away = button(
            self.toolbar_actions.defer_away,
            self.tr("Away after this call or wrap-up, with a reason"),
        )
        away.setMenu(self.toolbar_actions.defer_menu)
        away.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._defer_buttons.append(away)
        return [away, button(self.toolbar_actions.defer_logout, self.tr("Log out after wrap-up"))]

    def _demo_phone(self) -> QFrame:
        frame = QFrame()
        frame.setObjectName("demo")
        row = QHBoxLayout(frame)
        title = QLabel(self.tr("Demo phone (simulator only):"))
        title.setObjectName("title")
        row.addWidget(title)
        for item, name in (
            (self.toolbar_actions.answer, self.tr("Answer the ringing call (demo)")),
            (self.toolbar_actions.decline, self.tr("Decline the ringing call (demo)")),
            (self.toolbar_actions.hang_up, self.tr("Hang up the call (demo)")),
            (self.toolbar_actions.call_in, self.tr("Make a new caller arrive (demo)")),
        ):
            row.addWidget(button(item, name))
        row.addStretch(1)
        return frame

    # --- showing the state --------------------------------------------------

    def show_state(self, state: AgentState) -> None:
        self._state = state
        now = self._presenter.now()
        clock = self._presenter.clock
        logged_in = state.status != "logged_out"
        missed_dismissed = (
            state.missed_offer is not None and state.missed_offer == self._missed_dismissed
        )
        self.strip.show_state(state, now, clock)
        self.offer_card.show_state(state, now)
        self.call_card.show_state(state, now)
        self.wrapup_card.show_state(state, now)
        self.missed_card.show_state(state, missed_dismissed)
        logout = logged_out_by_other(state)
        self.logged_out_card.show_state(
            None if logout == self._logout_dismissed else logout,
            lambda at: clock(at, seconds=True),
        )
        self.command_line.show_state(state, self._dismissed)
        self.deferral_line.show_state(state)
        self.queues_view.show_state(state, clock)
        self.stats_line.show_state(state, now)
        self.timeline.show_history(state, lambda at: clock(at, seconds=True))
        summary = text.queue_summary(state)
        room = self.queues_button.width() - self._queues_frame
        self.queues_button.setText(
            self.queues_button.fontMetrics().elidedText(summary, Qt.TextElideMode.ElideRight, room)
        )
        self.queues_button.setToolTip(summary)
        self.queues_button.setAccessibleDescription(summary)
        can = self._presenter.capabilities
        # What the server cannot do is hidden, not faked (Telphin has no pause); Ready and
        # Away hide with their actions (`button`).
        self.queues_view.setVisible(can.pause_queues)
        self.queues_button.setVisible(logged_in and can.pause_queues)
        self._follow_attention(state)
        self._schedule(state, now)

    def _follow_attention(self, state: AgentState) -> None:
        """Open the panel while something needs the agent (a call from ringing to the end of
        wrap-up, a missed call, a failed change, a sign-out); close it if it opened itself."""
        signed_out = state.connection == "offline" and state.connection_problem is not None
        needs = (
            state.activity in ("offered", "on_call", "wrapup")
            or not self.missed_card.isHidden()
            or not self.logged_out_card.isHidden()
            or (
                self.command_line.progress is not None
                and self.command_line.progress.phase in NOT_DONE
            )
            or signed_out
        )
        if needs and not self.panel_area.isVisible():
            self._set_panel(True)
        elif not needs and self.panel_area.isVisible() and not self._panel_by_agent:
            self._set_panel(False)

    def _schedule(self, state: AgentState, now: float) -> None:
        delay = countdowns.next_redraw(state, now)
        if delay is None:
            self._ticker.stop()
        else:
            self._ticker.start(max(1, round(delay * 1000)))

    def _tick(self) -> None:
        state = self._state
        if state is None:
            return
        now = self._presenter.now()
        self.strip.refresh(state, now)
        self.offer_card.refresh(state, now)
        self.call_card.refresh(state, now)
        self.wrapup_card.refresh(state, now)
        self.stats_line.show_state(state, now)
        self._schedule(state, now)

    # --- the panel, staying on top, and where the window goes ----------------

    def _toggle_panel(self) -> None:
        shown = not self.panel_area.isVisible()
        self._panel_by_agent = shown
        self._set_panel(shown)

    def _show_queues(self) -> None:
        """The queue summary opens the panel at the queues; it never closes it."""
        self._panel_by_agent = True
        if not self.panel_area.isVisible():
            self._set_panel(True)
        self.panel_scroll.ensureWidgetVisible(self.queues_view)

    def _set_panel(self, shown: bool) -> None:
        """Open the panel at the agent's chosen size (compact until they choose one), or
        shrink to the strip."""
        retitle(
            self.toolbar_actions.panel, self.tr("Hide &panel") if shown else self.tr("Show &panel")
        )
        self._panel_button.setArrowType(Qt.ArrowType.UpArrow if shown else Qt.ArrowType.DownArrow)
        self.panel_area.setVisible(shown)
        layout = self.layout()
        if layout is not None:
            layout.activate()  # the window's minimum height must stop counting a hidden panel
        height = self.strip.sizeHint().height()
        if shown:
            room = self.screen().availableGeometry().height() - height
            height += min(self._panel_height(), round(room * 0.9))
        self._sizing = True
        try:
            self.resize(self.width(), height)
        finally:
            self._sizing = False

    def _pinned_height(self) -> int:
        """What the cards above the scrolling part take."""
        return self.panel_area.sizeHint().height() - self.panel_scroll.sizeHint().height()

    def _panel_height(self) -> int:
        """The pinned cards whole, and the scrolling part as the agent last left it."""
        pinned = self._pinned_height()
        saved = self._settings.value("window/panel_scroll_height", 0, type=int)
        if isinstance(saved, int) and saved > 0:
            return pinned + saved
        compact = self.fontMetrics().height() * COMPACT_LINES
        return pinned + min(compact, self._content.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        """Remember the panel's height when the agent drags the window's edge."""
        super().resizeEvent(event)
        if self._sizing or not self.panel_area.isVisible() or not self.isVisible():
            return
        if event.oldSize().height() != event.size().height():
            scroll = event.size().height() - self.strip.sizeHint().height() - self._pinned_height()
            self._settings.setValue("window/panel_scroll_height", max(1, scroll))

    def _apply_on_top(self) -> None:
        on_top = self.toolbar_actions.on_top.isChecked()
        self._settings.setValue("window/on_top", on_top)
        visible = self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on_top)
        if visible:
            self.show()

    def _screen_key(self) -> str:
        screen = self.screen() or QGuiApplication.primaryScreen()
        size = screen.geometry()
        return f"window/geometry/{screen.name()}-{size.width()}x{size.height()}"

    def _restore(self) -> None:
        on_top = self._settings.value("window/on_top", True, type=bool)
        self.toolbar_actions.on_top.setChecked(bool(on_top))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, bool(on_top))
        saved = self._settings.value(self._screen_key())
        if isinstance(saved, QByteArray):
            self.restoreGeometry(saved)
        width = self.width() if isinstance(saved, QByteArray) else self.strip.sizeHint().width()
        self.resize(width, self.strip.sizeHint().height())
        step = self._slot.number * self.strip.sizeHint().height()
        if step:
            self.move(self.x() + step, self.y() + step)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self._slot.number == 0:  # a second window's place is the first one's, moved
            self._settings.setValue(self._screen_key(), self.saveGeometry())
        self._settings.sync()
        self._slot.release()
        self._ticker.stop()
        self.closed.emit()
        super().closeEvent(event)


def _widest(shown: QToolButton, texts: Sequence[str]) -> int:
    """Keep a button as wide as its widest text, so that changing words move nothing;
    returns what its frame takes beside the words."""
    metrics = shown.fontMetrics()
    frame = shown.sizeHint().width() - metrics.horizontalAdvance(shown.text().replace("&", ""))
    widest = max(metrics.horizontalAdvance(words.replace("&", "")) for words in texts)
    shown.setMinimumWidth(frame + widest)
    return frame


def _retain_room(shown: QWidget) -> None:
    """A control that comes and goes keeps its room, so the ones beside it stay put."""
    policy = shown.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    shown.setSizePolicy(policy)


def _queue_summaries() -> list[str]:
    """The queue summary's words in the agent's language, at their widest; longer ones
    (many queues, a long translation) are elided, and the tooltip says them whole."""
    paused = translate("text", "{paused} of {members} paused")
    return [
        translate("text", "Logged out"),
        translate("text", "Taking calls"),
        translate("text", "All paused"),
        paused.format(paused=10, members=10),
    ]
