"""The command line's own options, parsed by the real parser and run by the real `main`."""

import logging

import pytest

from agent_toolbar.cli import main as cli


@pytest.mark.parametrize(
    "argv",
    [
        ["--log-level", "debug", "replay", "-"],
        ["replay", "--log-level", "debug", "-"],
        ["--log-level", "error", "replay", "--log-level", "debug", "-"],
    ],
    ids=["before the command", "after it", "both: the command's wins"],
)
def test_the_log_level_works_before_and_after_the_command(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def chatty(args: object) -> int:
        logging.getLogger("agent_toolbar.test").debug("a debug line")
        return 0

    monkeypatch.setattr(cli, "_run_replay", chatty)
    assert cli.main(argv) == 0
    assert capsys.readouterr().err == "agent-toolbar agent_toolbar.test: DEBUG: a debug line\n"


def test_the_log_level_defaults_to_warnings() -> None:
    assert cli._parser().parse_args(["replay", "-"]).log_level == "warning"
    assert cli._parser().parse_args([]).log_level == "warning"
