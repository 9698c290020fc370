"""Every program these tests start sees no developer's settings, keychain or log folder."""

from pathlib import Path

import pytest

from tests.network.day import PASSWORD


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_TOOLBAR_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("AGENT_TOOLBAR_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("AGENT_TOOLBAR_PASSWORD", PASSWORD)
