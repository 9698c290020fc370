"""Whether a server's port takes connections again: a bare TCP connection, nothing sent.

Between two full reconnection attempts, far apart after a long outage, this cheap
check finds a returning server within seconds, and asks the server itself nothing.
"""

import asyncio
from contextlib import suppress

from yarl import URL


async def answers(url: str, timeout: float = 1.0) -> bool:
    """Whether the host and port of `url` accept a TCP connection within `timeout`."""
    parsed = URL(url)
    if parsed.host is None or parsed.port is None:
        return False
    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(parsed.host, parsed.port)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with suppress(OSError):
        await writer.wait_closed()
    return True
