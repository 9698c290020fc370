"""The `agent-toolbar` command: one entry point, one subcommand per job.

Subcommands import what they need when they run, so that support tools such as
`replay` start without loading Qt or the network stack.
"""

import argparse
import os
import sys
from collections.abc import Sequence

from agent_toolbar import __version__


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        code: int = args.run(args)
    except BrokenPipeError:
        # The reader went away (`| head`); stop quietly, as command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agent-toolbar",
        description="A desktop toolbar for call-center agents (Kazoo/Qubicle, Telphin).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    replay = commands.add_parser(
        "replay",
        help="print the state after each frame of a captured websocket log",
        description=(
            "Read blackhole websocket frames, one JSON object per line, and print the "
            "agent's state after each event as one JSON line with sorted keys. Skipped "
            "lines and ignored events are explained on stderr."
        ),
    )
    replay.add_argument("file", help="the log to read; - reads standard input")
    replay.add_argument(
        "--recipient-id",
        metavar="ID",
        help="the agent to follow (default: the recipient of the first event)",
    )
    replay.set_defaults(run=_run_replay)
    return parser


def _run_replay(args: argparse.Namespace) -> int:
    from agent_toolbar import replay

    return replay.run(args.file, args.recipient_id, sys.stdout.buffer, sys.stderr)
