"""HTTP requests whose failures are plain words: where aiohttp's errors become BackendErrors.

Every request may carry a credential (a password hash, a token, an app secret), so no
redirect is followed: a server that sends us elsewhere is told apart in words, with
the address it gave, and the credential stays here. `AuthorizedClient` is every
backend's REST client: a token on each call, and one renewal after a 401.
"""

import ssl
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import aiohttp
import msgspec
from yarl import URL

from agent_toolbar.backends.base import SignedOut, Unreachable
from agent_toolbar.config.small_files import MAX_CA_FILE_BYTES, FileRefused, check_small_file
from agent_toolbar.support import capture
from agent_toolbar.support.log import http as log
from agent_toolbar.support.redaction import redact

MAX_BODY_BYTES = 4 * 1024 * 1024
"""Larger answers are refused, not read: no agent's status needs megabytes."""
_CHUNK_BYTES = 64 * 1024
_SHOWN_URL = 200
"""A redirect's address is shown up to this many characters."""
_PLAIN = {"http": "https", "ws": "wss"}
"""Each unencrypted scheme, and the encrypted one it downgrades from."""


@dataclass(frozen=True)
class Response:
    status: int
    body: Any
    """The JSON body, or None when there was none or it was not JSON."""
    retry_after: float | None


async def request(
    http: aiohttp.ClientSession,
    method: str,
    url: str,
    *,
    timeout: float,
    json: Any = None,
    form: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    purpose: str = "a request",
) -> Response:
    """Send one request and read its whole answer within `timeout`.

    Any failure to get an answer raises Unreachable in plain words; a redirect raises
    SignedOut naming where it pointed, `purpose` ("the sign-in") saying what was sent.
    """
    host = URL(url).host or url
    try:
        async with http.request(
            method,
            url,
            json=json,
            data=form,
            params=params,
            headers=headers,
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as answer:
            location = answer.headers.get("Location")
            if 300 <= answer.status < 400 and location is not None:
                if capture.active():
                    capture.rest(answer, json or form, None)
                raise redirected(purpose, url, location)
            raw = await _whole_body(answer, host)
            if capture.active():
                capture.rest(answer, json or form, raw)
            return Response(answer.status, _json(raw), _retry_after(answer.headers))
    except (aiohttp.ClientError, TimeoutError) as error:
        raise unreachable(error, host, timeout) from None


class Tokens(Protocol):
    """Where an AuthorizedClient gets its token: Kazoo's `Auth`, Telphin's `OAuth`."""

    async def token(self) -> str:
        """A token that is not about to expire."""
        ...

    async def renew(self, rejected: str) -> str:
        """A new token after the server refused `rejected`, unless another caller got one."""
        ...


Source = TypeVar("Source", bound=Tokens)
"""A client takes only its own backend's tokens: Crossbar an `Auth`, never an `OAuth`."""


class AuthorizedClient(ABC, Generic[Source]):
    """REST calls on one API that carry a token and survive its expiry once.

    After a 401 the token is renewed and the call sent again, once: a second 401 is
    `SignedOut`, never a loop. Each backend's subclass says which header carries the
    token and how the server's refusal of a fresh one reads.
    """

    token_header: ClassVar[str]
    """The request header that carries the token."""
    token_prefix: ClassVar[str] = ""
    """What stands before the token in its header ("Bearer "), if anything."""

    def __init__(
        self, http: aiohttp.ClientSession, api_url: str, tokens: Source, *, timeout: float
    ) -> None:
        self._http = http
        self._api_url = api_url.rstrip("/")
        self._tokens = tokens
        self._timeout = timeout

    async def call(
        self, method: str, path: str, body: Any = None, params: dict[str, str] | None = None
    ) -> Response:
        """`method` on `{api_url}/{path}`; after a 401, renew the token and retry once."""
        token = await self._tokens.token()
        answer = await self._send(method, path, body, params, token)
        if answer.status != 401:
            return answer
        answer = await self._send(method, path, body, params, await self._tokens.renew(token))
        if answer.status == 401:
            raise self._refused_again(answer)
        return answer

    @abstractmethod
    def _refused_again(self, answer: Response) -> SignedOut:
        """The server's 401 to a fresh token, in words."""

    async def _send(
        self, method: str, path: str, body: Any, params: dict[str, str] | None, token: str
    ) -> Response:
        return await request(
            self._http,
            method,
            f"{self._api_url}/{path}",
            json=body,
            params=params,
            headers={self.token_header: f"{self.token_prefix}{token}"},
            timeout=self._timeout,
        )


def redirected(
    purpose: str,
    url: str,
    location: str,
    *,
    who: str = "the server",
    setting: str = "api_url",
    setting_words: str = "server URL",
) -> SignedOut:
    """A redirect not followed, in words: where it pointed, and a downgrade called one."""
    origin = URL(url)
    try:
        target = str(origin.join(URL(location)))
    except ValueError:  # no URL yarl can read (a bad port, a broken IPv6 address)
        target = location
    scheme = target.partition(":")[0].lower()
    shown = "".join(each if each.isprintable() else "?" for each in redact(target))
    if len(shown) > _SHOWN_URL:
        shown = shown[: _SHOWN_URL - 1] + "…"
    if _PLAIN.get(scheme) == origin.scheme:
        return SignedOut(
            f"{who} redirected {purpose} from {origin.scheme}:// to unencrypted "
            f"{scheme}:// ({shown}); the toolbar does not follow redirects with "
            f"credentials, and never to {scheme}://",
            kind="insecure",
            setting=setting,
        )
    return SignedOut(
        f"{who} redirected {purpose} to {shown}; the toolbar does not follow redirects "
        f"with credentials: use that URL as the {setting_words} if you trust it",
        kind="setup",
        setting=setting,
    )


def unreachable(
    error: aiohttp.ClientError | TimeoutError, host: str, timeout: float
) -> Unreachable:
    """A failed connection or request, in words an agent can act on."""
    if isinstance(error, aiohttp.ClientConnectorCertificateError):
        return Unreachable(
            f"the TLS certificate of {host} could not be verified ({_why_unverified(error)})",
            maybe_applied=False,
            kind="certificate",
        )
    if isinstance(error, aiohttp.ClientConnectorDNSError):
        return Unreachable(f"the server name {host} could not be found", maybe_applied=False)
    if isinstance(error, aiohttp.ClientConnectorError):
        return Unreachable(
            f"{host} refused the connection or cannot be reached", maybe_applied=False
        )
    if isinstance(error, TimeoutError):
        return Unreachable(f"{host} did not answer within {timeout:g} s")
    return Unreachable(f"the connection to {host} broke ({type(error).__name__})")


def raise_if_busy(answer: Response, doing: str, words: Callable[[Response], str]) -> None:
    """429 and 5xx mean the server could not do it now: worth retrying later. `words`
    says the answer in the server's own terms."""
    if answer.status == 429 or answer.status >= 500:
        raise Unreachable(
            f"the server could not {doing} ({words(answer)})",
            maybe_applied=False,
            retry_after=answer.retry_after,
            kind="server",
        )


def _why_unverified(error: aiohttp.ClientConnectorCertificateError) -> str:
    """OpenSSL's reason in words ("self-signed certificate in certificate chain"),
    without the bracketed codes and C file names of the exception's text."""
    reason = error.certificate_error
    words = getattr(reason, "verify_message", None) or getattr(reason, "reason", None)
    return str(words) if words else str(reason)


def tls(ca_file: str | None) -> ssl.SSLContext | bool:
    """Certificates are always verified: against the system's CAs, and `ca_file`'s too.

    A private PBX signs with its own CA; trusting it beside the system's keeps public
    servers (and a proxy in between) working. A file that cannot be used is a setting
    to fix, not a network failure; only a regular file of at most MAX_CA_FILE_BYTES is
    read (a named pipe would hang the toolbar).
    """
    if ca_file is None:
        return True
    try:
        check_small_file(Path(ca_file), MAX_CA_FILE_BYTES)
    except FileRefused as refused:
        raise SignedOut(
            f"the CA file {ca_file} {refused}", kind="setup", setting="ca_file"
        ) from None
    except OSError as error:
        raise _unreadable_ca_file(ca_file, error) from None
    context = ssl.create_default_context()
    try:
        context.load_verify_locations(cafile=ca_file)
    except ssl.SSLError:
        raise SignedOut(
            f"the CA file {ca_file} holds no PEM certificate", kind="setup", setting="ca_file"
        ) from None
    except OSError as error:
        raise _unreadable_ca_file(ca_file, error) from None
    return context


def _unreadable_ca_file(ca_file: str, error: OSError) -> SignedOut:
    return SignedOut(
        f"the CA file {ca_file} cannot be read ({error.strerror or type(error).__name__})",
        kind="setup",
        setting="ca_file",
    )


async def _whole_body(answer: aiohttp.ClientResponse, host: str) -> bytes:
    """The whole body, however many reads it takes; one over MAX_BODY_BYTES is refused."""
    declared = answer.content_length
    if declared is not None and declared > MAX_BODY_BYTES:
        raise _too_big(host)
    body = bytearray()
    async for chunk in answer.content.iter_chunked(_CHUNK_BYTES):
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _too_big(host)
    return bytes(body)


def _too_big(host: str) -> Unreachable:
    return Unreachable(
        f"{host} sent an answer larger than {MAX_BODY_BYTES // (1024 * 1024)} MB; it was not read",
        kind="server",
    )


def _json(raw: bytes) -> Any:
    if not raw:
        return None
    try:
        return msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError):
        log.warning("an answer of %d bytes was not JSON", len(raw))
        return None


def _retry_after(headers: Any) -> float | None:
    value = headers.get("Retry-After")
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if seconds >= 0 else None
