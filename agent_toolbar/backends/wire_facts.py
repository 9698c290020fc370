"""What a backend knows about its server's wire, and how sure it is of each fact.

Each backend keeps its facts in its own `wire` module as `Fact` rows: what the
toolbar relies on, its standing (confirmed by public sources, inferred from them,
or unknown) and the public source in one line. The facts that decide a request's
shape and are not confirmed can be overridden per profile (`[profiles.NAME.wire]`
in the settings file): `overrides` checks such a table against the backend's
`Wire` dataclass, so that a typo is refused with the names it could have meant.
"""

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

Standing = Literal["confirmed", "inferred", "unknown"]

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}")
"""What a wire key may look like: a JSON key a server could read, not arbitrary text."""


@dataclass(frozen=True)
class Fact:
    """One fact about the wire, as the docs table and `doctor` show it."""

    name: str
    """Short id, stable across releases (`status_words`, `queue_key`…)."""
    standing: Standing
    says: str
    """What the toolbar takes to be true, in one line."""
    source: str
    """Where that comes from, in one line: a public document, code, or "no public source"."""
    override: str | None = None
    """The `[profiles.NAME.wire]` key that changes it, when an administrator may."""


if TYPE_CHECKING:
    from _typeshed import DataclassInstance

W = TypeVar("W", bound="DataclassInstance")
"""A backend's overridable wire keys: a frozen dataclass of strings with defaults."""


class WireOverrideError(ValueError):
    """A `[profiles.NAME.wire]` entry that cannot be used; the message says the fix."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


def defaults_for(backend: str) -> "DataclassInstance":
    """The backend's overridable keys with their defaults (imported here, late, because
    each backend's wire module imports this one)."""
    if backend == "telphin":
        from agent_toolbar.backends.telphin.wire import Wire as TelphinWire

        return TelphinWire()
    from agent_toolbar.backends.kazoo.wire import Wire as KazooWire

    return KazooWire()


def override_names(wire: "DataclassInstance | type[DataclassInstance]") -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(wire))


def overrides(defaults: W, table: Mapping[str, object]) -> W:
    """`defaults` with the profile's overrides; raises WireOverrideError naming the fix.

    An empty string is allowed only for the keys a backend lists in `MAY_BE_EMPTY` (the
    away reason's key: "" means "send no reason").
    """
    names = override_names(defaults)
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key not in names:
            raise WireOverrideError(
                f"unknown wire fact {key!r}: use one of {', '.join(names)}", key
            )
        if not isinstance(value, str):
            raise WireOverrideError(f"{key} must be a string, the key the server reads", key)
        if not (value or key in getattr(defaults, "MAY_BE_EMPTY", ())) or (
            value and not _KEY.fullmatch(value)
        ):
            raise WireOverrideError(
                f"{key} = {value!r} is not a JSON key a server reads "
                "(letters, digits, _ . -; up to 64)",
                key,
            )
        changes[key] = value
    return dataclasses.replace(defaults, **changes)
