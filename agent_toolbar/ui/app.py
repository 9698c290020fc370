"""Runs the window on qasync's event loop, and shuts down in order.

asyncio and Qt share one loop (on Python 3.11, asyncio.Runner with qasync's loop,
ui/event_loop.py). Closing the window only sets an event: the main coroutine then stops the
session and closes its connections, and returns, before Qt's loop ends.
"""

import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from dataclasses import replace
from importlib import resources
from typing import TYPE_CHECKING, Any

from msgspec.structs import replace as struct_replace
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from agent_toolbar.backends.base import Backend
from agent_toolbar.backends.factory import backend_for
from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.session.core import PlanStore, Session
from agent_toolbar.support import logs
from agent_toolbar.support.log import ui as log
from agent_toolbar.ui import i18n, qt_messages
from agent_toolbar.ui.event_loop import QtLoop
from agent_toolbar.ui.lifecycle.single_instance import LinkEvents

if TYPE_CHECKING:
    from agent_toolbar.simulator import Simulator
    from agent_toolbar.ui.desktop import Place

ORGANIZATION = "agent-toolbar"
APPLICATION = "Agent toolbar"
DESKTOP_FILE = "org.agenttoolbar.AgentToolbar"
"""The desktop entry's name without ".desktop": the app id of packages and of Wayland."""


def run(main: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Run `main` on Qt's event loop and return its exit code."""
    if not _has_display():
        print(
            "agent-toolbar: there is no display to show the window on (no DISPLAY or "
            "WAYLAND_DISPLAY); run it in a desktop session",
            file=sys.stderr,
        )
        return 1
    app = QApplication.instance() or QApplication(sys.argv)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    identify()
    if sys.platform == "darwin":
        # Only macOS hands links over as FileOpen events; an application-wide event
        # filter sees every event of every object, so it is not installed elsewhere.
        LinkEvents(app)
    # Closing the window must not stop the loop under the coroutine that is shutting down.
    QApplication.setQuitOnLastWindowClosed(False)
    restore = qt_messages.install()
    forget = logs.catch_uncaught()
    try:
        with asyncio.Runner(loop_factory=lambda: QtLoop(app)) as runner:
            return runner.run(main())
    finally:
        forget()
        restore()


def identify() -> None:
    """Give every window the app's icon, and name the desktop entry, so the desktop
    shows the window under the entry's name and icon (Wayland's app id, X11's hints)."""
    QApplication.setDesktopFileName(DESKTOP_FILE)
    # The package's resources are plain files, installed or frozen: Qt reads the SVG.
    icon = resources.files("agent_toolbar.resources") / "icons" / "agent-toolbar.svg"
    QApplication.setWindowIcon(QIcon(str(icon)))


def _has_display() -> bool:
    """On Linux, Qt aborts the process when it finds no display: say so before it does."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


async def toolbar(
    backend: Backend,
    plans: PlanStore | None = None,
    signed_in_with: tuple[Profile, Secrets] | None = None,
) -> int:
    """The window for a real server; 3 or 4 with one line when signing in fails.
    `signed_in_with` is the profile and secrets the backend was built from, for the
    window's connection check."""
    from agent_toolbar.backends.base import SignedOut, Unreachable

    session = Session(backend, plans=plans)
    try:
        await session.sign_in()
    except (SignedOut, Unreachable) as error:
        print(f"agent-toolbar: {error}", file=sys.stderr)
        await session.close()
        return 3 if isinstance(error, SignedOut) else 4
    from agent_toolbar.ui.desktop import Desktop

    place = replace(await _place_without_profile(), signed_in_with=signed_in_with)
    return await Desktop(session, place).run()


async def demo(scenario_path: str | None, backend: str = "kazoo") -> int:
    """The simulator on loopback and the window signed in to it: no account needed."""
    from agent_toolbar.simulator import Simulator, default_scenario, load_scenario

    scenario = load_scenario(scenario_path) if scenario_path else default_scenario()
    if backend == "telphin":
        # Telphin has no away: a queue that forced agents away would stop the demo silently.
        queues = tuple(
            struct_replace(queue, force_away_on_reject=False) for queue in scenario.queues
        )
        scenario = struct_replace(scenario, queues=queues)
    async with Simulator(scenario) as sim:
        # The demo's agent is the first who answers by hand: the others answer by themselves.
        manual = next(
            (agent.username for agent in scenario.agents if agent.answer == "manual"),
            scenario.agents[0].username,
        )
        user_id = next(each.user_id for each in sim.logins if each.username == manual)
        profile, secrets = _demo_profile(sim, manual, backend)
        session = Session(backend_for(profile, secrets))
        await session.sign_in()
        from agent_toolbar.simulator.demo_phone import DemoPhone
        from agent_toolbar.ui.desktop import Desktop

        phone = DemoPhone(sim.engine, user_id, sim.engine.agent(user_id).queues)
        log.info("demo: signed in as %s through %s", manual, backend)
        place = replace(
            await _place_without_profile(), demo=phone, signed_in_with=(profile, secrets)
        )
        return await Desktop(session, place).run()


async def _place_without_profile() -> "Place":
    """The command line's options or the demo: the settings in force (the settings file's
    under this computer's policy, what of it reads), and nothing saved (the settings then
    apply until the toolbar quits)."""
    from agent_toolbar.config import settings_file as config_file
    from agent_toolbar.config.keychain import Keychain
    from agent_toolbar.config.policy.sources import settings_in_force
    from agent_toolbar.ui.desktop import Place

    in_force = await asyncio.to_thread(settings_in_force, config_file.config_path())
    for problem in in_force.problems():
        log.warning("%s", problem)
    config = in_force.config
    i18n.install(config.preferences.language)
    return Place(
        config=config,
        profile_name=None,
        save=None,
        keychain=Keychain(),
        log_file=None,
        policy=in_force.policy,
    )


def _demo_profile(sim: "Simulator", username: str, backend: str) -> tuple[Profile, Secrets]:
    """The demo agent's sign-in, as a profile the one backend factory builds from (and
    the window's connection check examines)."""
    if backend == "telphin":
        user = next(each for each in sim.telphin_logins if each.username == username)
        profile = Profile(
            backend="telphin", api_url=sim.telphin_api_url, app_id=user.app_id, username=username
        )
        return profile, Secrets(password=user.password, app_secret=user.app_secret)
    login = next(each for each in sim.logins if each.username == username)
    profile = Profile(api_url=sim.api_url, account_name=login.account_name, username=login.username)
    return profile, Secrets(password=login.password)
