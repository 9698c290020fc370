"""Agent toolbar: a desktop toolbar for call-center agents."""


def __getattr__(name: str) -> str:
    """`__version__`, read from the installed metadata only when asked: importlib.metadata
    takes a fifth of the time before the first window is drawn."""
    if name != "__version__":
        raise AttributeError(f"module 'agent_toolbar' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("agent-toolbar")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0+unknown"
