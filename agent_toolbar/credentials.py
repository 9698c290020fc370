"""Where secrets come from: standard input or the environment for scripts, else the keychain.

Secrets never appear on command lines, in config files or in logs. keyring is
imported only when the keychain is actually asked, because it is slow to load.
"""

import logging

log = logging.getLogger("agent_toolbar.credentials")

SERVICE = "agent-toolbar"
SECRET_VARIABLE = "AGENT_TOOLBAR_PASSWORD"


def keychain_entry(backend: str, api_url: str, account: str | None, username: str | None) -> str:
    """The keychain user name under which one sign-in's secret is stored."""
    return f"{backend} {api_url} {account or '-'} {username or 'api-key'}"


def read_keychain(entry: str) -> str | None:
    """The stored secret, or None when there is none or no keychain is available."""
    import keyring
    import keyring.errors

    try:
        return keyring.get_password(SERVICE, entry)
    except keyring.errors.KeyringError as error:
        log.info("no keychain to read from: %s", type(error).__name__)
        return None
