"""The toolbar notices when an upgrade replaced the program it runs from, the ways the
installers do it: dpkg renames a new file over the old one, others rewrite it in place."""

import os
import sys
from pathlib import Path

import pytest

import agent_toolbar
from agent_toolbar.system.installed import InstalledProgram, program_file


def program(tmp_path: Path) -> Path:
    path = tmp_path / "agent-toolbar"
    path.write_bytes(b"version 1")
    return path


def test_an_untouched_program_has_not_changed(tmp_path: Path) -> None:
    path = program(tmp_path)
    installed = InstalledProgram(path)
    assert path.read_bytes() == b"version 1"  # reading it (running it) is no change
    (tmp_path / "agent-toolbar.log").write_text("a file beside it is none either")
    assert not installed.changed()


def test_a_new_file_renamed_over_it_is_a_change_even_with_the_same_bytes(
    tmp_path: Path,
) -> None:
    """As dpkg does: unpack beside it, then rename over it (a new inode)."""
    path = program(tmp_path)
    installed = InstalledProgram(path)
    new = tmp_path / "agent-toolbar.dpkg-new"
    new.write_bytes(b"version 1")
    os.utime(new, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns))
    os.replace(new, path)
    assert installed.changed()


def test_a_file_rewritten_in_place_is_a_change(tmp_path: Path) -> None:
    path = program(tmp_path)
    installed = InstalledProgram(path)
    path.write_bytes(b"version 2, longer")
    assert installed.changed()


def test_while_it_is_missing_there_is_nothing_to_restart_into(tmp_path: Path) -> None:
    path = program(tmp_path)
    installed = InstalledProgram(path)
    path.unlink()
    assert not installed.changed()
    path.write_bytes(b"version 2")
    assert installed.changed()


def test_a_program_missing_at_start_never_counts_as_changed(tmp_path: Path) -> None:
    path = tmp_path / "not-there"
    installed = InstalledProgram(path)
    path.write_bytes(b"appeared later")
    assert not installed.changed()


def test_the_frozen_app_watches_its_executable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    executable = program(tmp_path)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(executable))
    assert program_file() == executable
    assert InstalledProgram().path == executable


def test_from_a_wheel_it_watches_the_packages_own_module() -> None:
    assert not getattr(sys, "frozen", False)
    assert program_file() == Path(agent_toolbar.__file__)
    assert program_file().is_file()
    assert not InstalledProgram().changed()
