"""The ring and the chime through real PortAudio and real ALSA, without a sound card.

Each test writes an ALSA configuration whose devices are `file` plugins: what a
device plays lands in a file, or in a FIFO that the test drains at a sound card's
pace. `ALSA_CONFIG_PATH` points a child process at it (PortAudio reads ALSA's
configuration once, when it starts, and this hides the machine's own devices); the
child plays through `agent_toolbar.system.sound` and the test reads what each device got.
"""

import os
import subprocess
import sys
import threading
import time
import wave
from array import array
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent

import pytest

from agent_toolbar.system.sound.devices import NO_DEVICES, NO_PORTAUDIO

pytestmark = pytest.mark.skipif(
    sys.platform != "linux", reason="plays through ALSA, Linux's sound system"
)

SOUNDS = Path(__file__).parents[2] / "resources" / "sounds"
RATE = 24_000
BYTES_PER_SECOND = 2 * RATE
FADE = round(0.02 * RATE)

PRELUDE = """
import logging, sys, time
from pathlib import Path
logging.basicConfig(level=logging.INFO, stream=sys.stdout, format="%(levelname)s %(message)s")
from agent_toolbar.system.sound.devices import available, output_devices
from agent_toolbar.system.sound.sounds import Sounds

def wait_for(path, size):
    deadline = time.monotonic() + 20
    while not (Path(path).exists() and Path(path).stat().st_size >= size):
        assert time.monotonic() < deadline, f"{path} never got {size} bytes"
        time.sleep(0.01)
"""

HIDE_PORTAUDIO = """
import ctypes.util
ctypes.util.find_library = lambda name: None
"""
"""What a machine without libportaudio2 shows sounddevice, which looks the library up
with `find_library`: there is none to find. sounddevice's own failure path runs."""


def clip(name: str) -> "array[int]":
    with wave.open(str(SOUNDS / f"{name}.wav")) as wav:
        assert wav.getframerate() == RATE
        return array("h", wav.readframes(wav.getnframes()))


def samples(path: Path) -> "array[int]":
    return array("h", path.read_bytes())


def aligned(played: "array[int]", sound: "array[int]") -> "array[int]":
    """`played` from where `sound` starts in it, past the silence PortAudio primes with."""
    offset = first_sound(played) - first_sound(sound)
    assert offset >= 0
    return played[offset:]


def first_sound(sound: "array[int]") -> int:
    return next(index for index, sample in enumerate(sound) if sample)


def same_sound(played: "array[int]", sound: "array[int]", frames: int | None = None) -> bool:
    """Whether `played` starts with `sound`'s first `frames` frames (all but its fade-out)."""
    frames = len(sound) - FADE if frames is None else frames
    return aligned(played, sound)[:frames] == sound[:frames]


def alsa_config(folder: Path, devices: dict[str, Path]) -> Path:
    """A configuration with one `file` device per entry; "default" becomes the default."""
    lines = [
        f"pcm.{'!default' if name == 'default' else name} {{ type file "
        f'slave.pcm {{ type null }} file "{path}" format raw }}'
        for name, path in devices.items()
    ]
    config = folder / "asound.conf"
    config.write_text("\n".join(lines) + "\n")
    return config


