"""Where the toolbar keeps things, moved into the test's own folder."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings, the log and the keychain of this test only: the code under test, and
    every program it starts, sees no developer's config file, keychain or log folder."""
    monkeypatch.setenv("AGENT_TOOLBAR_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("AGENT_TOOLBAR_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
