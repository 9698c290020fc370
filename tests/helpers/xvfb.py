"""A private X server (Xvfb) for tests that need a real X display beside Qt's offscreen one.

Only the code under test gets the display's name; Qt keeps drawing offscreen. Xvfb picks
a free display number itself and writes it to a pipe once it accepts connections, so
tests neither guess numbers nor sleep.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

_OPTIONS = ("-screen", "0", "800x600x24", "-nolisten", "tcp", "-noreset")
"""-noreset: by default Xvfb starts over when its last client leaves, and turns away
whoever connects meanwhile."""


@dataclass
class XServer:
    display: str
    """The name clients connect to, such as ":3"."""
    process: "subprocess.Popen[bytes]"

    def stop(self) -> None:
        """End the server (its clients see the connection close); harmless to call again."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=10)


@contextlib.contextmanager
def xvfb() -> Iterator[XServer]:
    """A running Xvfb, stopped on leaving."""
    if shutil.which("Xvfb") is None or shutil.which("xdotool") is None:
        raise RuntimeError("these tests need Xvfb and xdotool: run scripts/bootstrap --tests")
    ready, told = os.pipe()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(told), *_OPTIONS],
            pass_fds=(told,),
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        os.close(told)
        server = XServer("", process)
        try:
            with os.fdopen(ready) as pipe:
                number = pipe.readline().strip()
            if not number:
                errors.seek(0)
                raise RuntimeError(f"Xvfb did not start: {errors.read().decode(errors='replace')}")
            server.display = f":{number}"
            yield server
        finally:
            server.stop()


def need(*programs: str) -> None:
    """Skip the test unless every one of `programs` is installed."""
    missing = [name for name in programs if shutil.which(name) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt-get install xvfb trayer dunst)")
