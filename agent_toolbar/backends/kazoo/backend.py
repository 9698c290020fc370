"""The Kazoo/Qubicle backend: Crossbar for sign-in, snapshots and commands; Blackhole for events."""

import asyncio
from dataclasses import dataclass, field, replace

import aiohttp

from agent_toolbar.backends.base import (
    Adapted,
    Capabilities,
    CommandRejected,
    Delivery,
    Identity,
    SignedOut,
    Unreachable,
)
from agent_toolbar.backends.http import Response, raise_if_busy, tls
from agent_toolbar.backends.kazoo import wire
from agent_toolbar.backends.kazoo.auth import Auth, Credentials
from agent_toolbar.backends.kazoo.blackhole import BlackholeLink
from agent_toolbar.backends.kazoo.crossbar import Crossbar
from agent_toolbar.backends.kazoo.errors import kazoo_message, refused_fields
from agent_toolbar.backends.kazoo.websocket_url import find_websocket_url
from agent_toolbar.backends.kazoo.wire import Wire
from agent_toolbar.backends.reachability import answers
from agent_toolbar.backends.urls import plain_to_remote
from agent_toolbar.domain import QueuesReported, Snapshot
from agent_toolbar.domain.commands import (
    Away,
    Command,
    Dial,
    Pause,
    Resume,
    WrapupExtend,
    WrapupFinish,
)
from agent_toolbar.support.log import kazoo as log

BINDINGS = ("qubicle.recipient", "qubicle.queue")
MAX_QUEUES_READ = 100
"""Queues whose agents are read on each check: more than any agent's share, bounded."""


@dataclass(frozen=True)
class KazooSettings:
    api_url: str
    """Crossbar's base URL, e.g. https://pbx.example.com:8443/v2."""
    credentials: Credentials
    websocket_url: str | None = None
    """Blackhole's URL; without it, the one the server advertises at sign-in."""
    user_id: str | None = None
    """The agent to follow when an API key names no user."""
    ca_file: str | None = None
    """A CA bundle to trust beside the system's, for servers with a private CA."""
    allow_plain_http: bool = False
    """Accept an advertised ws:// event URL to a host other than loopback (tokens in clear)."""
    request_timeout: float = 10.0
    ping_interval: float = 30.0
    ping_timeout: float = 10.0
    wire: Wire = field(default_factory=Wire)
    """The request keys no public source names, as the profile overrides them."""


@dataclass(frozen=True)
class _SignedIn:
    http: aiohttp.ClientSession
    auth: Auth
    crossbar: Crossbar
    identity: Identity
    websocket_url: str


