"""`agent-toolbar dial`: what it refuses, and what it says when no toolbar takes the number.

Run by the real `main`. Where a toolbar has to be started, a stand-in process takes its
place (one that never answers, one that ends at once): a real toolbar that fails to
start cannot be made on purpose here. A real toolbar taking a number is in
tests/integration/test_dial_link.py.
"""

import os
import re
import signal
import sys

import pytest

from agent_toolbar.cli import dial
from agent_toolbar.cli import main as cli
from agent_toolbar.config import settings_file as config_file
from agent_toolbar.config.settings import Config, Profile
from tests.helpers.places import private_places

__all__ = ["private_places"]

WORK = Profile(api_url="https://pbx.example.com:8443/v2", account_name="demo", username="ada")


def never_started(_profile: str | None = None) -> list[str]:
    raise AssertionError("no toolbar should be started")


@pytest.mark.parametrize(
    ("link", "reason"),
    [
        ("mailto:boss@example.com", "a mailto: link is not a phone number"),
        ("sip:ada@pbx.example.com", "a sip: link is not a phone number"),
        ("tel:call-me-maybe", "is not a phone number"),
        ("tel:", "no number was given"),
        ("tel:+1", "it has 1 digits"),
    ],
)
def test_what_is_no_phone_number_is_refused_with_the_reason(
    link: str, reason: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(dial, "launch_command", never_started)
    assert cli.main(["dial", link]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("agent-toolbar dial: ")
    assert reason in err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    "argv",
    [["dial", "--profile", "night", "tel:+15550100"], ["--profile", "night", "dial", "+15550100"]],
    ids=["after the command", "before it"],
)
def test_an_unknown_profile_is_refused(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file.save(config_file.config_path(), Config(profiles={"work": WORK}))
    monkeypatch.setattr(dial, "launch_command", never_started)
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err == (
        f'agent-toolbar dial: {config_file.config_path()} has no profile "night" '
        "(its profiles: work)\n"
    )


def stand_in(monkeypatch: pytest.MonkeyPatch, code: str, seen: list[str | None]) -> None:
    """A process in the toolbar's place, started as the toolbar would be."""

    def command(profile: str | None = None) -> list[str]:
        seen.append(profile)
        return [sys.executable, "-c", code]

    monkeypatch.setattr(dial, "launch_command", command)


def test_a_toolbar_that_never_answers_is_given_up_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file.save(config_file.config_path(), Config(profiles={"work": WORK}))
    seen: list[str | None] = []
    stand_in(monkeypatch, "import time; time.sleep(20)", seen)
    monkeypatch.setattr(dial, "START_WAIT", 0.8)
    assert cli.main(["dial", "--profile", "work", "tel:+1-555-0100"]) == 1
    out, err = capsys.readouterr()
    started = re.fullmatch(
        r"agent-toolbar dial: no toolbar ran for profile work; started one \(process (\d+)\)\n",
        out,
    )
    assert started is not None
    os.kill(int(started.group(1)), signal.SIGTERM)
    assert seen == ["work"]
    assert err == (
        "agent-toolbar dial: the toolbar did not answer within 1 s; +15550100 was not dialed\n"
    )


def test_a_toolbar_that_ends_at_once_is_said_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seen: list[str | None] = []
    stand_in(monkeypatch, "raise SystemExit(3)", seen)
    assert cli.main(["dial", "callto:+15550100"]) == 1
    err = capsys.readouterr().err
    assert seen == [None]  # no profile given: the toolbar picks its default, as the dial did
    assert err == (
        "agent-toolbar dial: the toolbar ended (exit code 3) before it took the number; "
        "+15550100 was not dialed\n"
    )
