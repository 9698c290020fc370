"""`--try-changes` changes nothing unless a person at a terminal says yes, or `--yes`."""

import io

from agent_toolbar.doctor.run import confirmed


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_without_a_terminal_changes_need_yes() -> None:
    err = io.StringIO()
    assert not confirmed(io.StringIO("yes\n"), err, "kazoo", yes=False)
    assert "needs a terminal to confirm, or --yes" in err.getvalue()
    assert confirmed(io.StringIO(), io.StringIO(), "kazoo", yes=True)


def test_at_a_terminal_only_yes_goes_on_and_the_question_says_what_will_change() -> None:
    err = io.StringIO()
    assert confirmed(Terminal("yes\n"), err, "kazoo", yes=False)
    assert "sets this agent Ready and Away" in err.getvalue()
    assert not confirmed(Terminal("y\n"), io.StringIO(), "kazoo", yes=False)
    telphin = io.StringIO()
    assert not confirmed(Terminal("\n"), telphin, "telphin", yes=False)
    assert "creates and deletes a test event subscription" in telphin.getvalue()
    assert "Away" not in telphin.getvalue()
