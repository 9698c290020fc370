"""Sounds the agent hears: a ring while a call is offered, a chime before wrap-up ends.

Each sound gets its own stream on the device the agent chose, so the ring can sound
on the speakers while the call is in the headset. Two routes reach the devices:

- a PulseAudio-protocol server (`sound_pulse.py`), where one answers: most Linux
  desktops, with PulseAudio or PipeWire, whose sinks PortAudio cannot reach;
- PortAudio, through sounddevice, everywhere else (Windows, macOS, plain ALSA):
  under 1 MB in an installer, where Qt's own audio would bring PySide6-Addons'
  QtMultimedia and its FFmpeg libraries (24 MB).

Both play the same prepared samples (`Playback`: volume, looping, the fade). A worker
thread opens the streams (that can take a while, e.g. for a waking Bluetooth headset),
so whoever asks for a sound never waits. Without either route the toolbar still runs,
silent, and the log says why once.

No Qt here: the UI calls `Sounds` and shows `output_devices()` and `available()`.
"""

import logging
import math
import sys
import threading
import wave
from array import array
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from functools import cache
from importlib import resources
from queue import SimpleQueue
from typing import Any, Literal, Protocol, TypeAlias

from agent_toolbar.domain.causes import marked
from agent_toolbar.system.sound.pulse import PulseServer, PulseStream, Sinks

log = logging.getLogger("agent_toolbar.sound")

SoundName = Literal["ring", "chime"]
Samples: TypeAlias = "array[int]"
"""16-bit mono samples in the machine's byte order, as PortAudio's int16 wants them."""

NO_DEVICES = marked("sound", "no audio output devices")
NO_PORTAUDIO = marked("sound", "the PortAudio library is missing: install libportaudio2")
NO_SOUND_SYSTEM = marked("sound", "the sound system could not start: {error}")
REASONS = (NO_DEVICES, NO_PORTAUDIO, NO_SOUND_SYSTEM)
"""Every reason `available()` gives, as templates marked for Qt's lupdate in the context
"sound": English here and in the log, the window translates them."""

FADE_SECONDS = 0.02
"""A ring cut short fades out over this long instead of ending in a click."""
CLOSE_WAIT = 2.0
"""Seconds `Sounds.close` waits for the worker to silence and close its streams."""
PULSE = "Pulse"
"""The host part of a PulseAudio server's sink ids: "Pulse: alsa_output.usb-…"."""


@dataclass(frozen=True)
class OutputDevice:
    """A device sound can play on.

    `id` is what preferences keep: the host API and the name ("ALSA: USB Headset"),
    or "Pulse: " and a PulseAudio sink's name, which survive a restart and a replug
    where PortAudio's device index does not. `name` is what the agent reads.
    """

    id: str
    name: str


_pulse = PulseServer()
"""The session's PulseAudio server, shared: asking for the devices refreshes what every
player knows of its sinks."""

_loading = threading.Lock()


def _portaudio() -> tuple[Any, str | None]:
    """sounddevice and None, or None and why it cannot load.

    Tried once, as importing it starts PortAudio (which may take a moment), and a
    failure is logged once, whichever thread asks first.
    """
    with _loading:
        return _load_portaudio()


def _prepare() -> None:
    """Start the sound route on the calling thread (the GUI's), not on the sound thread.

    Where no PulseAudio server answers, PortAudio starts ALSA. Started on the sound
    thread beside a busy event loop, that stalled the loop for good (a socket's wake-up
    lost: 18 of 40 demo starts under load); started on the loop's own thread, 0 of 30.
    """
    if _pulse.sinks() is None:
        _portaudio()


@cache
def _load_portaudio() -> tuple[Any, str | None]:
    try:
        import sounddevice
    except OSError as error:
        log.warning("sound is off: %s (%s)", NO_PORTAUDIO, error)
        return None, NO_PORTAUDIO
    except Exception as error:
        reason = NO_SOUND_SYSTEM.format(error=error)
        log.warning("sound is off: %s", reason)
        return None, reason
    return sounddevice, None


