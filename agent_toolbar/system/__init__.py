"""Services of the operating system, without Qt: sound, start at login, the environment
of child processes.

May import `config/` (preferences) and `support/`; never `ui/`, `session/` or Qt.
"""
