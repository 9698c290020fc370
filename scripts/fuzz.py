"""A seeded mutation fuzzer for what reads the network: `python scripts/fuzz.py
[--inputs N] [--seed S] [--json FILE] [--replay TARGET:INDEX]`.

Two targets, N inputs each (default 1,000,000):
- `blackhole frames`: bytes go to `decode_frame`; whatever decodes to an event goes
  to `step` on a running `AgentState`, and the state is printed with `state_json`
  at the end of every chunk (a state that cannot be shown is as broken as a crash);
- `telphin callbacks`: callback fields go to `agent_event` and `call_event`, and the
  event they make to `step`. `CallbackError` is the parser's typed refusal (the
  listener answers 400 with it), not a crash. Fields are text as the listener's
  server makes them: percent-decoded UTF-8 with bad bytes replaced, so never a lone
  surrogate (a body that is not UTF-8 at all is refused before any field is read).

Inputs are mutations of real ones: the documentation's example frames and the
example session in resources/examples, and callbacks shaped exactly as the
simulator sends them. A crash is any exception escaping decode, step or parse;
they must return typed results. Plain `random.Random`, no hypothesis: a million
inputs have to run in a couple of minutes on one core.

Inputs come in chunks of 100, each with its own generator seeded by (seed, target,
chunk) and a fresh state, so `--replay TARGET:INDEX` rebuilds one input exactly and
runs its chunk again up to it, raising the crash with its traceback.
"""

import argparse
import functools
import json
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import msgspec
from yarl import query_to_pairs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent_toolbar.backends.kazoo.frames import decode_frame  # noqa: E402
from agent_toolbar.backends.telphin.callback_events import (  # noqa: E402
    CallbackError,
    agent_event,
    call_event,
)
from agent_toolbar.domain import (  # noqa: E402
    AgentState,
    DecodeError,
    Ignored,
    QueueSynced,
    RecipientEvent,
    Reply,
    Tick,
    state_json,
    step,
)
from tests.helpers import seed  # noqa: E402

CHUNK = 100
"""Inputs per chunk: each chunk starts from a fresh state with its own generator."""
SESSION = ROOT / "resources" / "examples" / "recipient-session.jsonl"
TELPHIN_AGENT = "1001"
TELPHIN_QUEUES = {"000*501": "3001", "000*502": "3002"}
"""Queue extensions' names (`PREFIX*NAME`, as the extension list gives them) to their ids."""
SHOWN_BYTES = 400
"""How much of a crashing input is printed (the rest is rebuilt by --replay)."""

_SLOT = "\x01slot\x01"
"""A placeholder string whose encoded form is replaced by raw text after encoding."""
_SLOT_BYTES = msgspec.json.encode(_SLOT)
_DEEP = {depth: b"[" * depth + b"]" * depth for depth in (64, 1_000, 100_000)}
_DEEP_OBJECT = b'{"a":' * 5_000 + b"1" + b"}" * 5_000
_RAW_LITERALS = (
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b"1e400",
    b"-1e400",
    b"1" + b"0" * 400,
    b"-" + b"9" * 5_000,
    b"0.0000000000000000000000000000001",
    b"-0",
    b"18446744073709551616",
    b"-9223372036854775809",
    b'"\\ud800"',
    b'"\xff\xfe"',
    b'"\xc3\x28"',
    b'"\xed\xa0\x80"',
    b'"\\u0000"',
    b"tru",
    b"",
    b"{}",
    b"[]",
)
_BAD_BYTES = (b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x00", b"\\")
_BAD_FORM_BYTES = (b"%", b"%ff", b"%00", b"&", b"=", b"+", b"%ed%a0%80", b"")
_HOSTILE_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    2**63,
    -(2**63) - 1,
    2**64,
    10**30,
    1e308,
    -1e308,
    1.5,
    -0.0,
    "",
    "0",
    "12",
    "-63962470800",
    "1e999",
    "NaN",
    "null",
    "ready",
    "x" * 10_000,
    [],
    ["ready"],
    [1, 2, 3],
    {},
    {"nested": {"deeper": [None]}},
    -63_962_470_800,
    -1e-9,
    seed.GREGORIAN_NOW * 1000,
)
_HOSTILE_TEXTS = (
    "",
    " ",
    "0",
    "-1",
    "NaN",
    "inf",
    "-inf",
    "1e400",
    "9" * 400,
    "9" * 5_000,
    "0x10",
    "1_000_000",
    "١٢٣٤",
    " 17 ",
    "\x00",
    "\ufffd\ufffd",
    "é" * 100,
    "x" * 100_000,
    "ANSWER",
    "NOANSWER",
    "BUSY",
    "CANCEL",
    "available",
    "logged_out",
    "dial-in",
    "answer",
    "hangup",
    "dial-out",
    "HANGUP",
    "Sales",
    "Support",
    TELPHIN_AGENT,
    "1002",
)


