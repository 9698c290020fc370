"""Telphin's OAuth tokens: opaque access tokens that expire, and refresh tokens that rotate.

An access token speaks for one agent's user (password and refresh grants) or for the
PBX owner (client credentials, no refresh token). Refreshing gives a new pair and the
old refresh token stops working; the old access token lives on until it expires
[assumed]. Refresh tokens themselves never expire [assumed]; `expire_all` (the
`expire_tokens` fault) ends every token of both kinds.
"""

import math
import secrets
from dataclasses import dataclass

from agent_toolbar.simulator.clock import Clock
from agent_toolbar.simulator.telphin.directory import TelphinLogin


@dataclass(frozen=True)
class Grant:
    """Who an access token speaks for, and until when (Unix seconds)."""

    login: TelphinLogin | None
    """The agent's user; None for the PBX owner (a client-credentials token)."""
    expires_at: float


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    expires_in: int
    refresh_token: str | None


class OAuthTokens:
    """Issues, checks, rotates and forgets tokens."""

    def __init__(self, clock: Clock, lifetime: float) -> None:
        self._clock = clock
        self._lifetime = lifetime
        self._access: dict[str, Grant] = {}
        self._refresh: dict[str, TelphinLogin] = {}

    def issue(self, login: TelphinLogin | None) -> IssuedTokens:
        """A new access token, and a refresh token unless it is the owner's."""
        access = secrets.token_urlsafe(24)
        self._access[access] = Grant(login, self._clock() + self._lifetime)
        refresh = None
        if login is not None:
            refresh = secrets.token_urlsafe(32)
            self._refresh[refresh] = login
        return IssuedTokens(access, math.ceil(self._lifetime), refresh)

    def check(self, access_token: str) -> Grant | None:
        """The grant of an access token that was issued and has not expired."""
        grant = self._access.get(access_token)
        if grant is None:
            return None
        if self._clock() >= grant.expires_at:
            del self._access[access_token]
            return None
        return grant

    def redeem(self, refresh_token: str) -> TelphinLogin | None:
        """The login a refresh token was issued to; the token is used up either way."""
        return self._refresh.pop(refresh_token, None)

    def expire_all(self) -> None:
        """Every access and refresh token issued so far stops working (new grants work)."""
        self._access.clear()
        self._refresh.clear()
