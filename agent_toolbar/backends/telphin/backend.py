"""The Telphin backend: OAuth and REST for status and setup, the provider's callbacks for events.

A cloud PBX cannot reach into a desktop, so the app runs a callback listener that
the provider reaches at a configured public URL; and because callbacks can be
lost, the session polls the agent's status often (every `check_interval`).
Telphin has two statuses, logged in to the queues ("available", shown as ready)
and logged out, and no pause: the window hides what it cannot do.
"""

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import aiohttp
from yarl import URL

from agent_toolbar.backends.base import (
    Capabilities,
    CommandRejected,
    Delivery,
    Identity,
    SignedOut,
    Unreachable,
)
from agent_toolbar.backends.http import Response, raise_if_busy, tls
from agent_toolbar.backends.reachability import answers
from agent_toolbar.backends.telphin import agent_object, subscriptions, wire
from agent_toolbar.backends.telphin.api import TelphinApi
from agent_toolbar.backends.telphin.callback_events import agent_event, call_event
from agent_toolbar.backends.telphin.listener import CallbackListener
from agent_toolbar.backends.telphin.oauth import AppCredentials, OAuth
from agent_toolbar.backends.telphin.paging import every_page
from agent_toolbar.backends.telphin.wire import Wire
from agent_toolbar.domain import QueueFacts, QueuesReported, Snapshot
from agent_toolbar.domain.commands import Command, Dial, Login, Logout, Ready
from agent_toolbar.domain.events import RecipientEvent
from agent_toolbar.support.log import telphin as log

MESSAGE_CHARS = 200
"""A server's message is shown up to this long: enough to say why, not a page of HTML."""


@dataclass(frozen=True)
class TelphinSettings:
    api_url: str
    """The API base, e.g. https://apiproxy.telphin.ru/api/ver1.0."""
    app: AppCredentials
    token_url: str | None = None
    """The OAuth token endpoint; by default /oauth/token on the API's host."""
    agent_id: str | None = None
    """The queue agent; without it, the agent of `extension_id` (or of the user's extension)."""
    extension_id: str | None = None
    agent_type: wire.AgentType = "local"
    callback_host: str = "127.0.0.1"
    callback_port: int = 0
    callback_url: str | None = None
    """Where the provider reaches the listener (a public URL forwarded to host:port)."""
    ca_file: str | None = None
    request_timeout: float = 10.0
    wire: Wire = field(default_factory=Wire)
    """The wire facts a profile overrides (`[profiles.NAME.wire]`)."""


@dataclass(frozen=True)
class _Agent:
    identity: Identity
    client: str
    path: str
    extension: str | None
    phone: str | None = None
    """The extension's name (`PREFIX*NAME`) when it is a phone: calls can be placed from it."""


class _Link:
    """Callbacks flow while the listener runs; losing them shows in the polls, not here."""

    def __init__(self) -> None:
        self._closed = asyncio.get_running_loop().create_future()

    async def closed(self) -> str:
        return await asyncio.shield(self._closed)

    async def close(self) -> None:
        if not self._closed.done():
            self._closed.set_result("closed by the toolbar")


