"""`benchmarks/latency.py --quick` runs and prints its table (timings are not judged here)."""

import re

from tests.helpers.benchmark_run import quick_run

ROW = re.compile(
    r"^(?P<figure>.+?)\s+(?P<value>\d+\.\d\d)\s+(?P<baseline>\d+\.\d\d)\s+\S+\s+.+\s(?P<verdict>PASS|MISS)$"
)


def test_the_quick_run_prints_each_figure_beside_its_baseline_and_budget() -> None:
    run = quick_run("latency.py")
    lines = run.stdout.splitlines()
    assert lines[0].split() == [
        "figure",
        "median",
        "ms",
        "baseline",
        "ms",
        "ratio",
        "budget",
        "result",
    ]
    rows = [ROW.match(line) for line in lines[1:4]]
    assert [row["figure"] for row in rows if row] == [
        "event to screen p50",
        "event to screen p99",
        "click to confirmed p50",
    ]
    assert all(row and float(row["baseline"]) > 0 for row in rows)
    assert re.search(
        r"^events: 10 measured, \d+ lost .*, \d+ baseline; sync load \d+/s", run.stdout, re.M
    )
    assert re.search(r"^clicks: 3 measured, 3 baseline$", run.stdout, re.M)
    assert "Traceback" not in run.stderr
