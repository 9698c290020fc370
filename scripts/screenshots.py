"""Screenshots of the real window for docs/, in English and in Russian (`-ru`): idle
ready, ringing, on a call, wrap-up, away after a missed call, an away reason not
confirmed after a reconnect, every queue paused, reconnecting; and the strip alone
(`strip-*`) while ringing, paused and reconnecting.

Run it on an X display (`make screenshots` starts Xvfb): the window is shown for
real and each picture is grabbed from the screen. The scenario has no random
callers, so every run shows the same situations.
"""

import asyncio
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

from agent_toolbar.backends.kazoo.auth import Credentials
from agent_toolbar.backends.kazoo.backend import KazooBackend, KazooSettings
from agent_toolbar.config.settings import Language
from agent_toolbar.domain import AgentState
from agent_toolbar.domain.commands import Away, Login, Pause, Ready, Resume
from agent_toolbar.session.core import Session, SessionSettings
from agent_toolbar.simulator import AgentConfig, QueueConfig, Scenario, Settings, Simulator
from agent_toolbar.simulator.demo_phone import DemoPhone
from agent_toolbar.ui import app, i18n
from agent_toolbar.ui.actions import ToolbarActions
from agent_toolbar.ui.presenter import Presenter
from agent_toolbar.ui.toolbar.window import ToolbarWindow

OUT = Path(__file__).parents[1] / "docs" / "screenshots"
SCENARIO = Scenario(
    simulator=Settings(seed=11, sync_interval=3600),
    queues=(
        QueueConfig(name="Sales", ring_timeout=30, wrapup_time=40, force_away_on_reject=True),
        QueueConfig(name="Support", ring_timeout=30, wrapup_time=15),
    ),
    agents=(
        AgentConfig(
            username="agent", password="demo", display_name="Ada Agent", queues=("Sales", "Support")
        ),
        AgentConfig(username="grace", password="hopper", queues=("Sales", "Support"), start="away"),
    ),
)


STRIPS = ("ringing-offer", "all-paused", "reconnecting")
"""The states whose strip is also shot alone: the strip must say it all by itself."""


@dataclass
class Stage:
    sim: Simulator
    session: Session
    window: ToolbarWindow
    suffix: str

    async def until(self, wanted: Callable[[AgentState], bool]) -> None:
        async with asyncio.timeout(30):
            while self.session.state is None or not wanted(self.session.state):
                await asyncio.sleep(0.05)

    async def shot(self, name: str, after: float = 1.0) -> None:
        await asyncio.sleep(
            after
        )  # let Qt paint in its own turns: never process events re-entrantly
        frame = self.window.frameGeometry()
        picture = self.window.screen().grabWindow(
            0, frame.x(), frame.y(), frame.width(), frame.height()
        )
        picture.save(str(OUT / f"{name}{self.suffix}.png"))
        print(f"docs/screenshots/{name}{self.suffix}.png")
        if name in STRIPS:
            strip = self.window.strip.grab()
            strip.save(str(OUT / f"strip-{name}{self.suffix}.png"))
            print(f"docs/screenshots/strip-{name}{self.suffix}.png")


async def idle(stage: Stage) -> None:
    await stage.session.execute(Login())
    await stage.session.execute(Ready())
    support = next(queue.id for queue in stage.sim.engine.queues() if queue.name == "Support")
    await stage.session.execute(Pause(queue_id=support, timeout=900))
    await stage.shot("idle-ready")


async def call(stage: Stage, me: str) -> None:
    engine = stage.sim.engine
    engine.add_caller("Sales", "Marie Curie", "+33 1 23 45 67 89", talk_seconds=600)
    await stage.until(lambda state: state.offer is not None)
    await stage.shot("ringing-offer", after=4)
    engine.answer(me)
    await stage.until(lambda state: state.call is not None)
    await stage.shot("on-call", after=5)
    engine.hang_up(me)
    await stage.until(lambda state: state.wrapup is not None)
    await stage.shot("wrap-up", after=3)
    engine.wrapup_cancel(me)
    await stage.until(lambda state: state.wrapup is None)


async def missed(stage: Stage, me: str) -> None:
    stage.sim.engine.add_caller("Sales", "Alan Turing", "+44 20 7123 4567")
    await stage.until(lambda state: state.offer is not None)
    stage.sim.engine.decline(me)
    await stage.until(lambda state: state.status == "away" and state.missed_offer is not None)
    await stage.shot("away-after-missed-call")


async def reason_unconfirmed(stage: Stage) -> None:
    """Qubicle's status read states no reason: after a reconnect the toolbar cannot
    confirm the one it knew, and says so instead of showing it as fact."""
    await stage.session.execute(Away(reason="Lunch"))
    await stage.sim.faults.refuse_connections(2)
    await stage.sim.faults.drop_sockets()
    await stage.until(lambda state: state.connection != "online")
    await stage.until(lambda state: state.connection == "online")
    await stage.shot("away-reason-unconfirmed")


async def all_paused(stage: Stage) -> None:
    """Ready, but every queue paused: no call will come, and the strip says so."""
    paused = stage.session.state.paused_queues if stage.session.state else ()
    for queue in stage.sim.engine.queues():
        if queue.id not in paused:
            await stage.session.execute(Pause(queue_id=queue.id))
    await stage.session.execute(Ready())  # the waiting caller stays in the paused queue
    await stage.shot("all-paused")
    await stage.session.execute(Away(reason="Break"))
    for queue in stage.sim.engine.queues():
        await stage.session.execute(Resume(queue_id=queue.id))


async def reconnecting(stage: Stage, colleague: str) -> None:
    stage.sim.engine.set_status(colleague, "ready")  # the missed caller goes to a colleague
    await stage.session.execute(Ready())
    await asyncio.sleep(1)
    await stage.sim.faults.refuse_connections(60)
    await stage.sim.faults.drop_sockets()
    await stage.until(lambda state: state.reconnect_attempt >= 3)
    await stage.shot("reconnecting", after=0.3)


async def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    languages: tuple[tuple[Language, str], ...] = (("en", ""), ("ru", "-ru"))
    for language, suffix in languages:
        i18n.install(language)  # as the app does: the English plural forms come from it too
        await shoot(suffix)
    return 0


async def shoot(suffix: str) -> None:
    async with Simulator(SCENARIO) as sim:
        me, colleague = sim.logins[0].user_id, sim.logins[1].user_id
        credentials = Credentials(
            account_name=sim.logins[0].account_name, username="agent", password="demo"
        )
        session = Session(
            KazooBackend(KazooSettings(api_url=sim.api_url, credentials=credentials)),
            SessionSettings(backoff_max=5.0),
        )
        await session.sign_in()
        with tempfile.TemporaryDirectory() as folder:
            settings = QSettings(str(Path(folder) / "toolbar.ini"), QSettings.Format.IniFormat)
            presenter = Presenter(session)
            demo = DemoPhone(sim.engine, me, ("Sales", "Support"))
            window = ToolbarWindow(presenter, ToolbarActions(presenter, demo=demo), settings)
            window.move(40, 40)
            window.show()
            running = asyncio.create_task(session.run())
            stage = Stage(sim, session, window, suffix)
            try:
                await stage.until(lambda state: state.connection == "online")
                await idle(stage)
                await call(stage, me)
                await missed(stage, me)
                await reason_unconfirmed(stage)
                await all_paused(stage)
                await reconnecting(stage, colleague)
            finally:
                window.close()
                session.stop()
                await running
                await session.close()


if __name__ == "__main__":
    sys.exit(app.run(main))
