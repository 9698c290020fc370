"""The ring and the chime through a real PulseAudio server, as on a Linux desktop.

A private PulseAudio daemon runs for this module, as the test's own user, with its
runtime dir, home and cookie in a temporary folder, no configuration file (`-n`) and
only the modules loaded here: the native protocol on a socket of its own (anonymous
auth) and two sinks, Speakers (the default) and Headset. Run as root it still
starts in user mode (it only warns; `--system` would want a `pulse` user and drop
privileges), so the same fixture serves root in a container and a developer's user;
`--log-level=error` keeps that warning out, and nothing here reaches the session's
own sound server or D-Bus. The code under test finds the daemon through PULSE_SERVER.

Each sink is a pipe sink: what it plays, it writes into a FIFO that the test reads,
at the pace of the clock (a block of 85 ms at a time), so the test hears exactly the
samples the sink played and when. Not a null sink's monitor: to start a new stream
at once the server rewinds the sink and mixes the stream in from the first sample it
has not yet played, but a monitor has already passed that stretch on to its
recorders, as silence; so the first few milliseconds of every sound (as much as the
server's debug log says it rewound: "Have to rewind 242 bytes") would be missing from
a monitor's recording though the sink played them. A pipe sink never rewinds, and a
sound card's sink rewinds only what the card has not yet played: there, as here, a
sound plays from its first sample.
"""

import logging
import os
import shutil
import subprocess
import sys
import threading
import time
import wave
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent

import pytest

from agent_toolbar.system.sound.devices import OutputDevice, available, output_devices
from agent_toolbar.system.sound.sounds import Sounds

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("pulseaudio", "pactl", "pacat")),
    reason="needs Debian's pulseaudio and pulseaudio-utils (scripts/bootstrap --tests)",
)

SOUNDS = Path(__file__).parents[2] / "resources" / "sounds"
RATE = 24_000
FADE = round(0.02 * RATE)
HEADSET = "Headset: USB, Ünïcode"
"""A description with a colon, a comma, spaces and more than ASCII, as real ones have."""


def clip(name: str) -> "array[int]":
    with wave.open(str(SOUNDS / f"{name}.wav")) as wav:
        assert wav.getframerate() == RATE
        return array("h", wav.readframes(wav.getnframes()))


OPENING = RATE // 100
"""A sound is found where its first 10 ms were played, sample for sample."""