# -- the corpus ------------------------------------------------------------------------


def frame_corpus() -> list[bytes]:
    """The real frames: the documentation's examples (their typos left in and repaired)
    and the example session, line by line (its broken line included)."""
    examples = seed.examples()
    frames = [frame.encode() for frame in examples.values()]
    frames += [seed.repaired(title, frame).encode() for title, frame in examples.items()]
    frames += [line.encode() for line in SESSION.read_text().splitlines() if line.strip()]
    return frames


def callback_corpus() -> list[dict[str, str]]:
    """Callbacks as the simulator sends them: an agent's logins and logouts, and a queue
    call rung, answered and hung up, one missed, one withdrawn, an outside call, and one
    that could not ring the agent's phone (CHANUNAVAIL)."""
    agent = {
        "agent_id": TELPHIN_AGENT,
        "agent_type": "local",
        "extension_name": "000*101@demo.sim.local",
    }
    callbacks: list[dict[str, str]] = [
        {**agent, "agent_status": status, "event_source": source}
        for status in ("available", "logged_out")
        for source in ("api", "phone")
    ]
    at = seed.UNIX_NOW * 1_000_000
    for number, (queue, outcome) in enumerate(
        [
            ("000*501", "ANSWER"),
            ("000*502", "NOANSWER"),
            ("000*501", "CANCEL"),
            ("000*777", "ANSWER"),
            ("000*502", "CHANUNAVAIL"),
        ]
    ):
        call = {
            "CallID": f"call-{number}",
            "SubCallID": f"2001-sub-{number}",
            "CallAPIID": f"2001-api-{number}",
            "CallerIDNum": "+33123456789",
            "CallerIDName": "Marie Curie",
            "CalledDID": "74950003001",
            "CalledExtension": "000*101@demo.sim.local",
            "CalledExtensionID": "2001",
            "CallerExtension": f"{queue}@demo.sim.local",
            "CallerExtensionID": TELPHIN_QUEUES.get(queue, "3999"),
            "CalledNumber": "000*101",
            "CallFlow": "in",
        }
        ringing = {**call, "CallStatus": "CALLING"}
        callbacks.append({**ringing, "EventType": "dial-in", "EventTime": str(at)})
        if outcome == "ANSWER":
            callbacks.append({**ringing, "EventType": "answer", "EventTime": str(at + 4_000_000)})
        callbacks.append(
            {
                **call,
                "EventType": "hangup",
                "CallStatus": outcome,
                "EventTime": str(at + 60_000_000),
                "Duration": "60000000",
                "BridgedDuration": "56000000",
            }
        )
        at += 120_000_000
    return callbacks


# -- mutations of frames ---------------------------------------------------------------


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a parsed frame that holds a value (keys of objects, list items)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from _paths(item, (*prefix, index))


def _replaced(value: Any, path: tuple[Any, ...], change: Callable[[Any], Any]) -> Any:
    """`value` with the item at `path` changed; only the containers on the path are copied."""
    if not path:
        return change(value)
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replaced(value[head], rest, change)
    return copy


def _without(container: Any, key: Any) -> Any:
    if isinstance(container, dict):
        return {name: item for name, item in container.items() if name != key}
    return [item for index, item in enumerate(container) if index != key]


