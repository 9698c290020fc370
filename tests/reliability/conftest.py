"""The reliability suite writes its ledger where `$AGENT_TOOLBAR_RELIABILITY_JSON` says."""

import os
from pathlib import Path

import pytest

from tests.reliability.ledger import LEDGER


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    target = os.environ.get("AGENT_TOOLBAR_RELIABILITY_JSON")
    if target:
        LEDGER.merge_into(Path(target))
