"""Telphin's wire facts: the docs' table lists exactly `FACTS`, the overridable keys are
`Wire`'s, and the request shapes and refusals come out as the facts say."""

import re
from dataclasses import fields
from pathlib import Path

import pytest

from agent_toolbar.backends.http import Response
from agent_toolbar.backends.telphin import wire
from agent_toolbar.backends.telphin.backend import TelphinSettings, refusal
from agent_toolbar.backends.telphin.oauth import AppCredentials
from agent_toolbar.backends.wire_facts import WireOverrideError, overrides

DOC = Path(__file__).resolve().parents[4] / "docs" / "telphin.md"
ROW = re.compile(r"^\| `(?P<name>[a-z_]+)` \| (?P<standing>\w+) \|.*\| (?:`(?P<key>\w+)`)? \|$")


def doc_section(title: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else None]


def test_the_docs_table_lists_exactly_the_facts_with_their_standing() -> None:
    rows = [ROW.match(line) for line in doc_section("The wire facts").splitlines()]
    table = [(row["name"], row["standing"], row["key"]) for row in rows if row]
    assert table == [(fact.name, fact.standing, fact.override) for fact in wire.FACTS]


def test_every_fact_has_a_one_line_source_and_a_unique_name() -> None:
    names = [fact.name for fact in wire.FACTS]
    assert len(names) == len(set(names))
    for fact in wire.FACTS:
        assert fact.source
        assert fact.says
        assert "\n" not in fact.source + fact.says
        if fact.standing != "confirmed":
            assert fact.standing in ("inferred", "unknown")


def test_the_overridable_facts_are_the_fields_of_wire_and_the_docs_name_them() -> None:
    keys = {field.name for field in fields(wire.Wire)}
    assert {fact.override for fact in wire.FACTS if fact.override} == keys
    assert all(fact.standing == "unknown" for fact in wire.FACTS if fact.override)
    section = doc_section("Correcting a fact for your server")
    assert all(f"`{key}`" in section for key in keys)


def test_a_profiles_wire_table_overrides_the_keys_and_refuses_typos() -> None:
    changed = overrides(wire.Wire(), {"status_field": "agent_status", "status_body_field": "s"})
    assert changed == wire.Wire(status_field="agent_status", status_body_field="s")
    with pytest.raises(WireOverrideError, match="use one of status_field, state_field"):
        overrides(wire.Wire(), {"status_feild": "x"})
    settings = TelphinSettings(api_url="https://x", app=AppCredentials("a", "b"), wire=changed)
    assert settings.wire.status_field == "agent_status"
    assert TelphinSettings(api_url="https://x", app=AppCredentials("a", "b")).wire == wire.Wire()


def test_the_status_change_and_the_paths() -> None:
    assert wire.status_body(True, wire.Wire()) == {"status": "available"}
    assert wire.status_body(False, wire.Wire(status_body_field="agent_status")) == {
        "agent_status": "logged_out"
    }
    assert wire.agent_path("@me", "remote", "7") == "client/@me/agent/remote/7"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            {"message": "status must be one of available, logged_out"},
            "the server refused (400): status must be one of available, logged_out",
        ),
        ({"error": "forbidden"}, "the server refused (400): forbidden"),
        (None, "the server refused (400) and gave no reason"),
        ({"message": 7}, "the server refused (400) and gave no reason"),
        ({"message": "two\nlines\x00 here"}, "(400): two lines here"),
        ({"message": "x" * 500}, "(400): " + "x" * 199 + "…"),
    ],
)
def test_a_refusal_says_what_the_server_said_in_one_tidy_line(body: object, words: str) -> None:
    said = refusal(Response(400, body, None))
    assert said.endswith(words)
