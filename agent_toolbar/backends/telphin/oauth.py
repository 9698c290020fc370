"""Telphin's OAuth 2: a bearer token whenever one is asked for, renewed once at a time.

A user signs in with the password grant and keeps a refresh token; a trusted app
uses the client-credentials grant. Tokens are renewed shortly before `expires_in`
runs out and after any 401. A refused refresh token means signing in again; a
refused sign-in is `SignedOut`, never a loop.
"""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from agent_toolbar.backends.base import SignedOut, Unreachable
from agent_toolbar.backends.http import request
from agent_toolbar.support.log import telphin as log
from agent_toolbar.support.redaction import keep_secret

DEFAULT_LIFETIME = 3600.0
LONGEST_LIFETIME = 366 * 24 * 3600.0
"""A longer `expires_in` (or one no float holds) is no lifetime: the default is assumed."""


@dataclass(frozen=True)
class AppCredentials:
    """The app (id and secret) and, for the password grant, the user."""

    app_id: str
    app_secret: str = field(repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Granted:
    """What the last grant gave, never its tokens: for `doctor`'s [grants] and [bearer]."""

    grant_type: str
    refresh_token: bool
    """Whether a refresh token came with the access token."""
    expires_in: float | None
    """The lifetime the server gave, or None when it gave none the client believes."""


class OAuth:
    def __init__(
        self,
        http: aiohttp.ClientSession,
        token_url: str,
        credentials: AppCredentials,
        *,
        timeout: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._token_url = token_url
        self._credentials = credentials
        keep_secret(credentials.app_secret, credentials.password)
        self._timeout = timeout
        self._clock = clock
        self._access: str | None = None
        self._refresh: str | None = None
        self._expires = 0.0
        self._margin = 60.0
        self._lock = asyncio.Lock()
        self.granted: Granted | None = None

    async def sign_in(self) -> None:
        async with self._lock:
            await self._grant(self._first_grant())

    async def token(self) -> str:
        """A token that is not about to expire."""
        if self._access is not None and self._clock() < self._expires - self._margin:
            return self._access
        async with self._lock:
            if self._access is not None and self._clock() < self._expires - self._margin:
                return self._access
            return await self._renew()

    async def renew(self, rejected: str) -> str:
        """After the server refused `rejected`: renew, unless someone already did."""
        async with self._lock:
            if self._access is not None and self._access != rejected:
                return self._access
            log.info("the server refused the token; renewing it")
            return await self._renew()

    async def _renew(self) -> str:
        if self._refresh is not None:
            try:
                return await self._grant(
                    {"grant_type": "refresh_token", "refresh_token": self._refresh}
                )
            except SignedOut:
                log.info("the refresh token was refused; signing in again")
                self._refresh = None
        return await self._grant(self._first_grant())

    def _first_grant(self) -> dict[str, str]:
        credentials = self._credentials
        if credentials.username is None:
            return {"grant_type": "client_credentials"}
        return {
            "grant_type": "password",
            "username": credentials.username,
            "password": credentials.password or "",
        }

    async def _grant(self, form: dict[str, str]) -> str:
        form = {
            **form,
            "client_id": self._credentials.app_id,
            "client_secret": self._credentials.app_secret,
        }
        answer = await request(
            self._http,
            "POST",
            self._token_url,
            form=form,
            timeout=self._timeout,
            purpose="the sign-in",
        )
        if answer.status in (400, 401, 403):
            error = answer.body.get("error") if isinstance(answer.body, dict) else None
            setting = "app_secret" if error == "invalid_client" else None
            raise SignedOut(_refusal(error, answer.status, form["grant_type"]), setting=setting)
        if answer.status == 429 or answer.status >= 500:
            raise Unreachable(
                f"the sign-in server failed ({answer.status})",
                retry_after=answer.retry_after,
                kind="server",
            )
        body: Any = answer.body
        token = body.get("access_token") if isinstance(body, dict) else None
        if answer.status != 200 or not isinstance(token, str) or not token:
            raise SignedOut(f"the sign-in server answered {answer.status} without a token")
        given = _lifetime(body.get("expires_in"))
        lifetime = DEFAULT_LIFETIME if given is None else given
        refresh = body.get("refresh_token")
        keep_secret(token, refresh if isinstance(refresh, str) else None)
        fresh = isinstance(refresh, str) and bool(refresh)
        self.granted = Granted(form["grant_type"], fresh, given)
        self._access = token
        self._refresh = refresh if isinstance(refresh, str) and refresh else self._refresh
        self._expires = self._clock() + lifetime
        self._margin = min(60.0, lifetime / 10)
        return token


def _lifetime(value: Any) -> float | None:
    """`expires_in` in seconds, or None for what is no believable lifetime."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 0 < value <= LONGEST_LIFETIME:
            return float(value)
        log.debug("a token lifetime out of bounds was left out")
    return None


def _refusal(error: object, status: int, grant: str) -> str:
    if error == "invalid_client":
        return "the server refused the app id or secret"
    if grant == "refresh_token":
        return "the server refused the refresh token"
    if grant == "password":
        return "the server refused the user name or password"
    return f"the server refused the app's own sign-in ({error or status})"
