"""Crossbar sign-in: a valid token whenever one is asked for, and one re-login at a time.

Kazoo tokens are JWTs with an absolute `exp` that use does not extend. We log in
again shortly before it, and once after any 401; parallel 401s share that one
re-login (as monster-ui does). A refused re-login is `SignedOut`, never a loop.

`exp` is by the server's clock, which may disagree with this computer's: a fresh token
is timed by its lifetime (`exp - iat`) from when it arrives. One without `iat` that
has already expired by this clock gets the default lifetime, and none is used for less
than a minute: a wrong clock costs at most a sign-in a minute, never one a request.
The disagreement is logged once.
"""

import asyncio
import base64
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import aiohttp
import msgspec

from agent_toolbar.backends.base import SignedOut, Unreachable
from agent_toolbar.backends.http import request
from agent_toolbar.backends.kazoo.errors import kazoo_message
from agent_toolbar.support.log import kazoo as log
from agent_toolbar.support.redaction import keep_secret

DEFAULT_LIFETIME = 3600.0
"""Kazoo's default token lifetime, assumed when a token's `exp` cannot be read."""
LATEST_EXPIRY = 253_402_300_799.0
"""The last second of year 9999: a later token time (or a negative one) is no time at all."""
CLOCKS_AGREE_WITHIN = 300.0
"""Seconds between a token's `iat` and this computer's clock that are not worth a word."""
SHORTEST_TRUST = 60.0
"""A fresh token is used for at least this long: a wrong clock costs at most one sign-in
a minute, and a server that takes the token for less says so with a 401."""


@dataclass(frozen=True)
class Credentials:
    """How to sign in: user and password (md5 or sha), or an API key."""

    account_name: str | None = None
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)
    method: Literal["md5", "sha"] = "md5"

    def request(self) -> tuple[str, dict[str, Any]]:
        """The Crossbar path and body that sign in with these credentials."""
        if self.api_key:
            return "api_auth", {"data": {"api_key": self.api_key}}
        secret = f"{(self.username or '').lower()}:{self.password or ''}".encode()
        digest = hashlib.md5 if self.method == "md5" else hashlib.sha1
        # The hash signs in as well as the password does: it is a secret too.
        credentials = digest(secret, usedforsecurity=False).hexdigest()
        keep_secret(credentials)
        data = {
            "credentials": credentials,
            "account_name": self.account_name,
            "method": self.method,
        }
        return "user_auth", {"data": data}


@dataclass(frozen=True)
class Login:
    """What a successful sign-in told us."""

    token: str = field(repr=False)
    issued: float
    expires: float
    account_id: str
    owner_id: str | None
    websocket_url: str | None


