"""Synthesises the toolbar's two sounds into resources/sounds/: the ring and the chime.

Standard library only, and deterministic, so the checked-in WAV files can be remade
and reviewed as code: `python scripts/make_sounds.py [OUTPUT_DIR]`.

- ring.wav: a desk phone's double ring, looped while a call is offered. Two 0.4 s
  warbles (F5 and A5 alternating 20 times a second) 0.2 s apart, then 2 s of silence:
  a 3 s cycle that starts ringing at once and loops without a click.
- chime.wav: a soft "ding-dong" (E5 then C5, bell-like partials decaying) that says
  wrap-up is about to end, without the urgency of the ring.

Both are 16-bit mono at 24,000 Hz: half of the usual 48,000 Hz device rate, and
enough for tones below 3 kHz.
"""

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 24_000
FULL_SCALE = 32_767
DEFAULT_OUTPUT = Path(__file__).parents[1] / "resources" / "sounds"

RING_CYCLE = 3.0
RING_BURSTS = ((0.0, 0.4), (0.6, 0.4))
"""(start, length) in seconds of each warble within the cycle."""
RING_TONES = (698.46, 880.0)
RING_WARBLE = 20.0
"""Switches between the two tones per second."""
RING_GLIDE = 0.002
"""Seconds each switch of tone takes: a hard switch would click."""
RING_HARMONICS = ((1, 1.0), (2, 0.3), (3, 0.1))
RING_PEAK = 0.55

CHIME_LENGTH = 1.6
CHIME_NOTES = ((0.0, 659.26), (0.28, 523.25))
"""(start in seconds, pitch in Hz)."""
CHIME_PARTIALS = ((1, 1.0, 0.6), (2, 0.35, 0.25), (3, 0.12, 0.12))
"""(multiple of the pitch, loudness, seconds to decay to 1/e)."""
CHIME_ATTACK = 0.005
CHIME_PEAK = 0.5
TAIL_FADE = 0.1


def raised_cosine(x: float) -> float:
    """0 at x <= 0, 1 at x >= 1, smooth in between: edges without clicks."""
    x = min(max(x, 0.0), 1.0)
    return 0.5 - 0.5 * math.cos(math.pi * x)


def ring() -> list[float]:
    samples = [0.0] * round(RING_CYCLE * RATE)
    low, high = RING_TONES
    norm = sum(weight for _, weight in RING_HARMONICS)
    for start, length in RING_BURSTS:
        first = round(start * RATE)
        phase = 0.0
        for i in range(round(length * RATE)):
            t = i / RATE
            # Which tone, as a square wave whose edges glide over RING_GLIDE seconds.
            into_half = (t * RING_WARBLE) % 1.0 / RING_WARBLE
            half = 1.0 / (2 * RING_WARBLE)
            rise = raised_cosine(into_half / RING_GLIDE)
            fall = raised_cosine((into_half - half) / RING_GLIDE)
            pitch = low + (high - low) * (rise - fall)
            phase += 2 * math.pi * pitch / RATE
            envelope = raised_cosine(t / 0.015) * raised_cosine((length - t) / 0.04)
            tone = sum(weight * math.sin(k * phase) for k, weight in RING_HARMONICS) / norm
            samples[first + i] = envelope * tone
    return normalised(samples, RING_PEAK)


def chime() -> list[float]:
    count = round(CHIME_LENGTH * RATE)
    samples = [0.0] * count
    for start, pitch in CHIME_NOTES:
        first = round(start * RATE)
        for i in range(count - first):
            t = i / RATE
            attack = raised_cosine(t / CHIME_ATTACK)
            samples[first + i] += attack * sum(
                loudness * math.exp(-t / decay) * math.sin(2 * math.pi * k * pitch * t)
                for k, loudness, decay in CHIME_PARTIALS
            )
    fade = round(TAIL_FADE * RATE)
    for i in range(fade):
        samples[count - fade + i] *= raised_cosine(1 - i / fade)
    return normalised(samples, CHIME_PEAK)


def normalised(samples: list[float], peak: float) -> list[float]:
    loudest = max(abs(sample) for sample in samples)
    return [sample * peak / loudest for sample in samples]


def write_wav(path: Path, samples: list[float]) -> None:
    frames = struct.pack(f"<{len(samples)}h", *(round(s * FULL_SCALE) for s in samples))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)


def main(argv: list[str]) -> None:
    output = Path(argv[0]) if argv else DEFAULT_OUTPUT
    output.mkdir(parents=True, exist_ok=True)
    write_wav(output / "ring.wav", ring())
    write_wav(output / "chime.wav", chime())


if __name__ == "__main__":
    main(sys.argv[1:])
