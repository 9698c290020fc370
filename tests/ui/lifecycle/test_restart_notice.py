"""The restart notice: a policy file changed while the toolbar runs, or an upgrade replaced
the program, and one calm notice offers a restart; Restart quits WITHOUT logging out (the
agent's status stays on the server) and starts the program again.

Real parts: policy files in a temporary folder watched by Qt's real file watcher and read
by the toolbar's reader, an `InstalledProgram` on a temporary file, the desktop signed in
to the simulator on loopback, widgets offscreen. Mocked: the starter of the new process
(a recorder of the command), since starting a second toolbar here would sign in for real
and outlive the test.
"""

import asyncio
import dataclasses
import os
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from msgspec.structs import replace
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from agent_toolbar.config.keychain import Keychain
from agent_toolbar.config.policy.model import Policy, policy_from
from agent_toolbar.config.policy.sources import linux_places, toml_sources
from agent_toolbar.config.settings import Config
from agent_toolbar.session.core import Session
from agent_toolbar.simulator import Simulator
from agent_toolbar.system.installed import InstalledProgram
from agent_toolbar.ui.desktop import Desktop, Place
from agent_toolbar.ui.lifecycle.restart_notice import Restarting, RestartNotice
from tests.helpers.kazoo import FAST, backend, sim
from tests.helpers.places import private_places
from tests.helpers.waiting import until
from tests.helpers.widgets import click

pytestmark = pytest.mark.asyncio
__all__ = ["private_places", "sim"]  # the fixtures this file uses

CHANGED = "Your organisation changed the toolbar's settings: restart it to apply them"
UPDATED = "The toolbar was updated: restart it to use the new version"
LOCKED = '[locked.preferences]\nquit_while_ready = "{value}"\n'


class Starts:
    """What the desktop asked to start: (program, arguments, folder) each time."""

    def __init__(self) -> None:
        self.made: list[tuple[str, list[str], str]] = []

    def __call__(self, program: str, arguments: Sequence[str], folder: str) -> bool:
        self.made.append((program, list(arguments), folder))
        return True


def places(tmp_path: Path) -> list[Path]:
    """The Linux places, the system file and $XDG_CONFIG_DIRS moved into `tmp_path`."""
    environ = {"XDG_CONFIG_DIRS": str(tmp_path / "xdg")}
    return linux_places(environ, system_file=tmp_path / "etc" / "agent-toolbar" / "policy.toml")


def watching(tmp_path: Path, program: InstalledProgram | None = None) -> Restarting:
    files = places(tmp_path)
    return Restarting(
        policy_files=files,
        read_policy=lambda: policy_from(toml_sources(files)),
        program=program,
        poll_seconds=0.05,
        settle_seconds=0.1,
    )


@asynccontextmanager
async def notice_for(
    qtbot: QtBot, restarting: Restarting, started_with: Policy | None = None
) -> AsyncIterator[RestartNotice]:
    """The notice of a toolbar that started with `started_with` (default: the policy now)."""
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    policy = started_with if started_with is not None else restarting.read_policy()
    notice = RestartNotice(window, restarting, policy)
    notice.start()
    try:
        yield notice
    finally:
        await notice.stop()


def said(notice: RestartNotice) -> str:
    return notice.box.text() if notice.box is not None and notice.box.isVisible() else ""


async def test_a_changed_policy_file_brings_the_notice(qtbot: QtBot, tmp_path: Path) -> None:
    system_file = places(tmp_path)[0]
    system_file.parent.mkdir(parents=True)
    system_file.write_text(LOCKED.format(value="stay"))
    async with notice_for(qtbot, watching(tmp_path)) as notice:
        # Written again with the same values (a package upgrade keeping it): no notice.
        system_file.write_text(LOCKED.format(value="stay"))
        await asyncio.sleep(0.6)
        assert notice.box is None
        system_file.write_text(LOCKED.format(value="log_out"))
        await until(lambda: said(notice) == CHANGED)
        assert notice.restart_button is not None
        assert "stays on the server" in notice.restart_button.toolTip()


