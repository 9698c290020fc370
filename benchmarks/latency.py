"""Latencies the agent feels: `python benchmarks/latency.py [--quick]`.

In one process, offscreen, on the app's loop (qasync's, so asyncio and Qt share it), the
real window runs against the real simulator on loopback, and two figures are measured:

- event to screen: the simulator hands an event frame (an offer, an answer, a hang-up, a
  status change) to the toolbar's websocket → the window's `show_state` has drawn it.
  Meanwhile the simulator sends about 1,000 `sync` events a second. Baseline, in the same
  run and on the same loop: the same frames, from the same server, to a bare aiohttp
  websocket client (frame handed to the socket → frame received).
- click to confirmed: Ready is triggered → the REST call → the event back → the window
  shows Ready with no change pending. Baseline: the same REST call made with aiohttp
  alone. The simulator sends no `sync` burst here.

Frames are timed by wrapping the server's `WebSocketResponse.send_str`, and the screen by
wrapping `ToolbarWindow.show_state`, in this script only. Times are `perf_counter`.
A benchmark reports: it exits 0 even when a figure misses its budget.
"""

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import msgspec
from aiohttp import web
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from agent_toolbar.backends.kazoo.auth import Credentials
from agent_toolbar.backends.kazoo.backend import KazooBackend, KazooSettings
from agent_toolbar.backends.kazoo.wire import Wire, status_body
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Login, Ready
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import (
    AgentConfig,
    QueueConfig,
    Scenario,
    Settings,
    Simulator,
)
from agent_toolbar.ui import i18n
from agent_toolbar.ui.actions import ToolbarActions
from agent_toolbar.ui.event_loop import QtLoop
from agent_toolbar.ui.presenter import Presenter
from agent_toolbar.ui.toolbar.window import ToolbarWindow

PASSWORD = "bench-secret"
SYNC_RATE = 1000.0
"""`sync` events a second during the event-to-screen run."""
SYNC_SUBJECTS = 4
"""Two logged-in agents and two queues each send one `sync` per interval."""
QUIET_SYNC = 3600.0
WAIT = 10.0
EVENT_P50_BUDGET_MS = 5.0
EVENT_P99_BUDGET_MS = 16.0
CLICK_OVERHEAD_BUDGET_MS = 5.0
RAW_SUBSCRIBE = "latency-baseline-subscribe"

Predicate = Callable[[AgentState], bool]


