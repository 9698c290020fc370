"""Telling the agent when the running toolbar is no longer what a start would give: the
organisation changed its policy, or an upgrade replaced the program.

Either way the toolbar keeps running as it started; one calm, non-modal notice offers a
restart, and the agent chooses when. The policy files' folders are watched (Linux, and
macOS's managed preferences); the registry (Windows), which has no such watch here, is
read again once a minute, as the program is looked at (`InstalledProgram`: one `stat`).

A restart keeps the agent's status on the server ON PURPOSE: it quits without logging
out or asking (see `QuitGuard.approve_restart`), and the new process signs in again at
once and takes over what the server says, so no call is lost to an empty seat.
"""

import asyncio
import getpass
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QProcess, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from agent_toolbar.config.policy.layers import Layers
from agent_toolbar.config.policy.model import Policy
from agent_toolbar.config.policy.sources import (
    BUNDLE_ID,
    MANAGED_PREFERENCES,
    linux_places,
    read_policy,
)
from agent_toolbar.support.log import ui as log
from agent_toolbar.system.installed import InstalledProgram
from agent_toolbar.ui.operations import Operations

Starter = Callable[[str, Sequence[str], str], bool]
"""Starts a program on its own (program, arguments, working folder); whether it started."""

POLICY_CHANGED = "policy"
UPDATED = "updated"


def start_detached(program: str, arguments: Sequence[str], folder: str) -> bool:
    """Qt's detached start: the new process outlives this one."""
    started, _pid = QProcess.startDetached(program, list(arguments), folder)
    return bool(started)


def restart_command() -> tuple[str, list[str]]:
    """The program and arguments this process was started with: the frozen executable and
    its arguments, else the interpreter and its whole command line (`-m agent_toolbar`,
    or the entry point's script)."""
    if getattr(sys, "frozen", False):
        return sys.executable, sys.argv[1:]
    return sys.executable, sys.orig_argv[1:]


def policy_files(environ: Mapping[str, str] = os.environ) -> list[Path]:
    """The policy files this platform lets the toolbar watch; none on Windows, whose
    registry is polled instead."""
    if sys.platform == "win32":
        return []
    if sys.platform == "darwin":
        name = f"{BUNDLE_ID}.plist"
        return [MANAGED_PREFERENCES / name, MANAGED_PREFERENCES / getpass.getuser() / name]
    return linux_places(environ)


@dataclass(frozen=True)
class Restarting:
    """What the notice watches, and how a restart starts the program again; tests hand in
    temporary files and a starter of their own."""

    policy_files: Sequence[Path]
    read_policy: Callable[[], Policy]
    """Reads the policy now (blocking: it runs in a thread)."""
    program: InstalledProgram | None
    starter: Starter = start_detached
    poll_seconds: float = 60.0
    settle_seconds: float = 0.5
    """How long after a change of the files to read them: an editor writes in steps."""
    poll_policy: bool = False
    """Read the policy again at every poll: where its place cannot be watched (Windows)."""


def here() -> Restarting:
    """This computer's policy files and installed program."""
    return Restarting(
        policy_files(), read_policy, InstalledProgram(), poll_policy=sys.platform == "win32"
    )


