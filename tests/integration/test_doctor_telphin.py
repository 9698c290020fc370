"""`agent-toolbar doctor` on Telphin: the real examination, with the real OAuth and REST
client, against the simulator's Telphin surface on loopback, in its default and in each
`[telphin]` scenario switch; the command itself in a process of its own where its exit
code, its JSON and Ctrl-C are the question."""

import asyncio
import json
import os
import signal
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import msgspec
import pytest
import pytest_asyncio

from agent_toolbar.backends.telphin import wire
from agent_toolbar.backends.telphin.api import TelphinApi
from agent_toolbar.backends.telphin.oauth import AppCredentials, OAuth
from agent_toolbar.backends.telphin.paging import every_page
from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.doctor.report import COPES_FIX, Report, Row, render_text, wire_fix
from agent_toolbar.doctor.run import Options
from agent_toolbar.doctor.telphin.examine import examine
from agent_toolbar.simulator import QueueConfig, Scenario, Simulator, TelphinLogin
from agent_toolbar.simulator import TelphinSettings as SimulatedTelphin
from tests.helpers.cli import COMMAND
from tests.helpers.kazoo import PASSWORDS, ada, scenario

pytestmark = pytest.mark.asyncio

PROFILE = "office"
FOREIGN = {"url": "https://crm.example/agent", "event_type": "agent-logout", "method": "GET"}
"""Another app's subscription: the doctor reads it and leaves it as it is."""


def three_queues(start: str = "logged_out", **telphin: Any) -> Scenario:
    """The integration scenario with a third queue (so that a page of two is not all of
    them), ada starting `start`, and these `[telphin]` switches."""
    base = scenario()
    return msgspec.structs.replace(
        base,
        queues=(*base.queues, QueueConfig(name="Billing", ring_timeout=3.0)),
        agents=(ada(start=start), *base.agents[1:]),
        telphin=SimulatedTelphin(**telphin),
    )


@pytest_asyncio.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(three_queues()) as simulator:
        yield simulator


def login(sim: Simulator) -> TelphinLogin:
    return next(each for each in sim.telphin_logins if each.username == "ada")


def profile(sim: Simulator, **fields: Any) -> Profile:
    given = {"username": "ada", "app_id": login(sim).app_id, **fields}
    return Profile(backend="telphin", api_url=sim.telphin_api_url, **given)


def secrets(sim: Simulator, password: str = PASSWORDS["ada"]) -> Secrets:
    return Secrets(password=password, app_secret=login(sim).app_secret)


async def doctor(
    sim: Simulator,
    *,
    try_changes: bool = False,
    say: Callable[[str], None] = lambda words: None,
    password: str = PASSWORDS["ada"],
    listen: float = 0,
    **fields: Any,
) -> Report:
    options = Options(listen=listen, try_changes=try_changes)
    return await examine(profile(sim, **fields), secrets(sim, password), PROFILE, options, say)


def found(report: Report) -> dict[str, Row]:
    return {row.fact.name: row for row in report.rows}


def owner(sim: Simulator) -> str:
    each = login(sim)
    return f"client/{each.client_id}/agent/local/{each.agent_id}/event/"


async def provider(sim: Simulator, method: str, body: Any = None) -> Any:
    """ada's agent's subscriptions, as another app of hers sees them."""
    each = login(sim)
    async with aiohttp.ClientSession() as http:
        app = AppCredentials(each.app_id, each.app_secret, each.username, each.password)
        oauth = OAuth(http, sim.telphin_token_url, app, timeout=2)
        api = TelphinApi(http, sim.telphin_api_url, oauth, timeout=2)
        if method == "GET":
            return await every_page(api, owner(sim), lambda answer: answer.body)
        return (await api.call(method, owner(sim), body)).status


async def hooks(sim: Simulator) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = await provider(sim, "GET")
    return listed


@pytest_asyncio.fixture
async def foreign(sim: Simulator) -> list[dict[str, Any]]:
    """Another app's subscription, registered before the doctor runs: the subscriptions."""
    assert await provider(sim, "POST", FOREIGN) == 200
    return await hooks(sim)


# -- read-only ---------------------------------------------------------------------------

READ_ONLY_MATCHES = {
    "token_endpoint",
    "grants",
    "bearer",
    "user",
    "at_me",
    "agent_of_extension",
    "agent_path_local",
    "statuses",
    "agent_status_field",
    "agent_status_words",
    "agent_state_field",
    "state_letters",
    "idle_letters",
    "limits",
    "limit_keys",
    "agent_subscriptions",
    "extension_subscriptions",
    "queues",
    "client_id_null",
    "paging",
    "page_size",
    "max_per_page",
    "past_last_page",
}


