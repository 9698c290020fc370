"""Whether a URL sends tokens in clear: asked before any network code is loaded."""

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
