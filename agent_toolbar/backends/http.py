"""HTTP requests whose failures are plain words: where aiohttp's errors become BackendErrors."""

import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import msgspec
from yarl import URL

from agent_toolbar.backends.base import SignedOut, Unreachable

log = logging.getLogger("agent_toolbar.http")

MAX_BODY_BYTES = 4 * 1024 * 1024
"""Larger answers are not read: no agent's status needs megabytes."""


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
) -> Response:
    """Send one request; any failure to get an answer raises Unreachable in plain words."""
    host = URL(url).host or url
    try:
        async with http.request(
            method,
            url,
            json=json,
            data=form,
            params=params,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as answer:
            raw = await answer.content.read(MAX_BODY_BYTES)
            return Response(answer.status, _json(raw), _retry_after(answer.headers))
    except (aiohttp.ClientError, TimeoutError) as error:
        raise unreachable(error, host, timeout) from None


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
    to fix, not a network failure.
    """
    if ca_file is None:
        return True
    context = ssl.create_default_context()
    try:
        context.load_verify_locations(cafile=ca_file)
    except ssl.SSLError:
        raise SignedOut(
            f"the CA file {ca_file} holds no PEM certificate", kind="setup", setting="ca_file"
        ) from None
    except OSError as error:
        raise SignedOut(
            f"the CA file {ca_file} cannot be read ({error.strerror or type(error).__name__})",
            kind="setup",
            setting="ca_file",
        ) from None
    return context


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
