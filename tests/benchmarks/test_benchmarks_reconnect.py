"""`benchmarks/reconnect.py --quick` runs and prints its table (timings are not judged here)."""

import re

from tests.helpers.benchmark_run import quick_run

ROW = re.compile(
    r"^(?P<figure>.+?)\s+(?P<took>\d+)\s+(?P<backoff>\d+)\s+\d+\.\d\d"
    r"\s+backoff \+ 200 ms\s+(PASS|MISS)$"
)


def test_the_quick_run_times_each_kind_of_loss_against_the_backoff() -> None:
    run = quick_run("reconnect.py")
    lines = run.stdout.splitlines()
    assert lines[0].split() == [
        "figure",
        "median",
        "ms",
        "backoff",
        "ms",
        "ratio",
        "budget",
        "result",
    ]
    rows = [ROW.match(line) for line in lines[1:5]]
    assert [row["figure"] for row in rows if row] == [
        "drop",
        "restart",
        "drop again #1",
        "drop again #2",
    ]
    backoffs = [int(row["backoff"]) for row in rows if row]
    assert backoffs[0] > 0
    assert backoffs[1] > backoffs[0]  # refused at first, the session waited more than once
    assert "refusing connections for 0.3 s" in run.stdout
