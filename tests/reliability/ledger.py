"""What the reliability suite did, counted for RELIABILITY.md.

Every fault a test injects goes through `LEDGER.fault(name)` (survived when its block
ends without an error), every command outcome through `LEDGER.command(progress)`,
every fuzz run through `LEDGER.fuzzed(...)`. At the end of a pytest run the counts are
written as JSON where `$AGENT_TOOLBAR_RELIABILITY_JSON` says (see tests/conftest.py);
`scripts/reliability_report.py` turns them into the report's table. The counts come
from what ran, so the report cannot claim more than the suite did.
"""

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from agent_toolbar.domain.state import CommandProgress

SETTLED_PHASES = ("confirmed", "failed", "unknown", "replaced")
"""How a command can end; "unknown": no answer, and the toolbar said it may or may not
have been made. Still pending at the end of a test is lost."""


@dataclass
class Ledger:
    injected: Counter[str] = field(default_factory=Counter)
    survived: Counter[str] = field(default_factory=Counter)
    commands: Counter[str] = field(default_factory=Counter)
    fuzz_inputs: Counter[str] = field(default_factory=Counter)
    fuzz_crashes: Counter[str] = field(default_factory=Counter)

    @contextmanager
    def fault(self, name: str) -> Iterator[None]:
        """Count `name` as injected now, and as survived if the block's checks pass."""
        self.injected[name] += 1
        yield
        self.survived[name] += 1

    def command(self, progress: CommandProgress, *, applied: int = 1) -> None:
        """Count one command's outcome. Still pending at the end of a test is lost;
        `applied` is how many times the server carried it out (more than 1: twice)."""
        self.commands["issued"] += 1
        self.commands[progress.phase if progress.phase in SETTLED_PHASES else "lost"] += 1
        if applied > 1:
            self.commands["applied twice"] += 1

    def command_run(self, phase: str) -> None:
        """Count the outcome of a command run as its own process (`agent-toolbar set`) by
        the phase it said it ended in ("unknown": no answer, and it said so; "lost": it
        never ended). Its server runs in a process of its own too, whose count of changes
        carried out cannot be read: such a command is never counted as applied twice."""
        self.commands["issued"] += 1
        self.commands[phase if phase in SETTLED_PHASES else "lost"] += 1

    def fuzzed(self, target: str, inputs: int, crashes: int) -> None:
        self.fuzz_inputs[target] += inputs
        self.fuzz_crashes[target] += crashes

    def as_json(self) -> dict[str, dict[str, int]]:
        return {
            "injected": dict(self.injected),
            "survived": dict(self.survived),
            "commands": dict(self.commands),
            "fuzz_inputs": dict(self.fuzz_inputs),
            "fuzz_crashes": dict(self.fuzz_crashes),
        }

    def merge_into(self, path: Path) -> None:
        """Add these counts to the file's (several runs make one report)."""
        totals = json.loads(path.read_text()) if path.exists() else {}
        for table, counts in self.as_json().items():
            merged = Counter(totals.get(table, {}))
            merged.update(counts)
            totals[table] = dict(merged)
        path.write_text(json.dumps(totals, indent=2, sort_keys=True) + "\n")


LEDGER = Ledger()