def aligned(played: "array[int]", sound: "array[int]") -> "array[int]":
    """`played` from where `sound` starts in it: its opening, after nothing but silence.

    Found by an exact search, not by its first sound: a sound that lost its start, or
    starts too soft or too loud, must not be found."""
    opening, recording = sound[:OPENING].tobytes(), played.tobytes()
    found = recording.find(opening)
    while found > 0 and found % 2:
        found = recording.find(opening, found + 1)
    lost = f"what was played does not start with the sound's first {OPENING} samples"
    assert found >= 0, lost
    assert not any(played[: found // 2]), lost
    return played[found // 2 :]


def wait_until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.005)


class Recorder:
    """What one sink played, read from its FIFO with the time each piece arrived.

    Reads until the daemon, the FIFO's only writer, ends: stop it before `stop`.
    """

    def __init__(self, fifo: Path) -> None:
        self._fifo = os.open(fifo, os.O_RDONLY)
        self._received = bytearray()
        self._arrivals: list[tuple[float, int]] = []
        """(when, how many bytes had come by then), one per piece."""
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._drain, daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while piece := os.read(self._fifo, 65536):
            with self._lock:
                self._received += piece
                self._arrivals.append((time.monotonic(), len(self._received)))

    def mark(self) -> int:
        """A place in the recording: what comes after it can be read with `since`."""
        with self._lock:
            return len(self._received) // 2

    def since(self, mark: int) -> "array[int]":
        with self._lock:
            return array("h", bytes(self._received[2 * mark : len(self._received) // 2 * 2]))

    def heard_at(self, mark: int, *, last: bool = False) -> float | None:
        """When the first (or the last) piece with sound after `mark` arrived."""
        with self._lock:
            received, arrivals = bytes(self._received), list(self._arrivals)
        heard, begun = None, 2 * mark
        for arrived, end in arrivals:
            piece = received[begun:end]
            begun = max(begun, end)
            if piece.count(0) < len(piece):
                heard = arrived
                if not last:
                    break
        return heard

    def stop(self) -> None:
        self._thread.join(10)
        assert not self._thread.is_alive(), "the FIFO still has a writer"
        os.close(self._fifo)


@dataclass
class Pulse:
    """The private daemon: how clients reach it, and what its sinks played."""

    environment: dict[str, str]
    speakers: Recorder
    headset: Recorder

    def pactl(self, *args: str) -> str:
        return pactl(self.environment, *args)


def pactl(environment: dict[str, str], *args: str, check: bool = True) -> str:
    done = subprocess.run(
        ["pactl", *args], env=environment, capture_output=True, text=True, timeout=10, check=False
    )
    assert done.returncode == 0 or not check, done.stderr
    return done.stdout if done.returncode == 0 else ""


def pipe_sink(name: str, description: str, fifo: Path) -> str:
    """A sink that writes what it plays into `fifo` (which it makes), in real time."""
    properties = f"device.description='{description}'"
    return (
        f"--load=module-pipe-sink sink_name={name} file={fifo} format=s16le rate={RATE}"
        f' channels=1 use_system_clock_for_timing=yes sink_properties="{properties}"'
    )


@pytest.fixture(scope="module")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pulse]:
    folder = tmp_path_factory.mktemp("pulse")
    runtime, home = folder / "run", folder / "home"
    runtime.mkdir(mode=0o700)
    home.mkdir()
    socket = runtime / "native"
    daemon_environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "PULSE_RUNTIME_PATH": str(runtime / "pulse"),
        "PULSE_STATE_PATH": str(home / "state"),
    }
    log = (folder / "daemon.log").open("wb")
    daemon = subprocess.Popen(
        [
            "pulseaudio",
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disallow-exit",
            "--use-pid-file=no",
            "--realtime=no",
            "--high-priority=no",
            "--log-target=stderr",
            "--log-level=error",
            f"--load=module-native-protocol-unix auth-anonymous=1 socket={socket}",
            pipe_sink("speakers", "Speakers", folder / "speakers"),
            pipe_sink("headset", HEADSET, folder / "headset"),
        ],
        env=daemon_environment,
        stdout=log,
        stderr=log,
    )
    environment = {
        **os.environ,
        "PULSE_SERVER": f"unix:{socket}",
        "PULSE_COOKIE": str(home / "cookie"),
        "LC_ALL": "C",
    }

    def answers() -> bool:
        assert daemon.poll() is None, (folder / "daemon.log").read_text()
        return pactl(environment, "info", check=False) != ""

    speakers = headset = None
    try:
        wait_until(answers, 10, "the PulseAudio daemon answering")
        pactl(environment, "set-default-sink", "speakers")
        speakers, headset = Recorder(folder / "speakers"), Recorder(folder / "headset")
        wait_until(lambda: speakers.mark() > 0 and headset.mark() > 0, 10, "the sinks playing")
        yield Pulse(environment, speakers, headset)
    finally:
        daemon.terminate()
        daemon.wait(10)
        for recorder in (speakers, headset):
            if recorder is not None:
                recorder.stop()
        log.close()


@pytest.fixture
def served(pulse: Pulse, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pulse]:
    """The daemon as this process's sound server; the device list asked afresh, as the
    settings dialog does, and again afterwards, so that no other test sees it."""
    for key in ("PULSE_SERVER", "PULSE_COOKIE"):
        monkeypatch.setenv(key, pulse.environment[key])
    output_devices()
    yield pulse
    monkeypatch.undo()
    output_devices()


@pytest.fixture
def sounds() -> Iterator[Sounds]:
    made = Sounds()
    yield made
    made.close()


def pacats() -> list[tuple[int, str]]:
    """(pid, state) of every pacat this process started that is still there, zombies too."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # It ended while the list was made.
        name, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :]
        state, parent = rest.split()[:2]
        if name == "pacat" and int(parent) == os.getpid():
            found.append((int(stat.parent.name), state))
    return found


def test_the_devices_are_the_servers_sinks_by_their_descriptions(served: Pulse) -> None:
    assert output_devices() == [
        OutputDevice("Pulse: speakers", "Speakers"),
        OutputDevice("Pulse: headset", HEADSET),
    ]
    assert available() is None


def test_a_ring_plays_on_its_sink_only_loops_and_ends_by_itself(
    served: Pulse, sounds: Sounds
) -> None:
    speakers, headset = served.speakers.mark(), served.headset.mark()
    asked = time.monotonic()
    sounds.ring("Pulse: speakers", 100, 3.2)
    wait_until(lambda: served.speakers.heard_at(speakers) is not None, 5, "the ring")
    heard = served.speakers.heard_at(speakers)
    assert heard is not None
    assert heard - asked < 1.0
    wait_until(lambda: not pacats(), 8, "pacat ending when the ring's time is up")
    ring = clip("ring")
    played = aligned(served.speakers.since(speakers), ring)
    end = round(3.2 * RATE)
    assert played[: end - FADE] == (ring * 2)[: end - FADE]
    # 3.2 s is 0.2 s into the loop's first burst: the last frames fade instead of clicking.
    assert max(abs(sample) for sample in played[end - RATE // 500 : end]) < max(ring) / 8
    assert set(played[end:]) <= {0}
    assert set(served.headset.since(headset)) == {0}


def test_volume_50_plays_at_half_the_amplitude_of_100(served: Pulse, sounds: Sounds) -> None:
    speakers, headset = served.speakers.mark(), served.headset.mark()
    sounds.chime("Pulse: speakers", 100)
    sounds.chime("Pulse: headset", 50)
    wait_until(lambda: served.headset.heard_at(headset) is not None, 5, "the chimes")
    wait_until(lambda: not pacats(), 5, "the chimes' end")
    chime = clip("chime")
    loud = aligned(served.speakers.since(speakers), chime)[: len(chime)]
    halved = array("h", (int(sample / 2) for sample in chime))
    half = aligned(served.headset.since(headset), halved)[: len(chime)]
    # A sound's last 20 ms fade out, whether it ends by itself or is stopped.
    assert loud[: len(chime) - FADE] == chime[: len(chime) - FADE]
    assert len(half) == len(loud) == len(chime)
    assert max(loud) > 15_000
    assert abs(max(half) - max(loud) / 2) <= 1
    assert all(abs(h - full / 2) <= 1 for h, full in zip(half, loud, strict=True))


def test_stop_ring_silences_it_soon_with_a_fade_and_leaves_no_pacat(
    served: Pulse, sounds: Sounds
) -> None:
    headset, speakers = served.headset.mark(), served.speakers.mark()
    sounds.ring("Pulse: headset", 100, 30.0)
    wait_until(lambda: served.headset.heard_at(headset) is not None, 5, "the ring")
    (ringing,) = pacats()
    # The sink is between the ring's bursts; what it is fed, a latency (0.3 s) ahead, is in
    # the second burst (0.6 s to 1.0 s), where the stop must fade it.
    time.sleep(0.5)
    stopping = time.monotonic()
    sounds.stop_ring()
    took = time.monotonic() - stopping
    wait_until(lambda: not pacats(), 2, f"pacat {ringing} ending, and reaped")
    ended = time.monotonic() - stopping
    last = served.headset.heard_at(headset, last=True)
    assert last is not None
    assert took < 0.01
    assert last - stopping < 0.5
    assert ended < 1.0
    ring = clip("ring")
    played = aligned(served.headset.since(headset), ring)
    assert played[: round(0.6 * RATE)] == ring[: round(0.6 * RATE)]
    cut = max(index for index, sample in enumerate(played) if sample)
    assert round(0.6 * RATE) < cut < RATE - FADE
    assert max(abs(sample) for sample in played[cut - RATE // 500 : cut]) < max(ring) / 8
    assert set(served.speakers.since(speakers)) == {0}


def test_close_silences_every_sound_and_leaves_no_pacat(served: Pulse) -> None:
    recorders = (served.headset, served.speakers)
    marks = [recorder.mark() for recorder in recorders]
    sounds = Sounds()
    sounds.ring("Pulse: headset", 100, 30.0)
    sounds.chime("Pulse: speakers", 100)
    wait_until(
        lambda: all(r.heard_at(m) is not None for r, m in zip(recorders, marks, strict=True)),
        5,
        "the ring and the chime playing",
    )
    assert len(pacats()) == 2
    closing = time.monotonic()
    sounds.close()
    assert time.monotonic() - closing < 1.0
    assert pacats() == []
    time.sleep(0.2)
    quiet = [recorder.mark() for recorder in recorders]
    time.sleep(0.3)
    assert [set(r.since(m)) for r, m in zip(recorders, quiet, strict=True)] == [{0}, {0}]


def test_an_unknown_sink_falls_back_to_the_default_with_one_log_line(
    served: Pulse, sounds: Sounds, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="agent_toolbar.sound")
    headset, ring, length = served.headset.mark(), clip("ring"), round(0.3 * RATE) - FADE
    for _ in range(2):
        speakers = served.speakers.mark()
        sounds.ring("Pulse: alsa_output.usb-unplugged", 100, 0.3)
        wait_until(lambda: served.speakers.mark() > speakers + RATE, 5, "a second's recording")  # noqa: B023
        wait_until(lambda: not pacats(), 5, "the ring's end")
        assert aligned(served.speakers.since(speakers), ring)[:length] == ring[:length]
    assert [record.getMessage() for record in caplog.records] == [
        "the sound device Pulse: alsa_output.usb-unplugged is gone: playing on the default one"
    ]
    assert set(served.headset.since(headset)) == {0}


def test_a_sink_gone_since_the_list_was_made_falls_back_to_the_default(
    served: Pulse, sounds: Sounds, caplog: pytest.LogCaptureFixture
) -> None:
    """The list is kept a while: a sink unplugged meanwhile is refused by the server."""
    caplog.set_level(logging.WARNING, logger="agent_toolbar.sound")
    module = served.pactl("load-module", "module-null-sink", "sink_name=spare").strip()
    assert OutputDevice("Pulse: spare", "Null Output") in output_devices()
    served.pactl("unload-module", module)
    speakers = served.speakers.mark()
    sounds.ring("Pulse: spare", 100, 0.3)
    wait_until(lambda: served.speakers.heard_at(speakers) is not None, 5, "the ring")
    assert [record.getMessage() for record in caplog.records] == [
        "the sound device Pulse: spare cannot play (Stream error: No such entity):"
        " playing on the default one"
    ]
    wait_until(lambda: not pacats(), 5, "the ring's end")
    assert OutputDevice("Pulse: spare", "Null Output") not in output_devices()


def counting_pactl(folder: Path, counts: Path) -> Path:
    """A pactl on a PATH of its own that counts its runs, then runs the real one."""
    folder.mkdir()
    script = folder / "pactl"
    script.write_text(f'#!/bin/sh\necho "$*" >> "{counts}"\nexec "{shutil.which("pactl")}" "$@"\n')
    script.chmod(0o755)
    return folder


def test_sounds_start_no_pactl_and_the_settings_refresh_the_sink_list(
    served: Pulse, sounds: Sounds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = tmp_path / "pactl runs"
    shim = counting_pactl(tmp_path / "bin", counts)
    monkeypatch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")
    output_devices()
    assert counts.read_text().splitlines() == ["info", "list sinks"]
    for sink, recorder in (("headset", served.headset), ("speakers", served.speakers)):
        mark = recorder.mark()
        sounds.ring(f"Pulse: {sink}", 100, 0.2)
        wait_until(lambda: recorder.mark() > mark + RATE // 2, 5, "half a second's recording")  # noqa: B023
        wait_until(lambda: not pacats(), 5, "the ring's end")
        assert recorder.heard_at(mark) is not None
    assert len(counts.read_text().splitlines()) == 2
    output_devices()
    assert len(counts.read_text().splitlines()) == 4


def run_child(environment: dict[str, str], code: str) -> str:
    """Run `code` in a fresh interpreter (its own sound state) and return what it printed."""
    done = subprocess.run(
        [sys.executable, "-c", dedent(code)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_with_a_server_portaudio_is_not_even_loaded(pulse: Pulse) -> None:
    headset = pulse.headset.mark()
    printed = run_child(
        pulse.environment,
        """
        import sys, time
        from agent_toolbar.system.sound.devices import output_devices
        from agent_toolbar.system.sound.sounds import Sounds
        print([device.id for device in output_devices()])
        sounds = Sounds()
        sounds.chime("Pulse: headset", 100)
        time.sleep(0.5)
        sounds.close()
        print("sounddevice" in sys.modules)
        """,
    )
    assert printed.splitlines() == ["['Pulse: speakers', 'Pulse: headset']", "False"]
    assert pulse.headset.heard_at(headset) is not None


def test_without_a_server_the_portaudio_route_plays(tmp_path: Path) -> None:
    """No server answers: PortAudio plays through ALSA, here into a file device."""
    played = tmp_path / "speakers.raw"
    config = tmp_path / "asound.conf"
    config.write_text(
        f'pcm.speakers {{ type file slave.pcm {{ type null }} file "{played}" format raw }}\n'
        "pcm.!default { type null }\n"
    )
    environment = {key: value for key, value in os.environ.items() if not key.startswith("ALSA_")}
    environment |= {"ALSA_CONFIG_PATH": str(config), "PULSE_SERVER": f"unix:{tmp_path}/none"}
    chime = clip("chime")
    printed = run_child(
        environment,
        f"""
        import time
        from pathlib import Path
        from agent_toolbar.system.sound.devices import available, output_devices
        from agent_toolbar.system.sound.pulse import PulseServer
        from agent_toolbar.system.sound.sounds import Sounds
        print(PulseServer().sinks(), available())
        print(sorted(device.id for device in output_devices()))
        sounds = Sounds()
        sounds.chime("ALSA: speakers", 100)
        played, deadline = Path({str(played)!r}), time.monotonic() + 20
        while not (played.exists() and played.stat().st_size >= {2 * len(chime)}):
            assert time.monotonic() < deadline, "the chime never reached the file"
            time.sleep(0.01)
        sounds.close()
        """,
    )
    assert printed.splitlines() == ["None None", "['ALSA: default', 'ALSA: speakers']"]
    length = len(chime) - FADE
    assert aligned(array("h", played.read_bytes()), chime)[:length] == chime[:length]
