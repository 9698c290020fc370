"""Sounds the agent hears: a ring while a call is offered, a chime before wrap-up ends.

Each sound gets its own stream on the device the agent chose, so the ring can sound
on the speakers while the call is in the headset. The jobs are apart: `devices` finds
the devices (and says why sound cannot play), `samples` prepares the sounds, `routes`
opens their streams through a PulseAudio server or PortAudio, `worker` does that on
its own thread, so whoever asks for a sound never waits, and this module is the public
face. Without either route the toolbar still runs, silent, and the log says why once.

No Qt here: the UI calls `Sounds` and shows `devices.output_devices()` and
`devices.available()`.
"""

import math
import threading
from queue import SimpleQueue

from agent_toolbar.system.sound.devices import prepare_route
from agent_toolbar.system.sound.routes import Play
from agent_toolbar.system.sound.worker import Command, Player, Signal

CLOSE_WAIT = 2.0
"""Seconds `Sounds.close` waits for the worker to silence and close its streams."""


class Sounds:
    """Plays the ring and the chime; no call blocks for more than a queue's put.

    `ring` and `chime` take the device id from preferences (None: the system's
    default device) and a volume of 0 to 100. A device that has gone falls back to
    the default, with one log line. Call `close` at quit.
    """

    def __init__(self) -> None:
        prepare_route()
        self._commands: SimpleQueue[Command] = SimpleQueue()
        self._worker = threading.Thread(
            target=Player(self._commands).run, name="sounds", daemon=True
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
            self._send(Play("ring", device, volume, seconds))

    def stop_ring(self) -> None:
        self._send(Signal.STOP_RING)

    def chime(self, device: str | None, volume: int) -> None:
        """Chime once; it plays beside a ring, even on the same device."""
        _check_volume(volume)
        if volume > 0:
            self._send(Play("chime", device, volume, None))

    def close(self) -> None:
        """Silence everything and end the worker, waiting up to `CLOSE_WAIT` seconds.

        From a coroutine, call it through `asyncio.to_thread`. Calling it again is harmless.
        """
        self._closed = True
        self._commands.put(Signal.CLOSE)
        self._worker.join(CLOSE_WAIT)

    def _send(self, command: Command) -> None:
        if not self._closed and self._worker.is_alive():
            self._commands.put(command)


def _check_volume(volume: int) -> None:
    if not 0 <= volume <= 100:
        raise ValueError(f"the volume must be between 0 and 100, not {volume}")
