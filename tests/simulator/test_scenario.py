"""Scenario files: the default demo, a custom file, and broken files that say what to fix."""

from pathlib import Path

import pytest

from agent_toolbar.simulator import (
    AgentConfig,
    KazooSettings,
    QueueConfig,
    Scenario,
    ScenarioError,
    bundled_scenario,
    default_scenario,
    load_scenario,
)

CUSTOM = """
[simulator]
seed = 3
token_lifetime = 90
sync_interval = 15
max_connections_per_ip = 4
idle_timeout = 120
advertise_websocket_url = false

[account]
name = "acme"

[kazoo]
logged_out_status = "not_found"
queue_key = "queue_id"
reason_key = ""
unknown_keys = "refuse"
membership_shape = "objects"
membership = "forbidden"

[[queues]]
name = "Billing"
ring_timeout = 12
wrapup_time = 4
force_away_on_reject = true

[[agents]]
username = "Zoe"
password = "secret"
display_name = "Zoe Zed"
queues = ["billing"]
start = "ready"
answer = "auto"

[[random_callers]]
interval = [5, 6]
talk_seconds = [10, 20]
patience = [30, 40]

[[callers]]
at = 3
queue = "Billing"
name = "Ann"
number = "+15550100"

[[faults]]
at = 60
action = "refuse_connections"
seconds = 2
"""


def test_the_default_scenario_is_the_documented_demo() -> None:
    scenario = default_scenario()
    assert scenario.account.name == "demo"
    sales, support = scenario.queues
    assert (sales.name, sales.ring_timeout, sales.wrapup_time, sales.force_away_on_reject) == (
        "Sales",
        20,
        30,
        True,
    )
    assert (support.name, support.ring_timeout, support.wrapup_time) == ("Support", 25, 15)
    assert not support.force_away_on_reject
    demo, *others = scenario.agents
    assert (demo.username, demo.password, demo.display_name) == ("agent", "demo", "Ada Agent")
    assert (demo.queues, demo.start, demo.answer) == (("Sales", "Support"), "logged_out", "manual")
    assert len(others) == 3
    assert all(agent.answer == "auto" for agent in others)
    (arrivals,) = scenario.random_callers
    assert arrivals.interval == (10, 30)
    assert scenario.simulator.token_lifetime == 3600
    assert scenario.simulator.advertise_websocket_url
    assert scenario.kazoo == KazooSettings()
    assert (
        scenario.kazoo.logged_out_status,
        scenario.kazoo.queue_key,
        scenario.kazoo.reason_key,
        scenario.kazoo.unknown_keys,
        scenario.kazoo.membership_shape,
        scenario.kazoo.membership,
    ) == ("not_logged_in", "target_queue", "reason", "ignore", "ids", "open")


def test_a_custom_file_loads_every_section(tmp_path: Path) -> None:
    path = tmp_path / "acme.toml"
    path.write_text(CUSTOM)
    scenario = load_scenario(path)
    assert scenario.simulator.seed == 3
    assert scenario.simulator.max_connections_per_ip == 4
    assert scenario.account.name == "acme"
    assert scenario.realm() == "acme.sim.local"
    assert scenario.agents[0].queues == ("billing",)
    assert scenario.find_queue("billing") is scenario.queues[0]
    assert scenario.callers[0].at == 3
    assert scenario.faults[0].seconds == 2
    assert scenario.random_callers[0].talk_seconds == (10, 20)
    assert len(scenario.user_id(scenario.agents[0])) == 32
    assert scenario.kazoo == KazooSettings(
        logged_out_status="not_found",
        queue_key="queue_id",
        reason_key="",
        unknown_keys="refuse",
        membership_shape="objects",
        membership="forbidden",
    )


def test_ids_are_stable_across_loads(tmp_path: Path) -> None:
    path = tmp_path / "acme.toml"
    path.write_text(CUSTOM)
    first, second = load_scenario(path), load_scenario(str(path))
    assert first.account_id() == second.account_id()
    assert first.user_id(first.agents[0]) == second.user_id(second.agents[0])
    assert first.api_key(first.agents[0]) == second.api_key(second.agents[0])


