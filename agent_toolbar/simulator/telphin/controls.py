"""The simulator's own Telphin controls, mounted under `/sim/telphin`: what a person does
to the agent's phone, by hand or from a script.

`POST /phones/{user_id}/{action}`: log in or out on the phone, or unplug it (no longer
registered) or plug it in again. Like the other `/sim` routes: no token, no fault
touches it, errors are `{"error": ...}`.
"""

from collections.abc import Callable
from typing import Any

import msgspec
from aiohttp import web
from aiohttp.typedefs import Handler

from agent_toolbar.simulator.engine import CallCenter
from agent_toolbar.simulator.model import EngineError
from agent_toolbar.simulator.telphin.phones import Phones

PHONE_ACTIONS = ("login", "logout", "unplug", "plug")
PhoneControl = Callable[[str, str], None]
"""`Simulator.telphin_phone`: an agent's phone does `action` (one of PHONE_ACTIONS)."""


def controls(engine: CallCenter, phones: Phones, phone: PhoneControl) -> web.Application:
    async def act(request: web.Request) -> web.Response:
        user_id, action = request.match_info["user_id"], request.match_info["action"]
        if action not in PHONE_ACTIONS:
            choices = ", ".join(PHONE_ACTIONS)
            return _json(404, {"error": f"unknown action {action!r}; use one of {choices}"})
        phone(user_id, action)
        plugged = "plugged" if phones.plugged(user_id) else "unplugged"
        return _json(200, {"agent": engine.agent(user_id), "phone": plugged})

    app = web.Application(middlewares=[_errors])
    app.router.add_route("POST", "/phones/{user_id}/{action}", act)
    return app


@web.middleware
async def _errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except EngineError as error:
        return _json(error.status, {"error": str(error)})
    except web.HTTPException as error:
        return _json(error.status, {"error": error.reason})


def _json(status: int, body: Any) -> web.Response:
    return web.Response(
        status=status, body=msgspec.json.encode(body), content_type="application/json"
    )
