"""`agent-toolbar doctor` against the real Kazoo simulator on loopback: the default server
matches every fact, each `[kazoo]` switch makes its own fact differ with the right fix,
and `--try-changes` always puts the agent back as it was.

The command runs as a separate process where the exit code, the output or a signal is
the point; elsewhere the examination runs in the test's loop, against the same server.
"""

import asyncio
import json
import os
import signal
from collections.abc import AsyncIterator, Callable
from typing import Any

import msgspec
import pytest
import pytest_asyncio

from agent_toolbar.backends.kazoo.wire import FACTS
from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.doctor.kazoo import examine as kazoo
from agent_toolbar.doctor.report import COPES_FIX, Report, render_text
from agent_toolbar.doctor.run import Options
from agent_toolbar.simulator import AgentConfig, KazooSettings, QueueConfig, Simulator
from agent_toolbar.simulator.scenario import StartStatus
from tests.helpers.cli import COMMAND, run
from tests.helpers.kazoo import PASSWORDS, ada, scenario, user_id
from tests.helpers.places import private_places

pytestmark = pytest.mark.asyncio
__all__ = ["private_places"]  # the fixture this file uses


def started(
    start: StartStatus = "away", agents: tuple[AgentConfig, ...] = (), **kazoo_settings: Any
) -> Simulator:
    """The test scenario with ada starting as `start` and the `[kazoo]` switches given."""
    base = scenario()
    return Simulator(
        msgspec.structs.replace(
            base,
            agents=agents or (ada(start=start), *base.agents[1:]),
            kazoo=KazooSettings(**kazoo_settings),
        )
    )


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with started() as running:
        yield running


def profile(sim: Simulator) -> Profile:
    login = next(each for each in sim.logins if each.username == "ada")
    return Profile(api_url=sim.api_url, account_name=login.account_name, username="ada")


async def examine(
    sim: Simulator, *, try_changes: bool, said: Callable[[str], None] | None = None
) -> Report:
    """The examination in this loop, as `doctor --profile office` runs it."""
    return await kazoo.examine(
        profile(sim),
        Secrets(password=PASSWORDS["ada"]),
        "office",
        Options(listen=0.2, try_changes=try_changes),
        said or (lambda words: None),
    )


def connection(sim: Simulator) -> list[str]:
    login = next(each for each in sim.logins if each.username == "ada")
    return ["--api-url", sim.api_url, "--account-name", login.account_name, "--username", "ada"]


async def doctor(*args: str, password: str = PASSWORDS["ada"]) -> asyncio.subprocess.Process:
    env = dict(os.environ, AGENT_TOOLBAR_PASSWORD=password)
    return await asyncio.create_subprocess_exec(
        COMMAND,
        "doctor",
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
    )


async def finished(*args: str, password: str = PASSWORDS["ada"]) -> tuple[int, str, str]:
    return await run("doctor", *args, secret=password)


def agent(sim: Simulator) -> tuple[str, tuple[str, ...]]:
    view = sim.engine.agent(user_id(sim, "ada"))
    return view.status, view.paused_queues


def verdicts(report: Report) -> dict[str, str]:
    return {row.fact.name: row.finding.verdict for row in report.rows}


# -- the default server ----------------------------------------------------------------------


async def test_the_default_simulator_matches_every_fact_it_shows(sim: Simulator) -> None:
    code, out, err = await finished(*connection(sim), "--listen", "2.5")
    assert code == 0, out
    assert "DIFFERS" not in out
    assert out.rstrip().endswith("nothing differs")
    assert "signed in with the md5 of user:password (PUT /v2/user_auth)" in out
    assert "the token lives 3600 s (exp - iat)" in out
    assert "keepalive pings every 2 s were answered" in out
    assert "doctor: signing in as ada with md5…" in err
    assert PASSWORDS["ada"] not in out + err


async def test_json_has_one_row_per_fact(sim: Simulator) -> None:
    code, out, _ = await finished(*connection(sim), "--listen", "0", "--json")
    report = json.loads(out)
    assert (code, report["exit_code"], report["problem"]) == (0, 0, None)
    assert [row["fact"] for row in report["rows"]] == [fact.name for fact in FACTS]
    assert {row["verdict"] for row in report["rows"]} == {"matches", "not_seen"}


async def test_try_changes_match_too_and_put_the_agent_back(sim: Simulator) -> None:
    said: list[str] = []
    report = await examine(sim, try_changes=True, said=said.append)
    assert report.exit_code == 0
    shown = verdicts(report)
    for fact in ("status_changes", "validation_error", "unknown_key_rule", "queue_key"):
        assert shown[fact] == "matches", fact
    assert shown["reason_key"] == "matches"
    seen = {row.fact.name: row.finding.seen for row in report.rows}
    assert seen["unknown_key_rule"] == "a key it does not know is dropped, the rest done"
    assert seen["membership"] == "recipients as ids"
    assert "changed: Ready" in said
    assert "restored the starting state: away, no queue paused" in report.notes
    assert agent(sim) == ("away", ())


