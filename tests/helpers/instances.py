"""Single-instance claims made by a test: unique profiles, closed after the test."""

import uuid
from collections.abc import Iterator

import pytest

from agent_toolbar.ui.lifecycle.single_instance import SingleInstance, claim


@pytest.fixture
def claims() -> Iterator[list[SingleInstance]]:
    """Claims made by a test, closed after it so no socket file stays behind."""
    made: list[SingleInstance] = []
    yield made
    for each in made:
        each.close()


def profile() -> str:
    """A profile no other test (or helper running tests at the same time) uses."""
    return f"test {uuid.uuid4()}"


def first_claim(name: str, claims: list[SingleInstance]) -> SingleInstance:
    running = claim(name)
    assert running is not None
    claims.append(running)
    return running
