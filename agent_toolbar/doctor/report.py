"""The doctor's verdicts: one row per wire fact, the fix for each difference, and the exit
code; as text for people and as JSON for tools. Pure: no I/O, no clock."""

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

from agent_toolbar.backends.wire_facts import Fact

Verdict = Literal["matches", "differs", "not_seen"]
ProblemKind = Literal["options", "signed_out", "unreachable", "interrupted"]

EXIT_MATCHES = 0
EXIT_DIFFERS = 1
EXIT_OPTIONS = 2
EXIT_SIGNED_OUT = 3
EXIT_UNREACHABLE = 4
"""The exit codes `set` and `watch` use for the same outcomes."""
EXIT_INTERRUPTED = 130
"""Stopped by Ctrl-C or SIGTERM (after restoring what it changed), as shells count it."""

COPES_FIX = (
    "nothing needs to change in the profile: the toolbar copes with this way too; send this "
    "report and a capture (run the doctor again with --capture FILE) to the toolbar's "
    "developers, so that the fact is settled"
)
"""The fix of a difference where the server took the other plausible way: the fact
states the toolbar's one assumption, and the toolbar copes with the other way."""
CAPTURE_FIX = (
    "no setting in the profile mends this: send this report and a capture (run the doctor "
    "again with --capture FILE) to the toolbar's developers, so that the toolbar learns "
    "this server's way"
)
"""The fix of a difference no `[profiles.NAME.wire]` line mends and the toolbar may not
cope with."""

_EXIT_FOR: dict[ProblemKind, int] = {
    "options": EXIT_OPTIONS,
    "signed_out": EXIT_SIGNED_OUT,
    "unreachable": EXIT_UNREACHABLE,
    "interrupted": EXIT_INTERRUPTED,
}


@dataclass(frozen=True)
class Finding:
    """What the server showed of one fact."""

    verdict: Verdict
    seen: str
    """In one line, with no secret: a key, a status word, an HTTP status, a shape."""
    fix: str | None = None
    """For a difference: what to change, e.g. the `[profiles.NAME.wire]` line to add."""


@dataclass(frozen=True)
class Row:
    fact: Fact
    finding: Finding


@dataclass(frozen=True)
class Problem:
    """Why the examination stopped early: the options, the sign-in, the network, or a
    signal."""

    kind: ProblemKind
    message: str


@dataclass(frozen=True)
class Report:
    backend: str
    server: str
    """The API URL examined (no credentials are part of it)."""
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    """What was done, in order: how it signed in, what it listened to, what it changed
    and whether it restored it."""
    problem: Problem | None = None

    @property
    def differences(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if row.finding.verdict == "differs")

    @property
    def exit_code(self) -> int:
        if self.problem is not None:
            return _EXIT_FOR[self.problem.kind]
        return EXIT_DIFFERS if self.differences else EXIT_MATCHES


class Findings:
    """What an examination found, fact by fact; a fact found twice keeps the worse news
    (a difference is never hidden by a later match)."""

    def __init__(self, facts: Iterable[Fact]) -> None:
        self._facts = tuple(facts)
        self._names = {fact.name for fact in self._facts}
        self._found: dict[str, Finding] = {}

    def matches(self, name: str, seen: str) -> None:
        self._add(name, Finding("matches", seen))

    def differs(self, name: str, seen: str, fix: str) -> None:
        self._add(name, Finding("differs", seen, fix))

    def not_seen(self, name: str, why: str) -> None:
        self._add(name, Finding("not_seen", why))

    def _add(self, name: str, finding: Finding) -> None:
        if name not in self._names:
            raise KeyError(f"no wire fact is called {name!r}")
        earlier = self._found.get(name)
        if earlier is None or _RANK[finding.verdict] >= _RANK[earlier.verdict]:
            self._found[name] = finding

    def rows(self) -> tuple[Row, ...]:
        """Every fact, in the wire module's order; one nothing showed is "not seen"."""
        nothing = Finding("not_seen", "")
        return tuple(Row(fact, self._found.get(fact.name, nothing)) for fact in self._facts)


_RANK: dict[Verdict, int] = {"not_seen": 0, "matches": 1, "differs": 2}


def wire_fix(profile: str | None, key: str, value: str) -> str:
    """The lines that override a wire fact in the settings file."""
    return f'[profiles.{profile or "NAME"}.wire]\n{key} = "{value}"'


_WORDS: dict[Verdict, str] = {"matches": "matches", "differs": "DIFFERS", "not_seen": "not seen"}


def render_text(report: Report) -> str:
    """The report for people: what was done, the table, then each fix."""
    lines = [f"{report.backend} at {report.server}"]
    lines += [f"  {note}" for note in report.notes]
    if report.problem is not None:
        lines.append(f"stopped: {report.problem.message}")
    if report.rows:
        width = max(len(row.fact.name) for row in report.rows)
        lines.append("")
        lines.append(f"{'fact':<{width}}  {'standing':<9}  {'verdict':<8}  seen")
        for row in report.rows:
            fact, found = row.fact, row.finding
            verdict = _WORDS[found.verdict]
            lines.append(f"{fact.name:<{width}}  {fact.standing:<9}  {verdict:<8}  {found.seen}")
    for row in report.differences:
        lines.append("")
        lines.append(f"{row.fact.name}: the toolbar assumes {row.fact.says}")
        lines.append(f"  the server showed: {row.finding.seen}")
        lines.append("  fix:")
        lines += [f"    {line}" for line in (row.finding.fix or "").splitlines()]
    summary = (
        f"{len(report.differences)} of {len(report.rows)} facts differ"
        if report.differences
        else "nothing differs"
    )
    lines += ["", summary if report.problem is None else "the examination did not finish"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _JsonRow:
    fact: str
    standing: str
    assumes: str
    source: str
    override: str | None
    verdict: Verdict
    seen: str
    fix: str | None


@dataclass(frozen=True)
class _JsonReport:
    backend: str
    server: str
    notes: list[str]
    problem: dict[str, str] | None
    exit_code: int
    rows: list[_JsonRow] = field(default_factory=list)


def render_json(report: Report) -> str:
    """The report for tools: one JSON object, keys sorted."""
    rows = [
        _JsonRow(
            row.fact.name,
            row.fact.standing,
            row.fact.says,
            row.fact.source,
            row.fact.override,
            row.finding.verdict,
            row.finding.seen,
            row.finding.fix,
        )
        for row in report.rows
    ]
    problem = asdict(report.problem) if report.problem is not None else None
    whole = _JsonReport(
        report.backend, report.server, list(report.notes), problem, report.exit_code, rows
    )
    return json.dumps(asdict(whole), sort_keys=True, indent=2) + "\n"