class RestartNotice(QObject):
    """Signals:
    restart_requested(): the agent chose Restart: quit without logging out, then `restart`.
    """

    restart_requested = Signal()

    def __init__(self, window: QWidget, restarting: Restarting, started_with: Policy) -> None:
        """`started_with`: the policy the toolbar applied at its start."""
        super().__init__(window)
        self._window = window
        self._restarting = restarting
        self._at_start: Layers | None = None
        """What the policy set when the toolbar started (None: not followed)."""
        self._started_with = started_with
        self._told_policy: Layers | None = None
        self._reasons: dict[str, str] = {}
        self.box: QMessageBox | None = None
        self.restart_button: QAbstractButton | None = None
        self._reading = Operations("reading the policy again failed")
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._touched)
        self._watcher.fileChanged.connect(self._touched)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(round(restarting.settle_seconds * 1000))
        self._settle.timeout.connect(self._read_again)
        self._poll = QTimer(self)
        self._poll.setInterval(round(restarting.poll_seconds * 1000))
        self._poll.timeout.connect(self._look_again)
        self._program_told = False

    def start(self) -> None:
        """Watch for changes of the policy the toolbar started with, and of the program."""
        restarting = self._restarting
        if restarting.policy_files or restarting.poll_policy:
            self._at_start = self._started_with.layers()
            self._watch()
        if restarting.program is not None or restarting.poll_policy:
            self._poll.start()

    async def stop(self) -> None:
        self._poll.stop()
        self._settle.stop()
        watched = self._watcher.files() + self._watcher.directories()
        if watched:
            self._watcher.removePaths(watched)
        await self._reading.close()
        if self.box is not None:
            self.box.close()

    def restart(self) -> None:
        """Start the program again as this process was started: call it once this process
        no longer holds its single-instance name, or the new one just raises this window."""
        program, arguments = restart_command()
        if self._restarting.starter(program, arguments, os.getcwd()):
            log.info("restarting: started %s again", program)
        else:
            log.error("restarting: %s could not be started; start the toolbar again", program)

    # --- the policy ---------------------------------------------------------

    def _watch(self) -> None:
        """Each policy file that exists, and the folder it is (or would be) in, or that
        folder's parent while the folder does not exist: a file created, replaced (an
        editor, a package upgrade) or removed is seen."""
        wanted: set[str] = set()
        for path in self._restarting.policy_files:
            if path.is_file():
                wanted.add(str(path))
            folder = next(
                (each for each in (path.parent, path.parent.parent) if each.is_dir()), None
            )
            if folder is not None:
                wanted.add(str(folder))
        watched = set(self._watcher.files()) | set(self._watcher.directories())
        new = sorted(wanted - watched)
        if new:
            self._watcher.addPaths(new)

    def _touched(self, _path: str) -> None:
        self._settle.start()

    def _read_again(self) -> None:
        if self._at_start is not None:
            self._reading.run(asyncio.to_thread(self._restarting.read_policy), success=self._read)

    def _read(self, policy: Policy) -> None:
        self._watch()
        now = policy.layers()
        if now in (self._at_start, self._told_policy):
            return
        self._told_policy = now
        log.info("the policy changed since the toolbar started: offering a restart")
        self._tell(
            POLICY_CHANGED,
            self.tr("Your organisation changed the toolbar's settings: restart it to apply them"),
        )

    # --- the program --------------------------------------------------------

    def _look_again(self) -> None:
        if self._restarting.poll_policy:
            self._read_again()
        program = self._restarting.program
        if program is not None and not self._program_told and program.changed():
            self._program_told = True
            log.info("the program was replaced (an upgrade): offering a restart")
            self._tell(
                UPDATED, self.tr("The toolbar was updated: restart it to use the new version")
            )

    # --- the notice ---------------------------------------------------------

    def _tell(self, reason: str, words: str) -> None:
        """One notice for every reason: a new one joins the box if it is open."""
        self._reasons[reason] = words
        if self.box is None:
            self.box = self._notice()
        self.box.setText("\n".join(self._reasons.values()))
        self.box.show()

    def _notice(self) -> QMessageBox:
        box = QMessageBox(self._window)
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Restart the toolbar"))
        restart = box.addButton(self.tr("Restart"), QMessageBox.ButtonRole.AcceptRole)
        restart.setToolTip(
            self.tr(
                "Your status stays on the server as it is: the toolbar does not log you out, "
                "and signs in again at once."
            )
        )
        later = box.addButton(self.tr("Later"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(later)
        box.setEscapeButton(later)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.finished.connect(lambda _result: self._closed(box, box.clickedButton() is restart))
        self.restart_button = restart
        return box

    def _closed(self, box: QMessageBox, restart: bool) -> None:
        if self.box is box:
            self.box = None
            self._reasons.clear()
        box.deleteLater()
        if restart:
            self.restart_requested.emit()
