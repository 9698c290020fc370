"""Crossbar: Kazoo's REST API, as much of it as the toolbar uses, plus `/sim/*` controls.

Two apps, mounted by the Simulator under `/v2` and `/sim`, each with its own error
shapes. Bodies, status codes and error shapes of `/v2` follow Kazoo so that a client
written against this app works against a real server: success is `{"auth_token","data",
"status","request_id"}`, errors `{"data","error","message","status","request_id"}`. A
token acts only on its own account and its own recipient. Where the public evidence is
unsure (the status POST's keys, a logged-out agent's status, queue membership), the
scenario's `[kazoo]` switches pick the server. The `/sim/*` routes are the simulator's
own (no token, plain JSON) and no fault ever touches them.
"""

import uuid
from typing import Any

import msgspec
from aiohttp import web
from aiohttp.typedefs import Handler

from agent_toolbar.simulator.engine import CallCenter
from agent_toolbar.simulator.faults import RestFaults
from agent_toolbar.simulator.kazoo import wire
from agent_toolbar.simulator.kazoo.tokens import HASHES, Claims, DemoLogin, Directory, Tokens
from agent_toolbar.simulator.model import EngineError, InvalidRequest, NotFound
from agent_toolbar.simulator.scenario import KazooSettings, stable_id
from agent_toolbar.support.log import simulator_crossbar as log

ERROR_MESSAGES = {
    400: "invalid request",
    401: "invalid_credentials",
    403: "forbidden",
    404: "bad_identifier",
    405: "method_not_allowed",
    409: "conflict",
    429: "too_many_requests",
    500: "internal_server_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}
"""The `message` of a Kazoo error body for each status."""
VALIDATION_ERROR = "validation error"
"""The `message` of every 400 that names fields [src: Crossbar's validation errors]."""
NOT_ALLOWED = "Strict checking of data is enabled; only include schema-defined properties"
"""Kazoo's `additionalProperties` message [src: kz_json_schema.erl]."""
RECIPIENT_STATUSES = ("login", "logout", "ready", "away")
"""The status POST's only values [doc]; Qubicle has no `pause`/`resume` status."""
RECIPIENT_ACTIONS = ("wrapup_extend", "wrapup_cancel", "monitor", "stop_monitor")
"""`POST .../qubicle_recipients/{id}` actions; [assumed] the name `stop_monitor`."""
SIM_AGENT_ACTIONS = ("answer", "decline", "hang_up", "external_call_start", "external_call_end")
QUICKCALL_TIMEOUT = 30
"""[doc] How long quickcall rings the devices by default, as its answer says."""


def device_id(account_id: str, user_id: str) -> str:
    """The id of the one device (phone) each simulated user owns."""
    return stable_id("device", account_id, user_id)


class KazooError(Exception):
    """An error answer, raised from anywhere in a handler."""

    def __init__(self, status: int, data: dict[str, Any], message: str | None = None) -> None:
        super().__init__(message or ERROR_MESSAGES.get(status, "error"))
        self.status = status
        self.data = data
        self.message = message or ERROR_MESSAGES.get(status, "error")


def _unauthorized() -> KazooError:
    return KazooError(401, {"message": "invalid credentials"})


def _problem(field: str, rule: str, message: str, target: Any = None) -> dict[str, Any]:
    """One field's entry in a validation error: which rule, and what it wanted."""
    detail: dict[str, Any] = {"message": message}
    if target is not None:
        detail["target"] = target
    return {field: {rule: detail}}


def _invalid(problems: dict[str, Any]) -> KazooError:
    """Kazoo's 400 validation error: every field's problem in `data` at once."""
    return KazooError(400, problems, VALIDATION_ERROR)


def _field_error(field: str, rule: str, message: str, target: Any = None) -> KazooError:
    return _invalid(_problem(field, rule, message, target))


def _required(field: str) -> KazooError:
    return _field_error(field, "required", "Field is required but missing")


def _wrong_type(field: str, kind: str) -> KazooError:
    return _field_error(field, "type", f"Value did not match type(s): {kind}", kind)


def _not_in(field: str, allowed: tuple[str, ...]) -> KazooError:
    return _field_error(field, "enum", "Value not found in enumerated list of values", allowed)


def _optional_text(data: dict[str, Any], field: str) -> str | None:
    value = data.get(field)
    if value is not None and not isinstance(value, str):
        raise _wrong_type(field, "string")
    return value


def _text(data: dict[str, Any], field: str) -> str:
    value = _optional_text(data, field)
    if value is None:
        raise _required(field)
    return value


def _seconds(data: dict[str, Any], field: str) -> float | None:
    value = data.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise _field_error(field, "minimum", "Value must be a number above 0", 0)
    return float(value)


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        status=status,
        body=msgspec.json.encode(body),
        content_type="application/json",
        headers=headers,
    )


