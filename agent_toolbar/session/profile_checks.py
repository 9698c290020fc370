"""Whether a profile is complete and safe, before any network: what is missing, what
would travel unencrypted, whether the CA file is usable.

Asked by the sign-in, the command line and the doctor alike, so that each refuses the
same profiles with the same words (`problems.SignInProblem`).
"""

import ssl
from pathlib import Path

from yarl import URL

from agent_toolbar.backends.urls import parse_bind, plain_to_remote
from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.config.small_files import MAX_CA_FILE_BYTES, FileRefused, check_small_file
from agent_toolbar.domain.causes import marked
from agent_toolbar.session.problems import SignInProblem, Words, said

EXAMPLES = {
    "api_url": "https://pbx.example.com:8443/v2",
    "websocket_url": "wss://pbx.example.com:7777",
    "callback_url": "https://toolbar.example.com/agent-42",
}
"""Whole addresses of each URL field, shown in the fixes."""
CA_FILE_FIX = Words(
    marked("signin", "choose the CA certificate your administrator gave you (a PEM file)")
)
"""What to do about a CA file this check or the server refused."""

_WEB = ("http", "https")
_WEBSOCKET = ("ws", "wss")
_MISSING = {
    "api_url": marked("signin", "the server URL is missing"),
    "account_name": marked("signin", "the account name is missing"),
    "username": marked("signin", "the user name is missing"),
    "app_id": marked("signin", "the app id is missing"),
}


def check_profile(profile: Profile, secrets: Secrets) -> SignInProblem | None:
    """What stops this profile before any network: missing fields, bad URLs, plain http
    to another host without the opt-in, an unusable CA file. Reads the CA file."""
    return (
        _missing(profile, secrets)
        or _malformed(profile)
        or _insecure(profile)
        or _ca_file_problem(profile.ca_file)
    )


def _missing(profile: Profile, secrets: Secrets) -> SignInProblem | None:
    if not profile.api_url:
        return _incomplete("api_url", marked("signin", "give the server's API address"))
    if profile.backend == "telphin":
        return _missing_telphin(profile, secrets)
    if profile.api_key:
        if not secrets.password:
            return _incomplete(
                "password",
                marked("signin", "give the API key"),
                marked("signin", "the API key is missing"),
            )
        return None
    for name in ("account_name", "username"):
        if not getattr(profile, name):
            return _incomplete(name, marked("signin", "give it, or sign in with an API key"))
    if not secrets.password:
        return _no_password()
    return None


def _missing_telphin(profile: Profile, secrets: Secrets) -> SignInProblem | None:
    if not profile.app_id:
        return _incomplete(
            "app_id", marked("signin", "give the id of the app your administrator registered")
        )
    if not secrets.app_secret:
        return _incomplete(
            "app_secret",
            marked("signin", "give the app's secret"),
            marked("signin", "the app secret is missing"),
        )
    if profile.username and not secrets.password:
        return _no_password()
    if not profile.username and not (profile.agent_id or profile.extension_id):
        return _incomplete(
            "agent_id",
            marked(
                "signin",
                "give the queue agent's id or the phone extension (a trusted app signs in as "
                "no user), or give a user name",
            ),
            marked("signin", "the agent is not named"),
        )
    return None


def _malformed(profile: Profile) -> SignInProblem | None:
    urls = [("api_url", profile.api_url, _WEB)]
    if profile.backend == "kazoo" and profile.websocket_url:
        urls.append(("websocket_url", profile.websocket_url, _WEBSOCKET))
    if profile.backend == "telphin" and profile.callback_url:
        urls.append(("callback_url", profile.callback_url, _WEB))
    for name, url, schemes in urls:
        parsed = _parse(url)
        if parsed is None or parsed.scheme.lower() not in schemes or not parsed.host:
            return said(
                "incomplete",
                Words(
                    marked("signin", '"{url}" is not a {plain}:// or {secure}:// address'),
                    {"url": url, "plain": schemes[0], "secure": schemes[1]},
                ),
                Words(
                    marked("signin", "write the whole address, such as {example}"),
                    {"example": EXAMPLES[name]},
                ),
                name,
            )
    if profile.backend == "telphin" and parse_bind(profile.callback_bind) is None:
        return said(
            "incomplete",
            Words(
                marked("signin", '"{bind}" is not a listening address'),
                {"bind": profile.callback_bind},
            ),
            Words(
                marked("signin", "write HOST:PORT, such as {example} (port 0: any free port)"),
                {"example": "127.0.0.1:8765"},
            ),
            "callback_bind",
        )
    return None


def _insecure(profile: Profile) -> SignInProblem | None:
    if profile.allow_plain_http:
        return None
    urls = [("api_url", profile.api_url)]
    if profile.backend == "kazoo" and profile.websocket_url:
        urls.append(("websocket_url", profile.websocket_url))
    if profile.backend == "telphin":
        urls.append(("callback_url", profile.callback_url or _default_callback(profile)))
    for name, url in urls:
        if plain_to_remote(url):
            return said(
                "insecure",
                Words(
                    marked(
                        "signin",
                        "{host} would be reached unencrypted ({scheme}://): passwords and "
                        "tokens would cross the network in clear",
                    ),
                    {"host": str(URL(url).host), "scheme": URL(url).scheme},
                ),
                Words(
                    marked(
                        "signin",
                        "use https:// (wss:// for events); only if this server has no TLS and "
                        "the network is trusted, allow unencrypted connections to it",
                    )
                ),
                name,
            )
    return None


def _ca_file_problem(ca_file: str | None) -> SignInProblem | None:
    if ca_file is None:
        return None
    values = {"path": ca_file}
    try:
        check_small_file(Path(ca_file), MAX_CA_FILE_BYTES)  # a named pipe would hang us
        ssl.create_default_context().load_verify_locations(cafile=ca_file)
    except FileRefused as refused:
        template = marked("signin", "the CA file {path} {refused}")
        values["refused"] = str(refused)
    except ssl.SSLError:
        template = marked("signin", "the CA file {path} holds no PEM certificate")
    except FileNotFoundError:
        template = marked("signin", "the CA file {path} does not exist")
    except OSError as error:
        if error.strerror:
            template = marked("signin", "the CA file {path} cannot be read ({reason})")
            values["reason"] = error.strerror
        else:
            template = marked("signin", "the CA file {path} cannot be read (unreadable)")
    else:
        return None
    return said("ca_file", Words(template, values), CA_FILE_FIX, "ca_file")


def _default_callback(profile: Profile) -> str:
    """The URL the listener is reached at when none is given: its own address."""
    bind = parse_bind(profile.callback_bind)
    host = bind[0] if bind else "127.0.0.1"
    return f"http://{'[' + host + ']' if ':' in host else host}/"


def _parse(url: str) -> URL | None:
    try:
        return URL(url)
    except ValueError:
        return None


def _incomplete(name: str, fix: str, message: str | None = None) -> SignInProblem:
    """`name` is missing: `message` (a marked template) says so when it is no plain field."""
    return said("incomplete", Words(message or _MISSING[name]), Words(fix), name)


def _no_password() -> SignInProblem:
    return _incomplete(
        "password",
        marked("signin", "type the password"),
        marked("signin", "the password is missing"),
    )