class KazooBackend:
    capabilities = Capabilities(
        away=True, pause_queues=True, extend_wrapup=True, finish_wrapup=True, dial=True
    )
    check_interval = 300.0
    """Events are reliable but for Kazoo 4.3 dropping some for busy sockets: check now and then."""

    def __init__(self, settings: KazooSettings) -> None:
        self._settings = settings
        self._http: aiohttp.ClientSession | None = None
        self._signed_in: _SignedIn | None = None
        self._wire = settings.wire
        self._membership_refused = False
        self._queue_settings: dict[str, wire.QueueSettings] = {}
        self._settings_refused = False

    async def sign_in(self) -> Identity:
        settings = self._settings
        if self._http is None:
            connector = aiohttp.TCPConnector(ssl=tls(settings.ca_file))
            self._http = aiohttp.ClientSession(connector=connector)
        auth = Auth(
            self._http, settings.api_url, settings.credentials, timeout=settings.request_timeout
        )
        login = await auth.sign_in()
        recipient = settings.user_id or login.owner_id
        if recipient is None:
            raise SignedOut(
                "this sign-in names no user: give the agent's user id",
                kind="setup",
                setting="user_id",
            )
        websocket_url = settings.websocket_url or login.websocket_url
        if websocket_url is None:
            websocket_url = await find_websocket_url(
                self._http,
                settings.api_url,
                allow_plain=settings.allow_plain_http,
                timeout=settings.request_timeout,
            )
        if plain_to_remote(websocket_url) and not settings.allow_plain_http:
            raise SignedOut(
                f"the server's event URL {websocket_url} is not encrypted (ws://)",
                kind="insecure",
                setting="websocket_url",
            )
        identity = Identity(recipient_id=recipient, account_id=login.account_id)
        self._queue_settings = {}
        crossbar = Crossbar(self._http, settings.api_url, auth, timeout=settings.request_timeout)
        await _require_recipient(crossbar, login.account_id, recipient)
        self._signed_in = _SignedIn(self._http, auth, crossbar, identity, websocket_url)
        log.info("signed in to account %s as recipient %s", login.account_id, recipient)
        return identity

    async def open_events(self, deliver: Delivery) -> BlackholeLink:
        signed_in = self._require_sign_in()
        settings = self._settings
        return await BlackholeLink.open(
            signed_in.http,
            signed_in.websocket_url,
            auth=signed_in.auth,
            account_id=signed_in.identity.account_id,
            bindings=BINDINGS,
            deliver=deliver,
            request_timeout=settings.request_timeout,
            ping_interval=settings.ping_interval,
            ping_timeout=settings.ping_timeout,
        )

    async def snapshot(self, taken_at: float | None) -> Snapshot:
        answer = await self._call("GET", "/status")
        if answer.status in wire.NOT_LOGGED_IN_STATUSES:
            return Snapshot(taken_at=taken_at, logged_in=False)
        raise_if_busy(answer, "read the agent's status", _words)
        if answer.status >= 400:
            # Not a sign-out: the state stays unconfirmed, and the problem shows.
            raise Unreachable(
                f"the server would not show this agent's status ({_words(answer)})",
                maybe_applied=False,
                kind="server",
            )
        return wire.read_status(_data(answer), taken_at)

    async def queues(self, taken_at: float | None) -> QueuesReported:
        signed_in = self._require_sign_in()
        account = f"accounts/{signed_in.identity.account_id}/qubicle_queues"
        listed = await signed_in.crossbar.call("GET", account)
        raise_if_busy(listed, "list the queues", _words)
        status = await signed_in.crossbar.call("GET", f"{account}/status")
        raise_if_busy(status, "read the queues' numbers", _words)
        queues = _data(listed)
        listing = queues if isinstance(queues, list) else []
        ids = [item["id"] for item in listing if isinstance(item, dict) and "id" in item]
        ids = [queue for queue in ids if isinstance(queue, str)][:MAX_QUEUES_READ]
        members = await self._members(account, ids)
        await self._read_settings(account, ids)
        return wire.read_queues(queues, _data(status), taken_at, members, self._queue_settings)

    async def _read_settings(self, account: str, ids: list[str]) -> None:
        """[queue_settings] of queues not read yet this sign-in: an offer a status read
        finds takes its ring time and cost from them. Settings seldom change, and the
        offer event states its own, so each queue's document is read once."""
        unread = [queue for queue in ids if queue not in self._queue_settings]
        if self._settings_refused or not unread:
            return
        crossbar = self._require_sign_in().crossbar
        answers = await asyncio.gather(
            *(crossbar.call("GET", f"{account}/{queue}") for queue in unread)
        )
        for queue, answer in zip(unread, answers, strict=True):
            raise_if_busy(answer, "read the queues' settings", _words)
            if answer.status >= 400:
                log.warning(
                    "the server will not show the queues' settings (%s): a call found "
                    "ringing by a check shows no time to answer",
                    _words(answer),
                )
                self._settings_refused = True
                return
            self._queue_settings[queue] = wire.read_queue_settings(_data(answer))

    async def _members(self, account: str, ids: list[str]) -> tuple[str, ...] | None:
        """The queues whose recipients include us; None when the server will not say."""
        if self._membership_refused:
            return None
        signed_in = self._require_sign_in()
        me = signed_in.identity.recipient_id
        answers = await asyncio.gather(
            *(signed_in.crossbar.call("GET", f"{account}/{queue}/recipients") for queue in ids)
        )
        for answer in answers:
            raise_if_busy(answer, "read the queues' agents", _words)
            if answer.status >= 400:
                log.warning(
                    "the server will not list the queues' agents (%s): the queues the agent "
                    "takes calls from are not known",
                    _words(answer),
                )
                self._membership_refused = True
                return None
        return tuple(
            queue
            for queue, answer in zip(ids, answers, strict=True)
            if wire.is_member(_data(answer), me)
        )

    async def send(self, command: Command) -> Adapted | None:
        if isinstance(command, Dial):
            await self._dial(command)
            return None
        if isinstance(command, WrapupExtend | WrapupFinish):
            answer = await self._call("POST", "", wire.action_body(command))
            self._refused(answer, command)
            return None
        answer = await self._call("POST", "/status", wire.status_body(command, self._wire))
        if not (isinstance(command, Away) and command.reason and answer.status == 400):
            self._refused(answer, command)
            return None
        refused = refused_fields(answer.body).get(self._wire.reason_key)
        if refused is None or wire.UNKNOWN_KEY_RULE not in refused.rules:
            self._refused(answer, command)
            return None
        # The server takes no reason: make the away without it, and keep the reason as
        # the agent's own note for the rest of the session.
        words = f"the server takes no away reason ({refused.words})"
        log.warning("%s: reasons stay the toolbar's notes", words)
        self._wire = replace(self._wire, reason_key="")
        answer = await self._call("POST", "/status", wire.status_body(command, self._wire))
        self._refused(answer, command)
        return Adapted(capability="away_reason", reason=words)

    async def _dial(self, command: Dial) -> None:
        """[quickcall] The server rings the agent's phone, then the number; its answer
        comes before any phone rings, so the call showing is what confirms it."""
        signed_in = self._require_sign_in()
        identity = signed_in.identity
        path = wire.quickcall_path(identity.account_id, identity.recipient_id, command.number)
        answer = await signed_in.crossbar.call("GET", path)
        why = wire.quickcall_refusal(answer.status, answer.body)
        if why is not None:
            raise CommandRejected(
                f"the server will not place calls for this user: {why} ({_words(answer)})"
            )
        self._refused(answer, command)

    def _refused(self, answer: Response, command: Command) -> None:
        """Raise for an answer that is no success, in the server's own terms."""
        raise_if_busy(answer, "make the change", _words)
        if answer.status < 400:
            return
        refused = refused_fields(answer.body) if answer.status == 400 else {}
        if not refused:
            raise CommandRejected(f"the server refused: {_words(answer)}")
        words = "; ".join(f"{field}: {why.words}" for field, why in refused.items())
        queue = refused.get(self._wire.queue_key)
        if isinstance(command, Pause | Resume) and queue and wire.UNKNOWN_KEY_RULE in queue.rules:
            raise CommandRejected(
                f"the server takes no per-queue changes under {self._wire.queue_key!r} ({words})",
                capability="pause_queues",
            )
        raise CommandRejected(f"the server refused: {words}")

    async def reachable(self) -> bool:
        return await answers(self._settings.api_url)

    async def close(self) -> None:
        self._signed_in = None
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def _call(self, method: str, suffix: str, body: object = None) -> Response:
        signed_in = self._require_sign_in()
        identity = signed_in.identity
        path = f"accounts/{identity.account_id}/qubicle_recipients/{identity.recipient_id}{suffix}"
        return await signed_in.crossbar.call(method, path, body)

    def _require_sign_in(self) -> _SignedIn:
        if self._signed_in is None:
            raise SignedOut("not signed in")
        return self._signed_in


