"""The bundled sounds as samples ready to play: read once, scaled, resampled, faded out.

Every route plays what this prepares (`Playback`: volume, looping, the fade), so the
ring sounds the same through PulseAudio and through PortAudio.
"""

import sys
import threading
import wave
from array import array
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal, TypeAlias

SoundName = Literal["ring", "chime"]
Samples: TypeAlias = "array[int]"
"""16-bit mono samples in the machine's byte order, as PortAudio's int16 wants them."""

FADE_SECONDS = 0.02
"""A ring cut short fades out over this long instead of ending in a click."""
KEPT = 8
"""Prepared sounds kept at once (a volume and a rate each): scaling is slow in Python."""


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


class SoundBank:
    """The bundled sounds, each read once, and the last few prepared ones kept.

    Used from one thread (the sound worker's).
    """

    def __init__(self) -> None:
        self._clips: dict[SoundName, _Clip] = {}
        self._prepared: dict[tuple[SoundName, int, int], Samples] = {}

    def rate(self, name: SoundName) -> int:
        """The sound's own sample rate, which a route asks a device for first."""
        return self._clip(name).rate

    def playback(self, name: SoundName, volume: int, rate: int, seconds: float | None) -> Playback:
        """The sound at `volume` and `rate`, looped for `seconds` (None: played once)."""
        samples = self._samples(name, volume, rate)
        frames = len(samples) if seconds is None else round(seconds * rate)
        return Playback(samples, frames, fade=round(FADE_SECONDS * rate))

    def _clip(self, name: SoundName) -> _Clip:
        if name not in self._clips:
            self._clips[name] = _read_clip(name)
        return self._clips[name]

    def _samples(self, name: SoundName, volume: int, rate: int) -> Samples:
        """The sound at this volume and rate, made once: scaling is slow in Python."""
        key = (name, volume, rate)
        if key not in self._prepared:
            if len(self._prepared) >= KEPT:
                self._prepared.clear()
            clip = self._clip(name)
            self._prepared[key] = resampled(scaled(clip.samples, volume), clip.rate, rate)
        return self._prepared[key]
