"""The bundled ring and chime: remade by their script, small, and shaped to loop and end softly."""

import subprocess
import sys
import wave
from array import array
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[3]
SOUNDS = ROOT / "resources" / "sounds"
RATE = 24_000


def samples(path: Path) -> "array[int]":
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        return array("h", wav.readframes(wav.getnframes()))


@pytest.mark.parametrize("name", ["ring", "chime"])
def test_the_checked_in_sounds_are_what_the_script_makes(name: str, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_sounds.py"), str(tmp_path)],
        check=True,
        timeout=60,
    )
    made, kept = samples(tmp_path / f"{name}.wav"), samples(SOUNDS / f"{name}.wav")
    assert len(made) == len(kept)
    # Another machine's libm may round a sine's last bit differently.
    assert max(abs(a - b) for a, b in zip(made, kept, strict=True)) <= 1


@pytest.mark.parametrize(("name", "seconds"), [("ring", 3.0), ("chime", 1.6)])
def test_sounds_are_short_and_leave_headroom(name: str, seconds: float) -> None:
    sound = samples(SOUNDS / f"{name}.wav")
    assert len(sound) == seconds * RATE
    assert (SOUNDS / f"{name}.wav").stat().st_size < 150_000
    assert 0.4 * 32767 < max(abs(sample) for sample in sound) < 0.6 * 32767


def test_the_ring_rings_at_once_then_falls_silent_so_it_loops_cleanly() -> None:
    ring = samples(SOUNDS / "ring.wav")
    first_tenth = ring[: RATE // 10]
    assert max(abs(sample) for sample in first_tenth) > 10_000
    assert set(ring[RATE:]) == {0}
    assert ring[0] == 0


def test_the_chime_decays_to_silence() -> None:
    chime = samples(SOUNDS / "chime.wav")
    peak = max(abs(sample) for sample in chime)
    late = max(abs(sample) for sample in chime[round(1.2 * RATE) : round(1.4 * RATE)])
    assert late < peak / 3
    assert abs(chime[-1]) <= 1