@dataclass
class FrameMutator:
    """Turns a random generator into one hostile frame, from the corpus."""

    raw: list[bytes]
    parsed: list[Any] = field(init=False)
    places: list[list[tuple[Any, ...]]] = field(init=False)
    names: list[str] = field(init=False)

    def __post_init__(self) -> None:
        readable = []
        for frame in self.raw:
            try:
                readable.append(json.loads(frame))
            except ValueError:
                continue
        self.parsed = readable
        self.places = [list(_paths(frame)) for frame in readable]
        self.names = sorted(
            {str(frame.get("name")) for frame in readable if isinstance(frame, dict)}
            | {"wrapup-start", "wrapup-complete", "sync", "nope", ""}
        )

    def __call__(self, rng: random.Random) -> bytes:
        roll = rng.random()
        if roll < 0.15:
            return rng.choice(self.raw)
        if roll < 0.12:
            return rng.choice((b"", b" ", b"null", b"0", b"[]", b'""', b"{}", b"\xff", b"{"))
        if roll < 0.7:
            frame = self._structural(rng)
            if rng.random() < 0.8:
                return frame
        else:
            frame = rng.choice(self.raw)
        for _ in range(rng.choice((1, 1, 2, 3))):
            frame = self._bytewise(rng, frame)
        return frame

    def _structural(self, rng: random.Random) -> bytes:
        number = rng.randrange(len(self.parsed))
        frame, places = self.parsed[number], self.places[number]
        raw: bytes | None = None
        for count in range(rng.choice((1, 1, 2, 3))):
            if count:
                places = list(_paths(frame))  # the last change may have moved things
            if not places or not isinstance(frame, dict):
                break
            path = rng.choice(places)
            kind = rng.random()
            if kind < 0.2:
                frame = _replaced(frame, path, lambda _old: rng.choice(_HOSTILE_VALUES))
            elif kind < 0.4:
                frame = _replaced(frame, path, lambda old: _same_type(rng, old))
            elif kind < 0.55:
                frame = _replaced(frame, path[:-1], functools.partial(_without, key=path[-1]))
            elif kind < 0.65:
                frame = {**frame, "name": rng.choice(self.names)}
            elif kind < 0.75:
                frame = _replaced(frame, path, _retyped)
            else:
                frame = _replaced(frame, path, lambda _old: _SLOT)
                raw = self._raw_slot(rng, frame, path)
        encoded = msgspec.json.encode(frame)
        if raw is not None:
            encoded = encoded.replace(_SLOT_BYTES, raw, 1)
        return encoded

    def _raw_slot(self, rng: random.Random, frame: Any, path: tuple[Any, ...]) -> bytes:
        """Text no encoder writes: NaN, huge numbers, bad UTF-8, deep nesting, repeated keys."""
        kind = rng.random()
        if kind < 0.55:
            return rng.choice(_RAW_LITERALS)
        if kind < 0.65:
            return _DEEP[rng.choice((64, 64, 1_000, 100_000))]
        if kind < 0.7:
            return _DEEP_OBJECT
        if kind < 0.75:
            return msgspec.json.encode("y" * rng.choice((65_536, 1_100_000)))
        parent = frame
        for key in path[:-1]:
            parent = parent[key]
        if not isinstance(parent, dict):
            return b"null"
        key = path[-1]
        repeated = rng.choice(_HOSTILE_VALUES)
        return (
            b"0," + msgspec.json.encode(key) + b":" + msgspec.json.encode(repeated)
        )  # `"key": 0, "key": value`: the same key twice

    def _bytewise(self, rng: random.Random, frame: bytes) -> bytes:
        if not frame:
            return frame
        kind = rng.random()
        if kind < 0.4:
            mutable = bytearray(frame)
            for _ in range(rng.randint(1, 8)):
                at = rng.randrange(len(mutable))
                flipped = mutable[at] ^ (1 << rng.randrange(8))
                mutable[at] = rng.choice((flipped, rng.randrange(256)))
            return bytes(mutable)
        if kind < 0.6:
            return frame[: rng.randrange(len(frame))]
        if kind < 0.8:
            other = rng.choice(self.raw)
            return frame[: rng.randrange(len(frame))] + other[rng.randrange(len(other) or 1) :]
        at = rng.randrange(len(frame))
        return frame[:at] + rng.choice(_BAD_BYTES) + frame[at:]


