"""Finding Blackhole when the server does not advertise it.

Crossbar puts the websocket URL in the sign-in answer only when the operator set
Blackhole's `url`; there is no default. Blackhole itself listens on the API host,
port 5556 with TLS and 5555 without. We try those with a bare websocket handshake
(no token is sent), say which we tried, and otherwise stop with a sign-in problem
that names the setting, rather than retry forever.
"""

import asyncio

import aiohttp
from yarl import URL

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.backends.urls import plain_to_remote
from agent_toolbar.support.log import kazoo as log

BLACKHOLE_TLS_PORT = 5556
BLACKHOLE_PLAIN_PORT = 5555


def candidates(api_url: str) -> tuple[str, ...]:
    """Blackhole's default URLs on the API's host: TLS first when the API uses TLS."""
    host = URL(api_url).host or ""
    plain = str(URL.build(scheme="ws", host=host, port=BLACKHOLE_PLAIN_PORT))
    if URL(api_url).scheme == "https":
        return str(URL.build(scheme="wss", host=host, port=BLACKHOLE_TLS_PORT)), plain
    return (plain,)


async def find_websocket_url(
    http: aiohttp.ClientSession, api_url: str, *, allow_plain: bool, timeout: float
) -> str:
    """The first default URL that answers a websocket handshake; SignedOut otherwise."""
    tried = candidates(api_url)
    answering = [url for url in tried if await _answers(http, url, timeout)]
    usable = [url for url in answering if allow_plain or not plain_to_remote(url)]
    if usable:
        log.info("the server advertises no websocket URL; Blackhole answers at %s", usable[0])
        return usable[0]
    if answering:
        raise SignedOut(
            f"the server advertises no websocket URL, and Blackhole answers only at "
            f"{answering[0]}, without encryption: ask your administrator for its wss:// "
            "URL and set it as the websocket URL",
            kind="insecure",
            setting="websocket_url",
        )
    raise SignedOut(
        f"the server advertises no websocket URL, and none answered at {' or '.join(tried)}: "
        "ask your administrator for the Blackhole (websocket) URL and set it as the "
        "websocket URL",
        kind="setup",
        setting="websocket_url",
    )


async def _answers(http: aiohttp.ClientSession, url: str, timeout: float) -> bool:
    try:
        async with asyncio.timeout(timeout):
            ws = await http.ws_connect(url, timeout=aiohttp.ClientWSTimeout(ws_close=timeout))
        await ws.close()
    except (aiohttp.ClientError, TimeoutError, OSError) as error:
        log.info("no websocket at %s (%s)", url, type(error).__name__)
        return False
    return True
