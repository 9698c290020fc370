"""Two network namespaces joined by a link whose condition the test sets.

The server's namespace holds 10.213.7.1, the client's 10.213.7.2: addresses that exist
only inside the namespaces, on devices the test makes, so no packet can reach any other
network. The link is the wire (`tests/network/wire.py`: delay, jitter, loss, reordering,
duplicates) with the kernel's own rate limit (`tc qdisc replace ... tbf`) and MTU (`ip
link set ... mtu`) on both ends. Names carry the test run's process id and a random
token, so parallel runs never meet; namespaces left by a run that was killed (its
process gone) are removed by the next run. Every process runs through
`setpriv --pdeathsig KILL`, so none outlives the run that started it.
"""

import asyncio
import functools
import json
import os
import secrets
import shutil
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field

from tests.network.processes import PYTHON, spawn, stop
from tests.network.wire import Impairment

SERVER_ADDRESS = "10.213.7.1"
CLIENT_ADDRESS = "10.213.7.2"
PREFIX = "atb-"
SERVER_DEVICE = "wire-server"
CLIENT_DEVICE = "wire-client"
TBF_LATENCY = "2s"
"""How long a packet may wait in the rate limiter's queue: a small office router's buffer."""


@dataclass(frozen=True)
class Condition:
    """One condition of the link, the same both ways."""

    name: str
    """The fault's name in the ledger and the report."""
    impairment: Impairment = field(default_factory=Impairment)
    rate: str | None = None
    """The kernel's rate limit, in tc's words ("20kbit"); None: as fast as it goes."""
    mtu: int | None = None
    within: float = 5.0
    """How long the toolbar may show, while online, what the server no longer holds:
    the time an event needs to cross this link, with a retransmission or two."""


CLEAN = Condition("clean link")


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def _ip(*argv: str) -> subprocess.CompletedProcess[str]:
    return _run("ip", *argv)


def _must(result: subprocess.CompletedProcess[str]) -> None:
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(result.args)}: {result.stderr.strip()}")


@functools.cache
def unavailable() -> str | None:
    """Why two namespaces joined by a wire cannot be made here, or None if they can."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    for tool in ("ip", "tc", "setpriv"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (scripts/bootstrap --tests installs iproute2)"
    if not os.path.exists("/dev/net/tun"):
        return "this kernel has no TUN devices (/dev/net/tun), which the wire needs"
    probe = f"{PREFIX}{os.getpid()}-probe"
    made = _ip("netns", "add", probe)
    if made.returncode != 0:
        return f"cannot create a network namespace: {made.stderr.strip()}"
    _ip("netns", "del", probe)
    return None


def _remove_leftovers() -> None:
    """Namespaces of runs whose process is gone (killed before they could clean up)."""
    for line in _ip("netns", "list").stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        owner = name.removeprefix(PREFIX).split("-")[0]
        if not name.startswith(PREFIX) or not owner.isdigit():
            continue
        try:
            os.kill(int(owner), 0)
        except ProcessLookupError:
            _ip("netns", "del", name)


class Link:
    """The two namespaces and the wire between them; `set` changes the condition."""

    def __init__(self) -> None:
        token = f"{os.getpid()}-{secrets.token_hex(3)}"
        self.server_namespace = f"{PREFIX}{token}-server"
        self.client_namespace = f"{PREFIX}{token}-client"
        self._wire: asyncio.subprocess.Process | None = None

    def server(self, *argv: str) -> list[str]:
        """A command run in the server's namespace."""
        return ["ip", "netns", "exec", self.server_namespace, *argv]

    def client(self, *argv: str) -> list[str]:
        """A command run in the client's namespace."""
        return ["ip", "netns", "exec", self.client_namespace, *argv]

    async def start(self) -> None:
        _remove_leftovers()
        for namespace in (self.server_namespace, self.client_namespace):
            _must(_ip("netns", "add", namespace))
        self._wire = await spawn(
            self.server(PYTHON, "-m", "tests.network.wire", SERVER_DEVICE, CLIENT_DEVICE, "7")
        )
        assert await self._answer() == "ready", "the wire did not start"
        _must(
            _ip(
                "-n",
                self.server_namespace,
                "link",
                "set",
                CLIENT_DEVICE,
                "netns",
                self.client_namespace,
            )
        )
        for namespace, device, address in (
            (self.server_namespace, SERVER_DEVICE, SERVER_ADDRESS),
            (self.client_namespace, CLIENT_DEVICE, CLIENT_ADDRESS),
        ):
            _must(_ip("-n", namespace, "addr", "add", f"{address}/24", "dev", device))
            _must(_ip("-n", namespace, "link", "set", device, "up"))
            _must(_ip("-n", namespace, "link", "set", "lo", "up"))

    async def set(self, condition: Condition) -> None:
        """Put the link in `condition` (both ways) from now on."""
        wire = self._require_wire()
        assert wire.stdin is not None
        wire.stdin.write(json.dumps(asdict(condition.impairment)).encode() + b"\n")
        await wire.stdin.drain()
        await self._answer()
        for namespace, device in (
            (self.server_namespace, SERVER_DEVICE),
            (self.client_namespace, CLIENT_DEVICE),
        ):
            _must(_ip("-n", namespace, "link", "set", device, "mtu", str(condition.mtu or 1500)))
            qdisc = ("tc", "-n", namespace, "qdisc")
            if condition.rate is None:  # on a device without a limiter this fails: no matter
                _run(*qdisc, "del", "dev", device, "root")
            else:
                limit = ("rate", condition.rate, "burst", "1600", "latency", TBF_LATENCY)
                _must(_run(*qdisc, "replace", "dev", device, "root", "tbf", *limit))

    async def stats(self) -> dict[str, int]:
        """What the wire did to the packets so far: carried, lost, duplicated, sent at once."""
        wire = self._require_wire()
        assert wire.stdin is not None
        wire.stdin.write(b"stats\n")
        await wire.stdin.drain()
        counts: dict[str, int] = json.loads(await self._answer())
        return counts

    async def close(self) -> None:
        """Stop the wire and remove both namespaces; safe after a failed start."""
        if self._wire is not None:
            await stop(self._wire, interrupt=False)
        for namespace in (self.server_namespace, self.client_namespace):
            _ip("netns", "del", namespace)

    def _require_wire(self) -> asyncio.subprocess.Process:
        if self._wire is None:
            raise RuntimeError("the link has not started")
        return self._wire

    async def _answer(self) -> str:
        wire = self._require_wire()
        assert wire.stdout is not None
        async with asyncio.timeout(10):
            return (await wire.stdout.readline()).decode().strip()


@asynccontextmanager
async def linked(condition: Condition = CLEAN) -> AsyncIterator[Link]:
    """Two fresh namespaces joined by a wire in `condition`, removed however the block ends."""
    link = Link()
    try:
        await link.start()
        await link.set(condition)
        yield link
    finally:
        await link.close()