def _request_id(request: web.Request) -> str:
    return request.headers.get("X-Request-ID") or uuid.uuid4().hex


def error_response(
    request: web.Request, error: KazooError, headers: dict[str, str] | None = None
) -> web.Response:
    body = {
        "data": error.data,
        "error": str(error.status),
        "message": error.message,
        "status": "error",
        "request_id": _request_id(request),
    }
    return _json(error.status, body, headers)


async def _body(request: web.Request) -> Any:
    try:
        raw = await request.read()
    except ConnectionError:  # the client gave up (a hung request it timed out)
        raise KazooError(400, {"message": "the request was cut short"}) from None
    if not raw:
        return None
    try:
        return msgspec.json.decode(raw)
    except msgspec.DecodeError:
        raise KazooError(400, {"message": "the request body is not valid JSON"}) from None


async def _data(request: web.Request) -> dict[str, Any]:
    """The `data` object of a Kazoo request body."""
    body = await _body(request)
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise _required("data")
    data: dict[str, Any] = body["data"]
    return data


class Crossbar:
    """The REST apps; `websocket_url` is advertised at login once the simulator knows it."""

    def __init__(
        self,
        engine: CallCenter,
        tokens: Tokens,
        directory: Directory,
        rest_faults: RestFaults,
        *,
        advertise_websocket_url: bool,
        kazoo: KazooSettings,
    ) -> None:
        self._engine = engine
        self._tokens = tokens
        self._directory = directory
        self._faults = rest_faults
        self._advertise = advertise_websocket_url
        self._kazoo = kazoo
        self.websocket_url: str | None = None

    def app(self) -> web.Application:
        """Kazoo's API, to be mounted under `/v2`."""
        app = web.Application(middlewares=[self._errors, self._inject_faults])
        add = app.router.add_route
        account = "/accounts/{account_id}"
        recipients = account + "/qubicle_recipients"
        recipient = recipients + "/{recipient_id}"
        add("PUT", "/user_auth", self._user_auth)
        add("PUT", "/api_auth", self._api_auth)
        add("GET", "/token_auth", self._token_auth)
        add("DELETE", "/token_auth", self._token_revoke)
        add("GET", recipient + "/status", self._get_status)
        add("POST", recipient + "/status", self._post_status)
        add("POST", recipients + "/queue_membership", self._queue_membership)  # before {id}
        add("POST", recipient, self._post_action)
        add("GET", account + "/qubicle_queues", self._list_queues)
        add("GET", account + "/qubicle_queues/status", self._all_queue_statuses)
        add("GET", account + "/qubicle_queues/{queue_id}/status", self._queue_status)
        add("GET", account + "/qubicle_queues/{queue_id}", self._queue_document)
        add("GET", account + "/qubicle_queues/{queue_id}/recipients", self._queue_recipients)
        add("GET", account + "/users/{user_id}/quickcall/{number}", self._user_quickcall)
        add("GET", account + "/devices/{device_id}/quickcall/{number}", self._device_quickcall)
        return app

    def controls(self) -> web.Application:
        """The simulator's own controls, to be mounted under `/sim`: no token, no faults."""
        app = web.Application(middlewares=[self._control_errors])
        add = app.router.add_route
        add("POST", "/callers", self._sim_caller)
        add("POST", "/agents/{user_id}/{action}", self._sim_agent)
        add("GET", "/state", self._sim_state)
        return app

    # -- middleware ----------------------------------------------------------------------

    @web.middleware
    async def _errors(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except KazooError as error:
            return error_response(request, error)
        except EngineError as error:
            data: dict[str, Any] = {"message": str(error)}
            if isinstance(error, NotFound):
                data["cause"] = error.cause
            return error_response(request, KazooError(error.status, data))
        except web.HTTPException as error:
            return error_response(request, KazooError(error.status, {"message": error.reason}))

    @web.middleware
    async def _control_errors(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except KazooError as error:
            return _json(error.status, {"error": error.message, "data": error.data})
        except EngineError as error:
            return _json(error.status, {"error": str(error)})
        except web.HTTPException as error:
            return _json(error.status, {"error": error.reason})

    @web.middleware
    async def _inject_faults(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        await self._faults.hang(f"{request.method} {request.path}")
        failure = self._faults.take_failure()
        if failure is not None:
            status, retry_after = failure
            log.info("failing %s %s with %d (fault)", request.method, request.path, status)
            headers = None if retry_after is None else {"Retry-After": f"{retry_after:g}"}
            data = {"message": "invalid credentials" if status == 401 else "injected fault"}
            return error_response(request, KazooError(status, data), headers)
        response = await handler(request)
        await self._faults.hang_answer(f"{request.method} {request.path}")
        return response

    # -- authentication ------------------------------------------------------------------

    async def _user_auth(self, request: web.Request) -> web.Response:
        data = await _data(request)
        credentials = _text(data, "credentials")
        method = _optional_text(data, "method") or "md5"
        if method not in HASHES:
            raise _not_in("method", tuple(HASHES))
        account_name = _optional_text(data, "account_name")
        account_realm = _optional_text(data, "account_realm")
        phone_number = _optional_text(data, "phone_number")
        if account_name is None and account_realm is None:
            if phone_number is None:
                raise _required("account_name")
            raise _unauthorized()
        login = self._directory.by_credentials(credentials, method, account_name, account_realm)
        if login is None:
            raise _unauthorized()
        return self._logged_in(request, login, "cb_user_auth")

    async def _api_auth(self, request: web.Request) -> web.Response:
        data = await _data(request)
        api_key = _text(data, "api_key")
        login = self._directory.by_api_key(api_key)
        if login is None:
            raise _unauthorized()
        return self._logged_in(request, login, "cb_api_auth")

    def _logged_in(self, request: web.Request, login: DemoLogin, method: str) -> web.Response:
        token = self._tokens.issue(login.account_id, login.user_id, method)
        data: dict[str, Any] = {
            "account_id": login.account_id,
            "owner_id": login.user_id,
            "account_name": login.account_name,
        }
        if self._advertise and self.websocket_url is not None:
            data["ui_config"] = {"api": {"kazoo_websocket": {"url": self.websocket_url}}}
        log.info("%s logged in (%s)", login.username, method)
        return self._success(request, data, token, status=201)

    async def _token_auth(self, request: web.Request) -> web.Response:
        claims = self._claims(request)
        data = {
            "account_id": claims.account_id,
            "owner_id": claims.owner_id,
            "iat": int(claims.issued_at),
            "exp": int(claims.expires_at),
        }
        return self._success(request, data)

    async def _token_revoke(self, request: web.Request) -> web.Response:
        self._claims(request)
        self._tokens.revoke(request.headers["X-Auth-Token"])
        return self._success(request, {})

    def _claims(self, request: web.Request) -> Claims:
        token = request.headers.get("X-Auth-Token")
        claims = self._tokens.check(token) if token else None
        if claims is None:
            raise _unauthorized()
        return claims

    def _account(self, request: web.Request) -> Claims:
        claims = self._claims(request)
        if request.match_info["account_id"] != claims.account_id:
            raise KazooError(403, {"message": "the token belongs to another account"})
        return claims

    def _own_recipient(self, request: web.Request) -> str:
        claims = self._account(request)
        recipient_id = request.match_info["recipient_id"]
        if recipient_id != claims.owner_id:
            raise KazooError(403, {"message": "a token may act only on its own recipient"})
        return recipient_id

    def _success(
        self, request: web.Request, data: Any, token: str | None = None, status: int = 200
    ) -> web.Response:
        body = {
            "auth_token": token or request.headers.get("X-Auth-Token", ""),
            "data": data,
            "status": "success",
            "request_id": _request_id(request),
        }
        return _json(status, body)

    # -- recipients ----------------------------------------------------------------------

    async def _get_status(self, request: web.Request) -> web.Response:
        """A logged-out agent gets a 200 saying `Not-Logged-In` [inferred], or, with
        `logged_out_status = "not_found"`, a 404."""
        recipient_id = self._own_recipient(request)
        status = self._engine.recipient_status(recipient_id)
        logged_out = status["availability_state"] == wire.NOT_LOGGED_IN
        if logged_out and self._kazoo.logged_out_status == "not_found":
            raise KazooError(404, {"cause": recipient_id, "message": "recipient is not logged in"})
        return self._success(request, status)

    async def _post_status(self, request: web.Request) -> web.Response:
        """`{"status": login|logout|ready|away}` [doc]; a ready or away with the queue key
        is for that one queue (`pause`/`resume` events), with the reason key an away's
        reason. [assumed] Beside login or logout the queue key is ignored. Answers the
        new status, as a read would (`Not-Logged-In` after a logout)."""
        recipient_id = self._own_recipient(request)
        data = self._known_keys(await _data(request))
        status = _text(data, "status")
        if status not in RECIPIENT_STATUSES:
            raise _not_in("status", RECIPIENT_STATUSES)
        queue_key, reason_key = self._kazoo.queue_key, self._kazoo.reason_key
        queue_id = _optional_text(data, queue_key) if queue_key else None
        reason = _optional_text(data, reason_key) if reason_key else None
        engine = self._engine
        if queue_id is not None and status in ("ready", "away"):
            self._check_member(recipient_id, queue_id)
            (engine.resume if status == "ready" else engine.pause)(recipient_id, queue_id)
        else:
            engine.set_status(recipient_id, status, reason if status == "away" else None)
        return self._success(request, engine.recipient_status(recipient_id))

    def _known_keys(self, data: dict[str, Any]) -> dict[str, Any]:
        """The status POST keys the server knows; others are dropped (so a per-queue away
        under a wrong key becomes a global away) or refused, as `unknown_keys` says."""
        known = {"status", self._kazoo.queue_key, self._kazoo.reason_key} - {""}
        unknown = [key for key in data if key not in known]
        if unknown and self._kazoo.unknown_keys == "refuse":
            problems: dict[str, Any] = {}
            for key in unknown:
                problems.update(_problem(key, "additionalProperties", NOT_ALLOWED))
            raise _invalid(problems)
        if unknown:
            log.info("status change: ignoring the unknown key(s) %s", ", ".join(unknown))
        return {key: value for key, value in data.items() if key in known}

    def _check_member(self, recipient_id: str, queue_id: str) -> None:
        """[assumed] A queue the agent does not answer is a validation error on the queue key."""
        queues = self._engine.agent(recipient_id).queues
        if queue_id not in queues:
            raise _not_in(self._kazoo.queue_key, queues)

    async def _post_action(self, request: web.Request) -> web.Response:
        recipient_id = self._own_recipient(request)
        data = await _data(request)
        action = _text(data, "action")
        engine = self._engine
        if action == "wrapup_extend":
            engine.wrapup_extend(recipient_id)
        elif action == "wrapup_cancel":
            engine.wrapup_cancel(recipient_id)
        elif action == "monitor":
            target = _text(data, "target")
            mode = _text(data, "mode")
            engine.monitor(recipient_id, target, mode)
        elif action == "stop_monitor":
            engine.stop_monitor(recipient_id)
        else:
            raise _not_in("action", RECIPIENT_ACTIONS)
        return self._success(request, engine.recipient_status(recipient_id))

    async def _queue_membership(self, request: web.Request) -> web.Response:
        """Which queues each recipient answers: `{"data": {RECIPIENT_ID: [queue ids]}}`.

        [assumed] A guess: monster-ui's SDK names this call, no public source shows its
        body or answer. Takes `{"data": {"recipient_id": R}}` or `{"data": [R, ...]}`;
        with `membership = "forbidden"` a token asks only about its own recipient.
        """
        claims = self._account(request)
        body = await _body(request)
        data = body.get("data") if isinstance(body, dict) else None
        if isinstance(data, dict):
            recipient_ids = [_text(data, "recipient_id")]
        elif isinstance(data, list):
            if not all(isinstance(item, str) for item in data):
                raise _wrong_type("data", "array")
            recipient_ids = data
        else:
            raise _required("data")
        if self._kazoo.membership == "forbidden" and set(recipient_ids) - {claims.owner_id}:
            raise KazooError(403, {"message": "a token may act only on its own recipient"})
        engine = self._engine
        answer = {recipient: list(engine.agent(recipient).queues) for recipient in recipient_ids}
        return self._success(request, answer)

    # -- queues --------------------------------------------------------------------------

    async def _list_queues(self, request: web.Request) -> web.Response:
        self._account(request)
        queues = [{"id": queue.id, "name": queue.name} for queue in self._engine.queues()]
        return self._success(request, queues)

    async def _queue_status(self, request: web.Request) -> web.Response:
        self._account(request)
        return self._success(request, self._engine.queue_status(request.match_info["queue_id"]))

    async def _queue_document(self, request: web.Request) -> web.Response:
        """A queue's document with the settings an agent sees [inferred: the 2600Hz docs name
        the settings, a third-party client reads them here]; access is a `[kazoo]` switch."""
        self._account(request)
        if self._kazoo.queue_documents == "forbidden":
            raise KazooError(403, {"message": "an agent's token may not read queue settings"})
        return self._success(request, self._engine.queue_document(request.match_info["queue_id"]))

    async def _queue_recipients(self, request: web.Request) -> web.Response:
        """A queue's recipients [src: monster-ui SDK]; shape and access are `[kazoo]`
        switches, as no source shows them."""
        self._account(request)
        if self._kazoo.membership == "forbidden":
            raise KazooError(403, {"message": "an agent's token may not read queue membership"})
        members = self._engine.queue_members(request.match_info["queue_id"])
        return self._success(request, wire.membership(members, self._kazoo.membership_shape))

    async def _all_queue_statuses(self, request: web.Request) -> web.Response:
        self._account(request)
        engine = self._engine
        return self._success(
            request, {queue.id: engine.queue_status(queue.id) for queue in engine.queues()}
        )

    # -- placing calls ------------------------------------------------------------------

    async def _user_quickcall(self, request: web.Request) -> web.Response:
        """Ring the user's phone, then the number [doc: quickcall.md]."""
        claims = self._account(request)
        user_id = request.match_info["user_id"]
        if user_id != claims.owner_id:
            raise KazooError(403, {"message": "a token may act only on its own user"})
        self._engine.agent(user_id)  # an unknown user is a 404, as Kazoo's document load
        return self._quickcall(request, user_id, "user")

    async def _device_quickcall(self, request: web.Request) -> web.Response:
        """The same through the device's id; a token rings only its own user's device."""
        claims = self._account(request)
        if request.match_info["device_id"] != device_id(claims.account_id, claims.owner_id):
            raise KazooError(404, {"message": "bad identifier"})
        return self._quickcall(request, claims.owner_id, "device")

    def _quickcall(self, request: web.Request, user_id: str, kind: str) -> web.Response:
        """[doc] The GET answers 202 at once with the call it originates, before any phone
        rings; a phone that cannot take it (busy here) gets the same answer and no call.
        [src: cb_quickcall.erl] A user with no device is a 500 `unspecified_fault`;
        [src: cb_token_restrictions.erl] a restricted token a 403."""
        log.info("quickcall for %s %s", kind, user_id)
        access = self._kazoo.quickcall
        if access == "forbidden":
            cause = {"cause": "access denied by token restrictions", "message": "forbidden"}
            raise KazooError(403, cause)
        if access == "no_devices":
            raise KazooError(500, {"message": "unspecified fault"}, "unspecified_fault")
        number = request.match_info["number"]
        try:
            call_id = self._engine.place_call(user_id, number)
        except InvalidRequest as refused:
            log.info("quickcall placed no call: %s", refused)
            call_id = uuid.uuid4().hex
        account_id = self._engine.account_id
        data = {
            "application_name": "transfer",
            "application_data": {"route": number},
            "custom_channel_vars": {
                "account_id": account_id,
                "authorizing_id": user_id if kind == "user" else device_id(account_id, user_id),
                "authorizing_type": kind,
            },
            "dial_endpoint_method": "simultaneous",
            "outbound_caller_id_name": "Device QuickCall",
            "outbound_caller_id_number": number,
            "outbound_callee_id_name": request.query.get("cid-name", "Device QuickCall"),
            "outbound_callee_id_number": request.query.get("cid-number", number),
            "endpoints": [
                {"endpoint_id": device_id(account_id, user_id), "outbound_call_id": call_id}
            ],
            "timeout": QUICKCALL_TIMEOUT,
        }
        return self._success(request, data, status=202)

    # -- simulator controls --------------------------------------------------------------

    async def _sim_caller(self, request: web.Request) -> web.Response:
        body = await _body(request)
        if not isinstance(body, dict):
            raise KazooError(400, {}, "send a JSON object: {queue, name, number, ...}")
        queue = _text(body, "queue")
        session_id = self._engine.add_caller(
            queue,
            _optional_text(body, "name") or "Sim Caller",
            _optional_text(body, "number") or "+15550199",
            talk_seconds=_seconds(body, "talk_seconds") or 60.0,
            patience=_seconds(body, "patience") or 120.0,
        )
        return _json(201, {"session_id": session_id})

    async def _sim_agent(self, request: web.Request) -> web.Response:
        user_id, action = request.match_info["user_id"], request.match_info["action"]
        engine = self._engine
        if action == "answer":
            engine.answer(user_id)
        elif action == "decline":
            engine.decline(user_id)
        elif action == "hang_up":
            engine.hang_up(user_id)
        elif action == "external_call_start":
            engine.start_external_call(user_id)
        elif action == "external_call_end":
            engine.end_external_call(user_id)
        else:
            choices = ", ".join(SIM_AGENT_ACTIONS)
            raise KazooError(404, {}, f"unknown action {action!r}; use one of {choices}")
        return _json(200, {"agent": engine.agent(user_id)})

    async def _sim_state(self, request: web.Request) -> web.Response:
        engine = self._engine
        state = {
            "now": engine.now(),
            "account_id": engine.account_id,
            "agents": engine.agents(),
            "queues": engine.queues(),
        }
        return _json(200, state)
