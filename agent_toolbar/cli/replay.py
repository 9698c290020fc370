"""`agent-toolbar replay`: captured websocket frames in, one state line per event out.

A support tool that must start fast: it imports neither Qt nor the network stack.
Skipped lines and ignored events are explained on stderr with their line numbers,
so a captured log can be read against the states it produced. It reads frame logs
and `--capture` files alike: of a capture, only the frames the server sent count,
and its other records (REST, callbacks, the client's frames) are passed over quietly.
"""

import sys
from collections.abc import Iterable
from typing import BinaryIO, TextIO

from agent_toolbar.backends.kazoo.frames import decode_frame
from agent_toolbar.domain import (
    AgentState,
    DecodeError,
    Ignored,
    RecipientEvent,
    state_json,
    step,
)
from agent_toolbar.support.capture import record_of, server_frame


def run(path: str, recipient_id: str | None, out: BinaryIO, err: TextIO) -> int:
    """Replay the file at `path` (`-` for stdin); 0 unless the file cannot be read."""
    try:
        source = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
    except OSError as error:
        err.write(f"agent-toolbar replay: cannot read {path}: {error.strerror or error}\n")
        return 1
    try:
        with source:
            replay(source, recipient_id, out, err)
    except OSError as error:
        err.write(f"agent-toolbar replay: reading {path} failed: {error.strerror or error}\n")
        return 1
    return 0


def replay(
    lines: Iterable[bytes], recipient_id: str | None, out: BinaryIO, err: TextIO
) -> AgentState | None:
    """Write the state after each event line to `out`; returns the final state."""
    state = None if recipient_id is None else AgentState(recipient_id=recipient_id)
    printed: tuple[AgentState | None, bytes] = (None, b"")
    records = frames = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        data = line
        record = record_of(line)
        if record is not None:
            records += 1
            frame = server_frame(record)
            if frame is None:
                continue
            frames += 1
            data = frame
        decoded = decode_frame(data)
        if isinstance(decoded, Ignored | DecodeError):
            err.write(f"line {number}: skipped: {decoded.reason}\n")
            continue
        if state is None:
            recipient = decoded.recipient_id if isinstance(decoded, RecipientEvent) else None
            if recipient is None:
                err.write(f"line {number}: skipped: no agent to follow yet\n")
                continue
            state = AgentState(recipient_id=recipient)
            err.write(
                f"following recipient {recipient}, the first in the log "
                "(--recipient-id chooses another)\n"
            )
        state, ignored = step(state, decoded)
        if ignored is not None:
            err.write(f"line {number}: ignored: {ignored}\n")
        if printed[0] is not state:
            printed = (state, state_json(state) + b"\n")
        out.write(printed[1])
    if records and not frames:
        err.write(
            "this capture holds no websocket frame from the server (a Telphin run's "
            "events come as callbacks, which replay does not read)\n"
        )
    return state
