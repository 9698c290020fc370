"""The record of a quit that left the agent taking calls: kept privately, told once."""

import json
import os
import stat
from pathlib import Path

import pytest

from agent_toolbar.config.quit_record import LeftTakingCalls, QuitRecord, record_path
from agent_toolbar.config.resume_plans import plans_path


def test_a_record_is_told_once(tmp_path: Path) -> None:
    path = tmp_path / "state" / "quit-record.json"
    QuitRecord("work", "https://pbx.example", path).keep("log_out", "503 from the server", 1e9)
    record = QuitRecord("work", "https://pbx.example", path)
    assert record.take() == LeftTakingCalls(
        at=1e9, server="https://pbx.example", change="log_out", reason="503 from the server"
    )
    assert record.take() is None
    assert not path.exists()  # nothing left to keep


def test_profiles_keep_their_own_records(tmp_path: Path) -> None:
    path = tmp_path / "quit-record.json"
    QuitRecord("work", "https://a.example", path).keep("log_out", "down", 1.0)
    QuitRecord("home", "https://b.example", path).keep("away", "refused", 2.0)
    taken = QuitRecord("work", "https://a.example", path).take()
    assert taken is not None
    assert taken.server == "https://a.example"
    home = QuitRecord("home", "https://b.example", path).take()
    assert home is not None
    assert (home.change, home.reason) == ("away", "refused")


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_the_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "quit-record.json"
    QuitRecord("work", "https://pbx.example", path).keep("log_out", "down", 1.0)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "content",
    [
        b"not json",
        b"[1, 2]",
        b'{"work": "text"}',
        b'{"work": {"at": "soon", "server": "s", "change": "log_out", "reason": "r"}}',
        b'{"work": {"at": 1, "server": "s", "change": "explode", "reason": "r"}}',
        b'{"work": {"at": 1e999, "server": "s", "change": "log_out", "reason": "r"}}',
    ],
)
def test_a_broken_record_is_no_record_and_no_crash(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "quit-record.json"
    path.write_bytes(content)
    assert QuitRecord("work", "https://pbx.example", path).take() is None


def test_a_folder_in_its_place_is_logged_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "quit-record.json"
    path.mkdir()
    record = QuitRecord("work", "https://pbx.example", path)
    assert record.take() is None
    record.keep("log_out", "down", 1.0)  # cannot be written: said, not raised
    assert "could not keep the record of this quit" in caplog.text


def test_a_long_reason_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "quit-record.json"
    QuitRecord("work", "https://pbx.example", path).keep("log_out", "x" * 10_000, 1.0)
    assert len(json.loads(path.read_text())["work"]["reason"]) == 500


def test_the_record_lives_beside_the_timed_pauses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AGENT_TOOLBAR_CONFIG_DIR", str(tmp_path))
    assert record_path() == tmp_path / "quit-record.json"
    assert record_path().parent == plans_path().parent
