"""The sign-in check: does the server let this agent in?

Shared by the sign-in dialog and the command line. The offline checks come first
(`profile_checks`); then a real sign-in and a real event link. A failure becomes one
`SignInProblem` (`problems`). Problems are told apart by the backends' typed errors,
never by their wording.
"""

import asyncio

from yarl import URL

from agent_toolbar.backends.base import SignedOut, Unreachable
from agent_toolbar.backends.factory import backend_for
from agent_toolbar.config.resume_plans import PlanFile
from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.domain import DecodeError, Event
from agent_toolbar.domain.causes import marked
from agent_toolbar.session.core import Session, SessionSettings
from agent_toolbar.session.problems import ProblemKind, ProblemWords, SignInProblem, Words, said
from agent_toolbar.session.profile_checks import CA_FILE_FIX, EXAMPLES, check_profile
from agent_toolbar.support.redaction import keep_secret, redact


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
    "ca_file": CA_FILE_FIX,
    "api_url": Words(
        marked("signin", "check the server URL: it is the API's base, such as {example}"),
        {"example": EXAMPLES["api_url"]},
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
    return said(
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