async def test_the_default_simulator_matches_every_fact_it_shows(
    sim: Simulator, foreign: list[dict[str, Any]]
) -> None:
    report = await doctor(sim)
    assert report.problem is None
    assert report.exit_code == 0
    assert [row.fact for row in report.rows] == list(wire.FACTS)
    verdicts = {row.fact.name: row.finding.verdict for row in report.rows}
    assert {name for name, verdict in verdicts.items() if verdict == "matches"} == READ_ONLY_MATCHES
    assert all(row.finding.seen for row in report.rows), "every unseen fact says why"
    assert found(report)["status_change"].finding.seen == "needs --try-changes"
    assert found(report)["page_size"].finding.seen == "unasked, all 3 on one page"
    assert found(report)["max_per_page"].finding.seen == "50 asked, all 3 on one page"
    assert found(report)["past_last_page"].finding.seen == (
        "the page after the last answered an empty list"
    )
    assert await hooks(sim) == foreign, "the read-only doctor touches no subscription"
    assert "nothing differs" in render_text(report)


def many_queues(**telphin: Any) -> Scenario:
    """More queues than the default page holds unasked (`wire.UNASKED_PER_PAGE`), so that a
    server holding fewer a page than `per_page` asks can show without the unasked page
    differing too."""
    base = three_queues(**telphin)
    extra = tuple(QueueConfig(name=f"Queue {n}", ring_timeout=3.0) for n in range(22))
    return msgspec.structs.replace(base, queues=(*base.queues, *extra))


# Each `[telphin]` switch makes exactly its own fact differ: the fact states the default
# simulator's way. The overridable fields' fix is the profile's wire line; for the ways
# the client copes with, the fix says nothing needs to change and asks for the report.
# `reworded`: rows that only say the same thing in other words (extension users' paths
# name @me instead of the client's number).
AT_ME_PATHS = frozenset({"user", "at_me", "agent_path_local", "limits", "agent_subscriptions"})
SWITCHES = [
    pytest.param(
        {"agent_status_field": "agent_status"},
        "agent_status_field",
        wire_fix(PROFILE, "status_field", "agent_status"),
        frozenset(),
        id="agent_status_field",
    ),
    pytest.param(
        {"agent_state_field": "agent_state"},
        "agent_state_field",
        wire_fix(PROFILE, "state_field", "agent_state"),
        frozenset(),
        id="agent_state_field",
    ),
    pytest.param(
        {"extension_users": True}, "client_id_null", COPES_FIX, AT_ME_PATHS, id="extension_users"
    ),
    pytest.param({"page_size": 2}, "page_size", COPES_FIX, frozenset(), id="page_size"),
    pytest.param(
        {"max_per_page": wire.UNASKED_PER_PAGE},
        "max_per_page",
        COPES_FIX,
        frozenset(),
        id="max_per_page",
    ),
    pytest.param(
        {"past_last_page": "not_found"},
        "past_last_page",
        COPES_FIX,
        frozenset(),
        id="past_last_page",
    ),
]


@pytest.mark.parametrize(("switch", "fact", "fix", "reworded"), SWITCHES)
async def test_each_switch_makes_exactly_its_fact_differ(
    switch: dict[str, Any], fact: str, fix: str, reworded: frozenset[str]
) -> None:
    async with Simulator(many_queues()) as plain:
        default = found(await doctor(plain))
    async with Simulator(many_queues(**switch)) as switched:
        report = await doctor(switched)
    rows = found(report)
    assert {name for name, row in default.items() if row.finding.verdict == "differs"} == set()
    changed = {name for name, row in rows.items() if row.finding != default[name].finding}
    assert changed == {fact} | reworded
    assert all(rows[name].finding.verdict == default[name].finding.verdict for name in reworded)
    assert [row.fact.name for row in report.differences] == [fact]
    assert rows[fact].finding.verdict == "differs"
    assert rows[fact].finding.fix == fix
    assert report.exit_code == 1
    shown = render_text(report).splitlines()
    assert all(f"    {line}" in shown for line in fix.splitlines())


async def test_the_command_prints_one_json_row_per_fact(sim: Simulator, tmp_path: Path) -> None:
    code, out, err = await command(sim, tmp_path, "--json", "--listen", "0")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert [row["fact"] for row in rows] == [fact.name for fact in wire.FACTS]
    assert "doctor: signing in as ada with the password grant" in err
    assert login(sim).app_secret not in out + err
    assert PASSWORDS["ada"] not in out + err


# -- sign-in and reachability ------------------------------------------------------------


async def test_a_refused_sign_in_exits_3_with_the_rows_so_far(sim: Simulator) -> None:
    report = await doctor(sim, password="wrong-password")
    assert report.problem is not None
    assert report.problem.kind == "signed_out"
    assert report.exit_code == 3
    assert "refused the user name or password" in report.problem.message
    assert "wrong-password" not in render_text(report)


async def test_a_profile_that_cannot_sign_in_exits_2_before_any_request(sim: Simulator) -> None:
    report = await doctor(sim, app_id=None)
    assert report.problem is not None
    assert report.problem.kind == "options"
    assert report.exit_code == 2
    assert "app id is missing" in report.problem.message


async def test_an_unreachable_server_exits_4() -> None:
    async with Simulator(three_queues()) as gone:
        closed = profile(gone)
        keys = secrets(gone)
    report = await examine(closed, keys, PROFILE, Options(listen=0), lambda words: None)
    assert report.problem is not None
    assert report.problem.kind == "unreachable"
    assert report.exit_code == 4


