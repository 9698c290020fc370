"""Screen pop on the desktop: the profile's CRM opened once for each call.

URLs go through QDesktopServices.openUrl, so a handler registered with
`QDesktopServices.setUrlHandler` (a test's) receives them on the path agents use.
Commands run without a shell, in the environment children get (no secrets). A template
that cannot be used, or an opening that fails, is told once, never raised.
"""

import shutil
import subprocess
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices

from agent_toolbar.config.history import HistoryRow
from agent_toolbar.config.settings import Profile
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.history import server_id
from agent_toolbar.domain.screen_pop import (
    PopCall,
    TemplateError,
    check,
    showing,
    target,
    to_pop,
)
from agent_toolbar.support.log import ui as log
from agent_toolbar.system.child_env import child_environment


def command_exists(program: str) -> bool:
    return shutil.which(program) is not None


def open_call(template: str, call: PopCall) -> str | None:
    """Open `template` for `call`; returns why it was not opened, None when it was."""
    try:
        check(template, command_exists)
    except TemplateError as error:
        return str(error)
    opened = target(template, call)
    if opened.url is not None:
        if not QDesktopServices.openUrl(QUrl(opened.url, QUrl.ParsingMode.StrictMode)):
            return "no program opened the address"
        return None
    try:
        child = subprocess.Popen(
            opened.command,
            env=child_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        return error.strerror or str(error)
    # The CRM's client may run for hours: it is reaped when it ends, never waited for here.
    threading.Thread(target=child.wait, name="screen-pop child", daemon=True).start()
    return None


class ScreenPop(QObject):
    """Follows the states a session shows and opens each call once, as the profile says."""

    def __init__(self, profile: Profile | None, tell: Callable[[str], None]) -> None:
        super().__init__()
        self.profile = profile
        self._tell = tell
        self._before: AgentState | None = None
        self._popped: set[str] = set()

    def follow(self, state: AgentState) -> None:
        before, self._before = self._before, state
        profile = self.profile
        if profile is None or not profile.screen_pop:
            return
        call = to_pop(before, state, profile.screen_pop_on, self._popped)
        if call is None:
            return
        if call.session_id is not None:
            self._popped.add(call.session_id)
        self.open(call)

    @property
    def available(self) -> bool:
        return self.profile is not None and bool(self.profile.screen_pop)

    def open_current(self) -> None:
        """ "Open in CRM": the ringing or answered call, again if the agent asks."""
        call = showing(self._before) if self._before is not None else None
        if call is not None:
            self.open(call)

    def open_past(self, row: HistoryRow) -> None:
        """ "Open in CRM" on a call of the history: its values as the history kept them."""
        known_id = server_id(row.key)
        external = row.kind == "external"
        call = PopCall(
            session_id=None if external else known_id,
            queue_id=row.queue_id,
            queue_name=row.queue_name,
            caller_id_name=row.caller_name,
            caller_id_number=row.caller_number,
            agent=self._before.recipient_id if self._before is not None else "",
            call_id=known_id if external else None,
        )
        self.open(call)

    def open(self, call: PopCall) -> None:
        """Open the CRM for `call` now (also "Open in CRM"); a failure is told once."""
        profile = self.profile
        if profile is None or not profile.screen_pop:
            return
        problem = open_call(profile.screen_pop, call)
        if problem is not None:
            log.warning("the screen pop was not opened: %s", problem)
            self._tell(self.tr("The CRM was not opened: {reason}").format(reason=problem))
