"""Whether a URL sends tokens in clear, and where a listener listens: asked before any
network code is loaded."""

import ipaddress

from yarl import URL

PLAIN_SCHEMES = frozenset({"http", "ws"})


def is_loopback(host: str) -> bool:
    """This computer itself: traffic to it never crosses a network."""
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def plain_to_remote(url: str) -> bool:
    """An unencrypted URL (http://, ws://) to a host other than loopback: tokens in clear."""
    parsed = URL(url)
    return parsed.scheme.lower() in PLAIN_SCHEMES and not is_loopback(parsed.host or "")


def parse_bind(bind: str) -> tuple[str, int] | None:
    """`HOST:PORT` (`[::1]:8765` for IPv6) as (host, port); None when it is not one."""
    host, _, port = bind.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not host or not port.isdigit() or int(port) > 65535:
        return None
    return host, int(port)
