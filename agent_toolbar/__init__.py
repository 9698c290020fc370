"""Agent toolbar: a desktop toolbar for call-center agents."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("agent-toolbar")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
