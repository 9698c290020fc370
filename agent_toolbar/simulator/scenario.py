"""Scenarios: who works in the simulated call center, and what happens to them.

A scenario is a TOML file (the format is described in README.md beside this module)
or a `Scenario` built in code, as tests do. Loading checks everything up front and
fails with one `ScenarioError` that names the file, the line when it can be found,
and what to change: people edit these files by hand, a traceback would help nobody.
"""

import hashlib
import re
import tomllib
import typing
from importlib import resources
from os import PathLike
from pathlib import Path
from typing import Any, Literal

import msgspec

StartStatus = Literal["logged_out", "away", "ready"]
AnswerMode = Literal["auto", "manual"]
FaultAction = Literal[
    "drop_sockets",
    "refuse_connections",
    "expire_tokens",
    "fail_rest",
    "hang_rest",
    "drop_events",
    "duplicate_events",
    "drop_callbacks",
]
LoggedOutStatus = Literal["not_logged_in", "not_found"]
UnknownKeys = Literal["ignore", "refuse"]
MembershipShape = Literal["ids", "objects"]
MembershipAccess = Literal["open", "forbidden"]
QuickcallAccess = Literal["allowed", "no_devices", "forbidden"]
PathPart = str | int


class ScenarioError(ValueError):
    """A scenario that cannot run; `str()` says where the problem is and how to fix it."""

    def __init__(
        self,
        problem: str,
        fix: str = "",
        *,
        path: tuple[PathPart, ...] = (),
        file: str | None = None,
        line: int | None = None,
    ) -> None:
        self.problem = problem
        self.fix = fix
        self.path = path
        self.file = file
        self.line = line
        super().__init__(self._text())

    def _text(self) -> str:
        place = ", ".join(
            part for part in (self.file, None if self.line is None else f"line {self.line}") if part
        )
        text = self.problem
        if self.path:
            text = f"{dotted(self.path)}: {text}"
        if place:
            text = f"{place}: {text}"
        return f"{text}; {self.fix}" if self.fix else text


def dotted(path: tuple[PathPart, ...]) -> str:
    """`("agents", 1, "answer")` as `agents[1].answer`, the way people read TOML."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


class _Table(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base of every scenario table: unknown keys are typos, so they are errors."""


def _check_range(pair: tuple[float, float], name: str, minimum: float) -> None:
    low, high = pair
    if low < minimum or high < low:
        raise ScenarioError(
            f"[{low:g}, {high:g}] is not a range of seconds",
            f"write [low, high] with {minimum:g} <= low <= high",
            path=(name,),
        )


def _check_positive(value: float, name: str) -> None:
    if not value > 0:
        raise ScenarioError(
            f"{value:g} is not a positive number", "use a number above 0", path=(name,)
        )