class TelphinBackend:
    capabilities = Capabilities(
        away=False, pause_queues=False, extend_wrapup=False, finish_wrapup=False
    )
    """Before sign-in; after it, dialing too where the agent's extension is a phone."""
    check_interval = 30.0
    """Callbacks can be lost: the agent's status is polled this often."""

    def __init__(self, settings: TelphinSettings) -> None:
        self._settings = settings
        self._http: aiohttp.ClientSession | None = None
        self._api: TelphinApi | None = None
        self._agent: _Agent | None = None
        self._queues: dict[str, str] = {}
        """Queue extensions' names (`PREFIX*NAME`) to their ids, to tell a queue's call."""
        self._deliver: Delivery | None = None
        self._warned_unreadable = False
        self._listener = CallbackListener(
            settings.callback_host,
            settings.callback_port,
            settings.callback_url,
            {"agent": self._agent_callback, "call": self._call_callback},
        )

    @property
    def settings(self) -> TelphinSettings:
        """What it was made with: `doctor` signs in with the same settings and reads raw."""
        return self._settings

    async def sign_in(self) -> Identity:
        settings = self._settings
        if self._http is None:
            connector = aiohttp.TCPConnector(ssl=tls(settings.ca_file))
            self._http = aiohttp.ClientSession(connector=connector)
        oauth = OAuth(
            self._http, token_url(settings), settings.app, timeout=settings.request_timeout
        )
        await oauth.sign_in()
        self._api = api = TelphinApi(
            self._http, settings.api_url, oauth, timeout=settings.request_timeout
        )
        user = _data(await api.call("GET", "user/"), "read the user")
        client = str(user.get("client_id") or wire.ME)
        agent = await self._find_agent(api, client, user)
        agent = replace(agent, phone=await self._phone(api, agent))
        self._agent = agent
        self.capabilities = replace(TelphinBackend.capabilities, dial=agent.phone is not None)
        log.info("signed in to client %s as queue agent %s", client, agent.identity.recipient_id)
        return agent.identity

    async def _find_agent(self, api: TelphinApi, client: str, user: Mapping[str, Any]) -> _Agent:
        """The queue agent to follow; a 404 means the user (or the id given) is no agent."""
        settings = self._settings
        if settings.agent_id is not None:
            path = wire.agent_path(client, settings.agent_type, settings.agent_id)
            answer = await api.call("GET", path)
            if answer.status == 404:
                raise SignedOut(
                    f"there is no queue agent {settings.agent_id}",
                    kind="not_agent",
                    setting="agent_id",
                )
            found = _data(answer, "find the queue agent")
        else:
            extension = settings.extension_id or user.get("extension_id")
            if extension is None:
                raise SignedOut(
                    "this user has no phone extension, so no queue agent: give the agent id",
                    kind="not_agent",
                    setting="agent_id",
                )
            answer = await api.call("GET", f"extension/{extension}/agent/")
            if answer.status == 404:
                raise SignedOut(
                    f"phone extension {extension} is not a queue agent",
                    kind="not_agent",
                    setting="extension_id" if settings.extension_id else None,
                )
            found = _data(answer, "find the agent of the extension")
        agent_id = found.get("id")
        if agent_id is None:
            raise SignedOut("the server did not name the queue agent")
        identity = Identity(
            recipient_id=str(agent_id), account_id=client, display_name=found.get("name")
        )
        extension = found.get("extension_id")
        return _Agent(
            identity=identity,
            client=client,
            path=wire.agent_path(client, settings.agent_type, str(agent_id)),
            extension=None if extension is None else str(extension),
        )

    async def _phone(self, api: TelphinApi, agent: _Agent) -> str | None:
        """[extension], [callback_extension]: the agent's extension's name if it is a phone;
        an extension the server will not show leaves dialing off, not the agent signed out."""
        if agent.extension is None:
            return None
        answer = await api.call("GET", f"client/{agent.client}/extension/{agent.extension}")
        raise_if_busy(answer, "read the phone extension", _status)
        body = answer.body if answer.status < 400 else None
        name = body.get("name") if isinstance(body, dict) else None
        if (
            not isinstance(body, dict)
            or body.get("type") != wire.PHONE
            or not isinstance(name, str)
        ):
            log.info(
                "extension %s is no phone the toolbar can call from: no dialing", agent.extension
            )
            return None
        return name or None

    async def open_events(self, deliver: Delivery) -> _Link:
        api, agent = self._require()
        self._deliver = deliver
        if not self._listener.running:
            await self._listener.start()
        limits = await self._limits(api, agent.client)
        ours = self._listener.base + "/"
        await subscriptions.ensure(
            api,
            agent.path,
            [subscriptions.Hook(kind, self._listener.url("agent")) for kind in wire.AGENT_EVENTS],
            ours=ours,
            cap=limits.get(wire.AGENT_EVENT_LIMIT),
            what="this agent",
        )
        if agent.extension is not None:
            await subscriptions.ensure(
                api,
                f"extension/{agent.extension}",
                [subscriptions.Hook(kind, self._listener.url("call")) for kind in wire.CALL_EVENTS],
                ours=ours,
                cap=limits.get(wire.EXTENSION_EVENT_LIMIT),
                what="this phone extension",
            )
        return _Link()

    async def snapshot(self, taken_at: float | None) -> Snapshot:
        api, agent = self._require()
        found = _data(await api.call("GET", agent.path), "read the agent's status")
        snapshot = agent_object.read_agent(found, taken_at, self._settings.wire)
        if not snapshot.status_known and not self._warned_unreadable:
            self._warned_unreadable = True
            log.warning(
                "the agent object has no status the toolbar can read (looked for %s; its keys: "
                "%s): the status stays as the callbacks say; if the server names it otherwise, "
                "set status_field in the profile's wire table",
                " or ".join(agent_object.status_fields(self._settings.wire)),
                agent_object.keys_seen(found),
            )
        return snapshot

    async def queues(self, taken_at: float | None) -> QueuesReported:
        """The queues: their ids and names tell a queue's call from any other call to the
        phone; their labels are what the agent reads."""
        api, agent = self._require()
        found = await every_page(
            api,
            f"client/{agent.client}/extension/",
            lambda answer: _data(answer, "list the queues", many=True),
            {"type": "queue"},
        )
        queues = [queue for queue in found if "id" in queue]
        self._queues = {
            str(queue["name"]): str(queue["id"])
            for queue in queues
            if isinstance(queue.get("name"), str) and queue["name"]
        }
        facts = tuple(QueueFacts(queue_id=str(queue["id"]), name=_label(queue)) for queue in queues)
        return QueuesReported(queues=facts, taken_at=taken_at)

    async def send(self, command: Command) -> None:
        api, agent = self._require()
        if isinstance(command, Dial):
            await self._dial(api, agent, command.number)
            return
        if not isinstance(command, Login | Logout | Ready):
            raise CommandRejected(
                "Telphin has no such change: only logging in and out of the queues"
            )
        logging_in = not isinstance(command, Logout)
        body = wire.status_body(logging_in, self._settings.wire)
        answer = await api.call("PUT", agent.path, body)
        raise_if_busy(answer, "make the change", _status)
        if answer.status >= 400:
            raise CommandRejected(refusal(answer))

    async def _dial(self, api: TelphinApi, agent: _Agent, number: str) -> None:
        """[callback]: the server rings the agent's phone, then calls `number`; the call
        shows up through the extension's callbacks ([callback_events])."""
        if agent.phone is None or agent.extension is None:
            raise CommandRejected("calls cannot be placed here: your queue agent has no phone")
        body = wire.callback_body(agent.phone, number)
        answer = await api.call("POST", f"extension/{agent.extension}/callback/", body)
        raise_if_busy(answer, "place the call", _status)
        if answer.status >= 400:
            raise CommandRejected(refusal(answer))

    async def reachable(self) -> bool:
        return await answers(self._settings.api_url)

    async def close(self) -> None:
        """A clean exit removes this app's subscriptions, so they do not pile up at the provider."""
        if self._api is not None and self._agent is not None and self._listener.running:
            ours = self._listener.base + "/"
            owners = [self._agent.path]
            if self._agent.extension is not None:
                owners.append(f"extension/{self._agent.extension}")
            for owner in owners:
                try:
                    await subscriptions.remove(self._api, owner, ours)
                except (SignedOut, Unreachable) as error:
                    log.warning("could not remove the subscriptions of %s: %s", owner, error)
        await self._listener.stop()
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def _limits(self, api: TelphinApi, client: str) -> dict[str, int]:
        answer = await api.call("GET", f"client/{client}/limit/")
        if answer.status >= 400 or not isinstance(answer.body, dict):
            return {}
        return {key: value for key, value in answer.body.items() if isinstance(value, int)}

    def _agent_callback(self, fields: Mapping[str, str]) -> None:
        self._pass(agent_event(fields, self._recipient()))

    def _call_callback(self, fields: Mapping[str, str]) -> None:
        self._pass(call_event(fields, self._recipient(), self._queues))

    def _pass(self, event: RecipientEvent | None) -> None:
        if event is not None and self._deliver is not None:
            self._deliver(event)

    def _recipient(self) -> str:
        return self._agent.identity.recipient_id if self._agent is not None else ""

    def _require(self) -> tuple[TelphinApi, _Agent]:
        if self._api is None or self._agent is None:
            raise SignedOut("not signed in")
        return self._api, self._agent


