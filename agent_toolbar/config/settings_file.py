"""The config file: profiles and preferences as TOML, read with errors a person can fix.

A broken file is reported with its path, the line and what to write instead, and
never loses the app its start: the caller shows the error and carries on with the
sign-in dialog. Only a regular file of at most MAX_BYTES is read: a named pipe or a
huge file is refused before it is opened or read. Writes are atomic (a temp file,
fsync, rename), readable by the user only, and leave out every value equal to its
default; under a policy (`config/policy/`), the file holds the user's own choices only,
and a partial profile the policy completes loads. A write that fails says why in the
same plain words. The types hold no secret, so no secret can be written here.
"""

import copy
import difflib
import errno
import os
import re
import time
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn

import msgspec
import msgspec.inspect as types
import platformdirs

from agent_toolbar.backends.wire_facts import WireOverrideError, defaults_for, overrides
from agent_toolbar.config.policy.layers import NO_POLICY, Layers, own_choices
from agent_toolbar.config.settings import Config
from agent_toolbar.config.small_files import (
    FileRefused,
    FileTooLarge,
    read_small_file,
    write_private_file,
)
from agent_toolbar.support.log import config as log
from agent_toolbar.support.redaction import redact

DIRECTORY_VARIABLE = "AGENT_TOOLBAR_CONFIG_DIR"
FILE_NAME = "config.toml"
MAX_BYTES = 1024 * 1024
"""A settings file of many profiles is a few kilobytes: a larger file is refused unread."""
PROFILE_NAME = re.compile(r"[\w-]{1,64}")
"""Letters (any script), digits, `-` and `_`: a name that reads the same everywhere."""

