"""The connection options shared by the window, `watch` and `set`, and the backend they build.

A connection is a profile: one from the config file (`--profile NAME`), with the
options given on the command line overriding its fields, or one made of options
alone. It is checked like the sign-in dialog checks it (`profile_checks.check_profile`).
The network stack is imported only to build a backend, so that `replay` stays light.
"""

import argparse
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from msgspec.structs import replace

from agent_toolbar.backends.base import Backend
from agent_toolbar.config.keychain import APP_SECRET_VARIABLE, SECRET_VARIABLE, Keychain, entry_for
from agent_toolbar.config.policy.sources import settings_in_force
from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.config.settings_file import config_path
from agent_toolbar.support.log import config as log
from agent_toolbar.support.redaction import keep_secret

if TYPE_CHECKING:
    from agent_toolbar.config.quit_record import QuitRecord
    from agent_toolbar.config.resume_plans import PlanFile
    from agent_toolbar.session.problems import SignInProblem

PROFILE_FIELDS = (
    "backend",
    "api_url",
    "username",
    "ca_file",
    "allow_plain_http",
    "websocket_url",
    "account_name",
    "api_key",
    "user_id",
    "app_id",
    "agent_id",
    "extension_id",
    "callback_bind",
    "callback_url",
)
"""Options that set the Profile field of the same name; absent ones leave the profile's."""


class OptionsError(Exception):
    """The command-line options are wrong; the message says what to fix."""


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "connection",
        f"Secrets never go on the command line: the password (or Kazoo API key) comes from "
        f"--password-stdin, ${SECRET_VARIABLE} or the OS keychain; Telphin's app secret from "
        f"${APP_SECRET_VARIABLE} or the keychain.",
    )
    group.add_argument(
        "--profile",
        metavar="NAME",
        help=f"sign in with this profile of {str(config_path()).replace('%', '%%')}; the "
        "options below override its fields. With neither --profile nor --api-url, watch "
        "and set use the file's default profile",
    )
    group.add_argument(
        "--backend", choices=["kazoo", "telphin"], help="the server's kind (default: kazoo)"
    )
    group.add_argument(
        "--api-url",
        metavar="URL",
        help="Kazoo: Crossbar's base, e.g. https://pbx:8443/v2; "
        "Telphin: e.g. https://apiproxy.telphin.ru/api/ver1.0",
    )
    group.add_argument("--username", metavar="USER", help="Telphin: none for a trusted app")
    group.add_argument(
        "--ca-file",
        metavar="FILE",
        help="also trust this CA bundle (PEM) for the server's TLS certificate",
    )
    group.add_argument(
        "--allow-plain-http",
        action="store_true",
        default=None,
        help="allow unencrypted http:// and ws:// to a host other than this computer",
    )
    group.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password (or API key) from the first line of standard input",
    )
    kazoo = parser.add_argument_group("Kazoo/Qubicle")
    kazoo.add_argument(
        "--websocket-url",
        metavar="URL",
        help="Blackhole URL (default: the one the server advertises)",
    )
    kazoo.add_argument("--account-name", metavar="NAME")
    kazoo.add_argument(
        "--api-key",
        action="store_true",
        default=None,
        help="the secret is an API key, not a password",
    )
    kazoo.add_argument(
        "--user-id", metavar="ID", help="the agent to follow when the API key names none"
    )
    telphin = parser.add_argument_group("Telphin")
    telphin.add_argument("--app-id", metavar="ID", help="the OAuth app's id")
    telphin.add_argument("--agent-id", metavar="ID", help="the queue agent (or --extension-id)")
    telphin.add_argument("--extension-id", metavar="ID", help="the agent's phone extension")
    telphin.add_argument(
        "--callback-bind",
        metavar="HOST:PORT",
        help="where the callback listener listens (default: 127.0.0.1:0, loopback, any port)",
    )
    telphin.add_argument(
        "--callback-url",
        metavar="URL",
        help="the public URL that reaches the listener (default: http://HOST:PORT)",
    )


