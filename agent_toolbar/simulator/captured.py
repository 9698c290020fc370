"""A capture's REST answers, served: a real server's behaviour as a scenario (`[replay]`).

What it decides, since a capture is masked and was made against another address:
- A request gets the captured answer (status, JSON body, Retry-After) of the same
  method and path; of the same query too when the capture has one (list pages), else
  of any. Several answers to one request are given in their captured order, the last
  one again after that: a status read answers what it answered then.
- Tokens are not checked (the capture's are masked). Every masked value in an answer
  becomes one made-up token, `REPLAY_TOKEN`, so that the client has a token to send
  and a callback URL keeps its shape.
- The captured server's addresses in answers become this simulator's: its REST
  origin for the captured REST origins, its Blackhole for a websocket URL (Kazoo's
  `ui_config`), whose tokens are then refused: the websocket is not replayed.
- A request the capture has no answer for gets a 404 saying so.
"""

from collections import defaultdict, deque
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec
from aiohttp import web

from agent_toolbar.simulator.scenario import ScenarioError
from agent_toolbar.support.capture import record_of
from agent_toolbar.support.redaction import MASK

REPLAY_TOKEN = "replay-token-0123456789abcdef"
"""What every masked value of a captured answer is served as."""

Key = tuple[str, str, str]
"""Method, path and query of a request."""


class _Response(msgspec.Struct, frozen=True):
    headers: dict[str, str] = {}
    body: Any = None


class _Exchange(msgspec.Struct, frozen=True):
    """What the simulator reads of a capture's `rest` record."""

    method: str
    url: str
    status: int
    response: _Response = _Response()


class Answer(msgspec.Struct, frozen=True):
    status: int
    body: Any
    retry_after: str | None


class CapturedRest:
    """The REST answers of one capture, in order, by method, path and query."""

    def __init__(self, answers: dict[Key, list[Answer]], origins: set[str]) -> None:
        self._answers = {key: deque(each) for key, each in answers.items()}
        self._origins = origins
        self._by_path: dict[tuple[str, str], deque[Answer]] = {}
        for (method, path, _), each in self._answers.items():
            self._by_path.setdefault((method, path), each)

    @classmethod
    def load(cls, path: str | Path) -> "CapturedRest":
        """Read a capture; a file that cannot be read or holds no REST exchange is a
        ScenarioError naming it."""
        try:
            lines = Path(path).read_bytes().splitlines()
        except OSError as error:
            raise ScenarioError(
                f"cannot read the capture ({error.strerror or error})",
                "check the path of the capture",
                file=str(path),
            ) from None
        answers: dict[Key, list[Answer]] = defaultdict(list)
        origins: set[str] = set()
        for line in lines:
            record = record_of(line)
            if record is None or record["type"] != "rest":
                continue
            try:
                exchange = msgspec.convert(record, _Exchange)
            except msgspec.ValidationError:  # a record edited by hand: not an answer
                continue
            url = urlsplit(exchange.url)
            origins.add(f"{url.scheme}://{url.netloc}")
            retry = _retry(exchange.response.headers)
            answers[(exchange.method.upper(), url.path, url.query)].append(
                Answer(exchange.status, exchange.response.body, retry)
            )
        if not answers:
            raise ScenarioError(
                "the capture holds no REST exchange",
                "record one with agent-toolbar doctor --capture FILE",
                file=str(path),
            )
        return cls(dict(answers), origins)

    def route(
        self, app: web.Application, rest_root: Callable[[], str], websocket_url: Callable[[], str]
    ) -> None:
        """Answer every request `app` routes nowhere else from the capture, with this
        simulator's addresses (known once it listens)."""

        async def answer(request: web.Request) -> web.Response:
            found = self._next(request.method, request.path, request.query_string)
            if found is None:
                return web.json_response(
                    {"error": f"{request.method} {request.path} is not in the capture"},
                    status=404,
                )
            body = self._served(found.body, rest_root(), websocket_url())
            headers = {"Retry-After": found.retry_after} if found.retry_after else None
            if body is None:
                return web.Response(status=found.status, headers=headers)
            return web.json_response(body, status=found.status, headers=headers)

        app.router.add_route("*", "/{tail:.*}", answer)

    def _next(self, method: str, path: str, query: str) -> Answer | None:
        queue = self._answers.get((method, path, query)) or self._by_path.get((method, path))
        if not queue:
            return None
        return queue.popleft() if len(queue) > 1 else queue[0]

    def _served(self, body: Any, rest_root: str, websocket_url: str) -> Any:
        """The body with masks made tokens and captured addresses made ours."""
        if isinstance(body, dict):
            return {
                key: self._served(value, rest_root, websocket_url) for key, value in body.items()
            }
        if isinstance(body, list):
            return [self._served(value, rest_root, websocket_url) for value in body]
        if not isinstance(body, str):
            return body
        text = body.replace(MASK, REPLAY_TOKEN)
        if text.startswith(("ws://", "wss://")):
            return websocket_url
        for origin in self._origins:
            if text.startswith(origin):
                return rest_root + text[len(origin) :]
        return text


def _retry(headers: dict[str, str]) -> str | None:
    return next((value for name, value in headers.items() if name.lower() == "retry-after"), None)
