"""A policy: each source checked against the settings' own types, and the effective
settings with where each value came from.

Precedence: locked policy > the user's choice > policy defaults > built-in defaults.
A bad policy never locks an agent out: a key that is unknown or of the wrong type is
refused alone (named with its source and the fix) and the rest applies; a source that
holds a secret is refused whole, since a file anyone may read has then leaked it.
"""

import difflib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from agent_toolbar.config.policy.layers import (
    Key,
    Layers,
    is_table,
    kind_of,
    leaves,
    nested,
    overlaps,
    plain,
)
from agent_toolbar.config.settings import Config
from agent_toolbar.config.settings_file import (
    ConfigError,
    load,
    own_table,
    problem_in,
    profile_name_problem,
)
from agent_toolbar.support.redaction import redact

PARTS = ("defaults", "locked")
_SECRET = re.compile(r"pass(word|wd|phrase)?|secret|token|credential|api_?key", re.IGNORECASE)
_SECRET_FIX = (
    "remove it and every other secret from the policy (secrets live in each agent's "
    "keychain), then change that secret: anyone who could read this source has seen it"
)


@dataclass(frozen=True)
class Problem:
    """Why a part of a policy was not applied, in one line: where, what, and the fix."""

    where: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}. {self.fix}"


@dataclass(frozen=True)
class Source:
    """One place a policy comes from (a file, a registry key, a plist), read into
    TOML-shaped tables: `parts` maps "defaults" and "locked" to them."""

    name: str
    parts: Mapping[str, Any] = field(default_factory=dict)
    unreadable: Problem | None = None
    """Why the source could not be read at all; then `parts` is empty."""
    lenient: bool = False
    """Values come as words and numbers (the registry): 1 is true, "30" is 30."""
    names: Mapping[Key, str] = field(default_factory=dict)
    """How the source names a key (part first) where its own words differ from
    "NAME: part.key"; the registry names its keys and values."""

    def where(self, key: Key) -> str:
        return self.names.get(key) or f"{self.name}: {'.'.join(key)}"


@dataclass(frozen=True)
class Setting:
    value: Any
    source: str
    """The source and the key that set it, e.g. "/etc/agent-toolbar/policy.toml: locked.x"."""


@dataclass(frozen=True)
class Policy:
    """What the organisation set: defaults, locks, and why any part was refused."""

    defaults: Mapping[Key, Setting] = field(default_factory=dict)
    locks: Mapping[Key, Setting] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def locked(self, key_path: str | Key) -> str | None:
        """Where the lock on `key_path` ("preferences.quit_while_ready") comes from; None
        when the user may change it."""
        key = tuple(key_path.split(".")) if isinstance(key_path, str) else key_path
        setting = self.locks.get(key)
        return setting.source if setting is not None else None

    def profile_locked(self, name: str) -> str | None:
        """Where a lock on one of profile `name`'s keys comes from: such a profile is the
        organisation's, and keeps its name (None: the policy locks none of its keys)."""
        return next(
            (each.source for key, each in self.locks.items() if key[:2] == ("profiles", name)),
            None,
        )

    def layers(self) -> Layers:
        return Layers(
            under=nested({key: each.value for key, each in self.defaults.items()}),
            over=nested({key: each.value for key, each in self.locks.items()}),
        )


def policy_from(sources: Sequence[Source]) -> Policy:
    """The policy of `sources`, the first to set a key winning over the later ones."""
    found: dict[str, dict[Key, Setting]] = {part: {} for part in PARTS}
    problems: list[Problem] = []
    for source in sources:
        checked, refused = _checked(source)
        problems.extend(refused)
        for (part, *key), setting in checked.items():
            found[part].setdefault(tuple(key), setting)
    return Policy(found["defaults"], found["locked"], tuple(problems))


def _checked(source: Source) -> tuple[dict[Key, Setting], list[Problem]]:
    """The source's valid values, keyed with their part first, and why the others went."""
    if source.unreadable is not None:
        return {}, [source.unreadable]
    secret = next(_secrets(source), None)
    if secret is not None:
        problem = (
            f"a policy never holds a secret, and this one has {secret[-1]}, so all of it is refused"
        )
        return {}, [Problem(source.where(secret), problem, _SECRET_FIX)]
    checked: dict[Key, Setting] = {}
    problems: list[Problem] = []
    for part, table in source.parts.items():
        if part not in PARTS or not isinstance(table, Mapping):
            fix = "a policy has two tables, defaults and locked: move its keys into one of them"
            problems.append(
                Problem(source.where((part,)), f"{part} is not a part of a policy", fix)
            )
            continue
        for key, value in leaves(table):
            try:
                checked[(part, *key)] = Setting(
                    _value(key, value, source.lenient), source.where((part, *key))
                )
            except _Refused as refused:
                problems.append(Problem(source.where((part, *key)), refused.problem, refused.fix))
    return checked, problems


def _secrets(source: Source) -> Iterator[Key]:
    """Keys that name a secret, with their part first (see `_secret_keys`)."""
    for part, table in source.parts.items():
        if isinstance(table, Mapping):
            for key, value in leaves(table):
                yield from ((part, *found) for found in _secret_keys(key, value))


