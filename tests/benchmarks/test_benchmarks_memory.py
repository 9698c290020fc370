"""`benchmarks/memory.py --quick` runs and prints its table: the shape, never the sizes."""

import re

from tests.helpers.benchmark_run import quick_run

ROW = re.compile(
    r"^(?P<figure>.+?)\s+(?P<mb>\d+\.\d)\s+(?P<baseline>\d+\.\d)\s+(?P<ratio>\d+\.\d\d)"
    r"(?:\s+(?P<budget>baseline|<= .+?|< .+?|\(for comparison\)))?\s+(?P<result>PASS|MISS)$"
)


def test_quick_run_prints_every_figure_beside_its_baseline() -> None:
    result = quick_run("memory.py")
    lines = result.stdout.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("figure")))
    assert lines[header].split() == ["figure", "RSS", "MB", "baseline", "ratio", "budget", "result"]
    rows = [ROW.match(line) for line in lines[header + 1 :]]
    assert all(rows), lines[header + 1 :]
    found = {row["figure"]: row for row in rows if row}
    assert list(found) == [
        "bare PySide6 window",
        "agent-toolbar, signed in",
        "agent-toolbar demo (+ simulator)",
        "domain before any event",
        "domain after 10,000 events",
        "domain after 100,000 events",
    ]
    for row in found.values():
        assert float(row["mb"]) > 1
        assert abs(float(row["ratio"]) - float(row["mb"]) / float(row["baseline"])) < 0.01
    assert found["agent-toolbar, signed in"]["budget"] == "<= baseline + 40 MB"
    assert found["domain after 100,000 events"]["budget"] == "< 10,000 + 2 MB"
    growth = re.search(r"growth ([+-]\d+\.\d) MB", result.stdout)
    assert growth is not None
    after_few = float(found["domain after 10,000 events"]["mb"])
    after_many = float(found["domain after 100,000 events"]["mb"])
    assert abs(float(growth[1]) - (after_many - after_few)) <= 0.11
