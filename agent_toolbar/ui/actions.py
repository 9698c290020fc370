"""Every command the toolbar offers, as a QAction with its shortcut, made once.

The desktop makes one `ToolbarActions` and hands it to the window, the tray and the
system-wide keys: buttons, menus and keys share the actions, so a shortcut always does
what the button does, an item is enabled, hidden and named in one place, and every
tooltip names its key. What an action does to the window itself (open a menu, the
panel, quit) the window connects; what it asks of the session is here.
"""

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton

from agent_toolbar.config.settings import DEFAULT_AWAY_REASONS
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import (
    Away,
    Command,
    Dial,
    Login,
    Logout,
    Pause,
    Ready,
    Resume,
    WrapupExtend,
    WrapupFinish,
)
from agent_toolbar.domain.state import After
from agent_toolbar.ui import dialing
from agent_toolbar.ui import text as words
from agent_toolbar.ui.i18n import translate
from agent_toolbar.ui.presenter import Presenter

if TYPE_CHECKING:
    from agent_toolbar.simulator.demo_phone import (
        DemoPhone,  # the simulator: loaded only by the demo
    )

QUEUE_KEYS = 9
"""Ctrl+1 to Ctrl+9 pause or resume the agent's first nine queues."""


class ToolbarActions(QObject):
    """The app's actions and the rules that enable, hide and name them, following the
    presenter. A window shows them with `addActions(every)`, where their keys then work."""

    def __init__(
        self,
        presenter: Presenter,
        reasons: Sequence[str] | None = None,
        demo: "DemoPhone | None" = None,
    ) -> None:
        """`reasons` are the profile's away reasons; without a profile, the defaults.
        `demo` is the simulator's phone, whose actions the demo adds."""
        super().__init__()
        self._presenter = presenter
        self._state: AgentState | None = None
        self.demo = demo
        self.every: list[QAction] = []
        """Every action, for the window that takes their keys."""
        execute = presenter.execute
        self.ready = self._action(self.tr("&Ready"), "Ctrl+R", lambda: execute(Ready()))
        self.away = self._action(self.tr("&Away"), "Ctrl+A")
        self.login = self._action(self.tr("Log &in"), "Ctrl+L", self._log_in_or_out)
        self.extend = self._action(
            self.tr("&Extend wrap-up"), "Ctrl+E", lambda: execute(WrapupExtend())
        )
        self.finish = self._action(
            self.tr("&Finish wrap-up"), "Ctrl+F", lambda: execute(WrapupFinish())
        )
        self.defer_away = self._action(self.tr("Away after this call"), "Ctrl+Shift+A")
        self.defer_logout = self._action(
            self.tr("Log out after wrap-up"),
            "Ctrl+Shift+L",
            lambda: presenter.defer(Logout(), "wrapup"),
        )
        self.cancel_deferred = self._action(
            self.tr("Cancel plan"), "Ctrl+Shift+C", presenter.cancel_deferred
        )
        self.retry = self._action(self.tr("Re&try"), "Ctrl+Shift+R")
        self.dismiss = self._action(self.tr("Dismiss"), "Ctrl+D")
        self.panel = self._action(self.tr("Show &panel"), "Ctrl+P")
        self.on_top = self._action(self.tr("Keep on &top"), "Ctrl+T", checkable=True)
        self.reconnect = self._action(self.tr("Reconnect now"), "F5", presenter.reconnect)
        self.check_connection = self._action(self.tr("&Check connection…"), None)
        self.open_in_crm = self._action(self.tr("&Open in CRM"), "Ctrl+O")
        self.open_in_crm.setVisible(False)
        """Shown by the desktop where the profile has a screen pop."""
        self.dial = self._action(self.tr("&Dial…"), "Ctrl+K")
        self.call_back = self._action(self.tr("Call &back"), "Ctrl+B")
        """What both do, the desktop's `Dialer` connects; hidden where the server cannot."""
        self.settings = self._action(self.tr("&Settings…"), "Ctrl+,")
        self.quit = self._action(self.tr("&Quit"), "Ctrl+Q")
        self.queue_keys = [
            self._action(
                self.tr("Pause or resume queue {n}").format(n=n),
                f"Ctrl+{n}",
                self._queue_toggle(n),
            )
            for n in range(1, QUEUE_KEYS + 1)
        ]
        chosen = list(DEFAULT_AWAY_REASONS if reasons is None else reasons)
        self.away_menu = self._reasons_menu(chosen, lambda reason: execute(Away(reason=reason)))
        self.defer_menu = self._reasons_menu(chosen, self._defer_away)
        if demo is not None:
            self.answer = self._action(self.tr("Answer"), "Ctrl+Return", demo.answer)
            self.decline = self._action(self.tr("Decline"), "Ctrl+Backspace", demo.decline)
            self.hang_up = self._action(self.tr("Hang up"), "Ctrl+H", demo.hang_up)
            self.call_in = self._action(self.tr("New caller"), "Ctrl+N", demo.call_in)
        presenter.changed.connect(self.show_state)
        if presenter.state is not None:
            self.show_state(presenter.state)

    def by_hotkey(self, name: str) -> QAction | None:
        """The action a system-wide key (a `HotkeyAction`'s name) triggers; None for the
        one that only shows the window."""
        return {
            "ready": self.ready,
            "away": self.away,
            "finish_wrapup": self.finish,
            "extend_wrapup": self.extend,
        }.get(name)

    def show_state(self, state: AgentState) -> None:
        """Enable, hide and name each action for `state`; what the server cannot do is
        hidden, not faked (Telphin has no away and no pause)."""
        self._state = state
        can = self._presenter.capabilities
        logged_in = state.status != "logged_out"
        retitle(self.login, self.tr("Log &out") if logged_in else self.tr("Log &in"))
        self.ready.setEnabled(logged_in and state.status != "ready")
        self.away.setEnabled(logged_in)
        busy = state.call is not None or state.wrapup is not None
        away_after = words.defer_away_label(state)
        retitle(self.defer_away, away_after or self.tr("Away after wrap-up"))
        self.defer_away.setEnabled(away_after is not None and state.deferred is None)
        self.defer_logout.setEnabled(busy and state.deferred is None)
        for item in (self.ready, self.away, self.defer_away):
            item.setVisible(can.away)
        self.extend.setVisible(can.extend_wrapup and state.wrapup is not None)
        self.open_in_crm.setEnabled(state.offer is not None or state.call is not None)
        self.finish.setVisible(can.finish_wrapup and state.wrapup is not None)
        self._show_dialing(state)
        if self.demo is not None:
            # The demo phone also rings for a call the agent placed, and hangs up its call.
            placing = any(isinstance(each.command, Dial) for each in state.pending)
            self.answer.setEnabled(state.offer is not None or placing)
            self.decline.setEnabled(state.offer is not None)
            self.hang_up.setEnabled(state.call is not None or state.external_call is not None)
            self.call_in.setEnabled(logged_in)

    def _show_dialing(self, state: AgentState) -> None:
        """Dialing is hidden where the server cannot place calls, and off while the phone
        is busy, the tooltip saying why."""
        can_dial = self._presenter.capabilities.dial
        refused = dialing.refusal(state, can_dial)
        number_unknown = (
            self.tr("the caller's number is unknown")
            if dialing.missed_number(state) is None
            else None
        )
        for item, why_not in ((self.dial, refused), (self.call_back, refused or number_unknown)):
            item.setVisible(can_dial)
            item.setEnabled(why_not is None)
            retitle(item, item.text())
            if why_not is not None:
                item.setToolTip(
                    self.tr("{action}: not now, {reason}").format(
                        action=item.toolTip(), reason=why_not
                    )
                )

    def _action(
        self,
        text: str,
        keys: str | None,
        slot: Callable[[], object] | None = None,
        *,
        checkable: bool = False,
    ) -> QAction:
        """An action reachable by `keys` whenever a window showing it has focus; without
        `slot`, the window connects what it does."""
        made = QAction(text, self)
        made.setCheckable(checkable)
        if keys:
            made.setShortcut(QKeySequence(keys))
            made.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if slot is not None:
            on_trigger(made, slot)
        retitle(made, text)
        self.every.append(made)
        return made

    def _reasons_menu(self, reasons: list[str], choose: Callable[[str | None], None]) -> QMenu:
        menu = QMenu()
        for reason in [*reasons, None]:
            label = translate("reason", reason) if reason else self.tr("No reason")
            choice = QAction(label, menu)
            choice.triggered.connect(lambda _checked=False, chosen=reason: choose(chosen))
            menu.addAction(choice)
        return menu

    def _queue_toggle(self, number: int) -> Callable[[], None]:
        return lambda: self._toggle_queue(number)

    def _log_in_or_out(self) -> None:
        state = self._state
        self._presenter.execute(
            Login() if state is None or state.status == "logged_out" else Logout()
        )

    def _defer_away(self, reason: str | None) -> None:
        on_call = self._state is not None and self._state.call is not None
        after: After = "call" if on_call else "wrapup"
        self._presenter.defer(Away(reason=reason), after)

    def _toggle_queue(self, number: int) -> None:
        state = self._state
        members = [queue.queue_id for queue in state.queues if queue.member] if state else []
        if state is None or number > len(members) or state.refusal("pause_queues"):
            return
        queue = members[number - 1]
        command: Command = (
            Resume(queue_id=queue) if queue in state.paused_queues else Pause(queue_id=queue)
        )
        self._presenter.execute(command)


def on_trigger(made: QAction, slot: Callable[[], object]) -> None:
    """Run `slot` when `made` is triggered, whatever the check state it passes."""
    made.triggered.connect(lambda _checked=False: slot())


def retitle(made: QAction, text: str) -> None:
    """Change an action's text and keep its tooltip naming the shortcut."""
    made.setText(text)
    keys = made.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    made.setToolTip(f"{text.replace('&', '')} ({keys})" if keys else text.replace("&", ""))


def button(made: QAction, name: str) -> QToolButton:
    """A button for `made`, with an accessible name for screen readers. It is hidden while
    its action is (a tool button would otherwise only grey out: what the server cannot do
    is hidden, not faked)."""
    shown = _ActionButton()
    shown.setDefaultAction(made)
    shown.setAccessibleName(name)
    shown.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    shown.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if not made.isVisible():
        shown.setVisible(False)
    made.visibleChanged.connect(shown.follow)  # a slot of the button: gone with it
    return shown


class _ActionButton(QToolButton):
    def follow(self) -> None:
        """Show or hide with the action."""
        made = self.defaultAction()
        if made is not None:
            self.setVisible(made.isVisible())