def _secret_keys(key: Key, value: Any) -> Iterator[Key]:
    """`key` when it names a secret: a key the settings do not know (or one inside such a
    table), or text where the settings keep no text (`api_key = "..."` is the key itself,
    not the yes or no the settings mean)."""
    kind = kind_of(key)
    if kind is None:
        if _SECRET.search(key[-1]):
            yield key
        elif isinstance(value, Mapping):
            for name, inner in value.items():
                yield from _secret_keys((*key, str(name)), inner)
    elif _SECRET.search(key[-1]) and isinstance(value, str) and not _converts(value, kind):
        yield key


def _converts(value: Any, kind: Any) -> bool:
    try:
        msgspec.convert(value, kind, strict=False)
    except msgspec.ValidationError:
        return False
    return True


class _Refused(Exception):
    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


def _value(key: Key, value: Any, lenient: bool) -> Any:
    """`value` as the settings file would hold it at `key`; raises _Refused saying why not."""
    kind = kind_of(key)
    if key[0] == "profiles" and len(key) > 1 and profile_name_problem(key[1]) is not None:
        raise _Refused(
            f"the profile name {key[1]!r} cannot be used", str(profile_name_problem(key[1]))
        )
    if kind is None:
        raise _Refused(
            f"the settings have no key {'.'.join(key)}",
            f"remove it, or correct its name{_close(key)}",
        )
    if is_table(kind):
        raise _Refused(
            f"{'.'.join(key)} is a table of keys, not one value", "set its keys one by one"
        )
    try:
        converted = msgspec.convert(value, kind, strict=not lenient)
    except msgspec.ValidationError as error:
        shown = redact(repr(value))[:40]
        raise _Refused(
            f"{key[-1]} is {shown}, which the settings do not accept ({error})",
            "correct the value to the type docs/policy.md gives for this key",
        ) from None
    return plain(msgspec.to_builtins(converted))


def _close(key: Key) -> str:
    """A known key close to the unknown last part of `key`, as " (did you mean x?)"."""
    parent = kind_of(key[:-1])
    if not isinstance(parent, type) or not issubclass(parent, msgspec.Struct):
        return ""
    names = [each.encode_name for each in msgspec.structs.fields(parent)]
    close = difflib.get_close_matches(key[-1], names, n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def fitted(policy: Policy, own: Mapping[str, Any], path: Path) -> Policy:
    """The policy without what cannot stand with the user's settings in `path` (a policy
    profile that lacks its api_url, a default_profile naming no profile, a wire key the
    backend does not have): each part taken out is a problem named with its source.
    What is wrong in the user's own file is left for `load` to report, and looked past."""
    problems = list(policy.problems)
    defaults, locks = dict(policy.defaults), dict(policy.locks)
    own_values = dict(leaves(own))
    while True:
        error = problem_in(path, Policy(defaults, locks).layers().applied(nested(own_values)))
        if error is None or not error.key:
            break
        mistaken = [key for key in own_values if overlaps(key, error.key)]
        for key in mistaken:
            del own_values[key]
        if mistaken:
            continue
        taken = [key for key in (*defaults, *locks) if overlaps(key, error.key)]
        if not taken:
            break
        first = locks.get(taken[0]) or defaults[taken[0]]
        problems.append(Problem(first.source, error.problem, f"{error.fix} in the policy"))
        for key in taken:
            defaults.pop(key, None)
            locks.pop(key, None)
    return Policy(defaults, locks, tuple(problems))


@dataclass(frozen=True)
class Effective:
    """The settings in force, where each came from, and what was refused."""

    config: Config
    sources: Mapping[Key, str]
    policy: Policy
    error: ConfigError | None
    """The first problem of the user's own file; the rest of it applies."""

    def problems(self) -> list[str]:
        """Each problem in one line: the policy's, then the user's file's."""
        return [str(each) for each in self.policy.problems] + (
            [str(self.error)] if self.error is not None else []
        )


def effective(path: Path, policy: Policy) -> Effective:
    """The user's settings in `path` with `policy` applied. Blocking: it reads the file."""
    own = own_table(path)
    policy = fitted(policy, own, path)
    try:
        config, error = load(path, policy.layers()), None
    except ConfigError as failed:
        config, error = failed.readable, failed
    return Effective(config, _sources(config, own, policy, path), policy, error)


def _sources(config: Config, own: Mapping[str, Any], policy: Policy, path: Path) -> dict[Key, str]:
    """Each key of `config` and the words for where its value came from."""
    own_keys = {key for key, _ in leaves(own)}

    def words(key: Key) -> str:
        if key in policy.locks:
            return f"locked by policy ({policy.locks[key].source})"
        if key in own_keys:
            return f"your settings ({path})"
        if key in policy.defaults:
            return f"policy default ({policy.defaults[key].source})"
        return "built-in"

    return {key: words(key) for key, _ in leaves(msgspec.to_builtins(config))}
