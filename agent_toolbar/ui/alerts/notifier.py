"""Desktop notifications for the alerts the gate lets through, shown even while the
window is minimised or hidden.

On Linux they go to the desktop's notification service (`org.freedesktop.Notifications`
on the session bus) with the actions an agent needs ("Show", "Ready again"); an
offer's notification is urgent, never stacks on another offer's, and is closed when
the ring stops; a forced Away replaces the missed call's notice. Without that service
the tray's balloon says it; with neither, nothing does, and the window's own cards
still show everything.

The bus is spoken through jeepney, on the asyncio loop, rather than QtDBus: PySide6
cannot give a plain D-Bus message the specification's unsigned types (a Python int
goes out as `i`, and services refuse `Notify`), and its typed route, `QDBusInterface`,
introspects the service synchronously while holding the GIL, so a hung service froze
the whole window for 25 s. With jeepney every call is asynchronous and limited in
time, and the GUI never waits on the bus.
"""

import asyncio
import contextlib
import html
import math
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import QObject, Signal

from agent_toolbar.domain.alerts import Alert
from agent_toolbar.support.log import ui as log
from agent_toolbar.support.redaction import redact
from agent_toolbar.ui import text
from agent_toolbar.ui.i18n import translate
from agent_toolbar.ui.operations import Operations

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = "org.freedesktop.Notifications"
APP_NAME = "Agent toolbar"
SESSION_BUS = "SESSION" if sys.platform.startswith("linux") else None
"""Where to look for the notification service: the session bus, on Linux only."""
CALL_SECONDS = 3.0
"""How long a call to the service may take before the toolbar gives up on it."""
REMEMBERED = 64
"""Notifications whose answers are still heard, newest kept."""
RETRY_SECONDS = 60.0
"""How long a missing service is believed missing before it is looked for again."""
CRITICAL, NORMAL = 2, 1
"""The specification's urgency levels."""

Place = Literal["offer", "status", "wrapup"]
"""Where a notification goes: each place shows one at a time, the newest replacing the last."""
Fallback = Callable[[str, str, bool], None]
"""Shows a title and a body, urgent or not, another way (the tray's `show_message`)."""


@dataclass(frozen=True)
class Notice:
    """One notification in words, ready for any surface."""

    place: Place
    summary: str
    body: str
    icon: str
    """A name from the freedesktop icon naming specification."""
    actions: tuple[str, ...]
    """Pairs of key and label, as the specification lists them."""
    critical: bool
    expires: int
    """Milliseconds, or -1 for the service's default."""


def notice_for(alert: Alert, offer_ready: bool) -> Notice | None:
    """The notification an alert deserves; None for sound cues.

    `offer_ready`: the server has Ready apart from logging in, so "Ready again" means
    something (not on Telphin).
    """
    state = alert.state
    show = ("default", translate("Notifier", "Show"), "show", translate("Notifier", "Show"))
    ready = ("ready", translate("Notifier", "Ready again")) if offer_ready else ()
    expires = -1 if alert.left is None else max(1000, math.ceil(alert.left * 1000))
    match alert.kind:
        case "offer" if state.offer is not None:
            offer = state.offer
            name, number = text.caller(offer.caller_id_name, offer.caller_id_number)
            queue = text.queue_name(state, offer.queue_id)
            lines = [
                number,
                translate("Notifier", "Queue: {queue}").format(queue=queue),
                text.offer_cost(offer),
            ]
            summary = translate("Notifier", "Call from {caller}").format(caller=name)
            body = "\n".join(line for line in lines if line)
            return Notice("offer", summary, body, "call-start", show, True, expires)
        case "missed":
            forced = state.missed_offer is not None and state.missed_offer.forced_away
            summary = text.missed_title(state)
            body = text.missed_text(state) or ""
            actions = (*show, *ready) if forced else show
            return Notice("status", summary, body, "call-stop", actions, False, -1)
        case "forced_away":
            summary = translate("Notifier", "You are Away")
            missed = state.missed_offer
            if missed is not None and missed.forced_away:
                body = text.missed_text(state) or ""
            elif alert.change is not None:
                why = translate("Notifier", "Why: {why}")
                who = translate("Notifier", "By: {who}")
                body = "\n".join(
                    (
                        why.format(why=text.cause_words(alert.change.cause)),
                        who.format(who=text.source_word(alert.change.source)),
                    )
                )
            else:
                body = ""
            return Notice("status", summary, body, "user-away", (*show, *ready), False, -1)
        case "logged_out" if alert.change is not None:
            summary = translate("Notifier", "You were logged out")
            why = translate("Notifier", "Why: {why}")
            who = translate("Notifier", "By: {who}")
            body = "\n".join(
                (
                    why.format(why=text.cause_words(alert.change.cause)),
                    who.format(who=text.source_word(alert.change.source)),
                    translate("Notifier", "No call can ring until you log in again."),
                )
            )
            return Notice("status", summary, body, "user-offline", (*show,), True, -1)
        case "signed_out":
            reason = (state.connection_problem or "").removeprefix("signed out: ")
            summary = translate("Notifier", "Signed out")
            said = translate("Notifier", "The server signed the toolbar out: {reason}.")
            until = translate("Notifier", "It cannot follow your calls until you sign in again.")
            body = f"{said.format(reason=reason)} {until}"
            return Notice("status", summary, body, "network-offline", show, True, -1)
        case "phone_unreachable":
            summary = translate("Notifier", "Your phone did not ring")
            body = text.phone_text(state) or ""
            return Notice("status", summary, body, "dialog-warning", show, True, -1)
        case "wrapup_ending" if state.wrapup is not None and state.wrapup.ends is not None:
            summary, _ending = text.wrapup_text(state, state.wrapup.ends - (alert.left or 0))
            body = translate("Notifier", "Calls can ring again when it ends.")
            return Notice("wrapup", summary, body, "appointment-soon", show, False, expires)
    return None


