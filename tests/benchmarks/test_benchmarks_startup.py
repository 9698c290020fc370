"""`benchmarks/startup.py --quick` runs and prints its table (timings are not asserted)."""

import re

from tests.helpers.benchmark_run import quick_run

ROW = re.compile(
    r"^(?P<figure>.+?) +(?P<median>\d+\.\d{3}) +(?P<baseline>\d+\.\d{3}) +"
    r"(?P<ratio>\d+\.\d{2}) +≤1\.3x (?P<verdict>PASS|MISS)$"
)


def test_quick_run_prints_a_row_per_figure_beside_the_baseline() -> None:
    finished = quick_run("startup.py")
    lines = finished.stdout.splitlines()
    assert lines[0].split() == [
        "figure",
        "median",
        "s",
        "baseline",
        "s",
        "ratio",
        "budget",
        "result",
    ]
    rows = [ROW.match(line) for line in lines[1:3]]
    assert all(rows), lines
    figures = [row["figure"] for row in rows if row]
    assert figures == ["agent-toolbar demo", "agent-toolbar, first-run sign-in"]
    for row in rows:
        assert row is not None
        median, baseline = float(row["median"]), float(row["baseline"])
        assert median > 0
        assert baseline > 0
        assert abs(float(row["ratio"]) - median / baseline) < 0.05 * median / baseline
    assert lines[3].startswith("1 start(s) of each")
    assert [line.split(":")[0].strip() for line in lines[4:]] == [
        "bare PySide6 window",
        "agent-toolbar demo",
        "agent-toolbar, first-run sign-in",
    ]
