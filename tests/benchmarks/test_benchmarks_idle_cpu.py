"""`benchmarks/idle_cpu.py --quick` runs and prints its table (CPU figures are not asserted)."""

import re

from tests.helpers.benchmark_run import quick_run

ROW = re.compile(
    r"^(?P<figure>.+?) +(?P<median>\d+\.\d{3}) +(?P<baseline>\d+\.\d{3}) +"
    r"(?P<ratio>\d+\.\d|n/a) +≤(?P<budget>[\d.]+) % (?P<verdict>PASS|MISS)$"
)


def test_quick_run_prints_idle_and_ringing_beside_the_bare_window() -> None:
    finished = quick_run("idle_cpu.py")
    lines = finished.stdout.splitlines()
    assert lines[0].split() == [
        "figure",
        "median",
        "%",
        "baseline",
        "%",
        "ratio",
        "budget",
        "result",
    ]
    rows = [ROW.match(line) for line in lines[1:3]]
    assert all(rows), lines
    found = [(row["figure"], row["budget"]) for row in rows if row]
    assert found == [("demo, Ready, no call", "0.2"), ("demo, an offer ringing", "1")]
    for row in rows:
        assert row is not None
        over = float(row["median"]) > float(row["budget"])
        assert row["verdict"] == ("MISS" if over else "PASS")
    assert lines[3].startswith("1 s each in 2 slices")
    slices = {line.split(":")[0].strip(): line.split(":")[1].split() for line in lines[4:]}
    assert list(slices) == [
        "bare PySide6 window, idle",
        "demo, Ready, no call",
        "demo, an offer ringing",
    ]
    assert all(len(values) == 2 for values in slices.values())
