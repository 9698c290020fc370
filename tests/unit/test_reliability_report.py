"""The report's table is the sum of the ledgers and fuzz runs it is given, nothing else."""

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "reliability_report.py"


def report(tmp_path: Path, *counts: dict[str, object]) -> subprocess.CompletedProcess[str]:
    paths = []
    for number, content in enumerate(counts):
        path = tmp_path / f"counts{number}.json"
        path.write_text(json.dumps(content))
        paths.append(str(path))
    return subprocess.run(
        [sys.executable, str(SCRIPT), *paths, "--report", str(tmp_path / "REPORT.md")],
        capture_output=True,
        text=True,
        check=False,
    )


def test_counts_from_every_file_are_added_up_between_the_markers(tmp_path: Path) -> None:
    (tmp_path / "REPORT.md").write_text(
        "# Report\n\n<!-- counts -->\nold\n<!-- /counts -->\n\nEnd.\n"
    )
    ledger = {
        "injected": {"socket dropped": 2, "REST 503": 1},
        "survived": {"socket dropped": 2, "REST 503": 1},
        "commands": {"issued": 3, "confirmed": 2, "failed": 1},
        "fuzz_inputs": {"decoder": 100},
        "fuzz_crashes": {"decoder": 0},
    }
    fuzzer = {"decoder": {"inputs": 1000, "crashes": 0}, "callbacks": {"inputs": 50, "crashes": 0}}
    done = report(tmp_path, ledger, ledger, fuzzer)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "REPORT.md").read_text()
    assert text.startswith("# Report\n\n<!-- counts -->\n")
    assert text.endswith("<!-- /counts -->\n\nEnd.\n")
    assert "old" not in text
    assert "| socket dropped | 4 | 4 |" in text
    assert "| **all faults** | **6** | **6** |" in text
    assert "| during faults | 6 | 4 | 2 | 0 | 0 | 0 |" in text
    assert "| decoder | 1,200 | 0 |" in text
    assert "| **all** | **1,250** | **0** |" in text


def test_a_report_without_its_markers_is_refused(tmp_path: Path) -> None:
    (tmp_path / "REPORT.md").write_text("# Report\n")
    done = report(tmp_path, {"injected": {}})
    assert done.returncode == 2
    assert "has no <!-- counts -->" in done.stderr
