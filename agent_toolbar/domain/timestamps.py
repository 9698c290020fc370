"""Server time as Unix seconds.

Kazoo stamps events in Gregorian seconds (seconds since 0000-01-01), some payloads
and stats carry Unix seconds. Both are told apart by size, so callers never need to
know which one a field uses.
"""

GREGORIAN_UNIX_OFFSET = 62_167_219_200
"""Seconds from 0000-01-01 to 1970-01-01 in the proleptic Gregorian calendar."""

UNIX_LIMIT = 10_000_000_000
"""Year 2286 in Unix seconds: any larger value is not Unix seconds."""


def to_unix(value: float | None) -> float | None:
    """Unix seconds for a Gregorian or Unix timestamp; None for absent or impossible values.

    Zero and negative values mean "never" in Qubicle's stats, so they give None too;
    so do NaN and infinities, which fail every comparison below. It runs several
    times for every event, hence comparisons only.
    """
    if value is None:
        return None
    if value >= GREGORIAN_UNIX_OFFSET:
        value -= GREGORIAN_UNIX_OFFSET
        return value if value < UNIX_LIMIT else None
    return value if 0 < value < UNIX_LIMIT else None
