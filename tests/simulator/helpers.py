"""What the simulator tests share: a small scenario and a client that talks to the simulator
the way the toolbar will (real HTTP, a real websocket, frames decoded by the domain)."""

import asyncio
import hashlib
import json
from typing import Any

import aiohttp

from agent_toolbar.backends.kazoo.frames import decode_frame
from agent_toolbar.domain import RecipientEvent
from agent_toolbar.simulator import (
    AgentConfig,
    DemoLogin,
    KazooSettings,
    QueueConfig,
    Scenario,
    Settings,
    Simulator,
)

GREGORIAN_UNIX_OFFSET = 62_167_219_200
WAIT = 3.0
"""Longest wait for something that should arrive at once (a generous bound, never slept)."""


def small_scenario(kazoo: KazooSettings | None = None, **settings: Any) -> Scenario:
    """Two queues, three agents, no random callers: nothing happens unless a test says so.

    ada (manual, both queues, logged out), bob (manual, Sales, ready),
    sam (supervisor, no queue, away). `kazoo` picks the Kazoo server's switches.
    """
    return Scenario(
        simulator=Settings(seed=1, **settings),
        kazoo=kazoo or KazooSettings(),
        queues=(
            QueueConfig(name="Sales", ring_timeout=10, wrapup_time=5, force_away_on_reject=True),
            QueueConfig(name="Support", ring_timeout=8, wrapup_time=0),
        ),
        agents=(
            AgentConfig(
                username="ada", password="pw-ada", display_name="Ada", queues=("Sales", "Support")
            ),
            AgentConfig(username="bob", password="pw-bob", queues=("Sales",), start="ready"),
            AgentConfig(username="sam", password="pw-sam", supervisor=True, start="away"),
        ),
    )


def without_request_id(body: dict[str, Any]) -> dict[str, Any]:
    """An error or success body with its (random) `request_id` checked and taken out."""
    assert isinstance(body.pop("request_id"), str)
    return body


def queue_ids(sim: Simulator) -> dict[str, str]:
    """Queue ids by name."""
    return {queue.name: queue.id for queue in sim.engine.queues()}


def login_of(sim: Simulator, username: str) -> DemoLogin:
    return next(login for login in sim.logins if login.username == username)


def md5_credentials(username: str, password: str) -> str:
    return hashlib.md5(f"{username.lower()}:{password}".encode()).hexdigest()


class Client:
    """One agent's toolbar stand-in: logs in over REST and listens on the websocket."""

    def __init__(self, sim: Simulator, http: aiohttp.ClientSession, username: str) -> None:
        self.sim = sim
        self.http = http
        self.login = login_of(sim, username)
        self.token = ""
        self.listeners: list[Listener] = []

    async def close(self) -> None:
        for listener in self.listeners:
            await listener.close()

    @property
    def recipient_url(self) -> str:
        login = self.login
        return f"{self.sim.api_url}/accounts/{login.account_id}/qubicle_recipients/{login.user_id}"

    @property
    def headers(self) -> dict[str, str]:
        return {"X-Auth-Token": self.token}

    async def log_in(self) -> dict[str, Any]:
        credentials = md5_credentials(self.login.username, self.login.password)
        data = {
            "credentials": credentials,
            "account_name": self.login.account_name,
            "method": "md5",
        }
        body = {"data": data}
        async with self.http.put(f"{self.sim.api_url}/user_auth", json=body) as response:
            assert response.status == 201, await response.text()
            answer: dict[str, Any] = await response.json()
        self.token = answer["auth_token"]
        return answer

    async def request(
        self, method: str, url: str, data: dict[str, Any] | None = None
    ) -> tuple[int, dict[str, Any]]:
        body = None if data is None else {"data": data}
        async with self.http.request(method, url, json=body, headers=self.headers) as response:
            return response.status, await response.json()

    async def set_status(self, **data: Any) -> tuple[int, dict[str, Any]]:
        return await self.request("POST", f"{self.recipient_url}/status", data)

    async def action(self, **data: Any) -> tuple[int, dict[str, Any]]:
        return await self.request("POST", self.recipient_url, data)

    async def listen(self, *bindings: str) -> "Listener":
        ws = await self.http.ws_connect(self.sim.websocket_url + "/socket")
        listener = Listener(ws)
        self.listeners.append(listener)
        for number, binding in enumerate(bindings or ("qubicle.recipient",)):
            reply = await listener.request(
                "subscribe",
                auth_token=self.token,
                data={"account_id": self.login.account_id, "binding": binding},
                request_id=f"sub-{number}",
            )
            assert reply["status"] == "success", reply
        return listener


class Listener:
    """A websocket reader: replies and events, in the order the server sent them."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._count = 0

    async def close(self) -> None:
        await self.ws.close()

    async def frame(self, timeout: float = WAIT) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            message = await self.ws.receive()
        assert message.type is aiohttp.WSMsgType.TEXT, message
        frame: dict[str, Any] = json.loads(message.data)
        return frame

    async def send(self, frame: dict[str, Any]) -> None:
        await self.ws.send_str(json.dumps(frame))

    async def request(self, action: str, **fields: Any) -> dict[str, Any]:
        """Send one frame and return its reply, skipping the events sent before it."""
        self._count += 1
        fields.setdefault("request_id", f"req-{self._count}")
        await self.send({"action": action, **fields})
        while True:
            frame = await self.frame()
            if frame["action"] == "reply":
                assert frame.get("request_id") == fields["request_id"], frame
                return frame

    async def event(self, name: str | None = None, timeout: float = WAIT) -> dict[str, Any]:
        """The next event frame (skipping events of other names when `name` is given)."""
        while True:
            frame = await self.frame(timeout)
            if frame["action"] == "event" and name in (None, frame["name"]):
                return frame

    async def typed(self, name: str) -> RecipientEvent:
        """The next `name` event, decoded by the toolbar's own decoder."""
        decoded = decode_frame(json.dumps(await self.event(name)))
        assert isinstance(decoded, RecipientEvent), decoded
        return decoded

    async def events_until_quiet(self) -> list[dict[str, Any]]:
        """Every event already sent: a ping's reply marks the end of what was queued."""
        self._count += 1
        request_id = f"quiet-{self._count}"
        await self.send({"action": "ping", "request_id": request_id})
        events = []
        while True:
            frame = await self.frame()
            if frame["action"] == "reply" and frame.get("request_id") == request_id:
                return events
            events.append(frame)
