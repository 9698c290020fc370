"""The sound thread: it opens and closes the streams, one command at a time.

Opening a stream can take a while (a waking Bluetooth headset), so it happens here
and whoever asks for a sound never waits. What went wrong is logged once per kind.
"""

from dataclasses import dataclass
from enum import Enum
from queue import SimpleQueue
from typing import TypeAlias

from agent_toolbar.support.log import sound as log
from agent_toolbar.system.sound.devices import portaudio, pulse_server
from agent_toolbar.system.sound.routes import Opened, Play, PortAudioRoute, PulseRoute, Route
from agent_toolbar.system.sound.samples import Playback, SoundBank


@dataclass(frozen=True)
class Finished:
    """PortAudio has played all of this sound: its stream can close."""

    playback: Playback


class Signal(Enum):
    STOP_RING = "stop ring"
    CLOSE = "close"


Command: TypeAlias = Play | Finished | Signal


class Player:
    """Plays what the commands ask; runs on the worker thread, one command at a time.

    Each sound goes the route that reaches the devices now: the PulseAudio server while
    one answers, else PortAudio (loaded only then).
    """

    def __init__(self, commands: SimpleQueue[Command]) -> None:
        self._commands = commands
        self._bank = SoundBank()
        self._playing: dict[Playback, Opened] = {}
        self._ring: Playback | None = None
        self._told: set[str] = set()
        self._pulse = PulseRoute(pulse_server, self._tell_once, self._ended)
        self._portaudio: PortAudioRoute | None = None

    def run(self) -> None:
        self._route()  # Now, so that the first ring need not wait for PortAudio to start.
        while (command := self._commands.get()) is not Signal.CLOSE:
            try:
                self._obey(command)
            except Exception as error:
                self._tell_once(f"a sound could not play: {error}")
        for opened in self._playing.values():
            opened.stream.abort()
            opened.stream.close()

    def _route(self) -> Route | None:
        """The PulseAudio server while one answers, else PortAudio; None if neither can play."""
        if pulse_server.sinks() is not None:
            return self._pulse
        if self._portaudio is None:
            sd, problem = portaudio()
            if problem is None:
                self._portaudio = PortAudioRoute(sd, self._tell_once, self._ended)
        return self._portaudio

    def _ended(self, playback: Playback) -> None:
        """From a stream's thread: it has played all of its sound, or failed."""
        self._commands.put(Finished(playback))

    def _obey(self, command: Command) -> None:
        if command is Signal.STOP_RING:
            if self._ring is not None:
                self._ring.stop()
            self._ring = None
        elif isinstance(command, Finished):
            self._close(command.playback)
        elif isinstance(command, Play):
            if command.sound == "ring" and self._ring is not None and self._ring.going:
                return
            self._play(command)

    def _play(self, play: Play) -> None:
        route = self._route()
        if route is None:
            return
        opened = route.open(
            play,
            self._bank.rate(play.sound),
            lambda rate: self._bank.playback(play.sound, play.volume, rate, play.seconds),
        )
        if opened is None:
            return
        self._playing[opened.playback] = opened
        if play.sound == "ring":
            self._ring = opened.playback

    def _close(self, playback: Playback) -> None:
        opened = self._playing.pop(playback, None)
        if opened is None:
            return  # It failed to start, and was closed then.
        opened.stream.close()
        if playback is self._ring:
            self._ring = None
        if playback.going:
            self._tell_once(f"the sound device {opened.device} failed before the sound's end")

    def _tell_once(self, message: str) -> None:
        if message not in self._told:
            self._told.add(message)
            log.warning("%s", message)
