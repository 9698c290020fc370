"""Runs a benchmark script's `--quick` smoke run, for the tests that keep them working."""

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).parents[2] / "benchmarks"


def quick_run(script: str) -> subprocess.CompletedProcess[str]:
    """The finished run of `benchmarks/SCRIPT --quick`; it must have exited 0."""
    finished = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--quick"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    return finished
