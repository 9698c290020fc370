"""The effective view, as `agent-toolbar policy` prints it and "Copy diagnostics" holds it."""

from pathlib import Path

import pytest

from agent_toolbar.config.policy.report import in_force_lines
from agent_toolbar.support.diagnostics import diagnostics


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A policy in a temporary XDG config directory, and the user's file beside it."""
    policy = tmp_path / "xdg" / "agent-toolbar" / "policy.toml"
    policy.parent.mkdir(parents=True)
    policy.write_text(
        '[locked.preferences]\nlog_level = "warning"\n'
        '[defaults.preferences]\nhistory_days = "many"\n'
    )
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(
        '[profiles.crm]\napi_url = "https://pbx.example/v2"\n'
        'screen_pop = "https://crm.example/?access_token=abc123&n={caller_id_number}"\n'
    )
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "xdg"))
    monkeypatch.setenv("AGENT_TOOLBAR_CONFIG_DIR", str(tmp_path / "config"))
    return policy


def test_each_key_says_its_value_and_source_then_the_problems(places: Path) -> None:
    lines = in_force_lines()
    own = places.parent.parent.parent / "config" / "config.toml"
    assert (
        f'preferences.log_level = "warning"  (locked by policy ({places}: '
        "locked.preferences.log_level))"
    ) in lines
    assert "preferences.history_days = 30  (built-in)" in lines
    assert f'profiles.crm.api_url = "https://pbx.example/v2"  (your settings ({own}))' in lines
    assert lines[-1].startswith(f"problem: {places}: defaults.preferences.history_days: ")
    assert not any("abc123" in line for line in lines)


def test_copy_diagnostics_holds_the_settings_in_force(places: Path) -> None:
    text = diagnostics(
        backend=None, api_url=None, connection=None, log_file=None, settings=in_force_lines()
    )
    assert "\n--- the settings in force, and where each came from ---\n" in text
    assert f"locked by policy ({places}: locked.preferences.log_level)" in text