# -- each [kazoo] switch: exactly its fact differs, with its fix -------------------------------

SWITCHES = [
    pytest.param(
        {"logged_out_status": "not_found"},
        "logged_out",
        {"logged_out_status": COPES_FIX},
        id="logged_out_status",
    ),
    pytest.param(
        {"unknown_keys": "refuse"},
        "away",
        {"unknown_key_rule": COPES_FIX},
        id="unknown_keys",
    ),
    pytest.param(
        {"queue_key": "queue_id"},
        "away",
        {"queue_key": '[profiles.office.wire]\nqueue_key = "queue_id"'},
        id="queue_key-ignored",
    ),
    pytest.param(
        {"queue_key": "queue_id", "unknown_keys": "refuse"},
        "away",
        {
            "unknown_key_rule": COPES_FIX,
            "queue_key": '[profiles.office.wire]\nqueue_key = "queue_id"',
        },
        id="queue_key-refused",
    ),
    pytest.param(
        {"reason_key": "away_reason"},
        "away",
        {"reason_key": '[profiles.office.wire]\nreason_key = "away_reason"'},
        id="reason_key-ignored",
    ),
    pytest.param(
        {"reason_key": "away_reason", "unknown_keys": "refuse"},
        "ready",
        {
            "unknown_key_rule": COPES_FIX,
            "reason_key": '[profiles.office.wire]\nreason_key = "away_reason"',
        },
        id="reason_key-refused",
    ),
    pytest.param(
        {"reason_key": ""},
        "away",
        {"reason_key": '[profiles.office.wire]\nreason_key = ""'},
        id="reason_key-none",
    ),
    pytest.param(
        {"membership_shape": "objects"},
        "away",
        {"membership": COPES_FIX},
        id="membership_shape",
    ),
    pytest.param(
        {"membership": "forbidden"},
        "away",
        {"membership": "give the agent's token read access to qubicle_queues/{Q}/recipients"},
        id="membership",
    ),
    pytest.param(
        {"queue_documents": "forbidden"},
        "away",
        {"queue_settings": "give the agent's token read access to qubicle_queues/{Q}:"},
        id="queue_documents",
    ),
]


@pytest.mark.parametrize(("switch", "start", "fixes"), SWITCHES)
async def test_a_switch_makes_exactly_its_fact_differ(
    switch: dict[str, str], start: StartStatus, fixes: dict[str, str]
) -> None:
    """Each switch makes its own fact differ, and no other: a switch combined with
    `unknown_keys = "refuse"` makes two. Where the toolbar copes with the server's way,
    the fix says that nothing needs to change and asks for the report."""
    async with started(start, **switch) as sim:
        report = await examine(sim, try_changes=True)
        assert [row.fact.name for row in report.differences] == list(fixes)
        assert report.exit_code == 1
        printed = render_text(report).splitlines()
        for row in report.differences:
            assert row.finding.verdict == "differs"
            assert row.finding.fix is not None
            assert row.finding.fix.startswith(fixes[row.fact.name])
            assert all(f"    {line}" in printed for line in row.finding.fix.splitlines())
        assert agent(sim) == (start, ())


@pytest.mark.parametrize(
    ("switch", "fact", "seen"),
    [
        (
            {"unknown_keys": "refuse"},
            "unknown_key_rule",
            "a key it does not know: 400 additionalProperties",
        ),
        ({"membership_shape": "objects"}, "membership", "recipients as objects"),
    ],
)
async def test_the_other_plausible_way_says_what_the_server_did(
    switch: dict[str, str], fact: str, seen: str
) -> None:
    """The fact states the default simulator's way: the other way the toolbar copes with
    differs, saying which way the server took, so that its report settles the fact."""
    async with started("away", **switch) as sim:
        report = await examine(sim, try_changes=True)
        row = next(row for row in report.rows if row.fact.name == fact)
        assert (row.finding.verdict, row.finding.seen) == ("differs", seen)


async def test_without_an_advertised_url_the_default_port_is_tried() -> None:
    base = scenario(advertise_websocket_url=False)
    bare = msgspec.structs.replace(base, agents=(ada(start="away"), *base.agents[1:]))
    async with Simulator(bare) as sim:
        if not sim.websocket_url.endswith(":5555"):
            pytest.skip("another program holds Blackhole's default port 5555 here")
        report = await examine(sim, try_changes=False)
        assert report.exit_code == 0
        rows = {row.fact.name: row.finding for row in report.rows}
        assert rows["websocket_url"].seen == "no ui_config.api.kazoo_websocket.url: not advertised"
        assert rows["blackhole_port"].seen == f"Blackhole answered at {sim.websocket_url}"
        assert rows["blackhole_subscribe"].verdict == "matches"


