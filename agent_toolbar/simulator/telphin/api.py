"""Telphin's REST API and OAuth token endpoint over the same call center.

Two apps, mounted by the Simulator under `/api/ver1.0` and `/oauth`. Errors are
`{"message": ...}` (400 validation, 403 permission, 404 unknown ids and paths), except
OAuth's `{"error": ...}` (401 `invalid_token` on the API; `invalid_client`,
`invalid_grant` and 400 `invalid_request`, `unsupported_grant_type` on `/oauth/token`).
A user token reads everything of its client but changes only its own agent and its own
extension's subscriptions [assumed]; a client-credentials token acts as the PBX owner.
Paths are exactly as documented: collections end with `/`, single items do not; lists
are paged (`page`, `per_page`). The scenario's `[telphin]` switches choose the shapes no
public source settles.
"""

from typing import Any

import msgspec
from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from yarl import URL

from agent_toolbar.simulator.engine import CallCenter
from agent_toolbar.simulator.faults import RestFaults
from agent_toolbar.simulator.model import EngineError
from agent_toolbar.simulator.scenario import TelphinSettings
from agent_toolbar.simulator.telphin import wire as telphin_wire
from agent_toolbar.simulator.telphin.directory import TelphinDirectory, TelphinLogin
from agent_toolbar.simulator.telphin.hooks import Owner, Subscription, Subscriptions
from agent_toolbar.simulator.telphin.phones import Phones
from agent_toolbar.simulator.telphin.tokens import Grant, OAuthTokens
from agent_toolbar.support.log import simulator_telphin as log

GRANT_TYPES = ("password", "client_credentials", "refresh_token")
ME = "@me"


class TelphinError(Exception):
    """An error answer, raised from anywhere in a handler."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body)
        self.status = status
        self.body = body


def _refused(status: int, text: str) -> TelphinError:
    return TelphinError(status, telphin_wire.message(text))


def _oauth_refused(status: int, code: str) -> TelphinError:
    return TelphinError(status, telphin_wire.oauth_error(code))


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        status=status,
        body=msgspec.json.encode(body),
        content_type="application/json",
        headers=headers,
    )


def apply_status(engine: CallCenter, user_id: str, status: str) -> None:
    """Telphin's two statuses on the engine: `available` logs in (if needed) and makes the
    agent ready; `logged_out` logs out. The engine emits nothing for what changes nothing."""
    if status == "available":
        engine.set_status(user_id, "login")
        engine.set_status(user_id, "ready")
    else:
        engine.set_status(user_id, "logout")


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except TelphinError as error:
        return _json(error.status, error.body)
    except EngineError as error:
        return _json(error.status, telphin_wire.message(str(error)))
    except web.HTTPException as error:
        return _json(error.status, telphin_wire.message(error.reason))


def _fault_injector(faults: RestFaults, unauthorized: str) -> Middleware:
    """Injected hangs and failures; a 401 carries `unauthorized` as its OAuth error."""

    @web.middleware
    async def inject(request: web.Request, handler: Handler) -> web.StreamResponse:
        await faults.hang(f"{request.method} {request.path}")
        failure = faults.take_failure()
        if failure is None:
            response = await handler(request)
            await faults.hang_answer(f"{request.method} {request.path}")
            return response
        status, retry_after = failure
        log.info("failing %s %s with %d (fault)", request.method, request.path, status)
        headers = None if retry_after is None else {"Retry-After": f"{retry_after:g}"}
        if status == 401:
            return _json(status, telphin_wire.oauth_error(unauthorized), headers)
        return _json(status, telphin_wire.message("injected fault"), headers)

    return inject


async def _body(request: web.Request) -> dict[str, Any]:
    """The JSON object a request carries."""
    try:
        body = msgspec.json.decode(await request.read())
    except msgspec.DecodeError:
        raise _refused(400, "the request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise _refused(400, "the request body must be a JSON object")
    return body


def _choice(body: dict[str, Any], field: str, allowed: tuple[str, ...]) -> str:
    value = body.get(field)
    if not isinstance(value, str) or value not in allowed:
        raise _refused(400, f"{field} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _url(body: dict[str, Any]) -> str:
    value = body.get("url")
    try:
        url = URL(value) if isinstance(value, str) else None
    except ValueError:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        raise _refused(400, f"url must be an absolute http or https URL, not {value!r}")
    return str(value)


def _whole(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def _count(request: web.Request, name: str, default: int) -> int:
    """A query's page number or size: a whole number from 1 (400 otherwise)."""
    text = request.query.get(name)
    if text is None:
        return default
    number = _whole(text)
    if number is None or number < 1:
        raise _refused(400, f"{name} must be a whole number from 1, not {text!r}")
    return number


