"""The "Copy diagnostics" text, from a real log file."""

import platform
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest
from PySide6.QtCore import qVersion

from agent_toolbar import __version__
from agent_toolbar.backends.kazoo.wire import FACTS
from agent_toolbar.doctor.report import Findings, Report, render_text, wire_fix
from agent_toolbar.support.diagnostics import diagnostics
from agent_toolbar.support.redaction import MASK, keep_secret


def test_it_says_versions_platform_desktop_server_and_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    log_file = tmp_path / "agent-toolbar.log"
    log_file.write_text("2025-01-01 INFO agent_toolbar.session.core: online\n", "utf-8")
    text = diagnostics(
        backend="kazoo",
        api_url="https://pbx.example:8443/v2",
        connection="online",
        log_file=log_file,
        toolkit=f"Qt {qVersion()}, PySide6 {PySide6.__version__}",
    )
    assert text.splitlines()[:11] == [
        f"Agent toolbar {__version__}",
        f"Python {platform.python_version()} ({platform.python_implementation()})",
        f"Qt {qVersion()}, PySide6 {PySide6.__version__}",
        f"Platform: {platform.platform()}",
        "Desktop: KDE, session type wayland",
        "Backend: kazoo",
        "Server: https://pbx.example:8443",
        "Connection: online",
        f"Log file: {log_file}",
        "Connection check: none run",
        "--- the last 200 lines of the log ---",
    ]
    assert text.endswith("2025-01-01 INFO agent_toolbar.session.core: online\n")


def test_the_server_is_named_by_its_origin_only() -> None:
    text = diagnostics(
        backend="telphin",
        api_url="https://ada:hunter22@api.example/api/ver1.0/client/42?access_token=abc123",
        connection="stale",
        log_file=None,
    )
    assert "Server: https://api.example\n" in text
    for hidden in ("hunter22", "ada:", "ver1.0", "client/42", "abc123"):
        assert hidden not in text
    assert "Log file: none\n" in text


@pytest.mark.parametrize("api_url", ["pbx.example/v2", "not a url at all", "/v2"])
def test_a_server_that_is_no_url_says_so(api_url: str) -> None:
    text = diagnostics(backend="kazoo", api_url=api_url, connection=None, log_file=None)
    assert "Server: (not a URL)\n" in text


def test_nothing_known_yet_says_none() -> None:
    text = diagnostics(backend=None, api_url=None, connection=None, log_file=None)
    assert "Backend: none\nServer: none\nConnection: none\nLog file: none\n" in text


def test_the_latest_connection_check_comes_before_the_log(tmp_path: Path) -> None:
    log_file = tmp_path / "agent-toolbar.log"
    log_file.write_text("a log line\n", "utf-8")
    found = Findings(FACTS)
    found.differs("queue_key", "400", wire_fix("work", "queue_key", "queue_id"))
    check = render_text(Report("kazoo", "https://pbx.example:8443/v2", found.rows()))
    text = diagnostics(
        backend="kazoo",
        api_url=None,
        connection="online",
        log_file=log_file,
        connection_check=check,
    )
    before_log = text.split("--- the last 200 lines of the log ---\n", 1)[0]
    assert before_log.endswith(f"--- the latest connection check ---\n{check}")
    assert "Connection check: none run" not in text
    assert text.endswith("a log line\n")


def test_a_connection_check_is_redacted_too() -> None:
    keep_secret("check-secret-7")
    text = diagnostics(
        backend="kazoo",
        api_url=None,
        connection=None,
        log_file=None,
        connection_check="kazoo at https://pbx.example\n  signed in with check-secret-7\n",
    )
    assert "check-secret-7" not in text
    assert f"signed in with {MASK}" in text


def test_the_log_tail_is_the_last_lines_and_redacted(tmp_path: Path) -> None:
    keep_secret("diagnostics-secret-1")
    log_file = tmp_path / "agent-toolbar.log"
    lines = [f"line {number}" for number in range(300)]
    lines[250] = "signed in with diagnostics-secret-1"
    lines[260] = "sent {'Authorization': 'Bearer abcdefgh12345678'}"
    log_file.write_text("\n".join(lines) + "\n", "utf-8")
    text = diagnostics(
        backend="kazoo", api_url=None, connection="online", log_file=log_file, tail_lines=60
    )
    tail = text.split("--- the last 60 lines of the log ---\n", 1)[1].splitlines()
    assert len(tail) == 60
    assert tail[0] == "line 240"
    assert tail[-1] == "line 299"
    assert f"signed in with {MASK}" in tail
    assert "diagnostics-secret-1" not in text
    assert "abcdefgh12345678" not in text


def test_a_short_log_just_after_rotation_reaches_into_the_previous_file(tmp_path: Path) -> None:
    log_file = tmp_path / "agent-toolbar.log"
    (tmp_path / "agent-toolbar.log.1").write_text("older 1\nolder 2\n", "utf-8")
    log_file.write_text("newer 1\n", "utf-8")
    text = diagnostics(backend=None, api_url=None, connection=None, log_file=log_file, tail_lines=2)
    assert text.endswith("--- the last 2 lines of the log ---\nolder 2\nnewer 1\n")


def test_a_log_not_written_yet_says_so(tmp_path: Path) -> None:
    text = diagnostics(
        backend=None, api_url=None, connection=None, log_file=tmp_path / "agent-toolbar.log"
    )
    assert text.endswith("--- the last 200 lines of the log ---\n(no log written yet)\n")


def test_a_log_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    log_file = tmp_path / "agent-toolbar.log"
    log_file.mkdir()
    text = diagnostics(backend=None, api_url=None, connection=None, log_file=log_file)
    assert "(could not read agent-toolbar.log: " in text


def test_the_module_loads_without_qt() -> None:
    probe = (
        "import sys\n"
        "import agent_toolbar.support.diagnostics\n"
        "assert 'PySide6' not in sys.modules, 'Qt was imported'\n"
    )
    subprocess.run([sys.executable, "-c", probe], check=True)
