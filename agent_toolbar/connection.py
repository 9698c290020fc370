"""The connection options shared by the window, `watch` and `set`, and the backend they build."""

import argparse
import os
from typing import TextIO

from agent_toolbar.backends.base import Backend
from agent_toolbar.credentials import SECRET_VARIABLE, keychain_entry, read_keychain


class OptionsError(Exception):
    """The command-line options are wrong; the message says what to fix."""


def add_connection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "connection",
        f"The secret (password or API key) is read from --password-stdin, from "
        f"${SECRET_VARIABLE}, or from the OS keychain; never from the command line.",
    )
    group.add_argument("--backend", choices=["kazoo"], default="kazoo")
    group.add_argument(
        "--api-url", metavar="URL", help="Crossbar base URL, e.g. https://pbx:8443/v2"
    )
    group.add_argument(
        "--websocket-url",
        metavar="URL",
        help="Blackhole URL (default: the one the server advertises)",
    )
    group.add_argument("--account-name", metavar="NAME")
    group.add_argument("--username", metavar="USER")
    group.add_argument(
        "--api-key", action="store_true", help="the secret is an API key, not a password"
    )
    group.add_argument(
        "--user-id", metavar="ID", help="the agent to follow when the API key names none"
    )
    group.add_argument(
        "--ca-file", metavar="FILE", help="trust this CA bundle for the server's TLS certificate"
    )
    group.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the secret from the first line of standard input",
    )


def backend_from(args: argparse.Namespace, stdin: TextIO) -> Backend:
    """Build the backend the options describe, or raise OptionsError."""
    from agent_toolbar.backends.kazoo.auth import Credentials
    from agent_toolbar.backends.kazoo.backend import KazooBackend, KazooSettings

    if not args.api_url:
        raise OptionsError("--api-url is required (the server's Crossbar URL, ending in /v2)")
    if not args.api_key and not (args.account_name and args.username):
        raise OptionsError("give --account-name and --username, or --api-key")
    secret = _secret(args, stdin)
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


def _secret(args: argparse.Namespace, stdin: TextIO) -> str:
    if args.password_stdin:
        secret = stdin.readline().rstrip("\r\n")
    else:
        secret = os.environ.get(SECRET_VARIABLE) or ""
    if not secret:
        entry = keychain_entry(
            args.backend, args.api_url, args.account_name, None if args.api_key else args.username
        )
        secret = read_keychain(entry) or ""
    if not secret:
        raise OptionsError(
            f"no secret: pass --password-stdin, set {SECRET_VARIABLE}, or store it in the keychain"
        )
    return secret