async def test_a_policy_file_created_in_a_new_folder_is_seen(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "xdg").mkdir()
    async with notice_for(qtbot, watching(tmp_path)) as notice:
        xdg_file = places(tmp_path)[1]
        xdg_file.parent.mkdir()
        xdg_file.write_text(LOCKED.format(value="away"))
        await until(lambda: said(notice) == CHANGED)


async def test_a_replaced_program_brings_the_notice(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "agent-toolbar"
    path.write_bytes(b"version 1")
    async with notice_for(qtbot, watching(tmp_path, InstalledProgram(path))) as notice:
        await asyncio.sleep(0.2)
        assert notice.box is None
        new = tmp_path / "agent-toolbar.dpkg-new"
        new.write_bytes(b"version 2")
        os.replace(new, path)  # as dpkg upgrades it
        await until(lambda: said(notice) == UPDATED)


def server_status(sim: Simulator, username: str) -> str:
    me = next(each.user_id for each in sim.logins if each.username == username)
    return sim.engine.agent(me).status


async def test_restart_quits_without_logging_out_and_starts_the_program_again(
    sim: Simulator, tmp_path: Path
) -> None:
    path = tmp_path / "agent-toolbar"
    path.write_bytes(b"version 1")
    starts = Starts()
    restarting = replace_starter(watching(tmp_path, InstalledProgram(path)), starts)
    session = Session(backend(sim), FAST)
    await session.sign_in()
    # Quitting while Ready would log out first: a restart must not.
    config = Config(preferences=replace(Config().preferences, quit_while_ready="log_out"))
    place = Place(config=config, profile_name=None, save=None, keychain=Keychain(), log_file=None)
    desktop = Desktop(session, place, restarting)
    running = asyncio.create_task(desktop.run())
    await until(desktop.window.isVisible)
    desktop.actions.login.trigger()
    await until(lambda: server_status(sim, "ada") != "logged_out")
    await until(desktop.actions.ready.isEnabled)
    desktop.actions.ready.trigger()
    await until(lambda: server_status(sim, "ada") == "ready")
    path.write_bytes(b"version 2, rewritten in place")
    await until(lambda: said(desktop.restart_notice) == UPDATED)
    button = desktop.restart_notice.restart_button
    assert button is not None
    click(button)
    assert await asyncio.wait_for(running, 10) == 0
    assert server_status(sim, "ada") == "ready"
    assert starts.made == [(sys.executable, sys.orig_argv[1:], os.getcwd())]


def replace_starter(restarting: Restarting, starts: Starts) -> Restarting:
    return dataclasses.replace(restarting, starter=starts)


async def test_without_policy_files_or_polling_nothing_is_read(qtbot: QtBot) -> None:
    reads: list[Policy] = []

    def read() -> Policy:
        reads.append(Policy())
        return reads[-1]

    restarting = Restarting(policy_files=[], read_policy=read, program=None, poll_seconds=0.05)
    async with notice_for(qtbot, restarting, Policy()) as notice:
        await asyncio.sleep(0.3)
        assert notice.box is None
        assert reads == []


async def test_a_policy_that_cannot_be_watched_is_read_again_at_each_poll(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Windows' registry: here a policy file read by the same reader stands in for it
    (winreg cannot run here), with no file watched, only polled."""
    system_file = places(tmp_path)[0]
    system_file.parent.mkdir(parents=True)
    system_file.write_text(LOCKED.format(value="stay"))
    restarting = dataclasses.replace(watching(tmp_path), policy_files=[], poll_policy=True)
    restarting = dataclasses.replace(
        restarting, read_policy=lambda: policy_from(toml_sources([system_file]))
    )
    async with notice_for(qtbot, restarting) as notice:
        await asyncio.sleep(0.3)
        assert notice.box is None
        system_file.write_text(LOCKED.format(value="log_out"))
        await until(lambda: said(notice) == CHANGED)
