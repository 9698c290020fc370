"""The tray icon and its menu: the status at a glance beside the clock, and the main
controls without the window.

Where the desktop has no tray (offscreen, some Wayland and GNOME desktops without an
extension) nothing is created and the window stays the only surface: closing it
quits, as without a tray. With a tray, closing the window from its title bar hides it
to the tray (the agent is told once where it went): the toolbar must keep following
calls. Quit (its menu item, Ctrl+Q, a stop signal) still quits.

The menu shows the toolbar's actions (`ToolbarActions`, the window's too), so an item is
enabled, hidden and named exactly as the window's button is.
"""

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Command, Pause, Resume
from agent_toolbar.ui import text
from agent_toolbar.ui.actions import ToolbarActions
from agent_toolbar.ui.i18n import translate
from agent_toolbar.ui.presenter import Presenter
from agent_toolbar.ui.text import LocalTime
from agent_toolbar.ui.toolbar.window import ToolbarWindow
from agent_toolbar.ui.tray.icon import IconLook, icon_look, tray_icon

MESSAGE_MILLISECONDS = 10_000


def tray_tooltip(state: AgentState, local: LocalTime) -> str:
    """Status, link and queues in words: the icon's colours never say anything alone."""
    shown = text.headline(state)
    status = f"{shown.word} · {shown.detail}" if shown.detail else shown.word
    lines = [translate("Tray", "Agent toolbar"), status, text.connection(state, local)[0]]
    if state.status != "logged_out":
        summary = text.queue_summary(state)
        lines.append(translate("Tray", "Queues: {summary}").format(summary=summary))
    if state.offer is not None:
        name, _number = text.caller(state.offer.caller_id_name, state.offer.caller_id_number)
        lines.append(translate("Tray", "Call from {caller}").format(caller=name))
    elif state.missed_offer is not None:
        lines.append(text.missed_text(state) or "")
    return "\n".join(lines)


def show_window(window: QWidget) -> None:
    """Bring the window back: out of the tray, out of the taskbar, to the front."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()


class TrayMenu(QMenu):
    """Status, Ready, Away ▸ reasons, Queues ▸ pause, Reconnect, Show/Hide, Settings, Quit."""

    def __init__(
        self, window: ToolbarWindow, actions: ToolbarActions, presenter: Presenter
    ) -> None:
        super().__init__()
        self._window = window
        self._actions = actions
        self._presenter = presenter
        self._state: AgentState | None = None
        self._queue_items: dict[str, QAction] = {}
        self.status = self.addAction("")
        self.status.setEnabled(False)
        self.addSeparator()
        self.addAction(actions.ready)
        self.away = QMenu(self.tr("Away"), self)
        self.away.addActions(actions.away_menu.actions())
        self.addMenu(self.away)
        self.queues = QMenu(self.tr("Queues"), self)
        self.addMenu(self.queues)
        self.addSeparator()
        self.addAction(actions.reconnect)
        self.show_hide = self.addAction("")
        self.show_hide.triggered.connect(self._show_or_hide)
        self.addAction(actions.settings)
        self.addSeparator()
        self.addAction(actions.quit)
        actions.away.changed.connect(self._follow_away)
        self.aboutToShow.connect(self._name_show_hide)
        presenter.changed.connect(self.show_state)
        self._follow_away()
        self._name_show_hide()
        self.show_state(presenter.state or AgentState(recipient_id=""))

    def show_state(self, state: AgentState) -> None:
        self._state = state
        shown = text.headline(state, self._presenter.clock)
        status = f"{shown.word} · {shown.detail}" if shown.detail else shown.word
        link = text.connection(state, self._presenter.clock)[0]
        self.status.setText(self.tr("{status} ({link})").format(status=status, link=link))
        members = [queue for queue in state.queues if queue.member]
        pausable = (
            self._presenter.capabilities.pause_queues
            and state.status != "logged_out"
            and state.refusal("pause_queues") is None
        )
        self.queues.menuAction().setVisible(pausable and bool(members))
        if [queue.queue_id for queue in members] != list(self._queue_items):
            self.queues.clear()
            self._queue_items = {
                queue.queue_id: self._queue_item(queue.queue_id) for queue in members
            }
        for queue in members:
            item = self._queue_items[queue.queue_id]
            words = text.pause_text(state, queue, self._presenter.clock)
            name = text.queue_name(state, queue.queue_id)
            item.setText(self.tr("{queue}: {pause}").format(queue=name, pause=words))
            item.setChecked(queue.queue_id in state.paused_queues)

    def _queue_item(self, queue_id: str) -> QAction:
        item = self.queues.addAction("")
        item.setCheckable(True)
        item.triggered.connect(lambda _checked=False: self._toggle(queue_id))
        return item

    def _toggle(self, queue_id: str) -> None:
        """Ask for the change, and keep the check on the server's word until it shows it."""
        state = self._state
        if state is None:
            return
        paused = queue_id in state.paused_queues
        command: Command = Resume(queue_id=queue_id) if paused else Pause(queue_id=queue_id)
        self._presenter.execute(command)
        self._queue_items[queue_id].setChecked(paused)

    def _follow_away(self) -> None:
        away = self._actions.away
        self.away.menuAction().setVisible(away.isVisible())
        self.away.setEnabled(away.isEnabled())

    def _name_show_hide(self) -> None:
        shown = self._window.isVisible() and not self._window.isMinimized()
        self.show_hide.setText(self.tr("Hide window") if shown else self.tr("Show window"))

    def _show_or_hide(self) -> None:
        if self._window.isVisible() and not self._window.isMinimized():
            self._window.hide()
        else:
            show_window(self._window)
        self._name_show_hide()