class NotificationError(Exception):
    """The bus or the notification service did not take a call; the message says why."""


class Notifier(QObject):
    """Shows alerts as desktop notifications and hears the agent's answers to them.

    Signals:
    show_requested(): the agent clicked a notification or its "Show": bring the window.
    ready_requested(): the agent chose "Ready again" on a missed call or a forced Away.

    Wiring: `Notifier(SESSION_BUS, tray.show_message if tray.available else None,
    offer_ready=presenter.capabilities.away)`; `notify(alert)` for every alert the gate
    lets through (sound cues other than `ring_stop` are ignored here); `await close()`
    before the loop ends. `bus` is a D-Bus address, "SESSION", or None for none.
    """

    show_requested = Signal()
    ready_requested = Signal()

    def __init__(
        self,
        bus: str | None = SESSION_BUS,
        fallback: Fallback | None = None,
        *,
        offer_ready: bool = True,
        app_name: str = APP_NAME,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._address = bus
        self._fallback = fallback
        self._offer_ready = offer_ready
        self._app_name = app_name
        self._lock = asyncio.Lock()
        self._operations = Operations("a notification failed")
        self._bus: _Bus | None = None
        self._service: bool | None = None
        self._look_again_at = 0.0
        self._markup = False
        self._shown: dict[Place, int] = {}
        """The notification each place shows now, to replace or close it."""
        self._ours: deque[int] = deque(maxlen=REMEMBERED)
        """Notifications shown so far: the desktop's history may still offer their actions."""

    def notify(self, alert: Alert) -> None:
        """Show `alert` (or close the offer's notification for `ring_stop`), without waiting."""
        if alert.kind == "ring_stop":
            self._operations.run(self._withdraw("offer"))
            return
        notice = notice_for(alert, self._offer_ready)
        if notice is not None:
            self._operations.run(self._show(notice))

    async def settled(self) -> None:
        """Wait until every notification asked for so far has been handed on."""
        await self._operations.settled()

    async def close(self) -> None:
        """Stop talking to the bus; what is shown stays until the agent closes it."""
        await self._operations.close()
        await self._drop_bus()

    async def _show(self, notice: Notice) -> None:
        async with self._lock:
            summary, body = redact(notice.summary), redact(notice.body)
            if await self._has_service():
                try:
                    shown = await self._notify(notice, summary, body)
                except NotificationError as error:
                    log.warning("the notification service failed: %s", error)
                    await self._drop_bus()
                else:
                    self._shown[notice.place] = shown
                    if shown not in self._ours:
                        self._ours.append(shown)
                    return
            if self._fallback is not None:
                self._fallback(summary, body, notice.critical)

    async def _notify(self, notice: Notice, summary: str, body: str) -> int:
        if self._bus is None:
            raise NotificationError("not connected to the bus")
        urgency = CRITICAL if notice.critical else NORMAL
        answer = await self._bus.call(
            "Notify",
            "susssasa{sv}i",
            self._app_name,
            self._shown.get(notice.place, 0),
            notice.icon,
            summary,
            html.escape(body, quote=False) if self._markup else body,
            list(notice.actions),
            {"urgency": ("y", urgency)},
            notice.expires,
        )
        if not answer or not isinstance(answer[0], int):
            raise NotificationError(f"Notify answered {answer!r}")
        return answer[0]

    async def _withdraw(self, place: Place) -> None:
        async with self._lock:
            shown = self._shown.pop(place, None)
            if shown is None or self._bus is None:
                return
            try:
                await self._bus.call("CloseNotification", "u", shown)
            except NotificationError as error:
                log.warning("could not close a notification: %s", error)

    async def _has_service(self) -> bool:
        """Whether a notification service answers; a missing one is looked for again later."""
        if self._service or (self._service is False and time.monotonic() < self._look_again_at):
            return bool(self._service)
        try:
            bus = self._bus or await self._open_bus()
            capabilities = await bus.call("GetCapabilities")
        except NotificationError as error:
            if self._service is None:
                log.info("no desktop notifications (%s): the tray says it instead", error)
            await self._drop_bus()
            self._service = False
            self._look_again_at = time.monotonic() + RETRY_SECONDS
            return False
        self._markup = "body-markup" in (capabilities[0] if capabilities else ())
        self._service = True
        with contextlib.suppress(NotificationError):
            about = await bus.call("GetServerInformation")
            log.info("notifications go to %s", " ".join(str(each) for each in about[:3]))
        return True

    async def _open_bus(self) -> "_Bus":
        if self._address is None:
            raise NotificationError("no session bus on this system")
        self._bus = await _Bus.open(self._address, self._heard)
        return self._bus

    async def _drop_bus(self) -> None:
        bus, self._bus = self._bus, None
        self._service = None
        self._shown.clear()
        if bus is not None:
            await bus.close()

    def _heard(self, member: str, body: tuple[Any, ...]) -> None:
        """A signal of the service: an action chosen, or a notification gone."""
        if len(body) < 2 or body[0] not in self._ours:
            return  # another application's notification
        if member == "NotificationClosed":
            self._shown = {place: shown for place, shown in self._shown.items() if shown != body[0]}
        elif member == "ActionInvoked" and body[1] in ("default", "show"):
            self.show_requested.emit()
        elif member == "ActionInvoked" and body[1] == "ready":
            self.ready_requested.emit()


class _Bus:
    """One connection to the bus: calls to the notification service, each limited in
    time, and its signals handed to `heard` as they come."""

    def __init__(self, connection: Any, router: Any, listening: Any, heard: "Heard") -> None:
        self._connection = connection
        self._router = router
        self._listening = listening
        self._heard = heard
        self._listener = asyncio.ensure_future(self._listen())

    @classmethod
    async def open(cls, address: str, heard: "Heard") -> "_Bus":
        from jeepney import MatchRule
        from jeepney.bus_messages import message_bus
        from jeepney.io.asyncio import (
            DBusRouter,
            Proxy,
            open_dbus_connection,
        )

        try:
            async with asyncio.timeout(CALL_SECONDS):
                connection = await open_dbus_connection(address)
        except (OSError, ValueError, KeyError, EOFError, RuntimeError, TimeoutError) as error:
            raise NotificationError(f"cannot reach the session bus: {error!r}") from error
        router = DBusRouter(connection)
        rule = MatchRule(type="signal", interface=INTERFACE, path=PATH)
        bus = cls(connection, router, router.filter(rule, queue=asyncio.Queue()), heard)
        try:
            async with asyncio.timeout(CALL_SECONDS):
                await Proxy(message_bus, router).AddMatch(rule)
        except Exception as error:
            await bus.close()
            raise NotificationError(f"cannot listen to the service: {error!r}") from error
        return bus

    async def call(self, member: str, signature: str | None = None, *body: Any) -> tuple[Any, ...]:
        from jeepney import DBusAddress, MessageType, new_method_call

        service = DBusAddress(PATH, bus_name=SERVICE, interface=INTERFACE)
        message = new_method_call(service, member, signature, body)
        try:
            async with asyncio.timeout(CALL_SECONDS):
                reply = await self._router.send_and_get_reply(message)
        except TimeoutError as error:
            raise NotificationError(f"{member}: no answer in {CALL_SECONDS:g} s") from error
        except Exception as error:  # the router closed, the bus went away
            raise NotificationError(f"{member}: {error!r}") from error
        answer = tuple(reply.body)
        if reply.header.message_type == MessageType.error:
            raise NotificationError(f"{member}: {answer[0] if answer else 'refused'}")
        return answer

    async def close(self) -> None:
        self._listener.cancel()
        self._listening.close()
        with contextlib.suppress(Exception):  # a bus already gone has nothing left to close
            await self._router.__aexit__(None, None, None)
        with contextlib.suppress(Exception):
            await self._connection.close()
        with contextlib.suppress(asyncio.CancelledError):
            await self._listener

    async def _listen(self) -> None:
        from jeepney import HeaderFields

        queue = self._listening.queue
        while True:
            signal = await queue.get()
            self._heard(str(signal.header.fields.get(HeaderFields.member)), tuple(signal.body))


Heard = Callable[[str, tuple[Any, ...]], None]
"""Takes one signal of the service: its name and its arguments."""
