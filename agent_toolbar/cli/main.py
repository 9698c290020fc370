"""The `agent-toolbar` command: one entry point, one subcommand per job.

Subcommands import what they need when they run, so that support tools such as
`replay` start without loading Qt or the network stack.
"""

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

import agent_toolbar
from agent_toolbar.cli.connection import (
    PROFILE_FIELDS,
    OptionsError,
    add_connection_options,
    backend_from,
    profile_from,
    secrets_from,
)
from agent_toolbar.domain.commands import Away, Command, Login, Logout, Pause, Ready, Resume
from agent_toolbar.support import logs

CHANGES = ("login", "logout", "ready", "away", "pause", "resume")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        # Only a profile (or nothing: the first run) opens the desktop toolbar with its
        # sign-in dialog; connection options sign in from the command line.
        given = args.password_stdin or any(getattr(args, n) is not None for n in PROFILE_FIELDS)
        args.command, args.run = ("window", _run_window) if given else ("start", _run_start)
    if args.command != "start":  # the desktop toolbar sets up its log from its settings
        # The console through the same formatter as the log file: secrets masked.
        logs.configure(args.log_level, directory=None, console=True)
    try:
        code: int = args.run(args)
    except OptionsError as error:
        parser.exit(2, f"agent-toolbar {args.command}: {error}\n")
    except BrokenPipeError:
        # The reader went away (`| head`); stop quietly, as command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    finally:
        logs.close()
    return code


