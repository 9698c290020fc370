"""Turns each new state into what the agent hears and sees outside the window.

`alerts.py` decides what is worth telling (pure); this delivers it: notices to the
desktop notifier, cues to the sound player, each only when its preference is on. A
timer looks again when time alone brings an alert (the wrap-up warning).
"""

import time
from typing import Protocol

from PySide6.QtCore import QObject, QTimer

from agent_toolbar.config.settings import Preferences
from agent_toolbar.domain.alerts import Alert, AlertGate, alerts, next_alert_check
from agent_toolbar.domain.state import AgentState
from agent_toolbar.ui.presenter import Presenter

RING_FALLBACK_SECONDS = 30.0
"""How long a ring lasts for an offer whose deadline is unknown; its end stops it anyway."""


class Notices(Protocol):
    def notify(self, alert: Alert) -> None: ...


class Player(Protocol):
    def ring(self, device: str | None, volume: int, seconds: float) -> None: ...
    def stop_ring(self) -> None: ...
    def chime(self, device: str | None, volume: int) -> None: ...


class Alerting(QObject):
    """Follows the presenter; `preferences` may be replaced at any time (the settings)."""

    def __init__(
        self,
        presenter: Presenter,
        notices: Notices,
        player: Player,
        preferences: Preferences,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.preferences = preferences
        self._presenter = presenter
        self._notices = notices
        self._player = player
        self._gate = AlertGate()
        self._before: AgentState | None = None
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._look_again)
        presenter.changed.connect(self._changed)
        if presenter.state is not None:
            self._changed(presenter.state)

    def stop(self) -> None:
        """No more alerts, and silence: the toolbar is closing."""
        self._later.stop()
        self._presenter.changed.disconnect(self._changed)
        self._player.stop_ring()

    def _changed(self, state: AgentState) -> None:
        before, self._before = self._before, state
        self._deliver(before, state)

    def _look_again(self) -> None:
        if self._before is not None:
            self._deliver(self._before, self._before)

    def _deliver(self, before: AgentState | None, after: AgentState) -> None:
        warning = float(self.preferences.notifications.wrapup_warning)
        now = self._presenter.now()
        found = alerts(before, after, now, warning)
        for alert in self._gate.admit(found, time.monotonic()):
            self._tell(alert)
        due = next_alert_check(after, now, warning)
        if due is None:
            self._later.stop()
        else:
            self._later.start(max(1, round(due * 1000)))

    def _tell(self, alert: Alert) -> None:
        sound = self.preferences.sound
        if alert.kind == "ring_start":
            if sound.enabled:
                seconds = alert.left if alert.left is not None else RING_FALLBACK_SECONDS
                self._player.ring(sound.ring_device, sound.volume, seconds)
        elif alert.kind == "ring_stop":
            self._player.stop_ring()
            self._notices.notify(alert)
        elif alert.kind == "chime":
            if sound.enabled:
                self._player.chime(sound.chime_device, sound.volume)
        elif self.preferences.notifications.enabled:
            self._notices.notify(alert)
