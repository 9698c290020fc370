"""`agent-toolbar sim`: run the simulator in a terminal until Ctrl-C.

It prints what a person needs to try the toolbar against it (URLs, logins, how to
make the phone ring) and fails with one line, never a traceback, when the scenario
is broken or a port is taken.
"""

import asyncio
import sys
from urllib.parse import urlsplit

import msgspec

from agent_toolbar.simulator.scenario import (
    Replay,
    Scenario,
    ScenarioError,
    default_scenario,
    load_scenario,
)
from agent_toolbar.simulator.server import BLACKHOLE_PORT, BLACKHOLE_TLS_PORT, Simulator
from agent_toolbar.simulator.telphin.directory import TelphinDirectory

PROGRAM = "agent-toolbar sim"


def main(
    host: str,
    port: int,
    websocket_port: int,
    scenario_path: str | None,
    capture: str | None = None,
) -> int:
    """Run until interrupted: 0 after Ctrl-C, 2 for a bad scenario or capture or a port
    in use.

    `scenario_path` is a TOML file or a bundled scenario's name (`bare`); `capture` a
    capture whose REST answers are served (as the scenario's `[replay]` would)."""
    try:
        if capture is not None and scenario_path is None:
            scenario = Scenario(replay=Replay(capture=capture))
        else:
            scenario = load_scenario(scenario_path) if scenario_path else default_scenario()
        if capture is not None:
            scenario = msgspec.structs.replace(scenario, replay=Replay(capture=capture))
        source = capture if capture is not None else scenario_path
        asyncio.run(_serve(scenario, host, port, websocket_port, source))
    except ScenarioError as error:
        print(f"{PROGRAM}: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROGRAM}: stopped", file=sys.stderr)
    except OSError as error:
        print(f"{PROGRAM}: {error.strerror or error}", file=sys.stderr)
        return 2
    return 0


async def _serve(
    scenario: Scenario, host: str, port: int, websocket_port: int, source: str | None
) -> None:
    async with Simulator(scenario, host, port, websocket_port) as sim:
        if scenario.replay is not None:
            print(_replay_banner(sim, scenario.replay.capture), flush=True)
            await asyncio.Event().wait()
        note = None if scenario.simulator.advertise_websocket_url else _bare(sim, websocket_port)
        print(_banner(sim, scenario, source or "the default demo scenario", note), flush=True)
        await asyncio.Event().wait()


def _bare(sim: Simulator, websocket_port: int) -> str:
    """Which port a bare install's Blackhole took, since no login answer will tell."""
    if websocket_port:
        where = "the port asked for"
    elif urlsplit(sim.websocket_url).port in (BLACKHOLE_PORT, BLACKHOLE_TLS_PORT):
        where = "Blackhole's default port"
    else:
        where = f"any free port: Blackhole's default {BLACKHOLE_PORT} is taken"
    return f"    not advertised at login (a bare install); on {where}"


def _replay_banner(sim: Simulator, capture: str) -> str:
    root = sim.api_url.removesuffix("/v2")
    return "\n".join(
        [
            f"Serving the REST answers of the capture {capture}",
            f"  at {root} (same paths as in the capture: {sim.api_url}, "
            f"{sim.telphin_api_url}, {sim.telphin_token_url})",
            "  any user name, password or token is taken; the websocket is not replayed",
            "Press Ctrl-C to stop.",
        ]
    )


def _banner(sim: Simulator, scenario: Scenario, source: str, websocket_note: str | None) -> str:
    control = sim.api_url.removesuffix("/v2") + "/sim"
    lines = [
        f"Kazoo/Qubicle and Telphin simulator running {source}",
        f"  REST (Crossbar):       {sim.api_url}",
        f"  Websocket (Blackhole): {sim.websocket_url}",
        *([websocket_note] if websocket_note else []),
        "  Logins:",
    ]
    lines += [
        f"    account {login.account_name!r}  username {login.username!r}  "
        f"password {login.password!r}  ({login.display_name})\n"
        f"      api key {login.api_key}  user id {login.user_id}"
        for login in sim.logins
    ]
    lines += [
        "  Queues:",
        *(f"    {queue.name}  id {scenario.queue_id(queue)}" for queue in scenario.queues),
    ]
    app = sim.telphin_logins[0]
    lines += [
        f"  Telphin API:           {sim.telphin_api_url}",
        f"  Telphin OAuth:         {sim.telphin_token_url}",
        f"    app id {app.app_id}  app secret {app.app_secret}  client id {app.client_id}",
        "  Telphin logins (grant_type=password, or client_credentials for the PBX owner):",
    ]
    lines += [
        f"    username {login.username!r}  password {login.password!r}  ({login.display_name})\n"
        f"      agent id {login.agent_id}  extension id {login.extension_id}  "
        f"extension {login.extension_name}"
        for login in sim.telphin_logins
    ]
    lines += [
        "  Telphin queues:",
        *(
            f"    {queue.label}  id {queue.extension_id}"
            for queue in TelphinDirectory(scenario).queues
        ),
    ]
    lines += [
        f'  Control: POST {control}/callers {{"queue": "Sales"}}, '
        f"POST {control}/agents/USER_ID/answer|decline|hang_up, GET {control}/state",
        "Press Ctrl-C to stop.",
    ]
    return "\n".join(lines)
