"""The real client under libfaketime, against the real simulator on loopback: the client's
clock ahead, behind, and jumping forward while it runs.

Every program of the client's side (`watch` and each `set`) runs under the same fake
clock, as on one computer. The server's clock is the machine's. Through the day the
referee compares `watch` with the server every 100 ms (`tests/network/referee.py`): on
loopback the server's events arrive in milliseconds, so an online toolbar that disagrees
with the server for more than 2.5 s has dropped or ignored one.

The library is preloaded as the `faketime` command preloads it (that command is asked
where it is), but without the command itself: it stays behind as the program's parent,
so Ctrl-C would stop it and orphan the program.
"""

import asyncio
import functools
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.network.day import Sides, deployed, rest_of_day, start_of_day
from tests.reliability.ledger import LEDGER

pytestmark = pytest.mark.asyncio

WITHIN = 2.5
NOTICED = 3.0
"""libfaketime reads its file again within a second; the toolbar compares its clocks
every 2 s."""


@functools.cache
def _preload() -> str:
    """What `faketime` preloads (such as `/usr/$LIB/faketime/libfaketime.so.1`), or ""."""
    if shutil.which("faketime") is None:
        return ""
    asked = ["faketime", "-f", "+0s", "printenv", "LD_PRELOAD"]
    return subprocess.run(asked, capture_output=True, text=True, check=False).stdout.strip()


def faked(*settings: str) -> tuple[str, ...]:
    """The prefix that runs a program under libfaketime with these `NAME=value` settings.
    Its monotonic clock (asyncio's) stays the machine's: no real clock moves it but time."""
    return ("env", f"LD_PRELOAD={_preload()}", "FAKETIME_DONT_FAKE_MONOTONIC=1", *settings)


@pytest.fixture(autouse=True)
def faketime() -> None:
    if not _preload():
        pytest.skip("faketime is not installed (scripts/bootstrap --tests installs it)")


@pytest.mark.parametrize(
    ("offset", "name"),
    [
        ("+30s", "client clock 30 s ahead"),
        pytest.param("+5m", "client clock 5 minutes ahead", marks=pytest.mark.netem),
        pytest.param("-30s", "client clock 30 s behind", marks=pytest.mark.netem),
    ],
    ids=["30s-ahead", "5min-ahead", "30s-behind"],
)
async def test_an_agents_day_with_the_clients_clock_off(
    offset: str, name: str, tmp_path: Path
) -> None:
    with LEDGER.fault(name):
        async with deployed(tmp_path, Sides(client=faked(f"FAKETIME={offset}")), WITHIN) as day:
            await start_of_day(day)
            await rest_of_day(day)


async def test_an_agents_day_when_the_clients_clock_jumps(tmp_path: Path) -> None:
    """The wall clock is set 2 hours forward while the toolbar runs (a clock corrected
    by hand or by NTP); the monotonic clock goes on as before, as it does on Linux.
    libfaketime reads the offset from a file, and reads it again every second."""
    offset = tmp_path / "faketime"
    offset.write_text("+0s\n")
    client = faked(f"FAKETIME_TIMESTAMP_FILE={offset}", "FAKETIME_CACHE_DURATION=1")
    with LEDGER.fault("client clock jumped 2 hours forward"):
        async with deployed(tmp_path, Sides(client=client), WITHIN) as day:
            await start_of_day(day)
            offset.write_text("+2h\n")
            await asyncio.sleep(NOTICED)
            await rest_of_day(day)