class _Version(argparse.Action):
    """argparse's "version" action, with the version read only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(f"{parser.prog} {agent_toolbar.__version__}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    # No abbreviations: `--password demo` must not read as `--password-stdin`.
    parser = argparse.ArgumentParser(
        prog="agent-toolbar",
        description="A desktop toolbar for call-center agents (Kazoo/Qubicle, Telphin).",
        allow_abbrev=False,
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    _add_log_level(parser, "warning")
    common = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    # After the command too; given there, it wins. A subcommand's default would silently
    # undo one given before the command, so there is none.
    _add_log_level(common, argparse.SUPPRESS)
    add_connection_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    replay = commands.add_parser(
        "replay",
        parents=[common],
        allow_abbrev=False,
        help="print the state after each frame of a captured websocket log or capture",
        description=(
            "Read blackhole websocket frames, one JSON object per line, or a capture "
            "(doctor --capture: its frames from the server), and print the agent's state "
            "after each event as one JSON line with sorted keys. Skipped lines and "
            "ignored events are explained on stderr."
        ),
    )
    replay.add_argument("file", help="the log to read; - reads standard input")
    replay.add_argument(
        "--recipient-id",
        metavar="ID",
        help="the agent to follow (default: the recipient of the first event)",
    )
    replay.set_defaults(run=_run_replay)

    watch = commands.add_parser(
        "watch",
        parents=[common],
        allow_abbrev=False,
        help="connect like the window and print the state as one JSON line per change",
        description="Exit codes: 0 interrupted, 3 signed out, 4 server unreachable.",
    )
    add_connection_options(watch)
    watch.set_defaults(run=_run_watch)

    change = commands.add_parser(
        "set",
        parents=[common],
        allow_abbrev=False,
        help="make one status change and wait for the server to confirm it",
        description=(
            "Exit codes: 0 confirmed, 1 failed (the reason is printed), 2 bad options or "
            "a queue name that is unknown or ambiguous, 3 signed out, 4 server unreachable."
        ),
    )
    change.add_argument("change", choices=CHANGES)
    change.add_argument("--reason", help="why the agent is away (with away)")
    change.add_argument(
        "--queue", metavar="QUEUE", help="the queue's name or id (with pause and resume)"
    )
    change.add_argument(
        "--timeout", type=float, metavar="SECONDS", help="resume by itself after this (with pause)"
    )
    add_connection_options(change)
    change.set_defaults(run=_run_set)

    doctor = commands.add_parser(
        "doctor",
        parents=[common],
        allow_abbrev=False,
        help="check a server's wire against what the toolbar assumes, fact by fact",
        description=(
            "Signs in, reads and listens as the toolbar would (read-only unless "
            "--try-changes), and prints one row per wire fact: matches, differs (with the "
            "fix) or not seen. Exit codes: 0 nothing differs, 1 something differs, 2 bad "
            "options, 3 signed out, 4 server unreachable, 130 interrupted."
        ),
    )
    doctor.add_argument(
        "--try-changes",
        action="store_true",
        help="also make the toolbar's reversible changes, then restore the starting state",
    )
    doctor.add_argument("--yes", action="store_true", help="with --try-changes: do not ask")
    doctor.add_argument(
        "--capture",
        metavar="FILE",
        help="write every request, answer, frame and callback of the run (secrets masked)",
    )
    doctor.add_argument("--json", action="store_true", help="print the report as JSON")
    doctor.add_argument(
        "--listen",
        type=float,
        metavar="SECONDS",
        default=None,
        help="how long to listen for events (default: 10)",
    )
    add_connection_options(doctor)
    doctor.set_defaults(run=_run_doctor)

    policy = commands.add_parser(
        "policy",
        parents=[common],
        allow_abbrev=False,
        help="print the settings in force and where each came from (policy, your file)",
        description=(
            "One setting a line: its value, and whether it is built in, a policy default, "
            "your own, or locked by policy (naming the file or registry key), then the "
            "policy's problems. Exit codes: 0 all applied, 1 part of it was refused."
        ),
    )
    policy.add_argument("--json", action="store_true", help="print the report as JSON")
    policy.set_defaults(run=_run_policy)

    sim = commands.add_parser(
        "sim",
        parents=[common],
        allow_abbrev=False,
        help="run the built-in Kazoo/Qubicle simulator on loopback",
        description="Prints its URLs and demo logins, and runs until interrupted.",
    )
    sim.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback)")
    sim.add_argument("--port", type=int, default=0, help="REST port (default: any free port)")
    sim.add_argument(
        "--websocket-port", type=int, default=0, help="websocket port (default: any free port)"
    )
    sim.add_argument("--scenario", metavar="FILE", help="a scenario file (TOML)")
    sim.add_argument(
        "--capture",
        metavar="FILE",
        help="answer REST requests as the server in this capture did (doctor --capture)",
    )
    sim.set_defaults(run=_run_sim)

    demo = commands.add_parser(
        "demo",
        parents=[common],
        allow_abbrev=False,
        help="open the window signed in to the built-in simulator: no account needed",
        description="Starts the simulator on loopback and the toolbar connected to it.",
    )
    demo.add_argument("--scenario", metavar="FILE", help="a scenario file (TOML)")
    demo.add_argument(
        "--backend",
        choices=["kazoo", "telphin"],
        default="kazoo",
        help="which of the simulator's servers the window speaks to",
    )
    demo.set_defaults(run=_run_demo)

    dial = commands.add_parser(
        "dial",
        parents=[common],
        allow_abbrev=False,
        help="hand a tel: or callto: link to the running toolbar, which asks, then dials",
        description=(
            "The desktop runs this for a clicked tel: or callto: link. The profile's "
            "toolbar comes forward and asks before it calls from the agent's phone; where "
            "none runs, one is started. Exit codes: 0 handed over, 1 no toolbar took it, "
            "2 not a phone number or an unknown profile."
        ),
    )
    dial.add_argument("link", metavar="URI", help="tel:+1-555-0100, callto:+15550100 or a number")
    dial.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="the toolbar of this profile (default: the settings' default profile)",
    )
    dial.set_defaults(run=_run_dial)
    return parser


def _add_log_level(parser: argparse.ArgumentParser, default: str) -> None:
    parser.add_argument(
        "--log-level",
        choices=list(logs.LEVELS),
        default=default,
        help="how much to say on stderr (default: warning)",
    )


def _run_replay(args: argparse.Namespace) -> int:
    from agent_toolbar.cli import replay

    return replay.run(args.file, args.recipient_id, sys.stdout.buffer, sys.stderr)


def _run_watch(args: argparse.Namespace) -> int:
    from agent_toolbar.cli import headless

    made = backend_from(args, sys.stdin)
    return asyncio.run(headless.watch(made.backend, sys.stdout.buffer, sys.stderr, made.plans))


def _run_set(args: argparse.Namespace) -> int:
    from agent_toolbar.cli import headless

    command = _command(args)
    made = backend_from(args, sys.stdin)
    return asyncio.run(
        headless.set_status(
            made.backend, command, sys.stdout, sys.stderr, made.plans, record=made.record
        )
    )


def _run_doctor(args: argparse.Namespace) -> int:
    from pathlib import Path

    from agent_toolbar.doctor.run import LISTEN_SECONDS, Options, confirmed, run

    if args.listen is not None and args.listen < 0:
        raise OptionsError("--listen must be 0 or more seconds")
    if args.yes and not args.try_changes:
        raise OptionsError("--yes goes with --try-changes only")
    name, profile = profile_from(args)
    secrets = secrets_from(profile, args, sys.stdin)
    if args.try_changes and not confirmed(sys.stdin, sys.stderr, profile.backend, yes=args.yes):
        return 2
    listen = LISTEN_SECONDS if args.listen is None else args.listen
    return run(
        profile,
        secrets,
        name,
        Options(listen=listen, try_changes=args.try_changes),
        capture=Path(args.capture) if args.capture else None,
        as_json=args.json,
    )


def _run_policy(args: argparse.Namespace) -> int:
    from agent_toolbar.cli import policy

    return policy.run(args.json, sys.stdout)


def _command(args: argparse.Namespace) -> Command:
    needs_queue = args.change in ("pause", "resume")
    if needs_queue != (args.queue is not None):
        raise OptionsError("--queue goes with pause and resume, and only with them")
    if args.reason is not None and args.change != "away":
        raise OptionsError("--reason goes with away only")
    if args.timeout is not None and (args.change != "pause" or args.timeout <= 0):
        raise OptionsError("--timeout goes with pause only, and must be positive")
    match args.change:
        case "login":
            return Login()
        case "logout":
            return Logout()
        case "ready":
            return Ready()
        case "away":
            return Away(reason=args.reason)
        case "pause":
            return Pause(queue_id=args.queue, timeout=args.timeout)
    return Resume(queue_id=args.queue)


def _run_sim(args: argparse.Namespace) -> int:
    from agent_toolbar.simulator.cli import main as simulate

    return simulate(args.host, args.port, args.websocket_port, args.scenario, args.capture)


def _run_demo(args: argparse.Namespace) -> int:
    from agent_toolbar.simulator import ScenarioError
    from agent_toolbar.ui import app

    try:
        return app.run(lambda: app.demo(args.scenario, args.backend))
    except ScenarioError as error:
        print(f"agent-toolbar demo: {error}", file=sys.stderr)
        return 2


def _run_dial(args: argparse.Namespace) -> int:
    from agent_toolbar.cli import dial

    return dial.run(args.link, args.profile, sys.stdout, sys.stderr)


def _run_window(args: argparse.Namespace) -> int:
    from agent_toolbar.ui import app

    made = backend_from(args, sys.stdin)
    signed_in_with = (made.profile, made.secrets)
    return app.run(lambda: app.toolbar(made.backend, made.plans, signed_in_with))


def _run_start(args: argparse.Namespace) -> int:
    from agent_toolbar.ui import app
    from agent_toolbar.ui.startup import start

    return app.run(lambda: start(args.profile))
