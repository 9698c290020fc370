"""Which devices sound can play on, and if it cannot play, why: discovery.

A PulseAudio server's sinks where one answers (`pulse.py`), else PortAudio's devices,
loaded only then: importing sounddevice starts PortAudio, which may take a moment.
The UI shows `output_devices()` and `available()`; preferences keep an `OutputDevice`'s
id, which the routes find again.
"""

import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from agent_toolbar.domain.causes import marked
from agent_toolbar.support.log import sound as log
from agent_toolbar.system.sound.pulse import PulseServer

NO_DEVICES = marked("sound", "no audio output devices")
NO_PORTAUDIO = marked("sound", "the PortAudio library is missing: install libportaudio2")
NO_SOUND_SYSTEM = marked("sound", "the sound system could not start: {error}")
REASONS = (NO_DEVICES, NO_PORTAUDIO, NO_SOUND_SYSTEM)
"""Every reason `available()` gives, as templates marked for Qt's lupdate in the context
"sound": English here and in the log, the window translates them."""

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


pulse_server = PulseServer()
"""The session's PulseAudio server, shared: asking for the devices refreshes what every
player knows of its sinks."""

_loading = threading.Lock()


def portaudio() -> tuple[Any, str | None]:
    """sounddevice and None, or None and why it cannot load.

    Tried once, as importing it starts PortAudio (which may take a moment), and a
    failure is logged once, whichever thread asks first.
    """
    with _loading:
        return _load_portaudio()


def prepare_route() -> None:
    """Start the sound route on the calling thread (the GUI's), not on the sound thread.

    Where no PulseAudio server answers, PortAudio starts ALSA. Started on the sound
    thread beside a busy event loop, that stalled the loop for good (a socket's wake-up
    lost: 18 of 40 demo starts under load); started on the loop's own thread, 0 of 30.
    """
    if pulse_server.sinks() is None:
        portaudio()


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
    pulse = pulse_server.sinks(fresh=True)
    if pulse is not None:
        return None if pulse.all else NO_DEVICES
    _, problem = portaudio()
    if problem is not None:
        return problem
    return None if _portaudio_devices() else NO_DEVICES


def output_devices() -> list[OutputDevice]:
    """The devices sound can play on, in the system's order.

    Where a PulseAudio server answers: its sinks, asked afresh. Elsewhere PortAudio's
    devices. Blocks while it asks the server or PortAudio starts: from the GUI, call
    it through `asyncio.to_thread`.
    """
    pulse = pulse_server.sinks(fresh=True)
    if pulse is not None:
        return [OutputDevice(pulse_id(sink.name), sink.description) for sink in pulse.all]
    return _portaudio_devices()


def pulse_id(sink: str) -> str:
    """The id preferences keep for a PulseAudio sink."""
    return f"{PULSE}: {sink}"


def _portaudio_devices() -> list[OutputDevice]:
    """The output devices of the system's usual host API, in PortAudio's order.

    One host API only: on Windows every device appears under MME, DirectSound, WASAPI
    and WDM-KS alike, and MME is the one that takes any sample rate.
    """
    sd, _ = portaudio()
    if sd is None:
        return []
    host_api = sd.default.hostapi
    return [
        OutputDevice(device_id(sd, info), info["name"])
        for info in sd.query_devices()
        if info["hostapi"] == host_api and info["max_output_channels"] > 0
    ]


def device_id(sd: Any, info: dict[str, Any]) -> str:
    """The id preferences keep for a PortAudio device: its host API and its name."""
    return f"{sd.query_hostapis(info['hostapi'])['name']}: {info['name']}"
