"""The demo signs in through the one backend factory, from a profile like any other: so
the window's connection check can examine the demo's server too."""

import pytest

from agent_toolbar.backends.factory import backend_for
from agent_toolbar.session.core import Session
from agent_toolbar.session.profile_checks import check_profile
from agent_toolbar.simulator import Simulator
from agent_toolbar.ui.app import _demo_profile
from tests.helpers.kazoo import scenario

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("backend", ["kazoo", "telphin"])
async def test_the_demo_agent_is_a_profile_that_signs_in(backend: str) -> None:
    async with Simulator(scenario()) as sim:
        profile, secrets = _demo_profile(sim, "ada", backend)
        assert profile.backend == backend
        assert check_profile(profile, secrets) is None
        session = Session(backend_for(profile, secrets))
        try:
            await session.sign_in()
        finally:
            await session.close()
