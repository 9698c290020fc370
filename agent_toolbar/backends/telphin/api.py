"""Telphin REST calls with the bearer token, surviving its expiry once."""

from typing import Any

import aiohttp

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.backends.http import Response, request
from agent_toolbar.backends.telphin.oauth import OAuth


class TelphinApi:
    def __init__(
        self, http: aiohttp.ClientSession, api_url: str, oauth: OAuth, *, timeout: float
    ) -> None:
        self._http = http
        self._api_url = api_url.rstrip("/")
        self._oauth = oauth
        self._timeout = timeout

    async def call(
        self, method: str, path: str, body: Any = None, params: dict[str, str] | None = None
    ) -> Response:
        """`method` on `{api_url}/{path}`; after a 401, renew the token and retry once."""
        token = await self._oauth.token()
        answer = await self._send(method, path, body, params, token)
        if answer.status != 401:
            return answer
        answer = await self._send(method, path, body, params, await self._oauth.renew(token))
        if answer.status == 401:
            raise SignedOut("the server refused a fresh token")
        return answer

    async def _send(
        self, method: str, path: str, body: Any, params: dict[str, str] | None, token: str
    ) -> Response:
        return await request(
            self._http,
            method,
            f"{self._api_url}/{path}",
            json=body,
            params=params,
            headers={"Authorization": f"Bearer {token}"},
            timeout=self._timeout,
        )
