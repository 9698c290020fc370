"""The connection options shared by the window, `watch` and `set`, and the backend they build."""

import argparse
import os
from typing import TextIO

from agent_toolbar.backends.base import Backend
from agent_toolbar.credentials import SECRET_VARIABLE, keychain_entry, read_keychain

APP_SECRET_VARIABLE = "AGENT_TOOLBAR_APP_SECRET"


class OptionsError(Exception):
    """The command-line options are wrong; the message says what to fix."""


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "connection",
        f"Secrets never go on the command line: the password (or Kazoo API key) comes from "
        f"--password-stdin, ${SECRET_VARIABLE} or the OS keychain; Telphin's app secret from "
        f"${APP_SECRET_VARIABLE} or the keychain.",
    )
    group.add_argument("--backend", choices=["kazoo", "telphin"], default="kazoo")
    group.add_argument(
        "--api-url",
        metavar="URL",
        help="Kazoo: Crossbar's base, e.g. https://pbx:8443/v2; "
        "Telphin: e.g. https://apiproxy.telphin.ru/api/ver1.0",
    )
    group.add_argument("--username", metavar="USER", help="Telphin: none for a trusted app")
    group.add_argument(
        "--ca-file", metavar="FILE", help="trust this CA bundle for the server's TLS certificate"
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
        "--api-key", action="store_true", help="the secret is an API key, not a password"
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
        default="127.0.0.1:0",
        help="where the callback listener listens (default: loopback, any port)",
    )
    telphin.add_argument(
        "--callback-url",
        metavar="URL",
        help="the public URL that reaches the listener (default: http://HOST:PORT)",
    )


def backend_from(args: argparse.Namespace, stdin: TextIO) -> Backend:
    """Build the backend the options describe, or raise OptionsError."""
    if not args.api_url:
        raise OptionsError("--api-url is required (the server's API base URL)")
    if args.backend == "telphin":
        return _telphin(args, stdin)
    return _kazoo(args, stdin)


def _kazoo(args: argparse.Namespace, stdin: TextIO) -> Backend:
    from agent_toolbar.backends.kazoo.auth import Credentials
    from agent_toolbar.backends.kazoo.backend import KazooBackend, KazooSettings

    if not args.api_key and not (args.account_name and args.username):
        raise OptionsError("give --account-name and --username, or --api-key")
    user = None if args.api_key else args.username
    secret = _secret(args, stdin, keychain_entry("kazoo", args.api_url, args.account_name, user))
    if args.api_key:
        credentials = Credentials(api_key=secret)
    else:
        credentials = Credentials(
            account_name=args.account_name, username=args.username, password=secret
        )
    return KazooBackend(
        KazooSettings(
            api_url=args.api_url,
            credentials=credentials,
            websocket_url=args.websocket_url,
            user_id=args.user_id,
            ca_file=args.ca_file,
        )
    )


def _telphin(args: argparse.Namespace, stdin: TextIO) -> Backend:
    from agent_toolbar.backends.telphin.backend import TelphinBackend, TelphinSettings
    from agent_toolbar.backends.telphin.oauth import AppCredentials

    if not args.app_id:
        raise OptionsError("--app-id is required (the OAuth app's id)")
    host, _, port = args.callback_bind.rpartition(":")
    if not host or not port.isdigit():
        raise OptionsError("--callback-bind takes HOST:PORT, such as 127.0.0.1:8765")
    app_secret = os.environ.get(APP_SECRET_VARIABLE) or read_keychain(
        keychain_entry("telphin", args.api_url, args.app_id, "app-secret")
    )
    if not app_secret:
        raise OptionsError(f"no app secret: set {APP_SECRET_VARIABLE}, or store it in the keychain")
    password = None
    if args.username:
        entry = keychain_entry("telphin", args.api_url, args.app_id, args.username)
        password = _secret(args, stdin, entry)
    return TelphinBackend(
        TelphinSettings(
            api_url=args.api_url,
            app=AppCredentials(
                app_id=args.app_id,
                app_secret=app_secret,
                username=args.username,
                password=password,
            ),
            agent_id=args.agent_id,
            extension_id=args.extension_id,
            callback_host=host,
            callback_port=int(port),
            callback_url=args.callback_url,
            ca_file=args.ca_file,
        )
    )


def _secret(args: argparse.Namespace, stdin: TextIO, entry: str) -> str:
    if args.password_stdin:
        secret = stdin.readline().rstrip("\r\n")
    else:
        secret = os.environ.get(SECRET_VARIABLE) or ""
    secret = secret or read_keychain(entry) or ""
    if not secret:
        raise OptionsError(
            f"no secret: pass --password-stdin, set {SECRET_VARIABLE}, or store it in the keychain"
        )
    return secret
