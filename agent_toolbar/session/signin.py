"""The sign-in check: is this profile complete and safe, and does the server let this agent in?

Shared by the sign-in dialog and the command line. Offline checks come first (what
is missing, what would travel unencrypted, whether the CA file is usable); then a
real sign-in and a real event link. A failure becomes one `SignInProblem`: what is
wrong, naming the host, what to do, and the field to point at. Problems are told
apart by the backends' typed errors, never by their wording.

Problems are English here (the command line and the log speak English); each also
carries its words as templates marked for Qt's lupdate with the data that fills
them, so that the window can say it in the agent's language without Qt here.
"""

import asyncio
import dataclasses
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from yarl import URL

from agent_toolbar.backends.base import Backend, SignedOut, Unreachable
from agent_toolbar.backends.urls import plain_to_remote
from agent_toolbar.backends.wire_facts import overrides
from agent_toolbar.config.resume_plans import PlanFile
from agent_toolbar.config.settings import Profile
from agent_toolbar.config.small_files import MAX_CA_FILE_BYTES, FileRefused, check_small_file
from agent_toolbar.domain import DecodeError, Event
from agent_toolbar.domain.causes import marked
from agent_toolbar.session.core import Session, SessionSettings
from agent_toolbar.support.redaction import keep_secret, redact

ProblemKind = Literal[
    "incomplete",
    "insecure",
    "ca_file",
    "unreachable",
    "certificate",
    "credentials",
    "not_agent",
    "server",
]

_WEB = ("http", "https")
_WEBSOCKET = ("ws", "wss")
_EXAMPLES = {
    "api_url": "https://pbx.example.com:8443/v2",
    "websocket_url": "wss://pbx.example.com:7777",
    "callback_url": "https://toolbar.example.com/agent-42",
}
_MISSING = {
    "api_url": marked("signin", "the server URL is missing"),
    "account_name": marked("signin", "the account name is missing"),
    "username": marked("signin", "the user name is missing"),
    "app_id": marked("signin", "the app id is missing"),
}


@dataclass(frozen=True)
class Secrets:
    """What a profile never holds: it comes from the keychain, the dialog or the environment."""

    password: str | None = field(default=None, repr=False)
    """The password, or the Kazoo API key when `profile.api_key`."""
    app_secret: str | None = field(default=None, repr=False)
    """Telphin's app secret."""


@dataclass(frozen=True)
class Words:
    """A sentence as the window translates it: its English template, marked for lupdate
    in the context "signin", and the data filling its {placeholders} (host names, URLs,
    the system's own error words), which no translation touches."""

    template: str
    values: Mapping[str, str] = field(default_factory=dict)

    def english(self) -> str:
        return self.template.format(**self.values)


@dataclass(frozen=True)
class ProblemWords:
    """A problem as the window says it."""

    problem: Words
    fix: Words
    details: str | None = None
    """The backend's own English words about what the server did, when it was asked:
    shown as they are, beside the translated problem."""


@dataclass(frozen=True)
class SignInProblem:
    kind: ProblemKind
    message: str
    """What is wrong, in plain words, naming the host: English, as the command line says it."""
    fix: str
    """What to do about it, in English."""
    field: str | None
    """The Profile field (or "password" / "app_secret") the dialog should point at."""
    # `dataclasses.field` by its full name: `field` is a member of this class.
    words: ProblemWords | None = dataclasses.field(default=None, compare=False)
    """The same for the window to translate; None for a problem made elsewhere, which
    the window says as it is. Not compared: it follows from the rest."""


def check_profile(profile: Profile, secrets: Secrets) -> SignInProblem | None:
    """What stops this profile before any network: missing fields, bad URLs, plain http
    to another host without the opt-in, an unusable CA file. Reads the CA file."""
    return (
        _missing(profile, secrets)
        or _malformed(profile)
        or _insecure(profile)
        or _ca_file_problem(profile.ca_file)
    )


def backend_for(profile: Profile, secrets: Secrets) -> Backend:
    """The backend a (checked) profile describes, holding its secrets."""
    keep_secret(secrets.password)
    keep_secret(secrets.app_secret)
    if profile.backend == "telphin":
        return _telphin(profile, secrets)
    return _kazoo(profile, secrets)


async def sign_in(
    profile: Profile, secrets: Secrets, settings: SessionSettings | None = None
) -> Session | SignInProblem:
    """Check, sign in and open the event link once: a signed-in Session for the caller to
    run, or the problem (the session then closed). Cancelling closes it too."""
    keep_secret(secrets.password)
    keep_secret(secrets.app_secret)
    problem = await asyncio.to_thread(check_profile, profile, secrets)
    if problem is not None:
        return problem
    backend = backend_for(profile, secrets)
    session = Session(backend, settings, plans=PlanFile(profile.api_url))
    try:
        await session.sign_in()
        link = await backend.open_events(_ignore)
        await link.close()
    except SignedOut as error:
        await session.close()
        return _refused(profile, error)
    except Unreachable as error:
        await session.close()
        return _unreachable(profile, error)
    except OSError as error:
        await session.close()
        if profile.backend != "telphin":
            raise
        return _no_listener(profile, error)
    except BaseException:
        await session.close()
        raise
    return session


def _ignore(frame: Event | DecodeError) -> None:
    """The test link's events: the session reads the state itself once it runs."""