async def _require_recipient(crossbar: Crossbar, account_id: str, recipient: str) -> None:
    """Right credentials of a user who is no Qubicle recipient: say so now, not as a stale state.

    The status read answers 404 for a recipient who is not logged in; only the
    recipient's configuration tells that case from a user who is no recipient.
    """
    path = f"accounts/{account_id}/qubicle_recipients/{recipient}"
    status = await crossbar.call("GET", f"{path}/status")
    raise_if_busy(status, "read the agent's status", _words)
    if status.status == 403:
        raise SignedOut(
            f"this sign-in may not act as agent {recipient} ({_words(status)})", kind="not_agent"
        )
    if status.status not in wire.NOT_LOGGED_IN_STATUSES:
        return
    configuration = await crossbar.call("GET", path)
    raise_if_busy(configuration, "read the agent's configuration", _words)
    if not _is_recipient(configuration):
        raise SignedOut(
            f"user {recipient} is not a call-center agent (no Qubicle recipient)", kind="not_agent"
        )


def _is_recipient(configuration: Response) -> bool:
    """[assumed] `GET .../qubicle_recipients/{id}` (documented: the user's document) answers
    404 for a user who is no recipient, or shows `qubicle.enabled` false. Any other answer
    (a server without this read answers 405) is taken to mean a recipient: a real agent
    must never be turned away on a guess.
    """
    if configuration.status == 404:
        return False
    data = _data(configuration)
    qubicle = data.get("qubicle") if isinstance(data, dict) else None
    enabled = qubicle.get("enabled") if isinstance(qubicle, dict) else None
    return enabled not in (False, "false")


def _data(answer: Response) -> object:
    """Crossbar's envelope: `{"data": ..., "status": "success"}`."""
    return (
        answer.body.get("data") if isinstance(answer.body, dict) and answer.status < 400 else None
    )


def _words(answer: Response) -> str:
    return f"{answer.status}: {kazoo_message(answer.body)}"