def _same_type(rng: random.Random, value: Any) -> Any:
    """A hostile value of the type the field has: what a typed decoder lets through."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return rng.choice((0, -1, -value, value * 1000, 2**63 - 1, 1e308, value + 0.5, -(2**62)))
    if isinstance(value, str):
        return rng.choice(("", value * 50, value.upper(), "\u0000", "ready", seed.AGENT, "é"))
    return value


def _retyped(value: Any) -> Any:
    """The same value in the wrong type: numbers as text, text as a list, and so on."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return {"items": value}
    if isinstance(value, dict):
        return list(value.values())
    return "null"


# -- mutations of callbacks ------------------------------------------------------------


@dataclass
class CallbackMutator:
    corpus: list[dict[str, str]]
    keys: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.keys = sorted({key for fields in self.corpus for key in fields})

    def __call__(self, rng: random.Random) -> dict[str, str]:
        fields = dict(rng.choice(self.corpus))
        if rng.random() < 0.08:
            return fields
        if rng.random() < 0.25:
            return self._bytewise(rng, fields)
        for _ in range(rng.randint(1, 4)):
            kind = rng.random()
            key = rng.choice(self.keys)
            if kind < 0.45:
                fields[key] = rng.choice(_HOSTILE_TEXTS)
            elif kind < 0.6:
                fields.pop(key, None)
            elif kind < 0.7:
                fields[rng.choice(("extra", "Extra", "x" * 300, "", key.lower()))] = rng.choice(
                    _HOSTILE_TEXTS
                )
            elif kind < 0.8 and fields:
                other = rng.choice(list(fields))
                fields[key], fields[other] = fields.get(other, ""), fields.get(key, "")
            elif kind < 0.9:
                value = fields.get(key, "")
                fields[key] = value[: rng.randrange(len(value) + 1)]
            else:
                fields = {}
        return fields

    def _bytewise(self, rng: random.Random, fields: dict[str, str]) -> dict[str, str]:
        """The form body as bytes, mutated, then read as the listener's server would."""
        body = bytearray(urlencode(fields).encode())
        for _ in range(rng.randint(1, 6)):
            if not body:
                break
            at = rng.randrange(len(body))
            body[at : at + 1] = rng.choice((*_BAD_FORM_BYTES, bytes([rng.randrange(256)])))
        text = bytes(body).decode("utf-8", errors="replace")
        return dict(query_to_pairs(text))


# -- running ---------------------------------------------------------------------------


@dataclass
class Crash:
    target: str
    seed: int
    index: int
    shown: str
    error: str


@dataclass
class Target:
    """One thing fuzzed: how to make an input, and how to feed one to a running state."""

    name: str
    make: Callable[[random.Random], Any]
    feed: Callable[[AgentState, Any], tuple[AgentState, str]]
    fresh: Callable[[], AgentState]


def feed_frame(state: AgentState, frame: bytes) -> tuple[AgentState, str]:
    decoded = decode_frame(frame)
    if isinstance(decoded, RecipientEvent | QueueSynced):
        done = step(state, decoded)
        return done.state, "ignored event" if done.ignored else "applied event"
    if isinstance(decoded, DecodeError):
        return state, "unreadable"
    if isinstance(decoded, Reply):
        return state, "reply"
    if isinstance(decoded, Ignored):
        return state, "not followed"
    raise TypeError(f"decode_frame returned a {type(decoded).__name__}")


def feed_callback(state: AgentState, fields: dict[str, str]) -> tuple[AgentState, str]:
    try:
        if "EventType" in fields or "agent_id" not in fields:
            event = call_event(fields, TELPHIN_AGENT, TELPHIN_QUEUES)
        else:
            event = agent_event(fields, TELPHIN_AGENT)
    except CallbackError:
        return state, "refused"
    if event is None:
        return state, "not ours"
    done = step(state, event)
    return done.state, "ignored event" if done.ignored else "applied event"


def targets() -> dict[str, Target]:
    return {
        "blackhole frames": Target(
            "blackhole frames",
            FrameMutator(frame_corpus()),
            feed_frame,
            lambda: AgentState(recipient_id=seed.AGENT),
        ),
        "telphin callbacks": Target(
            "telphin callbacks",
            CallbackMutator(callback_corpus()),
            feed_callback,
            lambda: AgentState(recipient_id=TELPHIN_AGENT),
        ),
    }