class CloseToTray(QObject):
    """Hides the window when the agent closes it from its title bar, instead of quitting.

    Only closes the window system sends count (the title bar's button, Alt+F4); Quit,
    Ctrl+Q and stop signals call `close()` themselves and still quit.

    Signals:
    hidden(): the window went to the tray.
    """

    hidden = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._window and event.type() == QEvent.Type.Close and event.spontaneous():
            event.ignore()
            self._window.hide()
            self.hidden.emit()
            return True
        return False

    def remove(self) -> None:
        self._window.removeEventFilter(self)


class Tray(QObject):
    """The tray icon, following the presenter; `available` is False where there is no
    tray, and then nothing else exists.

    Wiring: `Tray(window, actions, presenter)` after the window; `show_message` is the
    fallback the notifier uses where no notification service runs; `close()` before quitting.
    """

    def __init__(
        self,
        window: ToolbarWindow,
        actions: ToolbarActions,
        presenter: Presenter,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.available = QSystemTrayIcon.isSystemTrayAvailable()
        self.icon: QSystemTrayIcon | None = None
        self.menu: TrayMenu | None = None
        self.close_to_tray: CloseToTray | None = None
        if not self.available:
            return
        self._window = window
        self._presenter = presenter
        self._look: IconLook | None = None
        self._told_where = False
        self.menu = TrayMenu(window, actions, presenter)
        self.icon = QSystemTrayIcon(self)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(lambda: show_window(window))
        self.close_to_tray = CloseToTray(window)
        self.close_to_tray.hidden.connect(self._tell_where)
        presenter.changed.connect(self._show_state)
        self._show_state(presenter.state or AgentState(recipient_id=""))
        self.icon.show()

    def show_message(self, title: str, body: str, critical: bool) -> None:
        """A balloon from the tray icon: where no notification service runs."""
        if self.icon is None:
            return
        kind = QSystemTrayIcon.MessageIcon
        icon = kind.Critical if critical else kind.Information
        self.icon.showMessage(title, body, icon, MESSAGE_MILLISECONDS)

    def close(self) -> None:
        """Take the icon away and let closing the window quit again."""
        if self.close_to_tray is not None:
            self.close_to_tray.remove()
        if self.icon is not None:
            self.icon.hide()

    def _show_state(self, state: AgentState) -> None:
        if self.icon is None:
            return
        look = icon_look(state)
        if look != self._look:
            self._look = look
            self.icon.setIcon(tray_icon(look))
        self.icon.setToolTip(tray_tooltip(state, self._presenter.clock))

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        kind = QSystemTrayIcon.ActivationReason
        if reason in (kind.Trigger, kind.DoubleClick):
            show_window(self._window)

    def _tell_where(self) -> None:
        if self._told_where:
            return
        self._told_where = True
        self.show_message(
            self.tr("Agent toolbar is still running"),
            self.tr(
                "It keeps following your calls. Click its icon to show it; quit from its menu."
            ),
            False,
        )