BROKEN = [
    ("[simulator\nseed = 1\n", 1, ["not valid TOML", "tables look like [name]"]),
    (
        '[[queues]]\nname = "Sales"\n\n[[agents]]\nusername = "a"\npassword = "b"\n'
        'anser = "auto"\n',
        7,
        ["agents[0].anser", "unknown setting 'anser'", "allowed here:", "answer"],
    ),
    (
        '[[queues]]\nname = "Sales"\nring_timeout = "20"\n',
        3,
        ["queues[0].ring_timeout", "expected a number, got text", "write a number"],
    ),
    (
        '[[queues]]\nname = "Sales"\n[[agents]]\nusername = "a"\npassword = "b"\n'
        'answer = "automatic"\n',
        6,
        ["agents[0].answer", "'automatic' is not allowed", "use one of: auto, manual"],
    ),
    (
        '[[queues]]\nname = "Sales"\n[[agents]]\nusername = "a"\npassword = "b"\n'
        '[[agents]]\nusername = "c"\npassword = "d"\nqueues = ["Sales", "Salse"]\n',
        9,
        ["agents[1].queues[1]", "no queue named 'Salse'", "use one of: Sales"],
    ),
    (
        '[[queues]]\nname = "Sales"\n[[agents]]\nusername = "a"\n',
        3,
        ["agents[0]", "'password' is missing", "add password = ..."],
    ),
    (
        '[[queues]]\nname = "Sales"\n[[agents]]\nusername = "a"\npassword = "b"\n'
        "[[random_callers]]\ninterval = [30, 10]\n",
        7,
        ["random_callers[0].interval", "[30, 10] is not a range", "low <= high"],
    ),
    (
        '[[queues]]\nname = "Sales"\n[[agents]]\nusername = "a"\npassword = "b"\n'
        "[[random_callers]]\ninterval = [30]\n",
        7,
        ["expected a list of 2", "[low, high]"],
    ),
    ('[[queues]]\nname = "Sales"\n', None, ["there are no agents", "add at least one [[agents]]"]),
    (
        '[[queues]]\nname = "Sales"\n[[agents]]\nusername = "a"\npassword = "b"\n'
        '[[agents]]\nusername = "A"\npassword = "c"\n',
        7,
        ["agents[1].username", "used twice"],
    ),
    (
        '[[queues]]\nname = "Sales"\n[[agents]]\nusername = "a"\npassword = "b"\n'
        '[[faults]]\nat = 5\naction = "hang_rest"\n',
        6,
        ["faults[0]", "hang_rest needs a duration", "add seconds ="],
    ),
    (
        '[[queues]]\nname = "Sales"\n[[agents]]\nusername = "a"\npassword = "b"\n'
        '[[faults]]\nat = 5\naction = "explode"\n',
        8,
        ["faults[0].action", "use one of: drop_sockets, refuse_connections"],
    ),
    (
        '[simulator]\ntoken_lifetime = 0\n[[queues]]\nname = "Sales"\n',
        2,
        ["simulator.token_lifetime", "not a positive number", "above 0"],
    ),
    ('[[agent]]\nusername = "a"\n', 1, ["unknown setting 'agent'", "agents"]),
    (
        '[kazoo]\nunknown_keys = "drop"\n[[queues]]\nname = "Sales"\n',
        2,
        ["kazoo.unknown_keys", "'drop' is not allowed", "use one of: ignore, refuse"],
    ),
    (
        '[kazoo]\nmembership_shape = "list"\n',
        2,
        ["kazoo.membership_shape", "use one of: ids, objects"],
    ),
    (
        "[kazoo]\nlogged_out_status = 404\n",
        2,
        ["kazoo.logged_out_status", "expected text"],
    ),
    (
        '[simulator]\nseed = 1\n[kazoo]\nqueue_key = "status"\n',
        4,
        ["kazoo.queue_key", "is the status key itself", 'or "" for none'],
    ),
    (
        '[kazoo]\nqueue_key = "q"\nreason_key = "q"\n',
        3,
        ["kazoo.reason_key", "both 'q'", "give them different keys"],
    ),
    ('[kazoo]\nqueue = "q"\n', 2, ["kazoo.queue", "allowed here:", "queue_key"]),
]


@pytest.mark.parametrize(("text", "line", "words"), BROKEN)
def test_a_broken_file_names_the_file_the_line_and_the_fix(
    tmp_path: Path, text: str, line: int | None, words: list[str]
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert caught.value.line == line
    if line is not None:
        assert f"line {line}:" in message
    for word in words:
        assert word in message
    assert "\n" not in message
    assert "Traceback" not in message


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="does not exist; check the path") as caught:
        load_scenario(tmp_path / "nowhere.toml")
    assert "bundled scenario (default, bare)" in str(caught.value)


def test_bundled_scenarios_load_by_name_unless_a_file_has_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = load_scenario("bare")
    assert bare == bundled_scenario("bare")
    assert not bare.simulator.advertise_websocket_url
    assert bare.kazoo == KazooSettings()
    assert [agent.username for agent in bare.agents] == ["agent", "grace"]
    assert bare.random_callers
    assert load_scenario("default") == default_scenario()
    with pytest.raises(ScenarioError, match="no bundled scenario 'plain'; use one of: default"):
        bundled_scenario("plain")
    monkeypatch.chdir(tmp_path)
    Path("bare").write_text(CUSTOM)
    assert load_scenario("bare").account.name == "acme"


def test_a_scenario_built_in_code_is_checked_too() -> None:
    with pytest.raises(ScenarioError, match=r"agents\[0\]\.queues\[0\]: there is no queue named"):
        Scenario(
            queues=(QueueConfig(name="Sales"),),
            agents=(AgentConfig(username="a", password="b", queues=("Nope",)),),
        )
    with pytest.raises(ScenarioError, match="ring_timeout"):
        QueueConfig(name="Sales", ring_timeout=0)