HEADER = (
    "# agent-toolbar: sign-in profiles and preferences (TOML).\n"
    "# Passwords, API keys and app secrets are never kept here: they live in the OS keychain.\n"
    "# Keys left out take their defaults. The toolbar rewrites this file when settings change.\n"
)
_EXAMPLES = {
    "api_url": "https://pbx.example.com:8443/v2",
    "websocket_url": "wss://pbx.example.com:7777",
    "callback_url": "https://toolbar.example.com/agent-42",
    "callback_bind": "127.0.0.1:8765",
    "ca_file": "/etc/ssl/private-ca.pem",
    "username": "ada",
    "account_name": "acme",
}
_WIRE_FIX = (
    "correct it (the keys and what they change are in docs/kazoo.md and docs/telphin.md), "
    "or remove the line to use the toolbar's default"
)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_KEY_LINE = re.compile(rf"\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_TABLE_LINE = re.compile(r"\s*\[[^\[]")
_AT_LINE = re.compile(r"\(at line (\d+), column \d+\)$")
_SYNTAX_HINTS = (
    ("Unescaped '\\'", "write each backslash twice, or use single quotes: ca_file = 'C:\\ca.pem'"),
    (
        "Invalid value",
        'put text in double quotes (username = "ada"); true, false and numbers go bare',
    ),
    ("Cannot overwrite", "each key and each [table] may appear only once: remove the repeated one"),
    ("Cannot declare", "each key and each [table] may appear only once: remove the repeated one"),
    ("Unterminated string", "close the text with a double quote on the same line"),
)

Key = tuple[str, ...]


class ConfigError(Exception):
    """The config file cannot be used: where, what is wrong, and what to write instead.

    From `load`, it also carries what could still be read (`readable`, with `left_out`
    naming each part dropped after this one) and where `save` keeps the file before
    writing over it (`keep_as`): a typo never costs the agent the rest of the file.
    """

    def __init__(self, path: Path, line: int | None, problem: str, fix: str, key: Key = ()) -> None:
        super().__init__(problem)
        self.path = path
        self.line = line
        self.problem = problem
        self.fix = fix
        self.key = key
        """The table or key at fault; () when the whole file is."""
        self.readable = Config()
        self.salvaged = False
        """True when the file parsed and `readable` is the rest of it, not the defaults."""
        self.left_out: tuple[ConfigError, ...] = ()
        self.keep_as: Path | None = None

    def __str__(self) -> str:
        where = f"{self.path}, line {self.line}" if self.line is not None else str(self.path)
        return f"{where}: {self.problem}. {self.fix}"


def config_path() -> Path:
    """Where the config file lives: `$AGENT_TOOLBAR_CONFIG_DIR` (tests, portable installs),
    else the user's config directory."""
    directory = os.environ.get(DIRECTORY_VARIABLE)
    if directory:
        return Path(directory).expanduser() / FILE_NAME
    return platformdirs.user_config_path("agent-toolbar", appauthor=False) / FILE_NAME


def profile_name_problem(name: str) -> str | None:
    """Why `name` cannot name a profile, in plain words; None when it can."""
    if PROFILE_NAME.fullmatch(name):
        return None
    return "a profile name is 1 to 64 letters, digits, - and _ (no spaces)"


def load(path: Path, layers: Layers = NO_POLICY) -> Config:
    """The config in `path`, with a policy's `layers` under and over it; an empty one
    when there is neither file nor policy.

    Raises ConfigError for the first problem; the error holds what could be read
    without each part that is wrong, and the name `save` will keep the file under.
    """
    parsed = None
    try:
        parsed = _parsed(path)
        text, data = parsed or ("", {})
        return _checked(path, text, layers.applied(data))
    except ConfigError as error:
        if parsed is not None:
            text, data = parsed
            error.readable, error.left_out = _salvage(path, text, layers.applied(data))
            error.salvaged = True
        error.keep_as = broken_copy(path)
        raise


def own_table(path: Path) -> dict[str, Any]:
    """The user's own keys as their file writes them; empty when there is no file or it
    does not parse (`load` says why)."""
    try:
        parsed = _parsed(path)
    except ConfigError:
        return {}
    return parsed[1] if parsed is not None else {}


def _parsed(path: Path) -> tuple[str, dict[str, Any]] | None:
    """The file's text and its TOML; None when there is no file. Raises ConfigError."""
    try:
        raw = read_small_file(path, MAX_BYTES)
    except FileNotFoundError:
        return None
    except FileTooLarge as refused:
        fix = "move it away to start afresh: a settings file holds a few kilobytes"
        raise ConfigError(path, None, f"this {refused}", fix) from None
    except FileRefused as refused:
        fix = "replace it with a regular file, or move it away to start afresh"
        raise ConfigError(path, None, f"this {refused}", fix) from None
    except OSError as error:
        raise ConfigError(
            path,
            None,
            f"the file cannot be read ({error.strerror or type(error).__name__})",
            "check that it is a file you may read, or move it away to start afresh",
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(
            path, raw[: error.start].count(b"\n") + 1, "this is not UTF-8 text", "save as UTF-8"
        ) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(path, text, str(error)) from None
    except RecursionError:
        raise ConfigError(
            path,
            _most_nested_line(text),
            "a value is nested too deeply to read",
            "write values without nesting lists or tables inside each other (see docs/profiles.md)",
        ) from None


def _checked(path: Path, text: str, data: dict[str, Any]) -> Config:
    _Checker(path, text).config(data)
    try:
        return msgspec.convert(data, Config)
    except msgspec.ValidationError as error:
        raise ConfigError(path, None, redact(str(error)), "correct that value") from None


def problem_in(path: Path, data: dict[str, Any]) -> ConfigError | None:
    """The first problem `load` would find in these raw settings; None when they load."""
    try:
        _checked(path, "", data)
    except ConfigError as error:
        return error
    return None


def _salvage(path: Path, text: str, data: dict[str, Any]) -> tuple[Config, tuple[ConfigError, ...]]:
    """What of the file still reads once each wrong key is left out (a profile that lacks
    what it needs without it goes too), and the problems after the first; the defaults
    when what is wrong cannot be told apart from the rest."""
    data = copy.deepcopy(data)
    problems: list[ConfigError] = []
    while True:
        try:
            return _checked(path, text, data), tuple(problems[1:])
        except ConfigError as error:
            problems.append(error)
            if not _drop(data, error.key):
                return Config(), tuple(problems[1:])


def _drop(data: dict[str, Any], key: Key) -> bool:
    """Remove `key` from the parsed file; False when there is no such key to remove."""
    node: Any = data
    for part in key[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if not key or not isinstance(node, dict) or key[-1] not in node:
        return False
    del node[key[-1]]
    return True


def broken_copy(path: Path) -> Path | None:
    """Where a file that does not load is kept before `save` writes over it: its name
    and its last change, e.g. config.toml.broken-20250301-093000; None with no file."""
    try:
        changed = path.lstat().st_mtime
    except OSError:
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(changed))
    return path.with_name(f"{path.name}.broken-{stamp}")


def save(path: Path, config: Config, layers: Layers = NO_POLICY) -> None:
    """Write `config` atomically, readable by the user only (0600 in a 0700 directory):
    only the user's own choices (`own_choices`), never a policy's value.

    Raises ConfigError for what `load` would refuse (so that a save never breaks the
    next start), and for a file that cannot be written, saying why in plain words.
    """
    text = dumps(own_choices(config, layers, own_table(path)) if layers else config)
    try:
        _Checker(path, text).config(layers.applied(tomllib.loads(text)))
    except ConfigError as error:
        raise ConfigError(path, None, error.problem, error.fix) from None
    try:
        _keep_broken(path, layers)
        write_private_file(path, text.encode())
    except OSError as error:
        raise _not_saved(path, error) from None


def _keep_broken(path: Path, layers: Layers) -> None:
    """Never write over a file that does not load: move it to `broken_copy`'s name (a
    number added where that is taken), so the agent's own words are never lost."""
    try:
        load(path, layers)
    except ConfigError as error:
        if error.keep_as is None:
            return
        kept, number = error.keep_as, 1
        while kept.exists() or kept.is_symlink():
            number += 1
            kept = error.keep_as.with_name(f"{error.keep_as.name}-{number}")
        os.rename(path, kept)
        log.warning("the settings file did not load, so it was kept as %s: %s", kept, error)


def _not_saved(path: Path, error: OSError) -> ConfigError:
    """Why the file could not be written, and what the person at the computer can do."""
    folder = path.parent
    elsewhere = f"or set {DIRECTORY_VARIABLE} to a folder you may write"
    if error.errno == errno.ENOSPC:
        why, fix = "the disk is full", "free some space, then change a setting to save again"
    elif error.errno == errno.EROFS:
        why, fix = "the disk is read-only", f"make {folder} writable, {elsewhere}"
    elif error.errno in (errno.EACCES, errno.EPERM):
        why, fix = "this user may not write there", f"make {folder} writable, {elsewhere}"
    elif error.errno in (errno.EEXIST, errno.ENOTDIR):
        why = "a file stands where its folder should be"
        fix = f"move {_first_file(folder)} away, {elsewhere}"
    else:
        why = error.strerror or type(error).__name__
        fix = f"check that {folder} is a folder you may write, {elsewhere}"
    return ConfigError(path, None, f"the settings could not be saved ({why})", fix)


def _first_file(folder: Path) -> Path:
    """The file in the way of `folder`: itself, or the nearest of its parents that is one."""
    for each in (folder, *folder.parents):
        if each.exists() and not each.is_dir():
            return each
    return folder


def dumps(config: Config | Mapping[str, Any]) -> str:
    """The TOML text of `config`: a header comment, then only what differs from the defaults
    (a raw table is written whole)."""
    lines = [HEADER]
    _write_table(lines, (), config)
    return "\n".join(lines).rstrip("\n") + "\n"


# -- writing ---------------------------------------------------------------------------


def _write_table(lines: list[str], key: Key, table: msgspec.Struct | Mapping[str, Any]) -> None:
    values, tables = _split(table)
    header = bool(key) and (bool(values) or not tables)
    if header:
        lines.append(f"[{_dotted(key)}]")
    lines.extend(f"{_key(name)} = {_value(value)}" for name, value in values)
    if header or values:
        lines.append("")
    for name, inner in tables:
        _write_table(lines, (*key, name), inner)


def _split(table: msgspec.Struct | Mapping[str, Any]) -> tuple[list[tuple[str, Any]], list[Any]]:
    """Plain values and sub-tables of a table, without the values equal to their defaults."""
    if isinstance(table, Mapping):
        items = list(table.items())
    else:
        items = [
            (field.encode_name, getattr(table, field.name))
            for field in msgspec.structs.fields(table)
            if field.required or getattr(table, field.name) != _default(field)
        ]
    values = [(name, value) for name, value in items if not _is_table(value)]
    tables = [(name, value) for name, value in items if _is_table(value)]
    return values, tables


def _is_table(value: Any) -> bool:
    return isinstance(value, msgspec.Struct | dict)


def _default(field: msgspec.structs.FieldInfo) -> Any:
    if field.default_factory is not msgspec.NODEFAULT:
        return field.default_factory()
    return field.default


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise TypeError(f"the config file has no way to write a {type(value).__name__}")


def _string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = []
    for character in text:
        if character in '"\\':
            escaped.append("\\" + character)
        elif character == "\n":
            escaped.append("\\n")
        elif character == "\t":
            escaped.append("\\t")
        elif ord(character) < 0x20 or ord(character) == 0x7F:
            escaped.append(f"\\u{ord(character):04X}")
        else:
            escaped.append(character)
    return '"' + "".join(escaped) + '"'


def _key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else _string(name)


def _dotted(key: Key) -> str:
    return ".".join(_key(part) for part in key)


# -- reading ---------------------------------------------------------------------------


def _most_nested_line(text: str) -> int:
    """The line that opens the most arrays and inline tables: where the nesting is."""
    lines = text.splitlines() or [""]
    depths = [line.count("[") + line.count("{") for line in lines]
    return depths.index(max(depths)) + 1


def _syntax_error(path: Path, text: str, message: str) -> ConfigError:
    found = _AT_LINE.search(message)
    line = int(found.group(1)) if found else max(1, len(text.rstrip().splitlines()))
    what = _AT_LINE.sub("", message).replace("(at end of document)", "").strip()
    fix = next(
        (hint for start, hint in _SYNTAX_HINTS if what.startswith(start)),
        "correct the TOML there, or move the file away to start afresh",
    )
    return ConfigError(path, line, f"this is not valid TOML ({what})", fix)


class _Checker:
    """Checks the parsed file against the types, naming the table, the key and its line.

    msgspec's own errors name a path such as `$.profiles[...].api_url` without the
    profile; this walks the same types and says `[profiles.office]` instead.
    """

    def __init__(self, path: Path, text: str) -> None:
        self._path = path
        self._lines = text.splitlines()

    def config(self, data: dict[str, Any]) -> None:
        info = types.type_info(Config)
        assert isinstance(info, types.StructType)
        self._table(data, info, ())
        profiles = data.get("profiles", {})
        for name in profiles:
            if profile_name_problem(name) is not None:
                self._fail(
                    ("profiles", name),
                    f"the profile name {_string(name)} has characters other than letters, "
                    "digits, - and _",
                    f"rename it, such as [profiles.{_suggest_name(name)}]",
                )
        for name, profile in profiles.items():
            if isinstance(profile, dict) and isinstance(profile.get("wire"), dict):
                self._wire(name, profile.get("backend", "kazoo"), profile["wire"])
        default = data.get("default_profile")
        if default is not None and default not in profiles:
            names = ", ".join(_string(name) for name in profiles)
            self._fail(
                ("default_profile",),
                f"default_profile is {_string(default)}, but there is no "
                f"[profiles.{_key(default)}]",
                f"set it to one of {names}" if names else "remove that line, or add the profile",
            )

    def _wire(self, name: str, backend: object, table: dict[str, Any]) -> None:
        """`[profiles.NAME.wire]` names only keys the backend has, as JSON keys."""
        try:
            overrides(defaults_for(str(backend)), table)
        except WireOverrideError as error:
            key = ("profiles", name, "wire", *((error.key,) if error.key else ()))
            self._fail(key, f"[profiles.{_key(name)}.wire] {error}", _WIRE_FIX)

    def _table(self, data: Any, info: types.StructType, key: Key) -> None:
        if not isinstance(data, dict):
            self._not_a_table(key, data)
        fields = {field.encode_name: field for field in info.fields}
        for name in data:
            if name not in fields:
                self._unknown(key, name, tuple(fields))
        for name, field in fields.items():
            if name in data:
                self._value(data[name], field.type, (*key, name))
            elif field.required:
                example = _EXAMPLES.get(name, "...")
                self._fail(key, f"{self._where(key)}has no {name}", f'add {name} = "{example}"')

    def _value(self, value: Any, info: types.Type, key: Key) -> None:
        if isinstance(info, types.StructType):
            self._table(value, info, key)
        elif isinstance(info, types.DictType):
            if not isinstance(value, dict):
                self._not_a_table(key, value)
            names = info.key_type.values if isinstance(info.key_type, types.LiteralType) else None
            for name, item in value.items():
                if names is not None and name not in names:
                    self._unknown(key, name, names)
                self._value(item, info.value_type, (*key, name))
        elif isinstance(info, types.UnionType):
            kinds = [kind for kind in info.types if not isinstance(kind, types.NoneType)]
            self._value(value, kinds[0], key)
        elif not _fits(value, info):
            self._fail(key, f"{self._where(key[:-1])}{key[-1]} is {_show(value)}", _want(key, info))

    def _unknown(self, key: Key, name: str, known: tuple[Any, ...]) -> NoReturn:
        close = difflib.get_close_matches(name, [str(each) for each in known], n=1)
        hint = f" (did you mean {_string(close[0])}?)" if close else ""
        self._fail(
            (*key, name),
            f"{self._where(key)}has an unknown key {_string(name)}",
            f"remove it, or correct its name{hint}",
        )

    def _not_a_table(self, key: Key, value: Any) -> NoReturn:
        self._fail(
            key,
            f"{_dotted(key)} is {_show(value)}",
            f"{_dotted(key)} must be a table: a line [{_dotted(key)}] followed by its keys",
        )

    def _where(self, key: Key) -> str:
        return f"[{_dotted(key)}] " if key else ""

    def _fail(self, key: Key, problem: str, fix: str) -> NoReturn:
        raise ConfigError(self._path, self._line_of(key), redact(problem), redact(fix), key)

    def _line_of(self, key: Key) -> int | None:
        """The line that sets `key`, or else the nearest enclosing table's header."""
        while key:
            table: Key = ()
            for number, line in enumerate(self._lines, start=1):
                if _TABLE_LINE.match(line):
                    table = _parse_key(line.strip()) or ()
                    if table == key:
                        return number
                    continue
                found = _KEY_LINE.match(line)
                sets = (*table, *(_parse_key(found.group(1) + " = 0") or ())) if found else ()
                if sets[: len(key)] == key:
                    return number
            key = key[:-1]
        return None


def _parse_key(line: str) -> Key | None:
    """The key path a table header or a `key = ...` line names, read by TOML itself."""
    try:
        node: Any = tomllib.loads(line)
    except tomllib.TOMLDecodeError:
        return None
    path: list[str] = []
    while isinstance(node, dict) and len(node) == 1:
        name, node = next(iter(node.items()))
        path.append(name)
    return tuple(path)


def _fits(value: Any, info: types.Type) -> bool:
    if isinstance(info, types.LiteralType):
        return value in info.values
    if isinstance(info, types.StrType):
        return isinstance(value, str)
    if isinstance(info, types.BoolType):
        return isinstance(value, bool)
    if isinstance(info, types.IntType):
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and (info.ge is None or value >= info.ge)
            and (info.le is None or value <= info.le)
        )
    if isinstance(info, types.VarTupleType | types.ListType):
        return isinstance(value, list) and all(_fits(item, info.item_type) for item in value)
    return True


def _want(key: Key, info: types.Type) -> str:
    """What to write instead, e.g. `backend must be "kazoo" or "telphin"`."""
    name = key[-1]
    if isinstance(info, types.LiteralType):
        choices = [_string(str(value)) for value in info.values]
        return f"{name} must be {', '.join(choices[:-1])} or {choices[-1]}"
    if isinstance(info, types.BoolType):
        return f"{name} must be true or false, without quotes"
    if isinstance(info, types.IntType):
        return f"{name} must be a whole number from {info.ge} to {info.le}"
    if isinstance(info, types.VarTupleType | types.ListType):
        return f'{name} must be a list of texts, such as {name} = ["Break", "Lunch"]'
    return f'{name} must be text in double quotes, such as {name} = "{_EXAMPLES.get(name, "...")}"'


def _show(value: Any) -> str:
    """A value as the file wrote it, cut short."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    shown = _value(value) if isinstance(value, bool | int | str) else str(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _suggest_name(name: str) -> str:
    return re.sub(r"[^\w-]+", "_", name).strip("_")[:64] or "main"
