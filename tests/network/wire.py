"""The wire between the two namespaces: netem's impairments, done in a process.

This machine's kernel has no netem (`tc qdisc add ... netem` answers "Specified qdisc
kind is unknown": CONFIG_NET_SCH_NETEM is off, and modules are off too), so the two
namespaces are joined by two TUN devices and this process carries every IP packet from
one to the other. The kernel's TCP stacks at both ends are real and see a real lossy,
slow, jittery link; rate (`tc qdisc ... tbf`) and MTU (`ip link set ... mtu`) are the
kernel's own, set on the devices (`tests/network/link.py`).

Run as `python -m tests.network.wire SERVER_DEVICE CLIENT_DEVICE SEED` inside the
server's namespace: it creates both TUN devices there (the caller moves the client's into
the client's namespace), prints `ready`, and carries packets both ways alike: each is
lost with probability `loss`; otherwise sent at once with probability `reorder` (so it
overtakes those delayed, as netem's `reorder` does), else after `delay` ± `jitter`
(uniform, so packets overtake each other, as netem's jitter does); each is sent twice
with probability `duplicate`. A JSON line on stdin (an `Impairment`) changes the
impairment at once; the line `stats` prints the counts so far; the end of stdin ends
the process, and its devices go with it.
"""

import asyncio
import fcntl
import json
import os
import random
import struct
import sys
from collections import Counter
from dataclasses import asdict, dataclass

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
LARGEST_PACKET = 65535


@dataclass(frozen=True)
class Impairment:
    """What happens to each packet, each way; times in seconds, chances from 0 to 1."""

    delay: float = 0.0
    jitter: float = 0.0
    loss: float = 0.0
    reorder: float = 0.0
    duplicate: float = 0.0


def open_tun(name: str) -> int:
    """A new TUN device `name` in this process's namespace: raw IP packets, no header."""
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


class Wire:
    def __init__(self, seed: int) -> None:
        self.impairment = Impairment()
        self.counts: Counter[str] = Counter()
        self._random = random.Random(seed)

    def carry(self, source: int, target: int) -> None:
        """Take every packet waiting at `source` on its way to `target`."""
        loop = asyncio.get_running_loop()
        while True:
            try:
                packet = os.read(source, LARGEST_PACKET)
            except BlockingIOError:
                return
            self.counts["packets"] += 1
            impairment = self.impairment
            if self._random.random() < impairment.loss:
                self.counts["lost"] += 1
                continue
            copies = 1
            if self._random.random() < impairment.duplicate:
                self.counts["duplicated"] += 1
                copies = 2
            for _ in range(copies):
                delay = self._delay(impairment)
                if delay <= 0:
                    self._send(target, packet)
                else:
                    loop.call_later(delay, self._send, target, packet)

    def _delay(self, impairment: Impairment) -> float:
        if impairment.reorder and self._random.random() < impairment.reorder:
            self.counts["sent at once"] += 1
            return 0.0
        jitter = impairment.jitter
        return impairment.delay + (self._random.uniform(-jitter, jitter) if jitter else 0.0)

    def _send(self, target: int, packet: bytes) -> None:
        try:
            os.write(target, packet)
        except OSError:  # the device is down or its queue full: the packet is lost
            self.counts["undeliverable"] += 1


async def main(server_device: str, client_device: str, seed: int) -> None:
    loop = asyncio.get_running_loop()
    server, client = open_tun(server_device), open_tun(client_device)
    wire = Wire(seed)
    loop.add_reader(server, wire.carry, server, client)
    loop.add_reader(client, wire.carry, client, server)
    commands = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), sys.stdin)
    print("ready", flush=True)
    async for line in commands:
        if line.strip() == b"stats":
            print(json.dumps(dict(wire.counts)), flush=True)
        else:
            wire.impairment = Impairment(**json.loads(line))
            print(json.dumps(asdict(wire.impairment)), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
