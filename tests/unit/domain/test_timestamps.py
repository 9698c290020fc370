import math

import pytest

from agent_toolbar.domain.timestamps import GREGORIAN_UNIX_OFFSET, to_unix
from tests.helpers.seed import GREGORIAN_NOW, UNIX_NOW


def test_gregorian_seconds_become_unix_seconds() -> None:
    assert to_unix(GREGORIAN_NOW) == UNIX_NOW
    assert to_unix(GREGORIAN_UNIX_OFFSET + 1.5) == 1.5


def test_unix_seconds_pass_through() -> None:
    assert to_unix(UNIX_NOW) == UNIX_NOW


@pytest.mark.parametrize(
    "value",
    [None, 0, -5, math.nan, math.inf, -math.inf, 30_000_000_000, GREGORIAN_UNIX_OFFSET * 2],
)
def test_absent_never_and_impossible_times_are_none(value: float | None) -> None:
    assert to_unix(value) is None