class Settings(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How the simulated servers behave (`[simulator]`)."""

    seed: int | None = None
    """Seed of every random choice; the same seed and a manual clock give the same run."""
    token_lifetime: float = 3600.0
    sync_interval: float = 60.0
    max_connections_per_ip: int = 100
    idle_timeout: float = 3600.0
    advertise_websocket_url: bool = True
    auto_answer_delay: tuple[float, float] = (1.0, 5.0)
    placed_call_ring: float = 30.0
    """How long the agent's phone rings for a call placed through the API before the
    server gives up on it (no call is made then)."""

    def __post_init__(self) -> None:
        for name in ("token_lifetime", "sync_interval", "idle_timeout", "placed_call_ring"):
            _check_positive(getattr(self, name), name)
        if self.max_connections_per_ip < 1:
            raise ScenarioError(
                f"{self.max_connections_per_ip} connections is too few",
                "allow at least 1",
                path=("max_connections_per_ip",),
            )
        _check_range(self.auto_answer_delay, "auto_answer_delay", 0.0)


class KazooSettings(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """How Kazoo/Qubicle answers where the public evidence is unsure (`[kazoo]`): one
    switch per plausible server, so tests can prove a client copes with each."""

    logged_out_status: LoggedOutStatus = "not_logged_in"
    """[inferred] A logged-out agent's status read: a 200 saying `Not-Logged-In`, or a 404."""
    queue_key: str = "target_queue"
    """[assumed] The status POST key naming the one queue a ready/away is for (the name
    2600Hz's callflow docs use; the REST key is undocumented); "" = no per-queue change."""
    reason_key: str = "reason"
    """[unknown] The status POST key carrying an away reason; "" = the server takes none."""
    unknown_keys: UnknownKeys = "ignore"
    """[unknown] Other status POST keys: dropped (the rest applied), or a 400 naming them."""
    membership_shape: MembershipShape = "ids"
    """[assumed] A queue's recipients as id strings, or as `{"id", "name"}` objects."""
    extend_event: bool = False
    """[doc] No event confirms a wrap-up extension; true: a new `wrapup_start` with the
    time left announces it (what this simulator did before the evidence said otherwise)."""
    membership: MembershipAccess = "open"
    """[assumed] Whether an agent's token may read queue membership (forbidden: 403)."""
    queue_documents: MembershipAccess = "open"
    """[inferred] Whether an agent's token may read a queue's document and its settings
    (`GET qubicle_queues/{Q}`; forbidden: 403)."""
    quickcall: QuickcallAccess = "allowed"
    """[doc] Whether quickcall places calls for the agents, or refuses as Kazoo does for a
    user with no device (500 `unspecified_fault`) or under token restrictions (403)."""

    def __post_init__(self) -> None:
        for name in ("queue_key", "reason_key"):
            if getattr(self, name) == "status":
                raise ScenarioError(
                    f'{name} = "status" is the status key itself',
                    'use another key, or "" for none',
                    path=(name,),
                )
        if self.queue_key and self.queue_key == self.reason_key:
            raise ScenarioError(
                f"queue_key and reason_key are both {self.queue_key!r}",
                "give them different keys",
                path=("reason_key",),
            )


PastLastPage = Literal["empty", "not_found"]
CallbackAccess = Literal["allowed", "forbidden"]
AgentExtensionType = Literal["phone", "fax"]
_JSON_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


class TelphinSettings(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The Telphin surface of the same call center (`[telphin]`); the keys after the caps
    choose among the plausible servers where no public source says which one is real."""

    client_id: int = 100
    """The PBX account id that `GET /user/` reports and paths name (not the OAuth app id)."""
    token_lifetime: float = 3600.0
    """Seconds an OAuth access token lives (its `expires_in`); use is no extension."""
    agent_event_limit: int = 10
    """Most event subscriptions one queue agent may have."""
    extension_event_limit: int = 10
    """Most event subscriptions one extension may have."""
    agent_status_field: str = "status"
    """The agent object's status field, also the status change's key; "" for none."""
    agent_state_field: str = "state"
    """The agent object's state-letter field; "" for none."""
    extension_users: bool = False
    """Agents' users are bound to their extension: `GET /user/` gives `client_id: null`."""
    page_size: int = 20
    """Items a list page holds when the request names no `per_page`."""
    max_per_page: int = 100
    """The most items a page holds, whatever `per_page` asks."""
    past_last_page: PastLastPage = "empty"
    """What a page past the last one answers: an empty list, or 404."""
    callback: CallbackAccess = "allowed"
    """Whether apps may place calls (`POST /extension/{id}/callback/`), or get 403."""
    agent_extension_type: AgentExtensionType = "phone"
    """The type of the agents' extensions: another than `phone` cannot place calls."""

    def __post_init__(self) -> None:
        _check_positive(self.token_lifetime, "token_lifetime")
        for name in (
            "client_id",
            "agent_event_limit",
            "extension_event_limit",
            "page_size",
            "max_per_page",
        ):
            value = getattr(self, name)
            if value < 1:
                raise ScenarioError(f"{name} = {value}", "use 1 or more", path=(name,))
        if self.page_size > self.max_per_page:
            raise ScenarioError(
                f"page_size = {self.page_size} is more than max_per_page = {self.max_per_page}",
                "make page_size at most max_per_page",
                path=("page_size",),
            )
        for name in ("agent_status_field", "agent_state_field"):
            value = getattr(self, name)
            if value and not _JSON_NAME.fullmatch(value):
                raise ScenarioError(
                    f"{name} = {value!r} is not a field name",
                    'use letters, digits and _ (such as "agent_status"), or "" for none',
                    path=(name,),
                )


class Account(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The one Kazoo account the agents belong to (`[account]`)."""

    name: str = "demo"
    realm: str | None = None
    id: str | None = None


class QueueConfig(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One Qubicle queue (`[[queues]]`); times in seconds."""

    name: str
    id: str | None = None
    ring_timeout: float = 20.0
    wrapup_time: float = 0.0
    force_away_on_reject: bool = False

    def __post_init__(self) -> None:
        _check_positive(self.ring_timeout, "ring_timeout")
        if self.wrapup_time < 0:
            raise ScenarioError(
                f"{self.wrapup_time:g} seconds of wrap-up", "use 0 for none", path=("wrapup_time",)
            )


class AgentConfig(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One agent (a Qubicle recipient and a Kazoo user) (`[[agents]]`)."""

    username: str
    password: str
    display_name: str | None = None
    queues: tuple[str, ...] = ()
    """Queue names (or ids) the agent takes calls from."""
    start: StartStatus = "logged_out"
    answer: AnswerMode = "manual"
    """`auto`: answers every offer after `auto_answer_delay`; `manual`: someone must answer."""
    supervisor: bool = False
    """Supervisors may monitor other agents' calls."""
    api_key: str | None = None
    id: str | None = None


class RandomCallers(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Callers arriving at random (`[[random_callers]]`); each pair is a [low, high] range."""

    queues: tuple[str, ...] = ()
    """Queues a caller picks from at random; empty means every queue."""
    interval: tuple[float, float] = (10.0, 30.0)
    talk_seconds: tuple[float, float] = (20.0, 90.0)
    patience: tuple[float, float] = (45.0, 180.0)

    def __post_init__(self) -> None:
        _check_range(self.interval, "interval", 0.1)
        _check_range(self.talk_seconds, "talk_seconds", 0.0)
        _check_range(self.patience, "patience", 0.0)


class ScriptedCaller(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One caller arriving `at` seconds after the start (`[[callers]]`)."""

    at: float
    queue: str
    name: str = "Scripted Caller"
    number: str = "+15550100"
    talk_seconds: float = 60.0
    patience: float = 120.0

    def __post_init__(self) -> None:
        if self.at < 0:
            raise ScenarioError(f"{self.at:g} is before the start", "use 0 or more", path=("at",))
        _check_positive(self.talk_seconds, "talk_seconds")
        _check_positive(self.patience, "patience")


_NEEDS_SECONDS = ("refuse_connections", "hang_rest")


class ScriptedFault(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """One fault injected `at` seconds after the start (`[[faults]]`)."""

    at: float
    action: FaultAction
    seconds: float | None = None
    """How long connections are refused or REST requests hang (real seconds)."""
    status: int = 500
    times: int = 1
    retry_after: float | None = None

    def __post_init__(self) -> None:
        if self.at < 0:
            raise ScenarioError(f"{self.at:g} is before the start", "use 0 or more", path=("at",))
        if self.action in _NEEDS_SECONDS and (self.seconds is None or self.seconds <= 0):
            raise ScenarioError(
                f"{self.action} needs a duration", "add seconds = <a number above 0>"
            )
        if self.times < 1:
            raise ScenarioError(f"times = {self.times}", "use 1 or more", path=("times",))
        if not 400 <= self.status <= 599:
            raise ScenarioError(
                f"status {self.status} is not an error",
                "use an HTTP error from 400 to 599",
                path=("status",),
            )


def stable_id(*parts: str) -> str:
    """A Kazoo-style 32-hex id derived from names, so ids survive a restart of the simulator."""
    return hashlib.md5("/".join(parts).encode(), usedforsecurity=False).hexdigest()


class Replay(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A capture whose REST answers the simulator serves (`[replay]`; see captured.py)."""

    capture: str
    """The capture file (`agent-toolbar doctor --capture`); relative to the scenario's file."""


class Scenario(_Table, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Everything the simulator needs: settings, the account, queues, agents and events.

    With `[replay]`, queues and agents may be left out: the capture answers the REST
    requests, not the call center."""

    simulator: Settings = msgspec.field(default_factory=Settings)
    account: Account = msgspec.field(default_factory=Account)
    kazoo: KazooSettings = msgspec.field(default_factory=KazooSettings)
    telphin: TelphinSettings = msgspec.field(default_factory=TelphinSettings)
    queues: tuple[QueueConfig, ...] = ()
    agents: tuple[AgentConfig, ...] = ()
    random_callers: tuple[RandomCallers, ...] = ()
    callers: tuple[ScriptedCaller, ...] = ()
    faults: tuple[ScriptedFault, ...] = ()
    replay: Replay | None = None

    def __post_init__(self) -> None:
        if self.replay is not None and not (self.queues or self.agents):
            return
        if not self.queues:
            raise ScenarioError("there are no queues", "add at least one [[queues]] table")
        if not self.agents:
            raise ScenarioError("there are no agents", "add at least one [[agents]] table")
        _unique([queue.name.lower() for queue in self.queues], "queues", "name")
        _unique([self.queue_id(queue) for queue in self.queues], "queues", "id")
        _unique([agent.username.lower() for agent in self.agents], "agents", "username")
        _unique([self.user_id(agent) for agent in self.agents], "agents", "id")
        _unique([self.api_key(agent) for agent in self.agents], "agents", "api_key")
        for index, agent in enumerate(self.agents):
            self._check_queues(agent.queues, ("agents", index, "queues"))
        for index, rule in enumerate(self.random_callers):
            self._check_queues(rule.queues, ("random_callers", index, "queues"))
        for index, caller in enumerate(self.callers):
            self._check_queues((caller.queue,), ("callers", index, "queue"), single=True)

    def _check_queues(
        self, names: tuple[str, ...], path: tuple[PathPart, ...], *, single: bool = False
    ) -> None:
        known = ", ".join(queue.name for queue in self.queues)
        for position, name in enumerate(names):
            if self.find_queue(name) is None:
                raise ScenarioError(
                    f"there is no queue named {name!r}",
                    f"use one of: {known}",
                    path=path if single else (*path, position),
                )

    def find_queue(self, ref: str) -> QueueConfig | None:
        """The queue a name (any case) or an id refers to."""
        for queue in self.queues:
            if ref.lower() == queue.name.lower() or ref == self.queue_id(queue):
                return queue
        return None

    def account_id(self) -> str:
        return self.account.id or stable_id("account", self.account.name.lower())

    def realm(self) -> str:
        return self.account.realm or f"{self.account.name.lower()}.sim.local"

    def queue_id(self, queue: QueueConfig) -> str:
        return queue.id or stable_id("queue", self.account_id(), queue.name.lower())

    def user_id(self, agent: AgentConfig) -> str:
        return agent.id or stable_id("user", self.account_id(), agent.username.lower())

    def api_key(self, agent: AgentConfig) -> str:
        if agent.api_key:
            return agent.api_key
        seed = f"api_key/{self.account_id()}/{agent.username.lower()}".encode()
        return hashlib.sha256(seed).hexdigest()


def _unique(values: list[str], table: str, key: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise ScenarioError(
                f"{key} {value!r} is used twice",
                f"give each of the {table} its own {key}",
                path=(table, index, key),
            )
        seen.add(value)


BUNDLED = ("default", "bare")
"""Scenarios shipped beside this module (`NAME.toml`), loadable by name."""


def bundled_scenario(name: str) -> Scenario:
    """A scenario shipped with the simulator: `default` (the demo) or `bare` (a bare
    install: no websocket URL at login, Blackhole on its default port)."""
    if name not in BUNDLED:
        raise ScenarioError(
            f"there is no bundled scenario {name!r}", f"use one of: {', '.join(BUNDLED)}"
        )
    file = f"{name}.toml"
    text = resources.files(__package__).joinpath(file).read_text(encoding="utf-8")
    return parse_scenario(text, file)


def default_scenario() -> Scenario:
    """The demo: Sales and Support, the demo agent (agent/demo), three colleagues, lively."""
    return bundled_scenario("default")


def load_scenario(path: str | PathLike[str]) -> Scenario:
    """Read a TOML scenario file, or a bundled one by name (`bare`) when no such file
    exists, so `--scenario bare` works from anywhere; any problem raises `ScenarioError`."""
    file = str(path)
    if file in BUNDLED and not Path(path).exists():
        return bundled_scenario(file)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(
            "the file does not exist",
            f"check the path, or name a bundled scenario ({', '.join(BUNDLED)}); "
            "without one the default scenario runs",
            file=file,
        ) from None
    except UnicodeDecodeError:
        raise ScenarioError("the file is not UTF-8 text", "save it as UTF-8", file=file) from None
    except OSError as error:
        raise ScenarioError(
            f"cannot read the file ({error.strerror})", "check the path and permissions", file=file
        ) from None
    scenario = parse_scenario(text, file)
    if scenario.replay is not None:
        capture = Path(path).parent / scenario.replay.capture
        scenario = msgspec.structs.replace(scenario, replay=Replay(capture=str(capture)))
    return scenario


_TOML_POSITION = re.compile(
    r"^(?P<message>.*?) \((?:at line (?P<line>\d+), column \d+|at end of document)\)$"
)


def parse_scenario(text: str, file: str = "<scenario>") -> Scenario:
    """Read a scenario from TOML text; `file` only names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = _TOML_POSITION.match(str(error))
        message = found["message"] if found else str(error)
        line = int(found["line"]) if found and found["line"] else len(text.splitlines()) or None
        raise ScenarioError(
            f"not valid TOML ({message})",
            "fix the syntax there: text needs quotes, tables look like [name] or [[name]]",
            file=file,
            line=line,
        ) from None
    try:
        return msgspec.convert(data, Scenario)
    except msgspec.ValidationError as error:
        raise _explain(error, text, file) from None


_AT_PATH = re.compile(r"^(?P<problem>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_PATH_PART = re.compile(r"\.(\w+)|\[(\d+)\]")
_UNKNOWN = re.compile(r"^Object contains unknown field `(?P<key>[^`]+)`$")
_MISSING = re.compile(r"^Object missing required field `(?P<key>[^`]+)`$")
_EXPECTED = re.compile(
    r"^Expected `(?P<want>[^`]+)`(?: of length (?P<length>\d+))?, got (?P<got>.+)$"
)
_ENUM = re.compile(r"^Invalid enum value (?P<value>.+)$")
_WORDS = {
    "float": ("a number", "a number such as 20"),
    "int": ("a whole number", "a whole number such as 3"),
    "str": ("text", 'text in quotes, such as "Sales"'),
    "bool": ("true or false", "true or false (no quotes)"),
    "array": ("a list", 'a list in brackets, such as ["Sales", "Support"]'),
    "object": ("a table", "a table"),
    "null": ("nothing", "a value"),
}


def _explain(error: msgspec.ValidationError, text: str, file: str) -> ScenarioError:
    found = _AT_PATH.match(str(error))
    problem = found["problem"] if found else str(error)
    path: tuple[PathPart, ...] = (
        tuple(
            int(index) if index else key for key, index in _PATH_PART.findall(found["path"] or "")
        )
        if found
        else ()
    )
    cause = error.__cause__
    if isinstance(cause, ScenarioError):
        path, problem, fix = (*path, *cause.path), cause.problem, cause.fix
    else:
        path, problem, fix = _describe(problem, path)
    return ScenarioError(problem, fix, path=path, file=file, line=_locate(text, path))


def _describe(problem: str, path: tuple[PathPart, ...]) -> tuple[tuple[PathPart, ...], str, str]:
    """Turn msgspec's wording into what a person editing TOML needs to read."""
    if found := _UNKNOWN.match(problem):
        allowed = ", ".join(field.encode_name for field in msgspec.structs.fields(_type_at(path)))
        return (
            (*path, found["key"]),
            f"unknown setting {found['key']!r}",
            f"check its spelling; allowed here: {allowed}",
        )
    if found := _MISSING.match(problem):
        return path, f"{found['key']!r} is missing", f"add {found['key']} = ... to this table"
    if found := _EXPECTED.match(problem):
        want = found["want"]
        if found["length"]:
            return (
                path,
                f"expected a list of {found['length']}",
                "write [low, high], such as [10, 30]",
            )
        got = found["got"].strip("`")
        return (
            path,
            f"expected {_WORDS.get(want, (want, want))[0]}, got {_WORDS.get(got, (got, got))[0]}",
            f"write {_WORDS.get(want, (want, want))[1]}",
        )
    if found := _ENUM.match(problem):
        choices = ", ".join(str(choice) for choice in typing.get_args(_type_at(path)))
        return path, f"{found['value']} is not allowed", f"use one of: {choices}"
    return path, problem, "see agent_toolbar/simulator/README.md for the format"


def _type_at(path: tuple[PathPart, ...]) -> Any:
    """The declared type at `path` inside `Scenario`, with `None` and tuples unwrapped."""
    kind: Any = Scenario
    for part in path:
        if isinstance(part, int):
            kind = typing.get_args(kind)[0]
            continue
        fields = {field.encode_name: field.type for field in msgspec.structs.fields(kind)}
        kind = fields[part]
        options = [option for option in typing.get_args(kind) if option is not type(None)]
        if typing.get_origin(kind) is not Literal and len(options) == 1:
            kind = options[0]
    return kind


_ARRAY_HEADER = re.compile(r"^\[\[\s*(?P<keys>[^\]]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\[\s*(?P<keys>[^\]]+?)\s*\]")
_KEY = re.compile(r"^(?P<keys>[A-Za-z0-9_.\"' -]+?)\s*=")


def _locate(text: str, path: tuple[PathPart, ...]) -> int | None:
    """The line that defines `path`, or its nearest enclosing key or table."""
    lines: dict[tuple[PathPart, ...], int] = {}
    table: tuple[PathPart, ...] = ()
    counts: dict[tuple[PathPart, ...], int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if found := _ARRAY_HEADER.match(line):
            keys = _keys(found["keys"])
            counts[keys] = counts.get(keys, -1) + 1
            table = (*keys, counts[keys])
            lines.setdefault(keys, number)
            lines.setdefault(table, number)
        elif found := _TABLE_HEADER.match(line):
            table = _keys(found["keys"])
            lines.setdefault(table, number)
        elif found := _KEY.match(line):
            lines.setdefault((*table, *_keys(found["keys"])), number)
    for length in range(len(path), 0, -1):
        if path[:length] in lines:
            return lines[path[:length]]
    return None


def _keys(text: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in text.split("."))
