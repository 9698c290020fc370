"""The environment of every child process the toolbar starts: its own, without secrets.

Scripts may hand the toolbar its password or app secret in the environment
(`credentials.SECRET_VARIABLE`, `APP_SECRET_VARIABLE`). A child inherits the whole
environment unless told otherwise, and its environment is readable to more than the
toolbar (`/proc/PID/environ`, crash reports, whatever the child starts in turn).
"""

import os

from agent_toolbar.config.keychain import APP_SECRET_VARIABLE, SECRET_VARIABLE

SECRET_VARIABLES = frozenset({SECRET_VARIABLE, APP_SECRET_VARIABLE})


def child_environment(**extra: str) -> dict[str, str]:
    """This process's environment without the secrets, with `extra` added."""
    kept = {name: value for name, value in os.environ.items() if name not in SECRET_VARIABLES}
    return {**kept, **extra}