def _chunk_rng(seed_value: int, target: str, chunk: int) -> random.Random:
    return random.Random(f"{seed_value}/{target}/{chunk}")


def _show(item: Any) -> str:
    text = repr(item)
    return text if len(text) <= SHOWN_BYTES else f"{text[:SHOWN_BYTES]}... ({len(text)} chars)"


def _tick_time(rng: random.Random) -> float:
    return rng.choice(
        (seed.UNIX_NOW + rng.uniform(-100, 4000), math.nan, math.inf, -1.0, 1e300, 0.0)
    )


@dataclass
class Result:
    inputs: int = 0
    crashes: list[Crash] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)


def fuzz(target: Target, inputs: int, seed_value: int) -> Result:
    """Feed `inputs` inputs to `target`, chunk by chunk; every exception is a crash."""
    result = Result()
    for chunk in range((inputs + CHUNK - 1) // CHUNK):
        rng = _chunk_rng(seed_value, target.name, chunk)
        state = target.fresh()
        first = chunk * CHUNK
        for index in range(first, min(first + CHUNK, inputs)):
            item = target.make(rng)
            tick = _tick_time(rng) if rng.random() < 0.05 else None
            result.inputs += 1
            try:
                state, outcome = target.feed(state, item)
                if tick is not None:
                    state = step(state, Tick(now=tick)).state
                if index % CHUNK == CHUNK - 1 or index == inputs - 1:
                    json.loads(state_json(state))
            except Exception as error:  # the point: anything escaping is a crash
                said = f"{type(error).__name__}: {error}"
                result.crashes.append(Crash(target.name, seed_value, index, _show(item), said))
                state = target.fresh()
                continue
            result.outcomes[outcome] += 1
    return result


def replay(target: Target, seed_value: int, index: int) -> None:
    """Rebuild the chunk up to input `index`, print that input, and run it uncaught."""
    rng = _chunk_rng(seed_value, target.name, index // CHUNK)
    state = target.fresh()
    for position in range(index - index % CHUNK, index + 1):
        item = target.make(rng)
        tick = _tick_time(rng) if rng.random() < 0.05 else None
        if position == index:
            print(f"input {index} of {target.name!r} (seed {seed_value}):\n{item!r}")
        try:
            state, _ = target.feed(state, item)
            if tick is not None:
                state = step(state, Tick(now=tick)).state
        except Exception:
            if position == index:
                raise
            state = target.fresh()
    json.loads(state_json(state))
    print("no crash")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=1_000_000, help="inputs per target")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="write {target: {inputs, crashes}} here")
    parser.add_argument("--replay", metavar="TARGET:INDEX", help="run one input again, uncaught")
    options = parser.parse_args(argv)
    chosen = targets()
    if options.replay:
        name, _, index = options.replay.rpartition(":")
        if name not in chosen or not index.isdigit():
            names = ", ".join(map(repr, chosen))
            parser.error(f"--replay takes one of {names}, a colon and an index")
        replay(chosen[name], options.seed, int(index))
        return 0
    if options.inputs < 1:
        parser.error("--inputs must be at least 1")
    report: dict[str, dict[str, Any]] = {}
    crashed = 0
    for target in chosen.values():
        started = time.perf_counter()
        result = fuzz(target, options.inputs, options.seed)
        seconds = time.perf_counter() - started
        crashed += len(result.crashes)
        outcomes = ", ".join(f"{name} {count}" for name, count in sorted(result.outcomes.items()))
        print(
            f"{target.name}: {result.inputs} inputs in {seconds:.1f} s "
            f"({result.inputs / seconds:,.0f}/s), {len(result.crashes)} crashes ({outcomes})"
        )
        for crash in result.crashes[:20]:
            print(
                f"  crash at {crash.index}: {crash.error}\n    input: {crash.shown}\n"
                f"    again: python scripts/fuzz.py --seed {crash.seed} "
                f"--replay '{crash.target}:{crash.index}'"
            )
        report[target.name] = {
            "inputs": result.inputs,
            "crashes": len(result.crashes),
            "outcomes": dict(result.outcomes),
        }
    if options.json is not None:
        options.json.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
