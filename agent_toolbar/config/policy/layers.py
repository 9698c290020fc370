"""The settings as layers of raw TOML-shaped tables: built-in, policy defaults, the
user's own file, locked policy; later layers win, key by key.

A key is the path of one value as the settings file nests it, such as
("preferences", "quit_while_ready") or ("profiles", "main", "api_url"). A table the
settings type as a whole (`hotkeys`, `wire`) is one value: a layer replaces it whole.
"""

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin

import msgspec

from agent_toolbar.config.settings import Config, Profile

Key = tuple[str, ...]


@dataclass(frozen=True)
class Layers:
    """The policy's part of the settings: its defaults under the user's file, its locked
    values over it. Empty tables: no policy, the file alone."""

    under: Mapping[str, Any] = field(default_factory=dict)
    over: Mapping[str, Any] = field(default_factory=dict)

    def applied(self, own: Mapping[str, Any]) -> dict[str, Any]:
        """The user's raw table with the policy's defaults under it and locks over it;
        without a policy, the table itself."""
        return merged(self.under, own, self.over) if self else dict(own)

    def __bool__(self) -> bool:
        return bool(self.under or self.over)


NO_POLICY = Layers()
"""The settings file alone."""


def kind_of(key: Key) -> Any | None:
    """The type the settings give `key` (an annotation msgspec converts to); None when the
    settings have no such key."""
    kind: Any = Config
    for part in key:
        if _is_struct(kind):
            fields = {each.encode_name: each.type for each in msgspec.structs.fields(kind)}
            if part not in fields:
                return None
            kind = fields[part]
        elif _is_tables(kind):
            kind = get_args(kind)[1]
        else:
            return None
    return kind


def is_table(kind: Any) -> bool:
    """Whether values of this type are tables of keys, each a value of its own."""
    return _is_struct(kind) or _is_tables(kind)


def leaves(table: Mapping[str, Any], key: Key = ()) -> Iterator[tuple[Key, Any]]:
    """Each value of a raw table with its key, walking only the tables the settings nest;
    a key the settings do not know is a value of its own."""
    for name, value in table.items():
        inner = (*key, name)
        if isinstance(value, Mapping) and is_table(kind_of(inner)):
            yield from leaves(value, inner)
        else:
            yield inner, plain(value)


def plain(value: Any) -> Any:
    """A value as TOML reads it back: a tuple is a list."""
    return list(value) if isinstance(value, tuple) else value


def nested(values: Mapping[Key, Any]) -> dict[str, Any]:
    """The raw table of keyed values: the reverse of `leaves`."""
    table: dict[str, Any] = {}
    for key, value in values.items():
        node = table
        for part in key[:-1]:
            node = node.setdefault(part, {})
        node[key[-1]] = value
    return table


def merged(*tables: Mapping[str, Any]) -> dict[str, Any]:
    """The tables' values, a later table's value winning over an earlier one's."""
    values: dict[Key, Any] = {}
    for table in tables:
        for key, value in leaves(table):
            # A table where a value was (or the reverse): the later table's shape wins.
            for clash in [each for each in values if each != key and overlaps(each, key)]:
                del values[clash]
            values[key] = value
    return copy.deepcopy(nested(values))


def overlaps(key: Key, other: Key) -> bool:
    """Whether one of the keys is inside the other (or they are the same)."""
    shorter = min(len(key), len(other))
    return key[:shorter] == other[:shorter]


def own_choices(config: Config, layers: Layers, own: Mapping[str, Any]) -> dict[str, Any]:
    """What of `config` the user's file keeps: never a locked value, and otherwise each
    value that differs from what the file would get without it (the policy's default,
    else the built-in one), or that the file already held against a policy default."""
    locked = dict(leaves(layers.over))
    defaults = dict(leaves(layers.under))
    held = dict(leaves(own))
    kept: dict[Key, Any] = {}
    for key, value in leaves(msgspec.to_builtins(config)):
        if key in locked or value is None:
            continue
        baseline = defaults[key] if key in defaults else _built_in(key)
        if value != baseline or (key in held and key in defaults):
            kept[key] = value
    return nested(kept)


def _built_in(key: Key) -> Any:
    """The built-in default of `key`; a value nothing equals for a required one."""
    if key[0] == "profiles" and len(key) == 3:
        fields = {each.encode_name: each for each in msgspec.structs.fields(Profile)}
        found = fields.get(key[2])
        if found is None or found.required:
            return _REQUIRED
        made = found.default_factory() if found.default is msgspec.NODEFAULT else found.default
        return plain(msgspec.to_builtins(made))
    return dict(leaves(msgspec.to_builtins(Config()))).get(key, _REQUIRED)


_REQUIRED = object()


def _is_struct(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, msgspec.Struct)


def _is_tables(kind: Any) -> bool:
    """A table of named tables, such as `profiles`."""
    return get_origin(kind) is dict and _is_struct(get_args(kind)[1])
