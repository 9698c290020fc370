"""Toolbars with different settings files are different toolbars: a test or a benchmark
with its own settings folder starts beside the agent's running toolbar, while a second
start with the same settings is still refused. Real local sockets."""

import uuid
from pathlib import Path

import pytest

from agent_toolbar.ui.lifecycle.single_instance import claim

pytestmark = pytest.mark.asyncio


async def test_other_settings_run_beside_and_the_same_settings_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = f"test {uuid.uuid4()}"
    monkeypatch.setenv("AGENT_TOOLBAR_CONFIG_DIR", str(tmp_path / "agent"))
    running = claim(profile)
    assert running is not None
    monkeypatch.setenv("AGENT_TOOLBAR_CONFIG_DIR", str(tmp_path / "benchmark"))
    beside = claim(profile)
    try:
        assert beside is not None
        assert beside.server_name != running.server_name
        monkeypatch.setenv("AGENT_TOOLBAR_CONFIG_DIR", str(tmp_path / "agent"))
        assert claim(profile) is None
    finally:
        running.close()
        if beside is not None:
            beside.close()
