"""Crossbar REST calls that carry the token and survive its expiry once."""

from typing import Any

import aiohttp

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.backends.http import Response, request
from agent_toolbar.backends.kazoo.auth import Auth
from agent_toolbar.backends.kazoo.errors import kazoo_message


class Crossbar:
    def __init__(
        self, http: aiohttp.ClientSession, api_url: str, auth: Auth, *, timeout: float
    ) -> None:
        self._http = http
        self._api_url = api_url.rstrip("/")
        self._auth = auth
        self._timeout = timeout

    async def call(self, method: str, path: str, body: Any = None) -> Response:
        """`method` on `{api_url}/{path}`; after a 401, sign in again and retry once."""
        token = await self._auth.token()
        answer = await self._send(method, path, body, token)
        if answer.status != 401:
            return answer
        answer = await self._send(method, path, body, await self._auth.renew(token))
        if answer.status == 401:
            raise SignedOut(f"the server refused a fresh sign-in ({kazoo_message(answer.body)})")
        return answer

    async def _send(self, method: str, path: str, body: Any, token: str) -> Response:
        return await request(
            self._http,
            method,
            f"{self._api_url}/{path}",
            json=body,
            headers={"X-Auth-Token": token},
            timeout=self._timeout,
        )