@dataclass(frozen=True)
class Connection:
    """What the options describe: the backend to build, and the files kept for it."""

    backend: Backend
    plans: "PlanFile"
    """Where its timed pauses are kept."""
    record: "QuitRecord | None"
    """The stored profile's record of a quit that left the agent taking calls, which a
    confirmed log-out clears; None for a profile made of options alone."""
    profile: Profile
    secrets: Secrets
    """What the backend was built from, for the window's connection check."""


def backend_from(args: argparse.Namespace, stdin: TextIO) -> Connection:
    """Build the backend the options describe, or raise OptionsError."""
    from agent_toolbar.backends.factory import backend_for
    from agent_toolbar.config.quit_record import QuitRecord
    from agent_toolbar.config.resume_plans import PlanFile
    from agent_toolbar.session.profile_checks import check_profile

    name, profile = profile_from(args)
    secrets = secrets_from(profile, args, stdin)
    problem = check_profile(profile, secrets)
    if problem is not None:
        raise OptionsError(_words(problem))
    record = QuitRecord(name, profile.api_url) if name is not None else None
    plans = PlanFile(profile.api_url)
    return Connection(backend_for(profile, secrets), plans, record, profile, secrets)


def profile_from(args: argparse.Namespace) -> tuple[str | None, Profile]:
    """The profile named by --profile (or the default one), overridden by the options given,
    with its name; a profile made of options alone has none."""
    given: dict[str, Any] = {
        name: getattr(args, name) for name in PROFILE_FIELDS if getattr(args, name) is not None
    }
    stored = _stored_profile(
        args.profile, wanted=args.profile is not None or "api_url" not in given
    )
    if stored is not None:
        name, base = stored
        return name, replace(base, **given)
    if "api_url" not in given:
        raise OptionsError("--api-url is required (the server's API base URL), or --profile NAME")
    return None, Profile(**given)


def _stored_profile(name: str | None, *, wanted: bool) -> tuple[str, Profile] | None:
    if not wanted:
        return None
    path = config_path()
    in_force = settings_in_force(path)
    for problem in in_force.policy.problems:
        log.error("policy: %s", problem)
    if in_force.error is not None:
        raise OptionsError(str(in_force.error))
    config = in_force.config
    if name is None:
        name = config.default_profile
        if name is None:
            return None
    profile = config.profiles.get(name)
    if profile is None:
        known = ", ".join(config.profiles) or "none yet"
        raise OptionsError(f'{path} has no profile "{name}" (its profiles: {known})')
    return name, profile


def secrets_from(profile: Profile, args: argparse.Namespace, stdin: TextIO) -> Secrets:
    """Standard input or the environment for scripts, else the keychain; never an argument."""
    keychain = Keychain()
    app_secret = None
    if profile.backend == "telphin":
        app_secret = os.environ.get(APP_SECRET_VARIABLE) or keychain.get(
            entry_for(profile, "app_secret")
        )
        if not app_secret:
            raise OptionsError(
                f"no app secret: set {APP_SECRET_VARIABLE}, or store it in the keychain"
            )
    password = None
    if profile.backend == "kazoo" or profile.username:
        if args.password_stdin:
            password = stdin.readline().rstrip("\r\n")
        else:
            password = os.environ.get(SECRET_VARIABLE)
        password = password or keychain.get(entry_for(profile, "password"))
        if not password:
            raise OptionsError(
                f"no secret: pass --password-stdin, set {SECRET_VARIABLE}, or store it in the "
                "keychain"
            )
    keep_secret(password)
    keep_secret(app_secret)
    return Secrets(password=password, app_secret=app_secret)


def _words(problem: "SignInProblem") -> str:
    """A problem in command-line terms: the option to correct, and how."""
    option = f" (--{problem.field.replace('_', '-')})" if problem.field else ""
    fix = problem.fix
    if problem.kind == "insecure":
        fix = "use https:// (wss://), or --allow-plain-http if the network is trusted"
    return f"{problem.message}{option}: {fix}"
