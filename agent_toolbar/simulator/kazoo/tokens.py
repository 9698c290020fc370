"""Credentials and JWT-shaped tokens, as Crossbar issues them and Blackhole checks them.

Tokens look like Kazoo's: three base64url parts, the payload carrying `account_id`,
`owner_id`, `iat` and an absolute `exp`, so a client that reads `exp` to log in again
in time works against both. The third part is random, not a signature: clients must
not verify tokens, only send them. A token is valid until `exp`; use does not extend it.
"""

import base64
import hashlib
import hmac
import json
import math
import re
import secrets
from dataclasses import dataclass

from agent_toolbar.simulator.clock import Clock
from agent_toolbar.simulator.scenario import Scenario


@dataclass(frozen=True)
class DemoLogin:
    """One way in: what a person types (or a test sends) to log in as one agent."""

    account_name: str
    username: str
    password: str
    api_key: str
    account_id: str
    user_id: str
    display_name: str


def logins_for(scenario: Scenario) -> list[DemoLogin]:
    return [
        DemoLogin(
            account_name=scenario.account.name,
            username=agent.username,
            password=agent.password,
            api_key=scenario.api_key(agent),
            account_id=scenario.account_id(),
            user_id=scenario.user_id(agent),
            display_name=agent.display_name or agent.username,
        )
        for agent in scenario.agents
    ]


HASHES = {"md5": hashlib.md5, "sha": hashlib.sha1}
"""Crossbar's `method` values and the digest each names."""


def credentials_hash(username: str, password: str, method: str = "md5") -> str:
    """What `user_auth` expects in `credentials`: a hex digest of `lower(user):password`."""
    text = f"{username.lower()}:{password}".encode()
    return HASHES[method](text, usedforsecurity=False).hexdigest()


class Directory:
    """Finds the agent a set of credentials or an API key belongs to."""

    def __init__(self, logins: list[DemoLogin], realm: str) -> None:
        self._logins = logins
        self._realm = realm.lower()

    def by_credentials(
        self, credentials: str, method: str, account_name: str | None, account_realm: str | None
    ) -> DemoLogin | None:
        for login in self._logins:
            if account_name is not None and account_name.lower() != login.account_name.lower():
                continue
            if account_realm is not None and account_realm.lower() != self._realm:
                continue
            expected = credentials_hash(login.username, login.password, method)
            if hmac.compare_digest(expected, credentials.lower()):
                return login
        return None

    def by_api_key(self, api_key: str) -> DemoLogin | None:
        for login in self._logins:
            if hmac.compare_digest(login.api_key, api_key):
                return login
        return None


@dataclass(frozen=True)
class Claims:
    """Who a token speaks for, and until when (Unix seconds)."""

    account_id: str
    owner_id: str
    issued_at: float
    expires_at: float


_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")


def well_formed(token: object) -> bool:
    """A string of three base64url parts, the shape of a JWT (validity is another matter)."""
    if not isinstance(token, str):
        return False
    parts = token.split(".")
    return len(parts) == 3 and all(_SEGMENT.match(part) for part in parts)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Tokens:
    """Issues tokens and remembers them, so that they can be checked, revoked or expired."""

    def __init__(self, clock: Clock, lifetime: float) -> None:
        self._clock = clock
        self._lifetime = lifetime
        self._issued: dict[str, Claims] = {}

    def issue(self, account_id: str, owner_id: str, method: str) -> str:
        now = self._clock()
        claims = Claims(account_id, owner_id, now, now + self._lifetime)
        header = {"alg": "RS256", "typ": "JWT", "kid": "simulator"}
        payload = {
            "iss": "kazoo",
            "account_id": account_id,
            "owner_id": owner_id,
            "method": method,
            "iat": math.floor(now),
            "exp": math.floor(claims.expires_at),
        }
        token = ".".join(
            (
                _b64(json.dumps(header, separators=(",", ":")).encode()),
                _b64(json.dumps(payload, separators=(",", ":")).encode()),
                _b64(secrets.token_bytes(32)),
            )
        )
        self._issued[token] = claims
        return token

    def check(self, token: str) -> Claims | None:
        """The claims of a token that was issued, not revoked and has not expired."""
        claims = self._issued.get(token)
        if claims is None:
            return None
        if self._clock() >= claims.expires_at:
            del self._issued[token]
            return None
        return claims

    def revoke(self, token: str) -> None:
        self._issued.pop(token, None)

    def expire_all(self) -> None:
        """Every token issued so far stops working at once (new logins still work)."""
        self._issued.clear()
