"""`agent-toolbar dial URI`: a clicked `tel:` or `callto:` link, handed to the toolbar.

The desktop entry (Linux) and the registry (Windows) run it for a link; the running
toolbar of the profile gets the number over its single-instance channel
(ui/lifecycle/single_instance.py), comes forward and asks the agent before dialing.
The channel is Qt's local socket (a socket file or a named pipe, as Qt names it on each
system) and needs no QApplication, so this client uses the same Qt code as the
toolbar rather than re-creating Qt's naming rules per system with a plain socket.
Where no toolbar runs, one is started as the desktop entry starts it, and given the
number once its channel answers (it listens before signing in, and keeps the number
until its window is up).
"""

import subprocess
import sys
import threading
import time
from typing import Any, TextIO

from agent_toolbar.cli.connection import OptionsError
from agent_toolbar.config import settings_file as config_file
from agent_toolbar.config.policy.sources import settings_in_force
from agent_toolbar.domain.dialing import NotANumber, from_link
from agent_toolbar.system.autostart import launch_command
from agent_toolbar.system.child_env import child_environment
from agent_toolbar.ui.lifecycle.single_instance import hand_over, instance_name

START_WAIT = 30.0
"""How long a toolbar started for the link may take until its channel answers."""
_POLL = 0.2


def run(link: str, profile: str | None, out: TextIO, err: TextIO) -> int:
    """0 handed over; 1 no toolbar took it; 2 not a number (raises OptionsError for an
    unknown profile)."""
    try:
        number = from_link(link)
    except NotANumber as error:
        print(f"agent-toolbar dial: {error}", file=err)
        return 2
    name = _instance(profile)
    if hand_over(name, number):
        return 0
    try:
        started = subprocess.Popen(
            launch_command(profile),
            env=child_environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **_detached(),
        )
    except OSError as error:
        print(f"agent-toolbar dial: could not start the toolbar: {error}", file=err)
        return 1
    # The toolbar runs on after this command: reaped if it ends meanwhile, never waited for.
    threading.Thread(target=started.wait, name="started toolbar", daemon=True).start()
    print(
        f"agent-toolbar dial: no toolbar ran for profile {name}; "
        f"started one (process {started.pid})",
        file=out,
    )
    deadline = time.monotonic() + START_WAIT
    while time.monotonic() < deadline:
        if hand_over(name, number):
            return 0
        ended = started.poll()
        if ended is not None:
            print(
                f"agent-toolbar dial: the toolbar ended (exit code {ended}) before it took "
                f"the number; {number} was not dialed",
                file=err,
            )
            return 1
        time.sleep(_POLL)
    print(
        f"agent-toolbar dial: the toolbar did not answer within {START_WAIT:.0f} s; "
        f"{number} was not dialed",
        file=err,
    )
    return 1


def _instance(profile: str | None) -> str:
    """The running toolbar's name, by the rule the toolbar claims it with."""
    path = config_file.config_path()
    config = settings_in_force(path).config  # a policy may name the default profile
    if profile is not None and profile not in config.profiles:
        known = ", ".join(sorted(config.profiles)) or "none yet"
        raise OptionsError(f'{path} has no profile "{profile}" (its profiles: {known})')
    return instance_name(profile, config.default_profile)


def _detached() -> dict[str, Any]:
    """Popen's options for a toolbar that outlives this command and its terminal."""
    if sys.platform == "win32":
        flags = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
        return {"creationflags": flags}
    return {"start_new_session": True}
