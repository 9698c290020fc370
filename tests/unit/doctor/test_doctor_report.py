"""The doctor's verdict table: one row per fact, the worse news kept, the exit codes, and
both renderings."""

import json

import pytest

from agent_toolbar.backends.kazoo.wire import FACTS
from agent_toolbar.backends.wire_facts import Fact
from agent_toolbar.doctor.report import (
    EXIT_DIFFERS,
    EXIT_INTERRUPTED,
    EXIT_MATCHES,
    EXIT_SIGNED_OUT,
    Findings,
    Problem,
    Report,
    render_json,
    render_text,
    wire_fix,
)

FACT_A = Fact("status_words", "confirmed", "six words", "the docs")
FACT_B = Fact("queue_key", "unknown", "target_queue names the queue", "none", "queue_key")


def report(findings: Findings, problem: Problem | None = None) -> Report:
    return Report("kazoo", "https://pbx:8443/v2", findings.rows(), ("signed in",), problem)


def test_every_fact_gets_a_row_in_the_wire_modules_order() -> None:
    findings = Findings(FACTS)
    findings.matches(FACTS[-1].name, "seen")
    rows = findings.rows()
    assert [row.fact for row in rows] == list(FACTS)
    assert [row.finding.verdict for row in rows] == ["not_seen"] * (len(FACTS) - 1) + ["matches"]


def test_a_difference_is_never_hidden_by_a_later_match() -> None:
    findings = Findings([FACT_A])
    findings.differs("status_words", "Away-Lunch", "tell us")
    findings.matches("status_words", "Ready")
    findings.not_seen("status_words", "no event")
    assert findings.rows()[0].finding.verdict == "differs"


def test_a_fact_the_module_does_not_have_is_a_mistake_in_the_doctor() -> None:
    with pytest.raises(KeyError, match="no wire fact is called 'status_word'"):
        Findings([FACT_A]).matches("status_word", "Ready")


def test_exit_codes_follow_the_verdicts_and_the_problem() -> None:
    findings = Findings([FACT_A, FACT_B])
    findings.matches("status_words", "Ready")
    assert report(findings).exit_code == EXIT_MATCHES
    findings.differs("queue_key", "400: target_queue refused", wire_fix("office", "queue_key", "q"))
    assert report(findings).exit_code == EXIT_DIFFERS
    assert report(findings, Problem("signed_out", "refused")).exit_code == EXIT_SIGNED_OUT
    assert report(findings, Problem("interrupted", "Ctrl-C")).exit_code == EXIT_INTERRUPTED


def test_the_text_names_each_difference_and_its_fix() -> None:
    findings = Findings([FACT_A, FACT_B])
    findings.matches("status_words", "Ready")
    findings.differs("queue_key", "400: target_queue refused", wire_fix("office", "queue_key", "q"))
    words = render_text(report(findings))
    assert "queue_key     unknown    DIFFERS   400: target_queue refused" in words
    assert "status_words  confirmed  matches   Ready" in words
    assert '    [profiles.office.wire]\n    queue_key = "q"\n' in words
    assert words.endswith("1 of 2 facts differ\n")


def test_the_json_has_one_row_per_fact_with_its_standing_and_fix() -> None:
    findings = Findings([FACT_A, FACT_B])
    findings.differs("queue_key", "refused", wire_fix(None, "queue_key", "q"))
    whole = json.loads(render_json(report(findings)))
    assert whole["exit_code"] == EXIT_DIFFERS
    assert [row["fact"] for row in whole["rows"]] == ["status_words", "queue_key"]
    assert whole["rows"][1] == {
        "fact": "queue_key",
        "standing": "unknown",
        "assumes": "target_queue names the queue",
        "source": "none",
        "override": "queue_key",
        "verdict": "differs",
        "seen": "refused",
        "fix": '[profiles.NAME.wire]\nqueue_key = "q"',
    }
