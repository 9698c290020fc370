"""Captures: a run's REST exchanges, websocket frames and callbacks as JSON lines, masked.

A capture is meant to be sent to us, so no secret may be in it. Each record is masked
by the redaction module as it is written (its kept secrets and its shapes, and every
credential header whole); at the end the file is read back and searched for every
secret known by then, raw and URL-encoded: a secret learned only after it was written
(a token in a field no shape knows, sent before the client read it) fails the capture,
and the file is deleted rather than kept.

The hooks (backends/http.py, kazoo/blackhole.py, telphin/listener.py) call `rest`,
`frame` and `callback`; they cost one test of a module global when no capture runs.
A module global, not a ContextVar: aiohttp's server handlers do not run in the
context of whoever started the recording.
"""

import json
import os
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from agent_toolbar.support.redaction import (
    keep_secret,
    kept_secrets,
    redact,
    redact_headers,
    secret_forms,
)

if TYPE_CHECKING:  # types only: support imports nothing of ours, nor the network stack
    from aiohttp import ClientResponse

    from agent_toolbar.config.settings import Secrets

Direction = Literal["in", "out"]
_KINDS = ("rest", "frame", "callback")
"""The `type` of each record a capture holds."""


class CaptureError(Exception):
    """The capture could not be written safely; the message says why, never the secret."""


class _Recorder:
    """One capture file being written: records are masked, then appended as lines."""

    def __init__(self, path: Path, secrets: "Secrets") -> None:
        self.path = path
        self.secrets = tuple(value for value in (secrets.password, secrets.app_secret) if value)
        self._started = time.monotonic()
        self._lock = threading.Lock()
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        except OSError as error:
            raise CaptureError(
                f"cannot write the capture {path}: {error.strerror or error}"
            ) from None
        os.fchmod(descriptor, 0o600)  # an existing file keeps its mode through O_CREAT
        self._file = os.fdopen(descriptor, "w", encoding="utf-8", buffering=1)
        self.failed: str | None = None
        """Why writing failed: the run goes on, and the capture fails at the end."""

    def write(self, kind: str, data: dict[str, Any]) -> None:
        record = {"type": kind, "t": round(time.monotonic() - self._started, 3), **data}
        line = redact(json.dumps(record, default=str, ensure_ascii=False))
        with self._lock:
            if self.failed is not None:
                return
            try:
                self._file.write(line + "\n")
            except OSError as error:
                self.failed = str(error.strerror or error)

    def close(self) -> None:
        try:
            self._file.close()
        except OSError as error:  # the last lines could not be flushed
            self.failed = self.failed or str(error.strerror or error)


class _Active:
    """The capture being recorded, if any (one per process)."""

    sink: _Recorder | None = None


def active() -> bool:
    """Whether a capture is recording: hooks test this before building a record."""
    return _Active.sink is not None


@contextmanager
def recording(path: Path, secrets: "Secrets") -> Iterator[None]:
    """Record the run into `path` (private, 0600) while the block runs; one at a time.

    Raises CaptureError, and leaves no file, when the file cannot be written or when the
    final check finds a secret in it.
    """
    if _Active.sink is not None:
        raise CaptureError("a capture is already being recorded")
    keep_secret(secrets.password, secrets.app_secret)
    recorder = _Recorder(path, secrets)
    _Active.sink = recorder
    try:
        yield
    finally:
        _Active.sink = None
        recorder.close()
        _check(recorder)


def _check(recorder: _Recorder) -> None:
    """Read the file back; delete it and raise if any known secret is in it."""
    if recorder.failed is not None:
        _discard(recorder.path)
        raise CaptureError(f"writing the capture {recorder.path} failed: {recorder.failed}")
    try:
        text = recorder.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        _discard(recorder.path)
        raise CaptureError(f"the capture could not be read back to check it ({error})") from None
    forms = set(kept_secrets()).union(*(secret_forms(each) for each in recorder.secrets))
    if any(form in text for form in forms):
        _discard(recorder.path)
        raise CaptureError(
            "a secret was still in the capture after masking, so the capture was "
            "deleted; please tell us, without sending it"
        )


def _discard(path: Path) -> None:
    with suppress(FileNotFoundError):
        path.unlink()


def rest(answer: "ClientResponse", sent: Any, raw: bytes | None) -> None:
    """One REST exchange: `sent` is the JSON or form sent, `raw` the answer's body as read
    (None when it was not read, as for a redirect)."""
    sink = _Active.sink
    if sink is None:
        return
    sink.write(
        "rest",
        {
            "method": answer.method,
            "url": redact(str(answer.url)),
            "status": answer.status,
            "request": {"headers": redact_headers(answer.request_info.headers), "body": sent},
            "response": {"headers": redact_headers(answer.headers), **_body(raw)},
        },
    )


def frame(direction: Direction, data: str | bytes) -> None:
    """One websocket frame: `in` from the server, `out` to it."""
    sink = _Active.sink
    if sink is None:
        return
    sink.write("frame", {"direction": direction, **_body(data)})


def callback(method: str, path: str, headers: Mapping[str, str], fields: Mapping[str, str]) -> None:
    """One callback received: its path (the token in it is masked), headers and fields."""
    sink = _Active.sink
    if sink is None:
        return
    sink.write(
        "callback",
        {
            "method": method,
            "path": redact(path),
            "headers": redact_headers(headers),
            "fields": dict(fields),
        },
    )


def _body(raw: str | bytes | None) -> dict[str, Any]:
    """JSON as itself under `body` (so the masker sees its field names), other text
    masked under `text`; nothing for an empty body."""
    if not raw:
        return {}
    try:
        return {"body": msgspec.json.decode(raw)}
    except (msgspec.DecodeError, RecursionError):
        text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        return {"text": redact(text)}


def record_of(line: bytes) -> dict[str, Any] | None:
    """The capture record a line holds; None for any other line (a frame log's)."""
    if b'"type"' not in line:
        return None
    try:
        record = msgspec.json.decode(line)
    except (msgspec.DecodeError, RecursionError):
        return None
    if isinstance(record, dict) and record.get("type") in _KINDS and "t" in record:
        return record
    return None


def server_frame(record: dict[str, Any]) -> bytes | None:
    """The websocket frame a record holds as the server sent it (masked); None for the
    other records: REST exchanges, callbacks, the client's own frames."""
    if record.get("type") != "frame" or record.get("direction") != "in":
        return None
    if "body" in record:
        return msgspec.json.encode(record["body"])
    text = record.get("text")
    return text.encode() if isinstance(text, str) else None