async def test_an_interrupted_run_reports_what_it_saw_and_that_it_changed_nothing(
    sim: Simulator,
) -> None:
    def say(words: str) -> None:
        if words.startswith("reading the queues"):
            task = asyncio.current_task()
            assert task is not None
            task.cancel()  # what run()'s SIGINT handler does

    report = await doctor(sim, say=say)
    assert report.exit_code == 130
    assert report.notes[-1] == "interrupted: nothing had been changed"
    assert found(report)["user"].finding.verdict == "matches"
    assert found(report)["queues"].finding.verdict == "not_seen"


# -- --try-changes -----------------------------------------------------------------------


async def test_try_changes_sets_the_status_again_and_deletes_its_test_subscription() -> None:
    async with Simulator(three_queues(start="ready")) as sim:
        assert await provider(sim, "POST", FOREIGN) == 200
        before = await hooks(sim)
        report = await doctor(sim, try_changes=True)
        rows = found(report)
        assert report.exit_code == 0, render_text(report)
        for fact in ("status_change", "status_body_field", "agent_subscriptions"):
            assert rows[fact].finding.verdict == "matches"
        assert rows["agent_subscriptions"].finding.seen.startswith("created (POST 200)")
        assert any("restored the starting state" in note for note in report.notes)
        assert any("no test subscription is left" in note for note in report.notes)
        assert any("is a local address" in note for note in report.notes)
        assert await hooks(sim) == before
        assert sim.engine.agent(login(sim).user_id).status == "ready"


async def test_a_logged_out_agent_is_not_logged_in(
    sim: Simulator, foreign: list[dict[str, Any]]
) -> None:
    report = await doctor(sim, try_changes=True)
    assert any("will not log them in" in note for note in report.notes)
    assert found(report)["status_change"].finding.verdict == "not_seen"
    assert found(report)["agent_subscriptions"].finding.seen.startswith("created")
    assert sim.engine.agent(login(sim).user_id).status == "logged_out"
    assert await hooks(sim) == foreign


async def test_a_refused_status_key_differs_with_its_fix_and_is_undone() -> None:
    async with Simulator(three_queues(start="ready", agent_status_field="agent_status")) as sim:
        report = await doctor(sim, try_changes=True)
        body = found(report)["status_body_field"].finding
        assert body.verdict == "differs"
        assert body.fix == wire_fix(PROFILE, "status_body_field", "agent_status")
        assert sim.engine.agent(login(sim).user_id).status == "ready"


@pytest.mark.parametrize(
    "before",
    [
        pytest.param("creating a test subscription", id="creating-fails"),
        pytest.param("listening for callbacks", id="deleting-fails"),
    ],
)
async def test_a_failed_change_leaves_no_subscription_behind(
    sim: Simulator, foreign: list[dict[str, Any]], before: str
) -> None:
    """The server fails the request that follows the step `before`: the creation, or the
    deletion of a subscription that was made."""

    def say(words: str) -> None:
        if words.startswith(before):
            sim.faults.fail_rest(status=503)

    report = await doctor(sim, try_changes=True, say=say, listen=0.01)
    assert report.problem is not None
    assert report.problem.kind == "unreachable"
    assert report.exit_code == 4
    assert any("restored the starting state" in note for note in report.notes)
    assert await hooks(sim) == foreign


async def test_ctrl_c_midway_restores_the_starting_state(
    sim: Simulator, foreign: list[dict[str, Any]], tmp_path: Path
) -> None:
    process = await start(sim, tmp_path, "--try-changes", "--yes", "--listen", "60")
    assert process.stderr is not None
    said = ""
    async with asyncio.timeout(30):
        while "listening for callbacks" not in said:
            said += (await process.stderr.readline()).decode()
    assert len(await hooks(sim)) == len(foreign) + 1, "the test subscription is in place"
    process.send_signal(signal.SIGINT)
    out, _ = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 130
    assert "interrupted: restored the starting state" in out.decode()
    assert await hooks(sim) == foreign


# -- the command -------------------------------------------------------------------------


def command_args(sim: Simulator) -> list[str]:
    return [
        "doctor",
        "--backend",
        "telphin",
        "--api-url",
        sim.telphin_api_url,
        "--app-id",
        login(sim).app_id,
        "--username",
        "ada",
    ]


def command_env(sim: Simulator, tmp: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("AGENT_TOOLBAR")}
    env.update(
        AGENT_TOOLBAR_PASSWORD=PASSWORDS["ada"],
        AGENT_TOOLBAR_APP_SECRET=login(sim).app_secret,
        AGENT_TOOLBAR_CONFIG_DIR=f"{tmp}/config",
        AGENT_TOOLBAR_LOG_DIR=f"{tmp}/logs",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return env


async def start(sim: Simulator, tmp: Path, *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        COMMAND,
        *command_args(sim),
        *args,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=command_env(sim, tmp),
    )


async def command(sim: Simulator, tmp: Path, *args: str) -> tuple[int, str, str]:
    process = await start(sim, tmp, *args)
    try:
        out, err = await asyncio.wait_for(process.communicate(), 60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()
