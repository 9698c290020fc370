"""Test-wide settings: Qt draws offscreen, hypothesis has a quick and a long profile, and
the reliability ledger is written where `$AGENT_TOOLBAR_RELIABILITY_JSON` says."""

import os
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.helpers.issued"]

# No deadline: these machines are shared and noisy, and a slow example is not a bug.
settings.register_profile("default", max_examples=300, deadline=None, print_blob=True)
settings.register_profile("fuzz", max_examples=20_000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def english() -> None:
    """A QApplication with the window's English (plural forms) for tests of its words."""
    from tests.helpers.qt import application

    application()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The counts of the reliability suite and the soak, for RELIABILITY.md."""
    target = os.environ.get("AGENT_TOOLBAR_RELIABILITY_JSON")
    if target:
        from tests.reliability.ledger import LEDGER

        LEDGER.merge_into(Path(target))
