"""Sound on Linux desktops whose sound server speaks PulseAudio's protocol.

PulseAudio, and PipeWire through pipewire-pulse, own the sound cards there: PortAudio's
ALSA backend sees only the desktop's default output, and the cards themselves are
busy. So where such a server answers, `pactl` lists its sinks (the speakers, the
headset) and each sound plays through a `pacat` of its own, both from the
pulseaudio-utils package that such desktops carry. No library to bind, and a hung
server can hang only a child process, never the toolbar.

No Qt, and nothing about rings: `worker.py` decides what plays; this plays raw samples.
"""

import os
import selectors
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any, Protocol

from agent_toolbar.support.log import sound as log
from agent_toolbar.system.child_env import child_environment

PACTL_WAIT = 3.0
"""Seconds `pactl` may take before the server counts as not answering."""
SINKS_KEPT = 10.0
"""Seconds a sink list is trusted before the next sound asks the server again."""
CONNECT_WAIT = 2.0
"""Seconds to wait for the server to take a new stream before playing on regardless."""
END_WAIT = 1.0
"""Seconds a stream's thread gets to finish once told to stop."""
LATENCY_MS = 300
"""The stream's latency, the server's buffer and the sink's together: a stopped ring
plays on for about this long, and the buffer (about half of it) is what the sink plays
from while a busy machine keeps pacat or the feeding thread waiting. With four busy
programs on two cores, 100 ms let about one ring in twenty stutter; 300 ms, none of thirty,
and a stop was heard within 0.25 s."""
PIPE_BYTES = 4096
"""`pacat`'s input pipe is cut to one page, so that it holds about one chunk: a pipe
counts as writable only while a page of it is free. The default pipe would hold a
second of sound, and a stop would wait for it all to play."""
CHUNK_SECONDS = 0.02
"""A stream is fed in chunks this long; a stop takes effect at the next one."""
CONNECTED = b"Stream successfully created"
"""What `pacat --verbose` says, in the C locale, once the server has taken the stream."""


@dataclass(frozen=True)
class Sink:
    """One of the server's outputs: `name` is what it answers to, `description` what people read."""

    name: str
    description: str


@dataclass(frozen=True)
class Sinks:
    """What the server said: its sinks in its own order, and its default sink's name."""

    all: tuple[Sink, ...]
    default: str | None


def sinks_from_text(text: str) -> tuple[Sink, ...]:
    """The sinks in `pactl list sinks` (C locale): a "Sink #N" block each, fields one tab in.

    Text, not pactl's `--format=json`: pactl 16 writes a non-ASCII description there
    as "(null)", where its text has it whole."""
    sinks: list[Sink] = []
    name: str | None = None
    description: str | None = None
    for line in [*text.splitlines(), "Sink #end"]:
        if line.startswith("Sink #"):
            if name:
                sinks.append(Sink(name, description or name))
            name = description = None
        elif line.startswith("\tName: "):
            name = line.removeprefix("\tName: ")
        elif line.startswith("\tDescription: "):
            description = line.removeprefix("\tDescription: ")
    return tuple(sinks)


def default_sink(info: str) -> str | None:
    """The default sink's name in `pactl info` (C locale), if it names one."""
    for line in info.splitlines():
        if line.startswith("Default Sink: "):
            return line.removeprefix("Default Sink: ").strip() or None
    return None


def _c_locale() -> dict[str, str]:
    """The environment for pulseaudio-utils, in English (their words are parsed here), and
    without the toolbar's secrets."""
    return child_environment(LC_ALL="C")


