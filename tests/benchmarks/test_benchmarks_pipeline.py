"""`benchmarks/pipeline.py --quick` runs and prints its table: the shape, never the speed."""

import re

from tests.helpers.benchmark_run import quick_run

ROW = re.compile(
    r"^(?P<figure>.+?)\s+(?P<median>[\d,]+)\s+(?P<baseline>[\d,]+)\s+(?P<ratio>\d+\.\d\d)"
    r"\s+(?P<budget>>= .+?)\s+(?P<result>PASS|MISS)$"
)


def test_quick_run_prints_every_figure_beside_baselines_and_budgets() -> None:
    result = quick_run("pipeline.py")
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("figure")))
    assert lines[header].split() == ["figure", "median", "baseline", "ratio", "budget", "result"]
    rows = [ROW.match(line) for line in lines[header + 1 :]]
    assert all(rows), lines[header + 1 :]
    found = {row["figure"]: row for row in rows if row}
    assert list(found) == [
        "decode + reduce, 4 agents",
        "decode + reduce, 20 agents",
        "agent-toolbar replay",
    ]
    for row in found.values():
        median = int(row["median"].replace(",", ""))
        baseline = int(row["baseline"].replace(",", ""))
        assert median > 0
        assert baseline > 0
        assert abs(float(row["ratio"]) - median / baseline) < 0.01
    for agents in (4, 20):
        assert (
            found[f"decode + reduce, {agents} agents"]["budget"] == ">= 200,000 frames/s, >= 1.5x"
        )
    assert found["agent-toolbar replay"]["budget"] == ">= 100,000 frames/s"
    applied = re.search(r"this agent's events that the rules applied: (\d+)%", result.stdout)
    assert applied is not None
    assert 0 < int(applied[1]) <= 100