def token_url(settings: TelphinSettings) -> str:
    """[token_endpoint]: the one given, else /oauth/token on the API's host."""
    return settings.token_url or str(URL(settings.api_url).with_path(wire.TOKEN_PATH))


def _data(answer: Response, doing: str, *, many: bool = False) -> Any:
    """The answer's body; a refusal means the setup is wrong (signed out until it changes)."""
    raise_if_busy(answer, doing, _status)
    if answer.status >= 400:
        raise SignedOut(f"the server would not {doing} ({_words(answer)})")
    body = answer.body
    if many:
        return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []
    return body if isinstance(body, dict) else {}


def _status(answer: Response) -> str:
    return str(answer.status)


def _words(answer: Response) -> str:
    message = _said(answer)
    return f"{answer.status}: {message}" if message else str(answer.status)


def refusal(answer: Response) -> str:
    """A refused change in plain words, with what the server said; it is not retried."""
    said = _said(answer)
    words = f"the server refused ({answer.status})"
    return f"{words}: {said}" if said else f"{words} and gave no reason"


def _said(answer: Response) -> str | None:
    """The server's own message, tidied: one line, printable, not too long."""
    body = answer.body
    message = body.get("message") or body.get("error") if isinstance(body, dict) else None
    if not isinstance(message, str):
        return None
    text = " ".join("".join(c if c.isprintable() else " " for c in message).split())
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"


def _label(queue: Mapping[str, Any]) -> str | None:
    """[queues]: the label is what people read; the name (`PREFIX*NAME`) when there is none."""
    for key in ("label", "name"):
        value = queue.get(key)
        if isinstance(value, str) and value:
            return value
    return None