def _pactl(*args: str) -> str | None:
    """What `pactl ARGS` printed, or None when it failed (no server answers, an unknown option)."""
    try:
        done = subprocess.run(
            ["pactl", *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=_c_locale(),
            timeout=PACTL_WAIT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        log.debug("pactl %s: %s", " ".join(args), error)
        return None
    if done.returncode != 0:
        log.debug("pactl %s: %s", " ".join(args), done.stderr.decode(errors="replace").strip())
        return None
    return done.stdout.decode(errors="replace")


class PulseServer:
    """This session's PulseAudio-protocol server, as `pactl` finds it, and its sinks.

    What it said is kept for `kept_for` seconds, so sounds do not start `pactl` each
    time; `sinks(fresh=True)` asks again. Thread-safe: the settings and the sound
    worker share one. Each call may block for up to twice `PACTL_WAIT`.
    """

    def __init__(self, kept_for: float = SINKS_KEPT) -> None:
        self._kept_for = kept_for
        self._lock = threading.Lock()
        self._known: Sinks | None = None
        self._asked_at: float | None = None

    def sinks(self, *, fresh: bool = False) -> Sinks | None:
        """The server's sinks; None when no server answers (or this is not Linux)."""
        with self._lock:
            now = time.monotonic()
            if fresh or self._asked_at is None or now - self._asked_at >= self._kept_for:
                self._known = self._ask()
                self._asked_at = time.monotonic()
            return self._known

    def forget(self) -> None:
        """Distrust what the server said: a sink failed, so the next sound asks again."""
        with self._lock:
            self._asked_at = None

    def _ask(self) -> Sinks | None:
        if sys.platform != "linux" or not (shutil.which("pactl") and shutil.which("pacat")):
            return None
        info = _pactl("info")
        listed = None if info is None else self._list()
        return None if info is None or listed is None else Sinks(listed, default_sink(info))

    def _list(self) -> tuple[Sink, ...] | None:
        text = _pactl("list", "sinks")
        return None if text is None else sinks_from_text(text)


class Feed(Protocol):
    """Where a stream's sound comes from (`sound.Playback`)."""

    def fill(self, out: Any, frames: int) -> bool:
        """Write the next `frames` 16-bit frames into `out`; False once the sound is all out."""
        ...


class PulseStream:
    """One sound on one sink (None: the server's default), through a `pacat` of its own.

    A thread of its own feeds `feed`'s mono 16-bit samples into pacat, at the pace the
    server takes them, and drains what pacat says. Once `feed` is done it closes
    pacat's input: pacat plays what is left and exits. The thread then waits for it
    (no zombie) and calls `ended`, whether the sound played out or pacat failed.
    """

    def __init__(
        self, feed: Feed, *, sink: str | None, rate: int, name: str, ended: Callable[[], None]
    ) -> None:
        import fcntl  # Linux only, like everything here.

        self._feed = feed
        self._frames = max(1, round(CHUNK_SECONDS * rate))
        self._ended = ended
        self._taken = False
        self._answered = threading.Event()
        """Set once the server took the stream, or pacat ended."""
        self._said = b""
        device = [] if sink is None else [f"--device={sink}"]
        self._process = subprocess.Popen(
            [
                "pacat",
                "--playback",
                "--raw",
                "--verbose",
                "--format=s16ne",
                "--channels=1",
                f"--rate={rate}",
                f"--latency-msec={LATENCY_MS}",
                "--client-name=Agent toolbar",
                f"--stream-name={name}",
                *device,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=_c_locale(),
        )
        self._input: IO[bytes] = _opened(self._process.stdin)
        self._errors: IO[bytes] = _opened(self._process.stderr)
        fcntl.fcntl(self._input, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self._thread = threading.Thread(target=self._pump, name=f"sound {name}", daemon=True)
        self._thread.start()

    def refused(self, timeout: float = CONNECT_WAIT) -> str | None:
        """Why the server did not take the stream, in pacat's words; None once it has.

        Waits for the server's answer, up to `timeout` seconds (then assumes it did).
        """
        self._answered.wait(timeout)
        if self._taken or self._process.poll() is None:
            return None
        return self._last_words()

    def abort(self) -> None:
        """Silence the sound now: pacat ends without playing what it holds."""
        if self._process.poll() is None:
            self._process.terminate()
        self._thread.join(END_WAIT)
        if self._thread.is_alive():
            self._process.kill()
            self._thread.join(END_WAIT)

    def close(self) -> None:
        """Once `ended` was called: let the stream's thread finish."""
        self._thread.join(END_WAIT)

    def _pump(self) -> None:
        into, errors = self._input.fileno(), self._errors.fileno()
        os.set_blocking(into, False)
        os.set_blocking(errors, False)
        pending, feeding = b"", True
        with selectors.DefaultSelector() as selector:
            selector.register(errors, selectors.EVENT_READ)
            selector.register(into, selectors.EVENT_WRITE)
            while selector.get_map():
                for key, _ in selector.select():
                    if key.fd == errors:
                        said = os.read(errors, 4096)
                        if said:
                            self._hear(said)
                        else:
                            selector.unregister(errors)
                        continue
                    if not pending and feeding:
                        pending, feeding = self._next_chunk()
                    try:
                        pending = pending[os.write(into, pending) :]
                    except BrokenPipeError:
                        pending, feeding = b"", False
                    if not pending and not feeding:
                        selector.unregister(into)
                        self._input.close()
        self._process.wait()
        self._input.close()
        self._errors.close()
        self._answered.set()
        self._ended()

    def _next_chunk(self) -> tuple[bytes, bool]:
        chunk = bytearray(2 * self._frames)
        more = self._feed.fill(memoryview(chunk), self._frames)
        return bytes(chunk), more

    def _hear(self, said: bytes) -> None:
        self._said = (self._said + said)[-4096:]
        if not self._taken and CONNECTED in self._said:
            self._taken = True
            self._answered.set()

    def _last_words(self) -> str:
        lines = self._said.decode(errors="replace").replace("\x1b[K", "").splitlines()
        words = [line.strip() for line in lines if line.strip()]
        return words[-1] if words else f"pacat ended with status {self._process.returncode}"


def _opened(pipe: IO[bytes] | None) -> IO[bytes]:
    if pipe is None:
        raise RuntimeError("pacat's pipes were not made")
    return pipe
