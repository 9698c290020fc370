"""Writes the reliability suite's counts into RELIABILITY.md: `reliability_report.py JSON...`.

Each JSON is a ledger the suite wrote (`tests/reliability/ledger.py`) or the fuzzer's
`--json` output; their counts are added up. The table between the report's two
`<!-- counts -->` markers is replaced; the prose around it is the team's to write.
"""

import argparse
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "RELIABILITY.md"
START, END = "<!-- counts -->", "<!-- /counts -->"
COMMAND_COLUMNS = (
    "issued",
    "confirmed",
    "failed",
    "unknown",
    "replaced",
    "lost",
    "applied twice",
)


def totals(paths: list[Path]) -> dict[str, Counter[str]]:
    merged: dict[str, Counter[str]] = {
        table: Counter()
        for table in ("injected", "survived", "commands", "fuzz_inputs", "fuzz_crashes")
    }
    for path in paths:
        data = json.loads(path.read_text())
        for table, counts in data.items():
            if table in merged:
                merged[table].update(counts)
            elif isinstance(counts, dict) and "inputs" in counts:  # the fuzzer's output
                merged["fuzz_inputs"][table] += counts["inputs"]
                merged["fuzz_crashes"][table] += counts["crashes"]
    return merged


def table(counts: dict[str, Counter[str]], today: str) -> str:
    injected, survived = counts["injected"], counts["survived"]
    lines = [
        f"Counted on {today} by `make reliability` (and `make soak` and `make netem` where "
        "they ran).",
        "",
        "| fault | injected | survived |",
        "|---|---|---|",
        *(f"| {name} | {injected[name]} | {survived[name]} |" for name in sorted(injected)),
        f"| **all faults** | **{sum(injected.values())}** | **{sum(survived.values())}** |",
        "",
        "| commands | " + " | ".join(COMMAND_COLUMNS) + " |",
        "|---" * (len(COMMAND_COLUMNS) + 1) + "|",
        "| during faults | "
        + " | ".join(str(counts["commands"][column]) for column in COMMAND_COLUMNS)
        + " |",
        "",
        "| fuzzed | inputs | crashes |",
        "|---|---|---|",
        *(
            f"| {target} | {counts['fuzz_inputs'][target]:,} | {counts['fuzz_crashes'][target]} |"
            for target in sorted(counts["fuzz_inputs"])
        ),
        f"| **all** | **{sum(counts['fuzz_inputs'].values()):,}** | "
        f"**{sum(counts['fuzz_crashes'].values())}** |",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Put the suite's counts into RELIABILITY.md.")
    parser.add_argument("counts", nargs="+", type=Path, help="ledger or fuzzer JSON files")
    parser.add_argument("--report", type=Path, default=REPORT)
    args = parser.parse_args(argv)
    missing = [str(path) for path in args.counts if not path.exists()]
    if missing:
        print(f"reliability_report: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    text = args.report.read_text()
    if START not in text or END not in text:
        print(f"reliability_report: {args.report} has no {START} ... {END} block", file=sys.stderr)
        return 2
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    block = table(totals(args.counts), date.today().isoformat())
    args.report.write_text(f"{before}{START}\n{block}\n{END}{after}")
    print(f"wrote the counts into {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
