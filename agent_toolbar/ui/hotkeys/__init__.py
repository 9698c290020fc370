"""System-wide keys: the common part, X11 and Windows."""
