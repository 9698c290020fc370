"""The two ways to the devices; each opens one stream per sound, on the device asked for.

- a PulseAudio-protocol server (`pulse.py`), where one answers: most Linux desktops,
  with PulseAudio or PipeWire, whose sinks PortAudio cannot reach;
- PortAudio, through sounddevice, everywhere else (Windows, macOS, plain ALSA):
  under 1 MB in an installer, where Qt's own audio would bring PySide6-Addons'
  QtMultimedia and its FFmpeg libraries (24 MB).

Both play the same prepared samples (`samples.Playback`).

A device that is gone or refuses falls back to the default one, with one log line.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeAlias

from agent_toolbar.system.sound.devices import NO_DEVICES, PULSE, device_id, pulse_id
from agent_toolbar.system.sound.pulse import PulseServer, PulseStream, Sinks
from agent_toolbar.system.sound.samples import Playback, SoundName


@dataclass(frozen=True)
class Play:
    """A sound to play: on which device (None: the default), how loud, how long."""

    sound: SoundName
    device: str | None
    volume: int
    seconds: float | None
    """How long to loop the sound; None plays it once."""


Prepare: TypeAlias = Callable[[int], Playback]
"""Makes the sound's `Playback` at a sample rate: the rate the device plays at."""


class Stream(Protocol):
    """A sound's stream, whichever route opened it."""

    def abort(self) -> None:
        """Silence it now (at quit)."""

    def close(self) -> None:
        """Release it, once it has ended or been aborted."""


@dataclass(frozen=True)
class Opened:
    playback: Playback
    stream: Stream
    device: str
    """The id of the device it plays on, to name it in the log."""


class Route(Protocol):
    """A way to the devices: it opens a stream for a sound."""

    def open(self, play: Play, rate: int, prepare: Prepare) -> Opened | None:
        """Start `play`'s sound (made at `rate` Hz) on its device, or on the default one if
        that is gone or refuses; None when nothing can play it (the log says why)."""


class PortAudioRoute:
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

    def open(self, play: Play, rate: int, prepare: Prepare) -> Opened | None:
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

    def _find(self, device: str) -> int | None:
        for index, info in enumerate(self._sd.query_devices()):
            if info["max_output_channels"] > 0 and device_id(self._sd, info) == device:
                return index
        return None

    def _start(self, index: int, sound_rate: int, prepare: Prepare) -> Opened:
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
        return Opened(playback, stream, device_id(self._sd, self._sd.query_devices(index)))

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


class PulseRoute:
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

    def open(self, play: Play, rate: int, prepare: Prepare) -> Opened | None:
        known = self._server.sinks()
        sink = None if play.device is None else self._sink(play.device, known)
        playback = prepare(rate)
        stream = PulseStream(
            playback, sink=sink, rate=rate, name=play.sound, ended=lambda: self._end(playback)
        )
        refused = stream.refused()
        if refused is None:
            default = None if known is None else known.default
            return Opened(playback, stream, pulse_id(sink or default or "@DEFAULT_SINK@"))
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
