"""What a sound's stream is fed, without a sound card: volume, rate, looping, the fade, stop."""

import math
import re
import subprocess
import sys
import threading
from array import array
from collections.abc import Callable
from itertools import pairwise

import pytest

from agent_toolbar.system.sound.samples import Playback, resampled, scaled
from agent_toolbar.system.sound.sounds import Sounds

RATE = 24_000


def tone(hz: float, seconds: float, rate: int = RATE, peak: int = 20_000) -> "array[int]":
    count = round(seconds * rate)
    return array("h", (round(peak * math.sin(2 * math.pi * hz * i / rate)) for i in range(count)))


def feed(playback: Playback, blocks: list[int]) -> tuple["array[int]", list[bool]]:
    """Run `fill` as PortAudio would: one buffer of each size in `blocks`."""
    out, results = array("h"), []
    for frames in blocks:
        buffer = bytearray(2 * frames)
        results.append(playback.fill(memoryview(buffer), frames))
        out.frombytes(bytes(buffer))
    return out, results


def test_volume_scales_the_amplitude() -> None:
    sound = array("h", [32767, -32768, 1000, -1000, 0])
    assert scaled(sound, 100) == sound
    assert scaled(sound, 50) == array("h", [16383, -16384, 500, -500, 0])
    assert scaled(sound, 0) == array("h", [0] * 5)


def test_resampling_keeps_the_length_in_time_and_the_pitch() -> None:
    sound = tone(660, 0.5)
    doubled = resampled(sound, RATE, 48_000)
    assert len(doubled) == 2 * len(sound)
    assert doubled[::2] == sound
    assert resampled(sound, RATE, RATE) is sound
    at_44k = resampled(sound, RATE, 44_100)
    assert len(at_44k) == 22_050
    crossings = sum(1 for a, b in pairwise(at_44k) if a < 0 <= b)
    assert abs(crossings - 660 * 0.5) <= 1


def test_a_sound_loops_until_its_frames_are_out_then_stops() -> None:
    sound = array("h", range(1, 101))
    playback = Playback(sound, frames=250, fade=1)
    out, results = feed(playback, [64, 64, 64, 64, 64])
    assert results == [True, True, True, False, False]
    assert out[:249] == (sound * 3)[:249]
    assert set(out[250:]) == {0}
    assert not playback.going


def test_stop_fades_out_within_the_fade_and_then_ends() -> None:
    sound = array("h", [10_000] * 480)
    playback = Playback(sound, frames=10 * RATE, fade=100)
    before, _ = feed(playback, [256])
    assert set(before) == {10_000}
    assert playback.going
    playback.stop()
    assert not playback.going
    after, results = feed(playback, [256, 256])
    assert results == [False, False]
    faded = after[:100]
    assert list(faded) == sorted(faded, reverse=True)
    assert faded[0] > 9_000
    assert faded[-1] < 200
    assert set(after[100:]) == {0}


def test_a_sound_cut_by_its_length_fades_out_too() -> None:
    sound = array("h", [-8_000] * 1000)
    out, _ = feed(Playback(sound, frames=1000, fade=200), [1000])
    assert set(out[:800]) == {-8_000}
    assert abs(out[999]) < 100


def test_stop_from_another_thread_is_seen_by_the_next_buffer() -> None:
    playback = Playback(array("h", [5_000] * 100), frames=10**9, fade=10)
    stopper = threading.Thread(target=playback.stop)
    stopper.start()
    stopper.join()
    out, results = feed(playback, [64])
    assert results == [False]
    assert set(out[10:]) == {0}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda sounds: sounds.ring(None, 101, 5), "the volume must be between 0 and 100, not 101"),
        (lambda sounds: sounds.chime(None, -1), "the volume must be between 0 and 100, not -1"),
        (
            lambda sounds: sounds.ring(None, 50, math.inf),
            "the ring's length must be a number of seconds, not inf",
        ),
    ],
)
def test_bad_arguments_are_named_in_plain_words(
    call: Callable[[Sounds], None], message: str
) -> None:
    sounds = Sounds()
    try:
        with pytest.raises(ValueError, match=re.escape(message)):
            call(sounds)
    finally:
        sounds.close()


def test_importing_the_module_leaves_portaudio_unloaded() -> None:
    """The toolbar starts without waiting for PortAudio: `Sounds` loads it in its worker."""
    probe = "import sys, agent_toolbar.system.sound.sounds; print('sounddevice' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"