def available() -> str | None:
    """None when sound can play, else why not, in plain words.

    Blocks while it asks the PulseAudio server or PortAudio starts: from the GUI, call
    it through `asyncio.to_thread`.
    """
    pulse = _pulse.sinks(fresh=True)
    if pulse is not None:
        return None if pulse.all else NO_DEVICES
    _, problem = _portaudio()
    if problem is not None:
        return problem
    return None if _portaudio_devices() else NO_DEVICES


def output_devices() -> list[OutputDevice]:
    """The devices sound can play on, in the system's order.

    Where a PulseAudio server answers: its sinks, asked afresh. Elsewhere PortAudio's
    devices. Blocks while it asks the server or PortAudio starts: from the GUI, call
    it through `asyncio.to_thread`.
    """
    pulse = _pulse.sinks(fresh=True)
    if pulse is not None:
        return [OutputDevice(_pulse_id(sink.name), sink.description) for sink in pulse.all]
    return _portaudio_devices()


def _pulse_id(sink: str) -> str:
    return f"{PULSE}: {sink}"


def _portaudio_devices() -> list[OutputDevice]:
    """The output devices of the system's usual host API, in PortAudio's order.

    One host API only: on Windows every device appears under MME, DirectSound, WASAPI
    and WDM-KS alike, and MME is the one that takes any sample rate.
    """
    sd, _ = _portaudio()
    if sd is None:
        return []
    host_api = sd.default.hostapi
    return [
        OutputDevice(_device_id(sd, info), info["name"])
        for info in sd.query_devices()
        if info["hostapi"] == host_api and info["max_output_channels"] > 0
    ]


def _device_id(sd: Any, info: dict[str, Any]) -> str:
    return f"{sd.query_hostapis(info['hostapi'])['name']}: {info['name']}"


def scaled(samples: Samples, volume: int) -> Samples:
    """`samples` at `volume` percent of their amplitude: 50 is half, 0 is silence."""
    return array("h", (int(sample * volume / 100) for sample in samples))


