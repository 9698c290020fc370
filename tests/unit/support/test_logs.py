"""The log: real files in a temporary directory, real handlers on the root logger."""

import errno
import logging
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

from agent_toolbar.support import logs
from agent_toolbar.support.redaction import MASK, keep_secret

log = logging.getLogger("agent_toolbar.test_logs")


@pytest.fixture(autouse=True)
def closed() -> Iterator[None]:
    yield
    logs.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_log_directory_is_the_users_unless_overridden(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(logs.DIRECTORY_VARIABLE, raising=False)
    assert logs.log_directory() == platformdirs.user_log_path("agent-toolbar", appauthor=False)
    monkeypatch.setenv(logs.DIRECTORY_VARIABLE, str(tmp_path / "elsewhere"))
    assert logs.log_directory() == tmp_path / "elsewhere"


def test_lines_go_to_a_private_file_in_a_private_directory(tmp_path: Path) -> None:
    path = logs.configure("info", directory=tmp_path / "log", console=False)
    assert path == tmp_path / "log" / "agent-toolbar.log"
    log.info("signed in as %s", "ada")
    log.debug("not at info")
    text = path.read_text("utf-8")
    assert "INFO agent_toolbar.test_logs: signed in as ada\n" in text
    assert "not at info" not in text
    if os.name == "posix":
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700


def test_an_existing_log_readable_by_others_is_made_private(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    old = tmp_path / "agent-toolbar.log"
    old.write_text("an older line\n", "utf-8")
    old.chmod(0o644)
    logs.configure("info", directory=tmp_path, console=False)
    log.info("appended")
    assert old.read_text("utf-8").startswith("an older line\n")
    assert mode(old) == 0o600


def test_messages_exceptions_and_tracebacks_are_redacted_in_file_and_console(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keep_secret("kept-secret-for-logs")
    path = logs.configure("debug", directory=tmp_path, console=True)
    assert path is not None
    log.info("sign-in with %s", "kept-secret-for-logs")
    log.debug("headers {'Authorization': 'Bearer abcdefgh12345678'}")
    try:
        raise RuntimeError("the server refused kept-secret-for-logs")
    except RuntimeError:
        log.exception("a request failed with password=hunter22")
    for text in (path.read_text("utf-8"), capsys.readouterr().err):
        assert "kept-secret-for-logs" not in text
        assert "abcdefgh12345678" not in text
        assert "hunter22" not in text
        assert "Traceback (most recent call last)" in text
        assert f"RuntimeError: the server refused {MASK}" in text
        assert f"sign-in with {MASK}" in text


def test_the_console_keeps_the_command_lines_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert logs.configure("warning", directory=None, console=True) is None
    log.warning("the server is slow")
    log.info("not at warning")
    assert (
        capsys.readouterr().err
        == "agent-toolbar agent_toolbar.test_logs: WARNING: the server is slow\n"
    )


def test_configuring_again_replaces_the_handlers(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    logs.configure("info", directory=tmp_path, console=True)
    path = logs.configure("info", directory=tmp_path, console=False)
    assert path is not None
    assert len(root.handlers) == len(before) + 1
    log.info("once")
    assert path.read_text("utf-8").count("once") == 1
    logs.close()
    assert root.handlers == before


def test_the_level_changes_at_run_time(tmp_path: Path) -> None:
    path = logs.configure("warning", directory=tmp_path, console=False)
    assert path is not None
    log.info("before: hidden")
    logs.set_level("debug")
    log.debug("after: shown")
    text = path.read_text("utf-8")
    assert "before: hidden" not in text
    assert "after: shown" in text


@pytest.mark.parametrize(
    ("level", "library"),
    [("debug", logging.DEBUG), ("info", logging.WARNING), ("error", logging.ERROR)],
)
def test_aiohttp_and_asyncio_say_only_warnings_unless_debugging(
    tmp_path: Path, level: str, library: int
) -> None:
    logs.configure(level, directory=tmp_path, console=False)
    for name in ("aiohttp.client", "asyncio"):
        assert logging.getLogger(name).getEffectiveLevel() == library


def test_close_puts_the_levels_back(tmp_path: Path) -> None:
    names = ("", "aiohttp", "asyncio")
    before = [logging.getLogger(name).level for name in names]
    logs.configure("debug", directory=tmp_path, console=False)
    logs.set_level("info")
    logs.close()
    assert [logging.getLogger(name).level for name in names] == before


def test_an_unknown_level_is_refused_in_plain_words() -> None:
    with pytest.raises(ValueError, match="unknown log level 'loud': use debug, info, warning"):
        logs.configure("loud", directory=None, console=False)
    with pytest.raises(ValueError, match="unknown log level"):
        logs.set_level("verbose")


def test_a_directory_that_cannot_be_made_is_a_warning_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", "utf-8")
    assert logs.configure("info", directory=blocker / "log", console=True) is None
    err = capsys.readouterr().err
    assert f"WARNING: cannot write the log in {blocker / 'log'}: " in err
    assert "Traceback" not in err


def test_the_files_rotate_and_stay_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.configure("info", directory=tmp_path, console=False)
    assert path is not None
    for number in range(400):
        log.info("line %d of a long day", number)
    files = sorted(tmp_path.iterdir())
    assert [each.name for each in files] == [
        "agent-toolbar.log",
        *(f"agent-toolbar.log.{n}" for n in range(1, logs.BACKUP_COUNT + 1)),
    ]
    assert all(each.stat().st_size <= 2_000 for each in files)
    assert path.read_text("utf-8").rstrip().endswith("line 399 of a long day")
    if os.name == "posix":
        assert {mode(each) for each in files} == {0o600}


def test_command_line_tools_mask_secrets_on_the_console(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from agent_toolbar.cli import main as cli

    def chatty(args: object) -> int:
        logging.getLogger("agent_toolbar.test").warning("Authorization: Bearer abcdefgh12345678")
        return 0

    monkeypatch.setattr(cli, "_run_replay", chatty)
    assert cli.main(["replay", "-"]) == 0
    err = capsys.readouterr().err
    assert "Bearer «redacted»" in err
    assert "abcdefgh12345678" not in err


def test_an_uncaught_exception_goes_to_the_log_masked_and_the_hook_comes_back(
    tmp_path: Path,
) -> None:
    secret = "uncaught-secret-4242"
    keep_secret(secret)
    path = logs.configure("warning", directory=tmp_path, console=False)
    assert path is not None
    before = sys.excepthook
    forget = logs.catch_uncaught()
    try:
        try:
            raise RuntimeError(f"a slot failed with {secret}")
        except RuntimeError as error:
            sys.excepthook(type(error), error, error.__traceback__)
    finally:
        forget()
        logs.close()
    assert sys.excepthook is before
    text = path.read_text()
    assert "an unexpected error, the toolbar goes on" in text
    assert "Traceback" in text
    assert f"a slot failed with {MASK}" in text
    assert secret not in text


class _FullDisk:
    """A log file's stream on a full disk: every write fails, as on a real one."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def tell(self) -> int:
        return 0

    def close(self) -> None:
        pass


def test_a_log_file_on_a_full_disk_says_so_once_without_the_lines_arguments(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """logging's own report of a failed line prints its raw arguments: a password among them."""
    secret = "full-disk-secret-7731"
    keep_secret(secret)
    path = logs.configure("debug", directory=tmp_path, console=False)
    (handler,) = [
        each
        for each in logging.getLogger().handlers
        if isinstance(each, logging.FileHandler) and each.baseFilename == str(path)
    ]
    handler.stream.close()
    handler.stream = _FullDisk()  # type: ignore[assignment]
    log.debug("signing in with %s", secret)
    log.info("and again with %s", secret)
    err = capsys.readouterr().err
    assert secret not in err
    assert err == (
        f"agent-toolbar: the log could not be written to {path} (No space left on device); "
        "further failures of it are not reported\n"
    )