def play(config: Path, code: str, *, hide_portaudio: bool = False) -> str:
    """Run `code` in a child whose ALSA is `config`; its log and prints come back.

    Its PulseAudio server is a socket that does not exist: on a desktop the session's
    server would answer, and the sounds would take that route instead of PortAudio's."""
    prelude = HIDE_PORTAUDIO + PRELUDE if hide_portaudio else PRELUDE
    environment = {key: value for key, value in os.environ.items() if not key.startswith("ALSA_")}
    environment["ALSA_CONFIG_PATH"] = str(config)
    environment["PULSE_SERVER"] = f"unix:{config.parent / 'no-sound-server'}"
    result = subprocess.run(
        [sys.executable, "-c", prelude + dedent(code)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class FifoSink:
    """A device's output through a FIFO, read here: the test hears it as it plays.

    `paced` drains it at a 24 kHz sound card's pace (the pipe then holds 4 KiB,
    about 40 ms, so the player runs only that far ahead); otherwise as fast as it
    comes. `open_after` seconds pass before the FIFO opens for reading: until then
    the player's open waits, as for a slow device.
    """

    def __init__(self, path: Path, *, paced: bool = True, open_after: float = 0.0) -> None:
        os.mkfifo(path)
        self.path = path
        self.received = bytearray()
        self.first: float | None = None
        self.last: float | None = None
        self.closed_at: float | None = None
        self._paced = paced
        self._open_after = open_after
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        import fcntl

        time.sleep(self._open_after)
        fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        if self._paced:
            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 4096)
        while not self._done.is_set():
            try:
                chunk = os.read(fd, 480)
            except BlockingIOError:
                chunk = None
            if not chunk:
                if chunk == b"" and self.first is not None and self.closed_at is None:
                    self.closed_at = time.monotonic()
                time.sleep(0.002)
                continue
            now = time.monotonic()
            self.first = self.first or now
            self.last = now
            self.received += chunk
            if self._paced:
                time.sleep(max(0.0, self.first + len(self.received) / BYTES_PER_SECOND - now))
        os.close(fd)

    def wait_closed(self) -> None:
        """Until the player has closed the FIFO and all it wrote is "played"."""
        deadline = time.monotonic() + 10
        while self.closed_at is None:
            assert time.monotonic() < deadline, f"{self.path} was never closed"
            time.sleep(0.01)

    def samples(self) -> "array[int]":
        return array("h", bytes(self.received))

    def seconds(self) -> float:
        return len(self.received) / BYTES_PER_SECOND

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


@pytest.fixture
def sinks() -> Iterator[dict[str, FifoSink]]:
    made: dict[str, FifoSink] = {}
    yield made
    for sink in made.values():
        sink.stop()


def test_each_sound_plays_on_its_own_device_and_nowhere_else(tmp_path: Path) -> None:
    files = {name: tmp_path / f"{name}.raw" for name in ("default", "speakers", "headset")}
    config = alsa_config(tmp_path, files)
    printed = play(
        config,
        f"""
        print(available())
        print(sorted(device.id for device in output_devices()))
        sounds = Sounds()
        sounds.ring("ALSA: speakers", 100, 2.0)
        sounds.chime("ALSA: headset", 100)
        wait_for({str(files["speakers"])!r}, {2 * BYTES_PER_SECOND})
        wait_for({str(files["headset"])!r}, {len(clip("chime")) * 2})
        sounds.close()
        """,
    )
    assert printed.splitlines() == ["None", "['ALSA: default', 'ALSA: headset', 'ALSA: speakers']"]
    ring, chime = clip("ring"), clip("chime")
    speakers = aligned(samples(files["speakers"]), ring)
    assert same_sound(speakers, ring, 2 * RATE - FADE)
    assert set(speakers[2 * RATE :]) <= {0}
    assert same_sound(samples(files["headset"]), chime)
    assert not files["default"].exists()


def test_volume_50_plays_at_half_the_amplitude_and_0_plays_nothing(tmp_path: Path) -> None:
    files = {name: tmp_path / f"{name}.raw" for name in ("default", "loud", "half", "mute")}
    config = alsa_config(tmp_path, files)
    play(
        config,
        f"""
        sounds = Sounds()
        sounds.chime("ALSA: mute", 0)
        sounds.ring("ALSA: mute", 0, 2.0)
        sounds.chime("ALSA: loud", 100)
        sounds.chime("ALSA: half", 50)
        wait_for({str(files["loud"])!r}, {len(clip("chime")) * 2})
        wait_for({str(files["half"])!r}, {len(clip("chime")) * 2})
        sounds.close()
        """,
    )
    chime = clip("chime")
    loud = aligned(samples(files["loud"]), chime)[: len(chime)]
    # Found by where its own first sound is: quiet first samples round down to 0 at 50.
    halved = array("h", (int(sample / 2) for sample in chime))
    half = aligned(samples(files["half"]), halved)[: len(chime)]
    assert max(loud) > 15_000
    assert abs(max(half) - max(loud) / 2) <= 1
    assert all(abs(h - full / 2) <= 1 for h, full in zip(half, loud, strict=True))
    # Volume 0 opened no stream: the mute device's file was never even created.
    assert not files["mute"].exists()


def test_an_unknown_device_falls_back_to_the_default_with_one_log_line(
    tmp_path: Path, sinks: dict[str, FifoSink]
) -> None:
    sinks["default"] = FifoSink(tmp_path / "default.fifo", paced=False)
    speakers = tmp_path / "speakers.raw"
    config = alsa_config(tmp_path, {"default": sinks["default"].path, "speakers": speakers})
    printed = play(
        config,
        """
        sounds = Sounds()
        sounds.chime("ALSA: USB headset unplugged", 100)
        time.sleep(0.5)
        sounds.chime("ALSA: USB headset unplugged", 100)
        time.sleep(0.5)
        sounds.close()
        """,
    )
    assert printed.splitlines() == [
        "WARNING the sound device ALSA: USB headset unplugged is gone: playing on the default one"
    ]
    chime, default = clip("chime"), sinks["default"].samples()
    assert same_sound(default, chime)
    assert same_sound(aligned(default, chime)[len(chime) :], chime)
    assert not speakers.exists()


def test_a_ring_loops_for_its_length_and_fades_out_at_its_end(tmp_path: Path) -> None:
    files = {"default": tmp_path / "default.raw"}
    config = alsa_config(tmp_path, files)
    play(
        config,
        f"""
        sounds = Sounds()
        sounds.ring(None, 100, 6.3)
        wait_for({str(files["default"])!r}, {round(6.3 * BYTES_PER_SECOND)})
        sounds.close()
        """,
    )
    ring = clip("ring")
    played = aligned(samples(files["default"]), ring)
    end = round(6.3 * RATE)
    assert same_sound(played, ring * 3, end - FADE)
    # 6.3 s is 0.3 s into a ring burst: the last frames fade instead of clicking.
    cut = played[end - RATE // 500 : end]
    assert max(abs(sample) for sample in cut) < max(abs(sample) for sample in ring) / 8
    assert set(played[end:]) <= {0}


def test_stop_ring_silences_the_ring_at_once_and_a_new_ring_may_start(
    tmp_path: Path, sinks: dict[str, FifoSink]
) -> None:
    sinks["speakers"] = FifoSink(tmp_path / "speakers.fifo")
    files = {"default": tmp_path / "default.raw", "headset": tmp_path / "headset.raw"}
    config = alsa_config(tmp_path, {**files, "speakers": sinks["speakers"].path})
    printed = play(
        config,
        f"""
        sounds = Sounds()
        sounds.ring("ALSA: speakers", 100, 30.0)
        time.sleep(0.6)
        stopping = time.monotonic()
        sounds.stop_ring()
        print(time.monotonic() - stopping)
        print(stopping)
        sounds.ring("ALSA: headset", 100, 1.0)
        wait_for({str(files["headset"])!r}, {BYTES_PER_SECOND})
        time.sleep(0.5)
        print(time.monotonic())
        sounds.close()
        """,
    )
    took, stopped_at, closed_at = (float(line) for line in printed.split())
    speakers = sinks["speakers"]
    speakers.wait_closed()
    assert took < 0.01
    assert 0.3 < speakers.seconds() < 1.2
    assert speakers.last is not None
    assert speakers.last < stopped_at + 0.5
    # The stopped ring's stream closed by itself, before the process closed `Sounds`.
    assert speakers.closed_at is not None
    assert speakers.closed_at < closed_at
    assert same_sound(samples(files["headset"]), clip("ring"), RATE - FADE)


def test_a_second_ring_while_ringing_changes_nothing(
    tmp_path: Path, sinks: dict[str, FifoSink]
) -> None:
    sinks["speakers"] = FifoSink(tmp_path / "speakers.fifo")
    files = {"default": tmp_path / "default.raw", "headset": tmp_path / "headset.raw"}
    config = alsa_config(tmp_path, {**files, "speakers": sinks["speakers"].path})
    play(
        config,
        f"""
        sounds = Sounds()
        sounds.ring("ALSA: speakers", 100, 1.0)
        time.sleep(0.3)
        sounds.ring("ALSA: speakers", 100, 1.0)
        sounds.ring("ALSA: headset", 100, 1.0)
        sounds.chime(None, 100)
        wait_for({str(files["default"])!r}, {len(clip("chime")) * 2})
        time.sleep(1.5)
        sounds.close()
        """,
    )
    sinks["speakers"].wait_closed()
    ring = clip("ring")
    speakers = aligned(sinks["speakers"].samples(), ring)
    assert same_sound(speakers, ring, RATE - FADE)
    assert set(speakers[RATE:]) <= {0}
    assert not files["headset"].exists()


def test_a_ring_and_a_chime_play_at_the_same_time_on_two_devices(
    tmp_path: Path, sinks: dict[str, FifoSink]
) -> None:
    sinks["speakers"] = FifoSink(tmp_path / "speakers.fifo")
    sinks["headset"] = FifoSink(tmp_path / "headset.fifo")
    config = alsa_config(
        tmp_path,
        {
            "default": tmp_path / "default.raw",
            "speakers": sinks["speakers"].path,
            "headset": sinks["headset"].path,
        },
    )
    play(
        config,
        """
        sounds = Sounds()
        sounds.ring("ALSA: speakers", 100, 1.6)
        sounds.chime("ALSA: headset", 100)
        time.sleep(2.2)
        sounds.close()
        """,
    )
    ring, chime = sinks["speakers"], sinks["headset"]
    ring.wait_closed()
    chime.wait_closed()
    assert same_sound(ring.samples(), clip("ring"), round(1.6 * RATE) - FADE)
    assert same_sound(chime.samples(), clip("chime"))
    assert ring.first is not None
    assert ring.last is not None
    assert chime.first is not None
    assert chime.last is not None
    assert chime.first < ring.last - 1.0
    assert ring.first < chime.last - 1.0


def test_a_device_slow_to_open_does_not_hold_up_the_caller(
    tmp_path: Path, sinks: dict[str, FifoSink]
) -> None:
    """Opening a FIFO waits for its reader, as a waking Bluetooth headset makes one wait."""
    sinks["slow"] = FifoSink(tmp_path / "slow.fifo", paced=False, open_after=1.0)
    default = tmp_path / "default.raw"
    config = alsa_config(tmp_path, {"default": default, "slow": sinks["slow"].path})
    printed = play(
        config,
        """
        began = time.monotonic()
        sounds = Sounds()
        sounds.chime("ALSA: slow", 100)
        sounds.ring(None, 100, 0.5)
        sounds.stop_ring()
        print(time.monotonic() - began)
        time.sleep(1.5)
        sounds.close()
        """,
    )
    sinks["slow"].wait_closed()
    assert float(printed) < 0.05
    assert same_sound(sinks["slow"].samples(), clip("chime"))


def test_a_device_failing_while_it_plays_is_named_once_and_rings_go_on(tmp_path: Path) -> None:
    """Writing to a folder that does not exist fails as an unplugged USB headset does."""
    default = tmp_path / "default.raw"
    config = alsa_config(tmp_path, {"default": default, "broken": tmp_path / "gone" / "x.raw"})
    printed = play(
        config,
        f"""
        sounds = Sounds()
        sounds.ring("ALSA: broken", 100, 30.0)
        sounds.chime("ALSA: broken", 100)
        time.sleep(0.5)
        sounds.ring(None, 100, 1.0)
        wait_for({str(default)!r}, {BYTES_PER_SECOND})
        sounds.close()
        """,
    )
    assert printed.splitlines() == [
        "WARNING the sound device ALSA: broken failed before the sound's end"
    ]
    assert same_sound(samples(default), clip("ring"), RATE - FADE)


def test_without_devices_sound_says_so_and_stays_quiet(tmp_path: Path) -> None:
    config = tmp_path / "asound.conf"
    config.write_text("pcm.!default { type hw card 99 }\n")
    printed = play(
        config,
        """
        print(available())
        print(output_devices())
        sounds = Sounds()
        sounds.ring(None, 100, 1.0)
        sounds.chime(None, 100)
        sounds.chime("ALSA: speakers", 100)
        sounds.close()
        """,
    )
    assert printed.splitlines() == [
        NO_DEVICES,
        "[]",
        f"WARNING {NO_DEVICES}",
        "WARNING the sound device ALSA: speakers is gone: playing on the default one",
    ]


def test_without_portaudio_the_toolbar_runs_silent_and_logs_why_once(tmp_path: Path) -> None:
    config = alsa_config(tmp_path, {"default": tmp_path / "default.raw"})
    printed = play(
        config,
        """
        sounds = Sounds()
        sounds.ring(None, 100, 1.0)
        sounds.chime(None, 100)
        sounds.stop_ring()
        print(available())
        print(output_devices())
        sounds.close()
        """,
        hide_portaudio=True,
    )
    assert printed.splitlines() == [
        f"WARNING sound is off: {NO_PORTAUDIO} (PortAudio library not found)",
        NO_PORTAUDIO,
        "[]",
    ]
    assert not (tmp_path / "default.raw").exists()