def _number(request: web.Request, name: str) -> int:
    """A numeric id from the path; anything else names nothing (404)."""
    text = request.match_info[name]
    number = _whole(text)
    if number is None:
        raise _refused(404, f"{name} must be a number, not {text!r}")
    return number


class TelphinApi:
    """The REST apps of the Telphin surface."""

    def __init__(
        self,
        engine: CallCenter,
        *,
        settings: TelphinSettings,
        directory: TelphinDirectory,
        tokens: OAuthTokens,
        subscriptions: Subscriptions,
        rest_faults: RestFaults,
        phones: Phones,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._directory = directory
        self._tokens = tokens
        self._subscriptions = subscriptions
        self._faults = rest_faults
        self._phones = phones

    def app(self) -> web.Application:
        """The API, to be mounted under `/api/ver1.0`."""
        app = web.Application(middlewares=[_errors, _fault_injector(self._faults, "invalid_token")])
        add = app.router.add_route
        client = "/client/{client_id}"
        agents = client + "/agent/{kind:local|remote}/"
        agent = agents + "{agent_id}"
        extension = "/extension/{extension_id}"
        add("GET", "/user/", self._user)
        add("GET", agents, self._list_agents)
        add("GET", agent, self._get_agent)
        add("PUT", agent, self._put_agent)
        add("GET", agent + "/event/", self._list_agent_events)
        add("POST", agent + "/event/", self._add_agent_event)
        add("GET", agent + "/event/{event_id}", self._get_agent_event)
        add("PUT", agent + "/event/{event_id}", self._put_agent_event)
        add("DELETE", agent + "/event/{event_id}", self._delete_agent_event)
        add("GET", client + "/limit/", self._limits)
        add("GET", client + "/extension/", self._list_extensions)
        add("GET", client + "/extension/{extension_id}", self._get_extension)
        add("GET", extension + "/agent/", self._extension_agent)
        add("GET", extension + "/queue/status/", self._queue_status)
        add("POST", extension + "/callback/", self._callback)
        add("GET", extension + "/event/", self._list_extension_events)
        add("POST", extension + "/event/", self._add_extension_event)
        add("DELETE", extension + "/event/", self._clear_extension_events)
        add("GET", extension + "/event/{event_id}", self._get_extension_event)
        add("PUT", extension + "/event/{event_id}", self._put_extension_event)
        add("DELETE", extension + "/event/{event_id}", self._delete_extension_event)
        return app

    def oauth(self) -> web.Application:
        """The token endpoint, to be mounted under `/oauth`."""
        app = web.Application(middlewares=[_errors, _fault_injector(self._faults, "invalid_grant")])
        app.router.add_route("POST", "/token", self._token)
        return app

    # -- OAuth ---------------------------------------------------------------------------

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()

        def field(name: str, error: str, status: int = 400) -> str:
            value = form.get(name)
            if not isinstance(value, str) or not value:
                raise _oauth_refused(status, error)
            return value

        grant_type = field("grant_type", "invalid_request")
        if grant_type not in GRANT_TYPES:
            raise _oauth_refused(400, "unsupported_grant_type")
        app_id = field("client_id", "invalid_client", 401)
        if not self._directory.app_matches(app_id, field("client_secret", "invalid_client", 401)):
            raise _oauth_refused(401, "invalid_client")
        login: TelphinLogin | None = None
        if grant_type == "password":
            username = field("username", "invalid_request")
            password = field("password", "invalid_request")
            login = self._directory.by_credentials(username, password)
            if login is None:
                raise _oauth_refused(401, "invalid_grant")
        elif grant_type == "refresh_token":
            login = self._tokens.redeem(field("refresh_token", "invalid_request"))
            if login is None:
                raise _oauth_refused(401, "invalid_grant")
        log.info("telphin token (%s) for %s", grant_type, login.username if login else "owner")
        return _json(200, telphin_wire.token(self._tokens.issue(login)))

    # -- who asks ------------------------------------------------------------------------

    def _grant(self, request: web.Request) -> Grant:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        grant = self._tokens.check(token.strip()) if scheme.lower() == "bearer" else None
        if grant is None:
            raise _oauth_refused(401, "invalid_token")
        return grant

    def _client(self, request: web.Request) -> Grant:
        """The grant, if the path's `{client_id}` is its client (the number or `@me`)."""
        grant = self._grant(request)
        client_id = request.match_info["client_id"]
        if client_id not in (ME, str(self._directory.client_id)):
            raise _refused(403, f"the token belongs to client {self._directory.client_id}")
        return grant

    def _agent(self, request: web.Request) -> tuple[Grant, TelphinLogin]:
        grant = self._client(request)
        agent_id = _number(request, "agent_id")
        login = self._directory.by_agent_id(agent_id)
        if login is None or request.match_info["kind"] == "remote":
            raise _refused(404, f"no {request.match_info['kind']} agent has id {agent_id}")
        return grant, login

    def _own_agent(self, request: web.Request) -> TelphinLogin:
        grant, login = self._agent(request)
        if grant.login is not None and grant.login != login:
            raise _refused(403, "a user's token may act only on its own agent")
        return login

    def _own_extension(self, request: web.Request) -> Owner:
        grant = self._grant(request)
        extension_id = _number(request, "extension_id")
        if (
            self._directory.by_extension_id(extension_id) is None
            and self._directory.queue_by_extension_id(extension_id) is None
        ):
            raise _refused(404, f"no extension has id {extension_id}")
        if grant.login is not None and grant.login.extension_id != extension_id:
            raise _refused(403, "a user's token may act only on its own extension")
        return ("extension", extension_id)

    # -- user and agents -----------------------------------------------------------------

    async def _user(self, request: web.Request) -> web.Response:
        login = self._grant(request).login
        directory = self._directory
        if login is None:
            return _json(200, telphin_wire.user(directory.client_id, directory.owner_login, None))
        client_id = None if self._settings.extension_users else directory.client_id
        return _json(200, telphin_wire.user(client_id, login.username, login.extension_id))

    def _agent_body(self, login: TelphinLogin) -> dict[str, Any]:
        settings = self._settings
        return telphin_wire.agent(
            login,
            self._engine.agent(login.user_id),
            self._phones.plugged(login.user_id),
            settings.agent_status_field,
            settings.agent_state_field,
        )

    def _paged(self, request: web.Request, items: list[Any]) -> web.Response:
        """One page of `items`, as `page` and `per_page` ask (`per_page` up to the cap)."""
        settings = self._settings
        number = _count(request, "page", 1)
        size = min(_count(request, "per_page", settings.page_size), settings.max_per_page)
        found = telphin_wire.page(items, number, size)
        if not found and number > 1 and settings.past_last_page == "not_found":
            raise _refused(404, f"there is no page {number}")
        return _json(200, found)

    async def _list_agents(self, request: web.Request) -> web.Response:
        self._client(request)
        if request.match_info["kind"] == "remote":
            return _json(200, [])
        logins = self._directory.logins
        wanted = request.query.get("extension_id")
        if wanted is not None:
            extension_id = _whole(wanted)
            if extension_id is None:
                raise _refused(400, f"extension_id must be a number, not {wanted!r}")
            logins = [login for login in logins if login.extension_id == extension_id]
        return self._paged(request, [self._agent_body(login) for login in logins])

    async def _get_agent(self, request: web.Request) -> web.Response:
        _, login = self._agent(request)
        return _json(200, self._agent_body(login))

    async def _put_agent(self, request: web.Request) -> web.Response:
        """The new status goes under the name the agent object gives it (`status` when the
        object has none) [assumed]."""
        login = self._own_agent(request)
        key = self._settings.agent_status_field or "status"
        status = _choice(await _body(request), key, telphin_wire.AGENT_STATUSES)
        apply_status(self._engine, login.user_id, status)
        return _json(200, self._agent_body(login))

    async def _extension_agent(self, request: web.Request) -> web.Response:
        self._grant(request)
        extension_id = _number(request, "extension_id")
        login = self._directory.by_extension_id(extension_id)
        if login is None:
            raise _refused(404, f"extension {extension_id} has no queue agent")
        return _json(200, self._agent_body(login))

    async def _limits(self, request: web.Request) -> web.Response:
        self._client(request)
        limits = self._subscriptions.limits
        return _json(200, telphin_wire.limits(limits["agent"], limits["extension"]))

    # -- extensions and queues -----------------------------------------------------------

    def _extensions(self) -> list[dict[str, Any]]:
        """Every extension: the agents' (`[telphin] agent_extension_type`), then the queues."""
        kind = self._settings.agent_extension_type
        return [
            telphin_wire.extension(
                login.extension_id, login.extension_number, kind, login.display_name
            )
            for login in self._directory.logins
        ] + [
            telphin_wire.extension(queue.extension_id, queue.name, "queue", queue.label)
            for queue in self._directory.queues
        ]

    async def _get_extension(self, request: web.Request) -> web.Response:
        self._client(request)
        extension_id = _number(request, "extension_id")
        for extension in self._extensions():
            if extension["id"] == extension_id:
                return _json(200, extension)
        raise _refused(404, f"no extension has id {extension_id}")

    async def _list_extensions(self, request: web.Request) -> web.Response:
        self._client(request)
        extensions = self._extensions()
        kind = request.query.get("type")
        if kind is not None:
            extensions = [extension for extension in extensions if extension["type"] == kind]
        return self._paged(request, extensions)

    async def _queue_status(self, request: web.Request) -> web.Response:
        self._grant(request)
        extension_id = _number(request, "extension_id")
        queue = self._directory.queue_by_extension_id(extension_id)
        if queue is None:
            raise _refused(404, f"extension {extension_id} is not a queue")
        view = next(view for view in self._engine.queues() if view.id == queue.queue_id)
        return _json(200, telphin_wire.queue_status(view))

    # -- placing calls -------------------------------------------------------------------

    async def _callback(self, request: web.Request) -> web.Response:
        """Ring the extension's phone, then call `dst_num` once it is picked up. [assumed] The
        simulator rings only the extension's own phone: `src_num` must name it, as the
        extension list does (`000*101`) or by its short number (`101`)."""
        _, extension_id = self._own_extension(request)
        login = self._directory.by_extension_id(extension_id)
        if login is None or self._settings.agent_extension_type != "phone":
            raise _refused(400, f"extension {extension_id} is not a phone")
        if self._settings.callback == "forbidden":
            raise _refused(403, "this application may not place calls")
        body = await _body(request)
        sources, number = body.get("src_num"), body.get("dst_num")
        if not isinstance(number, str) or not number:
            raise _refused(400, "dst_num must be the number to call")
        names = (login.extension_number, login.extension_number.partition("*")[2])
        if not isinstance(sources, list) or not sources or any(s not in names for s in sources):
            raise _refused(400, f"src_num must list this extension's phone ({names[0]})")
        call_id = self._engine.place_call(login.user_id, number)
        self._phones.placing(login.user_id, call_id, number)
        log.info("telphin callback: %s's phone rings to call %s", login.username, number)
        return _json(200, telphin_wire.callback(call_id))

    # -- event subscriptions -------------------------------------------------------------

    async def _list_agent_events(self, request: web.Request) -> web.Response:
        return self._list_events(request, self._agent_owner(request))

    async def _add_agent_event(self, request: web.Request) -> web.Response:
        owner = self._agent_owner(request)
        return await self._add_event(request, owner, telphin_wire.AGENT_EVENTS)

    async def _get_agent_event(self, request: web.Request) -> web.Response:
        return self._get_event(request, self._agent_owner(request))

    async def _put_agent_event(self, request: web.Request) -> web.Response:
        owner = self._agent_owner(request)
        return await self._put_event(request, owner, telphin_wire.AGENT_EVENTS)

    async def _delete_agent_event(self, request: web.Request) -> web.Response:
        return self._delete_event(request, self._agent_owner(request))

    async def _list_extension_events(self, request: web.Request) -> web.Response:
        return self._list_events(request, self._own_extension(request))

    async def _add_extension_event(self, request: web.Request) -> web.Response:
        owner = self._own_extension(request)
        return await self._add_event(request, owner, telphin_wire.EXTENSION_EVENTS)

    async def _clear_extension_events(self, request: web.Request) -> web.Response:
        self._subscriptions.clear(self._own_extension(request))
        return web.Response(status=204)

    async def _get_extension_event(self, request: web.Request) -> web.Response:
        return self._get_event(request, self._own_extension(request))

    async def _put_extension_event(self, request: web.Request) -> web.Response:
        owner = self._own_extension(request)
        return await self._put_event(request, owner, telphin_wire.EXTENSION_EVENTS)

    async def _delete_extension_event(self, request: web.Request) -> web.Response:
        return self._delete_event(request, self._own_extension(request))

    def _agent_owner(self, request: web.Request) -> Owner:
        return ("agent", self._own_agent(request).agent_id)

    def _list_events(self, request: web.Request, owner: Owner) -> web.Response:
        return self._paged(request, [_subscription(sub) for sub in self._subscriptions.of(owner)])

    async def _add_event(
        self, request: web.Request, owner: Owner, event_types: tuple[str, ...]
    ) -> web.Response:
        body = await _body(request)
        url = _url(body)
        event_type = _choice(body, "event_type", event_types)
        method = _choice(body, "method", telphin_wire.METHODS)
        subscription = self._subscriptions.add(owner, url, method, event_type)
        return _json(200, _subscription(subscription))

    def _get_event(self, request: web.Request, owner: Owner) -> web.Response:
        subscription = self._subscriptions.get(owner, _number(request, "event_id"))
        return _json(200, _subscription(subscription))

    async def _put_event(
        self, request: web.Request, owner: Owner, event_types: tuple[str, ...]
    ) -> web.Response:
        subscription = self._subscriptions.get(owner, _number(request, "event_id"))
        body = await _body(request)
        url = _url(body) if "url" in body else subscription.url
        event_type = (
            _choice(body, "event_type", event_types)
            if "event_type" in body
            else subscription.event_type
        )
        method = (
            _choice(body, "method", telphin_wire.METHODS)
            if "method" in body
            else subscription.method
        )
        subscription.url, subscription.event_type, subscription.method = url, event_type, method
        return _json(200, _subscription(subscription))

    def _delete_event(self, request: web.Request, owner: Owner) -> web.Response:
        self._subscriptions.remove(owner, _number(request, "event_id"))
        return web.Response(status=204)


def _subscription(subscription: Subscription) -> dict[str, Any]:
    return telphin_wire.subscription(
        subscription.id, subscription.url, subscription.method, subscription.event_type
    )