class Auth:
    """Holds the current token and renews it; safe to share between concurrent callers."""

    def __init__(
        self,
        http: aiohttp.ClientSession,
        api_url: str,
        credentials: Credentials,
        *,
        timeout: float = 15.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._api_url = api_url.rstrip("/")
        self._credentials = credentials
        keep_secret(credentials.password, credentials.api_key)
        self._timeout = timeout
        self._clock = clock
        self._login: Login | None = None
        self._lock = asyncio.Lock()
        self._told_clocks = False

    @property
    def login(self) -> Login | None:
        return self._login

    async def sign_in(self) -> Login:
        async with self._lock:
            self._login = await self._log_in()
            return self._login

    async def token(self) -> str:
        """A token that is not about to expire, logging in again if needed."""
        login = self._login
        if login is not None and not self._expiring(login):
            return login.token
        async with self._lock:
            if self._login is None or self._expiring(self._login):
                self._login = await self._log_in()
            return self._login.token

    async def renew(self, rejected: str) -> str:
        """After the server refused `rejected`: log in again, unless someone already did."""
        async with self._lock:
            if self._login is None or self._login.token == rejected:
                log.info("the server refused the token; signing in again")
                self._login = await self._log_in()
            return self._login.token

    def _expiring(self, login: Login) -> bool:
        return self._clock() >= login.expires - _margin(login.expires - login.issued)

    async def _log_in(self) -> Login:
        path, body = self._credentials.request()
        answer = await request(
            self._http,
            "PUT",
            f"{self._api_url}/{path}",
            json=body,
            timeout=self._timeout,
            purpose="the sign-in",
        )
        if answer.status in (401, 403):
            what = "API key" if self._credentials.api_key else "user name, password or account"
            raise SignedOut(f"the server refused the {what} ({kazoo_message(answer.body)})")
        if answer.status == 429 or answer.status >= 500:
            raise Unreachable(
                f"the server could not sign us in ({answer.status}: {kazoo_message(answer.body)})",
                retry_after=answer.retry_after,
                kind="server",
            )
        if answer.status not in (200, 201) or not isinstance(answer.body, dict):
            # Not a refusal: most often the URL is not Crossbar's (a wrong path or port).
            raise SignedOut(
                f"the server answered the sign-in with {answer.status}",
                kind="setup",
                setting="api_url",
            )
        return self._read_login(answer.body)

    def _read_login(self, body: dict[str, Any]) -> Login:
        token, data = body.get("auth_token"), body.get("data")
        if not isinstance(token, str) or not token or not isinstance(data, dict):
            raise SignedOut("the server's sign-in answer has no token")
        keep_secret(token)
        account = data.get("account_id")
        if not isinstance(account, str):
            raise SignedOut("the server's sign-in answer names no account")
        owner = data.get("owner_id")
        now = self._clock()
        return Login(
            token=token,
            issued=now,
            expires=self._expires(token, now),
            account_id=account,
            owner_id=owner if isinstance(owner, str) else None,
            websocket_url=_websocket_url(data),
        )

    def _expires(self, token: str, now: float) -> float:
        """When a fresh token counts as expired by this computer's clock: its lifetime
        from now when it says when it was issued, else its `exp`, but never sooner than
        SHORTEST_TRUST from now."""
        claims = _claims(token)
        expires, issued = _time(claims.get("exp")), _time(claims.get("iat"))
        if expires is None:
            return now + DEFAULT_LIFETIME
        if issued is not None and expires > issued:
            if abs(now - issued) > CLOCKS_AGREE_WITHIN:
                self._clocks_disagree(f"by {abs(now - issued):.0f} s", expires - issued)
            return now + (expires - issued)
        if expires <= now:
            self._clocks_disagree("a fresh token has expired by this computer's clock", None)
            return now + DEFAULT_LIFETIME
        return max(expires, now + SHORTEST_TRUST)

    def _clocks_disagree(self, how: str, lifetime: float | None) -> None:
        """Said once: every renewal would say it again."""
        if self._told_clocks:
            return
        self._told_clocks = True
        trusted = DEFAULT_LIFETIME if lifetime is None else lifetime
        log.warning(
            "the server's clock and this computer's disagree (%s): tokens are trusted for "
            "%.0f s from when they arrive",
            how,
            trusted,
        )


def token_times(token: str) -> tuple[float | None, float | None]:
    """A token's own `exp` and `iat`, where it states them: `doctor` reports the lifetime."""
    claims = _claims(token)
    return _time(claims.get("exp")), _time(claims.get("iat"))


def _margin(lifetime: float) -> float:
    """Renew 5 minutes early, or a tenth of the lifetime early for short-lived tokens."""
    return min(300.0, max(1.0, lifetime / 10))


def _claims(token: str) -> dict[str, Any]:
    """A JWT's claims, read without checking its signature (that is the server's job)."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = msgspec.json.decode(base64.urlsafe_b64decode(payload))
    except (ValueError, msgspec.DecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _time(value: Any) -> float | None:
    """A claim's time in seconds; None for anything not between 1970 and the year 9999."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    if not 0 < value <= LATEST_EXPIRY:
        log.debug("a token time out of bounds was left out")
        return None
    return float(value)


def _websocket_url(data: dict[str, Any]) -> str | None:
    """The operator's websocket URL, at `ui_config.api.kazoo_websocket.url` when set."""
    node: Any = data
    for key in ("ui_config", "api", "kazoo_websocket", "url"):
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, str) and node else None