# -- offline checks ----------------------------------------------------------------


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
            return _said(
                "incomplete",
                Words(
                    marked("signin", '"{url}" is not a {plain}:// or {secure}:// address'),
                    {"url": url, "plain": schemes[0], "secure": schemes[1]},
                ),
                Words(
                    marked("signin", "write the whole address, such as {example}"),
                    {"example": _EXAMPLES[name]},
                ),
                name,
            )
    if profile.backend == "telphin" and parse_bind(profile.callback_bind) is None:
        return _said(
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
            return _said(
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
    return _said("ca_file", Words(template, values), _SETUP_FIXES["ca_file"], "ca_file")


def parse_bind(bind: str) -> tuple[str, int] | None:
    """`HOST:PORT` (`[::1]:8765` for IPv6) as (host, port); None when it is not one."""
    host, _, port = bind.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not host or not port.isdigit() or int(port) > 65535:
        return None
    return host, int(port)


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
    return _said("incomplete", Words(message or _MISSING[name]), Words(fix), name)


def _no_password() -> SignInProblem:
    return _incomplete(
        "password",
        marked("signin", "type the password"),
        marked("signin", "the password is missing"),
    )


def _said(kind: ProblemKind, problem: Words, fix: Words, field: str | None) -> SignInProblem:
    """A problem the toolbar found itself: its English made from the same words the window
    translates."""
    return SignInProblem(kind, problem.english(), fix.english(), field, ProblemWords(problem, fix))


# -- backends ------------------------------------------------------------------------


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


# -- what the server said ------------------------------------------------------------

_ASK_ADMIN = Words(
    marked(
        "signin",
        "try again in a few minutes; if it goes on, tell your administrator what it says",
    )
)
_SETUP_FIXES = {
    "user_id": Words(marked("signin", "give the agent's user id: this sign-in names no user")),
    "websocket_url": Words(
        marked("signin", "give the events (websocket) URL your administrator uses")
    ),
    "ca_file": Words(
        marked("signin", "choose the CA certificate your administrator gave you (a PEM file)")
    ),
    "api_url": Words(
        marked("signin", "check the server URL: it is the API's base, such as {example}"),
        {"example": _EXAMPLES["api_url"]},
    ),
}
_SUMMARIES: dict[ProblemKind, str] = {
    "incomplete": marked("signin", "the profile's settings do not suit the server {host}"),
    "insecure": marked("signin", "the server {host} would have secrets sent unencrypted"),
    "ca_file": marked("signin", "the CA file cannot be used with the server {host}"),
    "unreachable": marked("signin", "the server {host} cannot be reached"),
    "certificate": marked("signin", "the certificate of the server {host} could not be verified"),
    "credentials": marked("signin", "the server {host} did not accept the sign-in"),
    "not_agent": marked("signin", "the server {host} does not let this sign-in act as an agent"),
    "server": marked("signin", "the server {host} failed"),
}
"""What went wrong, by kind, as the window says it; the backend's words follow as details."""


def _refused(profile: Profile, error: SignedOut) -> SignInProblem:
    text = str(error)
    match error.kind:
        case "not_agent":
            fix = marked(
                "signin",
                "sign in as your agent user, or ask your administrator to make this user a "
                "queue agent",
            )
            setting = error.setting or _agent_field(profile)
            return _problem("not_agent", profile.api_url, text, Words(fix), setting)
        case "insecure":
            fix = marked(
                "signin",
                "ask your administrator for the encrypted (wss://) address and give it; only "
                "on a trusted network, allow unencrypted connections",
            )
            return _problem("insecure", profile.api_url, text, Words(fix), error.setting)
        case "setup":
            kind: ProblemKind = "ca_file" if error.setting == "ca_file" else "incomplete"
            advice = _SETUP_FIXES.get(error.setting or "", _ASK_ADMIN)
            return _problem(kind, profile.api_url, text, advice, error.setting)
    if profile.backend == "telphin":
        fix = marked("signin", "check the user name and password, and the app id and secret")
        setting = error.setting or ("password" if profile.username else "app_secret")
    elif profile.api_key:
        fix, setting = marked("signin", "check the API key"), error.setting or "password"
    else:
        fix = marked(
            "signin",
            "check the account name, user name and password (the password is case-sensitive)",
        )
        setting = error.setting or "password"
    return _problem("credentials", profile.api_url, text, Words(fix), setting)


def _agent_field(profile: Profile) -> str:
    """Where the agent was named: a Telphin agent id, a Kazoo user id, or the user name."""
    if profile.backend == "telphin":
        return "agent_id"
    return "user_id" if profile.user_id else "username"


def _unreachable(profile: Profile, error: Unreachable) -> SignInProblem:
    text = str(error)
    match error.kind:
        case "certificate":
            fix = marked(
                "signin",
                "if your company runs its own certificate authority, choose its CA file; "
                "otherwise tell your administrator, and do not sign in until it is fixed",
            )
            return _problem("certificate", profile.api_url, text, Words(fix), "ca_file")
        case "server":
            return _problem("server", profile.api_url, text, _ASK_ADMIN, None)
    fix = marked("signin", "check the server URL and your network connection (a VPN, a proxy?)")
    return _problem("unreachable", profile.api_url, text, Words(fix), "api_url")


def _no_listener(profile: Profile, error: OSError) -> SignInProblem:
    return _said(
        "unreachable",
        Words(
            marked(
                "signin",
                "the toolbar cannot listen for the server's callbacks on {bind} ({reason})",
            ),
            {"bind": profile.callback_bind, "reason": error.strerror or type(error).__name__},
        ),
        Words(marked("signin", "choose another port, or an address of this computer")),
        "callback_bind",
    )


def _problem(
    kind: ProblemKind, api_url: str, text: str, fix: Words, field: str | None
) -> SignInProblem:
    """The backend's words, with the host named when they do not name it already; the
    window says what went wrong by its kind, and shows the backend's words as details."""
    host = URL(api_url).host or api_url
    message = text if host in text else f"{host}: {text}"
    words = ProblemWords(Words(_SUMMARIES[kind], {"host": host}), fix, redact(text))
    return SignInProblem(kind, redact(message), fix.english(), field, words)
