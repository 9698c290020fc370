"""The one place a backend is built: from a profile and its secrets.

The sign-in, the command line, the doctor and the demo all build theirs here. Each
backend's network stack is imported only when that backend is built; the profile is
expected checked (`session.profile_checks`).
"""

from agent_toolbar.backends.base import Backend
from agent_toolbar.backends.urls import parse_bind
from agent_toolbar.backends.wire_facts import overrides
from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.support.redaction import keep_secret


def backend_for(profile: Profile, secrets: Secrets) -> Backend:
    """The backend a (checked) profile describes, holding its secrets."""
    keep_secret(secrets.password)
    keep_secret(secrets.app_secret)
    if profile.backend == "telphin":
        return _telphin(profile, secrets)
    return _kazoo(profile, secrets)


def _kazoo(profile: Profile, secrets: Secrets) -> Backend:
    from agent_toolbar.backends.kazoo.auth import Credentials
    from agent_toolbar.backends.kazoo.backend import KazooBackend, KazooSettings
    from agent_toolbar.backends.kazoo.wire import Wire

    if profile.api_key:
        credentials = Credentials(api_key=secrets.password)
    else:
        credentials = Credentials(
            account_name=profile.account_name,
            username=profile.username,
            password=secrets.password,
        )
    return KazooBackend(
        KazooSettings(
            api_url=profile.api_url,
            credentials=credentials,
            websocket_url=profile.websocket_url,
            user_id=profile.user_id,
            ca_file=profile.ca_file,
            allow_plain_http=profile.allow_plain_http,
            wire=overrides(Wire(), profile.wire),
        )
    )


def _telphin(profile: Profile, secrets: Secrets) -> Backend:
    from agent_toolbar.backends.telphin.backend import TelphinBackend, TelphinSettings
    from agent_toolbar.backends.telphin.oauth import AppCredentials
    from agent_toolbar.backends.telphin.wire import Wire

    bind = parse_bind(profile.callback_bind)
    if bind is None:
        raise ValueError(f"callback_bind {profile.callback_bind!r} is not HOST:PORT")
    host, port = bind
    return TelphinBackend(
        TelphinSettings(
            api_url=profile.api_url,
            app=AppCredentials(
                app_id=profile.app_id or "",
                app_secret=secrets.app_secret or "",
                username=profile.username,
                password=secrets.password if profile.username else None,
            ),
            agent_id=profile.agent_id,
            extension_id=profile.extension_id,
            callback_host=host,
            callback_port=port,
            callback_url=profile.callback_url,
            ca_file=profile.ca_file,
            wire=overrides(Wire(), profile.wire),
        )
    )