def resampled(samples: Samples, source_rate: int, target_rate: int) -> Samples:
    """`samples` taken at `source_rate` Hz, as if taken at `target_rate` Hz.

    Linear interpolation: plenty for the sounds' tones, all far below either rate.
    Only needed for a device that refuses the sounds' own rate (a Linux hw: device).
    """
    if source_rate == target_rate:
        return samples
    last = len(samples) - 1
    out = array("h")
    for index in range(len(samples) * target_rate // source_rate):
        position = index * source_rate / target_rate
        before = int(position)
        after = min(before + 1, last)
        step = samples[after] - samples[before]
        out.append(round(samples[before] + step * (position - before)))
    return out


@dataclass(frozen=True)
class _Clip:
    rate: int
    samples: Samples


def _read_clip(name: SoundName) -> _Clip:
    """One of the bundled sounds: a 16-bit mono WAV file in resources/sounds/."""
    path = resources.files("agent_toolbar.resources") / "sounds" / f"{name}.wav"
    with path.open("rb") as file, wave.open(file) as wav:
        if wav.getnchannels() != 1 or wav.getsampwidth() != 2 or wav.getnframes() == 0:
            raise ValueError(f"the sound {name}.wav is not 16-bit mono sound")
        samples = array("h", wav.readframes(wav.getnframes()))
        rate = wav.getframerate()
    if sys.byteorder == "big":
        samples.byteswap()
    return _Clip(rate, samples)


class Playback:
    """One sound on one stream: loops `samples` for `frames` frames, or until `stop`.

    `fill` runs in PortAudio's thread; `stop` may come from any thread. The last
    `fade` frames, whether the end came by time or by `stop`, fade out to silence.
    """

    def __init__(self, samples: Samples, frames: int, fade: int) -> None:
        self._samples = samples
        self._next = 0
        self._left = frames
        self._fade = max(fade, 1)
        self._stop = threading.Event()
        self._ended = False

    def stop(self) -> None:
        self._stop.set()

    @property
    def going(self) -> bool:
        """Neither stopped nor at its end."""
        return not self._ended and not self._stop.is_set()

    def fill(self, out: Any, frames: int) -> bool:
        """Write the next `frames` frames into the buffer `out`; False once all are out."""
        if self._stop.is_set():
            self._left = min(self._left, self._fade)
        count = min(frames, self._left)
        chunk = self._take(count)
        for index in range(max(0, self._left - self._fade), count):
            chunk[index] = int(chunk[index] * (self._left - index) / (self._fade + 1))
        self._left -= count
        chunk.frombytes(bytes(2 * (frames - count)))
        out[:] = chunk.tobytes()
        self._ended = self._left == 0
        return not self._ended

    def _take(self, count: int) -> Samples:
        chunk = array("h")
        while len(chunk) < count:
            piece = self._samples[self._next : self._next + count - len(chunk)]
            chunk.extend(piece)
            self._next = (self._next + len(piece)) % len(self._samples)
        return chunk


@dataclass(frozen=True)
class _Play:
    sound: SoundName
    device: str | None
    volume: int
    seconds: float | None
    """How long to loop the sound; None plays it once."""


@dataclass(frozen=True)
class _Finished:
    """PortAudio has played all of this sound: its stream can close."""

    playback: Playback


class _Signal(Enum):
    STOP_RING = "stop ring"
    CLOSE = "close"


_Command: TypeAlias = _Play | _Finished | _Signal


_Prepare: TypeAlias = Callable[[int], Playback]
"""Makes the sound's `Playback` at a sample rate: the rate the device plays at."""


class _Stream(Protocol):
    """A sound's stream, whichever route opened it."""

    def abort(self) -> None:
        """Silence it now (at quit)."""

    def close(self) -> None:
        """Release it, once it has ended or been aborted."""


@dataclass(frozen=True)
class _Opened:
    playback: Playback
    stream: _Stream
    device: str
    """The id of the device it plays on, to name it in the log."""


class _Route(Protocol):
    """A way to the devices: it opens a stream for a sound."""

    def open(self, play: _Play, rate: int, prepare: _Prepare) -> _Opened | None:
        """Start `play`'s sound (made at `rate` Hz) on its device, or on the default one if
        that is gone or refuses; None when nothing can play it (the log says why)."""


class _PortAudioRoute:
    """PortAudio's devices: Windows, macOS, and Linux without a PulseAudio server.

    Streams run in PortAudio's thread; `ended` comes from there.
    """

    def __init__(
        self, sd: Any, tell: Callable[[str], None], ended: Callable[[Playback], None]
    ) -> None:
        self._sd = sd
        self._tell = tell
        self._ended = ended
        self._rates: dict[tuple[int, int], int] = {}

    def open(self, play: _Play, rate: int, prepare: _Prepare) -> _Opened | None:
        default = self._sd.default.device[1]
        index = default if play.device is None else self._find(play.device)
        if index is None:
            self._tell(f"the sound device {play.device} is gone: playing on the default one")
            index = default
        if index < 0:
            self._tell(NO_DEVICES)
            return None
        try:
            return self._start(index, rate, prepare)
        except self._sd.PortAudioError as error:
            if index == default or default < 0:
                raise
            self._tell(
                f"the sound device {play.device} cannot play ({error}): playing on the default one"
            )
            return self._start(default, rate, prepare)

    def _find(self, device_id: str) -> int | None:
        for index, info in enumerate(self._sd.query_devices()):
            if info["max_output_channels"] > 0 and _device_id(self._sd, info) == device_id:
                return index
        return None

    def _start(self, index: int, sound_rate: int, prepare: _Prepare) -> _Opened:
        rate = self._rate(index, sound_rate)
        playback = prepare(rate)
        stop = self._sd.CallbackStop

        def callback(outdata: Any, frames: int, _time: Any, _status: Any) -> None:
            if not playback.fill(outdata, frames):
                raise stop

        stream = self._sd.RawOutputStream(
            samplerate=rate,
            device=index,
            channels=1,
            dtype="int16",
            latency="high",
            callback=callback,
            finished_callback=lambda: self._ended(playback),
        )
        try:
            stream.start()
        except BaseException:
            stream.close()
            raise
        return _Opened(playback, stream, _device_id(self._sd, self._sd.query_devices(index)))

    def _rate(self, index: int, rate: int) -> int:
        """The sounds' own rate if the device takes it, else the device's usual one.

        Asked once per device: asking opens the device.
        """
        key = (index, rate)
        if key not in self._rates:
            try:
                self._sd.check_output_settings(
                    device=index, channels=1, dtype="int16", samplerate=rate
                )
                self._rates[key] = rate
            except self._sd.PortAudioError:
                self._rates[key] = int(self._sd.query_devices(index)["default_samplerate"])
        return self._rates[key]


class _PulseRoute:
    """A PulseAudio server's sinks: Linux desktops with PulseAudio or PipeWire.

    The sink list is the server's, kept a while (`SINKS_KEPT`), so a sound starts no
    `pactl`; a sink that fails makes the next sound ask again. The server resamples,
    so the sounds play at their own rate.
    """

    def __init__(
        self, server: PulseServer, tell: Callable[[str], None], ended: Callable[[Playback], None]
    ) -> None:
        self._server = server
        self._tell = tell
        self._ended = ended

    def open(self, play: _Play, rate: int, prepare: _Prepare) -> _Opened | None:
        known = self._server.sinks()
        sink = None if play.device is None else self._sink(play.device, known)
        playback = prepare(rate)
        stream = PulseStream(
            playback, sink=sink, rate=rate, name=play.sound, ended=lambda: self._end(playback)
        )
        refused = stream.refused()
        if refused is None:
            default = None if known is None else known.default
            return _Opened(playback, stream, _pulse_id(sink or default or "@DEFAULT_SINK@"))
        stream.close()
        self._server.forget()
        if sink is None:
            raise OSError(f"the PulseAudio server refused it: {refused}")
        self._tell(
            f"the sound device {play.device} cannot play ({refused}): playing on the default one"
        )
        return self.open(replace(play, device=None), rate, prepare)

    def _sink(self, device: str, known: Sinks | None) -> str | None:
        """The sink `device` names, or None (the default sink) when the server has none such."""
        names = set() if known is None else {sink.name for sink in known.all}
        name = device.removeprefix(f"{PULSE}: ")
        if device.startswith(f"{PULSE}: ") and name in names:
            return name
        self._tell(f"the sound device {device} is gone: playing on the default one")
        return None

    def _end(self, playback: Playback) -> None:
        """From the stream's thread: a sound cut short means a sink failed; ask again next time."""
        if playback.going:
            self._server.forget()
        self._ended(playback)


class _Player:
    """Plays what the commands ask; runs on the worker thread, one command at a time.

    Each sound goes the route that reaches the devices now: the PulseAudio server while
    one answers, else PortAudio (loaded only then).
    """

    def __init__(self, commands: SimpleQueue[_Command]) -> None:
        self._commands = commands
        self._clips: dict[SoundName, _Clip] = {}
        self._prepared: dict[tuple[SoundName, int, int], Samples] = {}
        self._playing: dict[Playback, _Opened] = {}
        self._ring: Playback | None = None
        self._told: set[str] = set()
        self._pulse = _PulseRoute(_pulse, self._tell_once, self._ended)
        self._portaudio: _PortAudioRoute | None = None

    def run(self) -> None:
        self._route()  # Now, so that the first ring need not wait for PortAudio to start.
        while (command := self._commands.get()) is not _Signal.CLOSE:
            try:
                self._obey(command)
            except Exception as error:
                self._tell_once(f"a sound could not play: {error}")
        for opened in self._playing.values():
            opened.stream.abort()
            opened.stream.close()

    def _route(self) -> _Route | None:
        """The PulseAudio server while one answers, else PortAudio; None if neither can play."""
        if _pulse.sinks() is not None:
            return self._pulse
        if self._portaudio is None:
            sd, problem = _portaudio()
            if problem is None:
                self._portaudio = _PortAudioRoute(sd, self._tell_once, self._ended)
        return self._portaudio

    def _ended(self, playback: Playback) -> None:
        """From a stream's thread: it has played all of its sound, or failed."""
        self._commands.put(_Finished(playback))

    def _obey(self, command: _Command) -> None:
        if command is _Signal.STOP_RING:
            if self._ring is not None:
                self._ring.stop()
            self._ring = None
        elif isinstance(command, _Finished):
            self._close(command.playback)
        elif isinstance(command, _Play):
            if command.sound == "ring" and self._ring is not None and self._ring.going:
                return
            self._play(command)

    def _play(self, play: _Play) -> None:
        route = self._route()
        if route is None:
            return
        opened = route.open(
            play, self._clip(play.sound).rate, lambda rate: self._playback(play, rate)
        )
        if opened is None:
            return
        self._playing[opened.playback] = opened
        if play.sound == "ring":
            self._ring = opened.playback

    def _playback(self, play: _Play, rate: int) -> Playback:
        samples = self._samples(play.sound, play.volume, rate)
        frames = len(samples) if play.seconds is None else round(play.seconds * rate)
        return Playback(samples, frames, fade=round(FADE_SECONDS * rate))

    def _close(self, playback: Playback) -> None:
        opened = self._playing.pop(playback, None)
        if opened is None:
            return  # It failed to start, and was closed then.
        opened.stream.close()
        if playback is self._ring:
            self._ring = None
        if playback.going:
            self._tell_once(f"the sound device {opened.device} failed before the sound's end")

    def _clip(self, name: SoundName) -> _Clip:
        if name not in self._clips:
            self._clips[name] = _read_clip(name)
        return self._clips[name]

    def _samples(self, name: SoundName, volume: int, rate: int) -> Samples:
        """The sound at this volume and rate, made once: scaling is slow in Python."""
        key = (name, volume, rate)
        if key not in self._prepared:
            if len(self._prepared) >= 8:
                self._prepared.clear()
            clip = self._clip(name)
            self._prepared[key] = resampled(scaled(clip.samples, volume), clip.rate, rate)
        return self._prepared[key]

    def _tell_once(self, message: str) -> None:
        if message not in self._told:
            self._told.add(message)
            log.warning("%s", message)


class Sounds:
    """Plays the ring and the chime; no call blocks for more than a queue's put.

    `ring` and `chime` take the device id from preferences (None: the system's
    default device) and a volume of 0 to 100. A device that has gone falls back to
    the default, with one log line. Call `close` at quit.
    """

    def __init__(self) -> None:
        _prepare()
        self._commands: SimpleQueue[_Command] = SimpleQueue()
        self._worker = threading.Thread(
            target=_Player(self._commands).run, name="sounds", daemon=True
        )
        self._worker.start()
        self._closed = False

    def ring(self, device: str | None, volume: int, seconds: float) -> None:
        """Ring for `seconds` (the time left to the offer's deadline) or until `stop_ring`.

        While a ring is ringing, another changes nothing.
        """
        _check_volume(volume)
        if not math.isfinite(seconds):
            raise ValueError(f"the ring's length must be a number of seconds, not {seconds}")
        if volume > 0 and seconds > 0:
            self._send(_Play("ring", device, volume, seconds))

    def stop_ring(self) -> None:
        self._send(_Signal.STOP_RING)

    def chime(self, device: str | None, volume: int) -> None:
        """Chime once; it plays beside a ring, even on the same device."""
        _check_volume(volume)
        if volume > 0:
            self._send(_Play("chime", device, volume, None))

    def close(self) -> None:
        """Silence everything and end the worker, waiting up to `CLOSE_WAIT` seconds.

        From a coroutine, call it through `asyncio.to_thread`. Calling it again is harmless.
        """
        self._closed = True
        self._commands.put(_Signal.CLOSE)
        self._worker.join(CLOSE_WAIT)

    def _send(self, command: _Command) -> None:
        if not self._closed and self._worker.is_alive():
            self._commands.put(command)


def _check_volume(volume: int) -> None:
    if not 0 <= volume <= 100:
        raise ValueError(f"the volume must be between 0 and 100, not {volume}")