@dataclass
class Recorder:
    """Every frame the server hands to a websocket, and every state the window shows."""

    sent: dict[int, list[tuple[float, str]]] = field(default_factory=dict)
    shown: list[tuple[float, AgentState]] = field(default_factory=list)
    waiter: tuple[Predicate, asyncio.Future[float]] | None = None

    def on_send(self, socket: object, data: str) -> None:
        self.sent.setdefault(id(socket), []).append((time.perf_counter(), data))

    def on_shown(self, state: AgentState) -> None:
        now = time.perf_counter()
        self.shown.append((now, state))
        if self.waiter is not None:
            predicate, future = self.waiter
            if not future.done() and predicate(state):
                future.set_result(now)

    async def until_shown(self, predicate: Predicate, start: Callable[[], object]) -> float:
        """Runs `start`, then waits for a shown state that satisfies `predicate`."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiter = (predicate, future)
        try:
            start()
            async with asyncio.timeout(WAIT):
                return await future
        finally:
            self.waiter = None

    def socket_replying_to(self, request_id: str) -> int:
        return next(
            key for key, frames in self.sent.items() if any(request_id in d for _, d in frames)
        )


@asynccontextmanager
async def recording() -> AsyncIterator[Recorder]:
    """Wraps the server's frame sends and the window's `show_state` while the block runs."""
    recorder = Recorder()
    send_str = web.WebSocketResponse.send_str
    show_state = ToolbarWindow.show_state

    async def timed_send(self: web.WebSocketResponse, data: str, compress: Any = None) -> None:
        recorder.on_send(self, data)
        await send_str(self, data, compress)

    def timed_show(self: ToolbarWindow, state: AgentState) -> None:
        show_state(self, state)
        recorder.on_shown(state)

    web.WebSocketResponse.send_str = timed_send  # type: ignore[method-assign,assignment]
    ToolbarWindow.show_state = timed_show  # type: ignore[method-assign]
    try:
        yield recorder
    finally:
        web.WebSocketResponse.send_str = send_str  # type: ignore[method-assign]
        ToolbarWindow.show_state = show_state  # type: ignore[method-assign]


def scenario(sync_interval: float) -> Scenario:
    return Scenario(
        simulator=Settings(seed=7, sync_interval=sync_interval),
        queues=(QueueConfig(name="Support", ring_timeout=60.0),),
        agents=(
            AgentConfig(username="ada", password=PASSWORD, queues=("Support",)),
            AgentConfig(username="grace", password=PASSWORD, queues=("Support",), start="away"),
        ),
    )


@dataclass
class Toolbar:
    sim: Simulator
    session: Session
    window: ToolbarWindow
    recorder: Recorder
    me: str
    account_id: str
    api_key: str


@asynccontextmanager
async def toolbar(sync_interval: float, folder: Path) -> AsyncIterator[Toolbar]:
    """The real window on a signed-in, Ready session against a fresh simulator."""
    async with recording() as recorder, Simulator(scenario(sync_interval)) as sim:
        login = next(each for each in sim.logins if each.username == "ada")
        credentials = Credentials(
            account_name=login.account_name, username="ada", password=PASSWORD
        )
        session = Session(KazooBackend(KazooSettings(api_url=sim.api_url, credentials=credentials)))
        await session.sign_in()
        settings = QSettings(str(folder / "toolbar.ini"), QSettings.Format.IniFormat)
        presenter = Presenter(session)
        window = ToolbarWindow(presenter, ToolbarActions(presenter), settings)
        window.show()
        running = asyncio.create_task(session.run())
        shown = Toolbar(
            sim, session, window, recorder, login.user_id, login.account_id, login.api_key
        )
        try:
            await recorder.until_shown(lambda state: state.connection == "online", lambda: None)
            await session.execute(Login())
            await session.execute(Ready())
            if not (recorder.shown and recorder.shown[-1][1].status == "ready"):
                await recorder.until_shown(lambda state: state.status == "ready", lambda: None)
            yield shown
        finally:
            window.close()
            presenter.close()
            session.stop()
            await running
            await session.close()
            window.deleteLater()


async def auth_token(http: aiohttp.ClientSession, sim: Simulator, api_key: str) -> str:
    async with http.put(f"{sim.api_url}/api_auth", json={"data": {"api_key": api_key}}) as answer:
        body = await answer.json()
    token: str = body["auth_token"]
    return token


@dataclass
class BareClient:
    """The baseline: an aiohttp websocket subscribed like the toolbar, which only receives."""

    received: list[tuple[float, str]] = field(default_factory=list)

    async def run(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            if message.type is aiohttp.WSMsgType.TEXT:
                self.received.append((time.perf_counter(), message.data))


@asynccontextmanager
async def bare_client(
    http: aiohttp.ClientSession, shown: Toolbar, token: str
) -> AsyncIterator[tuple[BareClient, int]]:
    client = BareClient()
    async with http.ws_connect(shown.sim.websocket_url) as ws:
        reader = asyncio.create_task(client.run(ws))
        for number, binding in enumerate(("qubicle.recipient", "qubicle.queue")):
            await ws.send_str(
                msgspec.json.encode(
                    {
                        "action": "subscribe",
                        "auth_token": token,
                        "request_id": f"{RAW_SUBSCRIBE}-{number}",
                        "data": {"account_id": shown.account_id, "binding": binding},
                    }
                ).decode()
            )
        async with asyncio.timeout(WAIT):
            while sum(RAW_SUBSCRIBE in data for _, data in client.received) < 2:
                await asyncio.sleep(0.01)
        try:
            yield client, shown.recorder.socket_replying_to(RAW_SUBSCRIBE)
        finally:
            await ws.close()
            await reader


def is_event_about(data: str, me: str) -> bool:
    """A frame that tells of a change to our agent (not a `sync`)."""
    if '"name":"sync"' in data or '"action":"event"' not in data:
        return False
    frame = msgspec.json.decode(data)
    return isinstance(frame, dict) and str(frame.get("routing_key", "")).endswith(me)


@dataclass
class EventFigures:
    toolbar_ms: list[float] = field(default_factory=list)
    bare_ms: list[float] = field(default_factory=list)
    lost: int = 0
    sync_rate: float = 0.0
    repaints: int = 0


async def event_to_screen(steps: int, folder: Path) -> EventFigures:
    figures = EventFigures()
    async with toolbar(1.0 / (SYNC_RATE / SYNC_SUBJECTS), folder) as shown:
        engine, me, recorder = shown.sim.engine, shown.me, shown.recorder
        changes: list[tuple[Callable[[], object], Predicate]] = [
            (
                lambda: engine.add_caller(
                    "Support", "Marie Curie", "+33123456789", talk_seconds=600, patience=600
                ),
                lambda state: state.offer is not None,
            ),
            (lambda: engine.answer(me), lambda state: state.call is not None),
            (lambda: engine.hang_up(me), lambda state: state.call is None),
            (
                lambda: engine.set_status(me, "away", "Lunch"),
                lambda state: state.status == "away",
            ),
            (lambda: engine.set_status(me, "ready"), lambda state: state.status == "ready"),
        ]
        async with aiohttp.ClientSession() as http:
            token = await auth_token(http, shown.sim, shown.api_key)
            async with bare_client(http, shown, token) as (bare, bare_socket):
                toolbar_socket = next(
                    key
                    for key in recorder.sent
                    if key != bare_socket and len(recorder.sent[key]) > 0
                )
                began, received_before = time.perf_counter(), len(bare.received)
                shown_before = len(recorder.shown)
                for step in range(steps):
                    start, predicate = changes[step % len(changes)]
                    await asyncio.sleep(random.uniform(0.01, 0.03))
                    marks = len(recorder.sent[toolbar_socket]), len(recorder.sent[bare_socket])
                    at = await recorder.until_shown(predicate, start)
                    frame = next(
                        (
                            (sent_at, data)
                            for sent_at, data in recorder.sent[toolbar_socket][marks[0] :]
                            if is_event_about(data, me)
                        ),
                        None,
                    )
                    if frame is None or frame[0] > at:
                        figures.lost += 1  # dropped for a slow socket; a reconcile showed it
                        continue
                    figures.toolbar_ms.append((at - frame[0]) * 1000)
                    await asyncio.sleep(0.005)
                    bare_ms = _bare_latency(
                        recorder.sent[bare_socket][marks[1] :], bare.received, frame[1]
                    )
                    if bare_ms is not None:
                        figures.bare_ms.append(bare_ms)
                elapsed = time.perf_counter() - began
                syncs = sum('"name":"sync"' in data for _, data in bare.received[received_before:])
                figures.sync_rate = syncs / elapsed
                figures.repaints = len(recorder.shown) - shown_before
    return figures


def _bare_latency(
    sent: list[tuple[float, str]], received: list[tuple[float, str]], data: str
) -> float | None:
    sent_at = next((at for at, each in sent if each == data), None)
    received_at = next((at for at, each in reversed(received) if each == data), None)
    if sent_at is None or received_at is None:
        return None
    return (received_at - sent_at) * 1000


@dataclass
class ClickFigures:
    toolbar_ms: list[float] = field(default_factory=list)
    bare_ms: list[float] = field(default_factory=list)


async def click_to_confirmed(clicks: int, folder: Path) -> ClickFigures:
    figures = ClickFigures()
    async with toolbar(QUIET_SYNC, folder) as shown, aiohttp.ClientSession() as http:
        engine, me, recorder = shown.sim.engine, shown.me, shown.recorder
        token = await auth_token(http, shown.sim, shown.api_key)
        url = f"{shown.sim.api_url}/accounts/{shown.account_id}/qubicle_recipients/{me}/status"
        body = status_body(Ready(), Wire())

        def away() -> None:
            engine.set_status(me, "away", "Lunch")

        async def raw_call() -> None:
            async with http.post(url, json=body, headers={"X-Auth-Token": token}) as answer:
                await answer.read()
                answer.raise_for_status()

        await raw_call()  # the connection is kept alive from here on, as the toolbar's is
        for _ in range(clicks):
            await recorder.until_shown(lambda state: state.status == "away", away)
            began = time.perf_counter()
            confirmed = await recorder.until_shown(
                lambda state: state.status == "ready" and not state.pending,
                shown.window.toolbar_actions.ready.trigger,
            )
            figures.toolbar_ms.append((confirmed - began) * 1000)
            await recorder.until_shown(lambda state: state.status == "away", away)
            figures.bare_ms.append(await _timed(raw_call))
            await recorder.until_shown(lambda state: state.status == "ready", lambda: None)
    return figures


async def _timed(work: Callable[[], Awaitable[None]]) -> float:
    began = time.perf_counter()
    await work()
    return (time.perf_counter() - began) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def rows(events: EventFigures, clicks: ClickFigures) -> list[tuple[str, float, float, str, bool]]:
    """(figure, value ms, baseline ms, budget, within budget)."""
    p50 = statistics.median(events.toolbar_ms)
    p99 = percentile(events.toolbar_ms, 0.99)
    bare50 = statistics.median(events.bare_ms)
    bare99 = percentile(events.bare_ms, 0.99)
    click = statistics.median(clicks.toolbar_ms)
    raw = statistics.median(clicks.bare_ms)
    overhead = click - raw
    return [
        (
            "event to screen p50",
            p50,
            bare50,
            f"<= {EVENT_P50_BUDGET_MS:g} ms",
            p50 <= EVENT_P50_BUDGET_MS,
        ),
        (
            "event to screen p99",
            p99,
            bare99,
            f"<= {EVENT_P99_BUDGET_MS:g} ms",
            p99 <= EVENT_P99_BUDGET_MS,
        ),
        (
            "click to confirmed p50",
            click,
            raw,
            f"+{CLICK_OVERHEAD_BUDGET_MS:g} ms over baseline",
            overhead <= CLICK_OVERHEAD_BUDGET_MS,
        ),
    ]


def print_table(events: EventFigures, clicks: ClickFigures) -> None:
    print(f"{'figure':24} {'median ms':>10} {'baseline ms':>12} {'ratio':>7}  {'budget':26} result")
    for name, value, baseline, budget, met in rows(events, clicks):
        ratio = value / baseline if baseline > 0 else float("inf")
        verdict = "PASS" if met else "MISS"
        print(f"{name:24} {value:10.2f} {baseline:12.2f} {ratio:7.1f}  {budget:26} {verdict}")
    print(
        f"\nevents: {len(events.toolbar_ms)} measured, "
        f"{events.lost} lost to the slow-socket limit, "
        f"{len(events.bare_ms)} baseline; sync load {events.sync_rate:.0f}/s; "
        f"{events.repaints} repaints"
    )
    print(f"clicks: {len(clicks.toolbar_ms)} measured, {len(clicks.bare_ms)} baseline")


async def measure(steps: int, clicks: int) -> tuple[EventFigures, ClickFigures]:
    with tempfile.TemporaryDirectory() as folder:
        events = await event_to_screen(steps, Path(folder))
        confirmed = await click_to_confirmed(clicks, Path(folder))
    return events, confirmed


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Event-to-screen and click-to-confirmed latency.")
    parser.add_argument("--quick", action="store_true", help="a few seconds' smoke run")
    parser.add_argument("--events", type=int, default=300, help="changes measured (default 300)")
    parser.add_argument("--clicks", type=int, default=30, help="Ready clicks (default 30)")
    args = parser.parse_args(argv)
    steps, clicks = (10, 3) if args.quick else (args.events, args.clicks)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    QApplication.setQuitOnLastWindowClosed(False)
    i18n.install("en")
    with asyncio.Runner(loop_factory=lambda: QtLoop(app)) as runner:
        events, confirmed = runner.run(measure(steps, clicks))
    print_table(events, confirmed)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