@pytest.mark.parametrize(("extend_event", "verdict"), [(False, "matches"), (True, "differs")])
async def test_an_extension_in_wrap_up_shows_whether_an_event_follows(
    extend_event: bool, verdict: str
) -> None:
    """Only an agent in wrap-up gets a wrap-up action, and nothing else (a ready or away
    would end the wrap-up)."""
    agents = (
        AgentConfig(username="ada", password=PASSWORDS["ada"], queues=("Sales",), start="ready"),
    )
    base = scenario()
    sales = QueueConfig(name="Sales", ring_timeout=30.0, wrapup_time=60.0)
    text = msgspec.structs.replace(
        base, queues=(sales,), agents=agents, kazoo=KazooSettings(extend_event=extend_event)
    )
    async with Simulator(text) as sim:
        me = user_id(sim, "ada")
        sim.engine.add_caller("Sales", "Caller", "+15550100")
        sim.engine.answer(me)
        sim.engine.hang_up(me)
        assert sim.engine.agent(me).activity == "wrapup"
        report = await examine(sim, try_changes=True)
        shown = verdicts(report)
        assert shown["wrapup_actions"] == verdict
        assert shown["wrapup_seconds"] == "matches"
        assert [row.fact.name for row in report.differences] == (
            ["wrapup_actions"] if extend_event else []
        )
        assert sim.engine.carried_out(me) == {"wrapup_extend": 1}
        assert sim.engine.agent(me).activity == "wrapup"


# -- the starting state comes back -----------------------------------------------------------


async def test_a_change_failing_midway_is_undone(sim: Simulator) -> None:
    def said(words: str) -> None:
        if words == "changed: Ready":
            sim.faults.fail_rest(status=503, times=1)

    report = await examine(sim, try_changes=True, said=said)
    # The next request after the ready (the read before the away) fails: the agent is
    # Ready by then, and must be Away again at the end.
    assert report.problem is not None
    assert report.problem.kind == "unreachable"
    assert "503" in report.problem.message
    assert report.exit_code == 4
    assert "restored the starting state: away, no queue paused" in report.notes
    assert agent(sim) == ("away", ())
    assert verdicts(report)["reason_key"] == "not_seen"


async def test_an_interrupted_doctor_restores_the_start_and_exits_130(sim: Simulator) -> None:
    # The away event is dropped, so the doctor waits for it: the signal lands meanwhile.
    sim.faults.drop_events(times=100)
    me = user_id(sim, "ada")
    process = await doctor(*connection(sim), "--listen", "0", "--try-changes", "--yes")
    assert process.stderr is not None
    try:
        async with asyncio.timeout(30):
            line = ""
            while not line.startswith("doctor: changed: Away"):
                line = (await process.stderr.readline()).decode()
                assert line, "the doctor ended before it changed anything"
            assert sim.engine.agent(me).away_reason == "agent-toolbar doctor check"
            # The restore's first request hangs: a second Ctrl-C lands during the restore.
            sim.faults.hang_rest(1.0)
            process.send_signal(signal.SIGINT)
            await asyncio.sleep(0.3)
            process.send_signal(signal.SIGINT)
            out, err = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 130
    assert "asked to stop again: the restore finishes first" in err.decode()
    assert "restored the starting state: away, no queue paused" in out.decode()
    assert "stopped: interrupted by a signal" in out.decode()
    assert agent(sim) == ("away", ())
    assert sim.engine.agent(me).away_reason is None


async def test_an_agent_logged_out_at_the_start_is_not_logged_in() -> None:
    async with started("logged_out") as sim:
        report = await examine(sim, try_changes=True)
        assert agent(sim) == ("logged_out", ())
        assert sim.engine.carried_out(user_id(sim, "ada")) == {}
        assert any("the doctor does not log anyone in" in note for note in report.notes)
        assert verdicts(report)["status_changes"] == "not_seen"
        assert report.exit_code == 0


# -- sign-in and reachability ---------------------------------------------------------------


async def test_a_refused_sign_in_exits_3(sim: Simulator) -> None:
    code, out, _ = await finished(*connection(sim), "--listen", "0", password="wrong")
    assert code == 3
    assert "stopped: the server refused the user name, password or account" in out
    assert "wrong" not in out


async def test_an_unreachable_server_exits_4() -> None:
    closed = ["--api-url", "http://127.0.0.1:9/v2", "--account-name", "demo", "--username", "ada"]
    code, out, _ = await finished(*closed, "--listen", "0")
    assert code == 4
    assert "stopped: 127.0.0.1 refused the connection or cannot be reached" in out
