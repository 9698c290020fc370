"""`agent-toolbar watch` and `agent-toolbar set`: the session the window uses, without a window.

Exit codes: 0 done, 1 the change failed, 2 bad options (for `set`: or a queue it
does not know), 3 signed out (credentials refused), 4 the server could not be reached
(for `set`: or did not answer, so the change may or may not have been made).
"""

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO, TextIO

from msgspec.structs import replace

from agent_toolbar.backends.base import Backend, SignedOut, Unreachable
from agent_toolbar.config.quit_record import QuitRecord
from agent_toolbar.domain import AgentState, state_json
from agent_toolbar.domain.commands import Command, Logout, Pause, Resume, describe
from agent_toolbar.session.core import PlanStore, Session

EXIT_FAILED = 1
EXIT_OPTIONS = 2
EXIT_SIGNED_OUT = 3
EXIT_UNREACHABLE = 4
CONNECT_TIMEOUT = 30.0


async def watch(
    backend: Backend, out: BinaryIO, err: TextIO, plans: PlanStore | None = None
) -> int:
    """Print the state as one JSON line per change until interrupted (and resume the
    timed pauses that come due meanwhile, as the window would)."""
    session = Session(backend, plans=plans)
    try:
        failure = await _sign_in(session, "watch", err)
        if failure:
            return failure
        printer = _Printer(out, session.stop)
        session.subscribe(printer)
        with _stop_on_signals(session):
            ended = await session.run()
        if printer.reader_gone:
            raise BrokenPipeError("the reader of the states went away")
        if ended.startswith("signed out"):
            err.write(f"agent-toolbar watch: {ended}\n")
            return EXIT_SIGNED_OUT
        return 0
    finally:
        await session.close()


async def set_status(
    backend: Backend,
    command: Command,
    out: TextIO,
    err: TextIO,
    plans: PlanStore | None = None,
    *,
    record: QuitRecord | None = None,
) -> int:
    """Make one change, wait for the server to confirm it, and say how it ended.

    A timed pause is left to the next toolbar (or `watch`) of this agent to resume:
    Qubicle has no timed pause, and this command exits now. A confirmed log-out clears
    the profile's `record` of a quit that left the agent taking calls: the next start
    must not tell of a seat that no longer rings.
    """
    session = Session(backend, plans=plans)
    running: asyncio.Task[str] | None = None
    try:
        failure = await _sign_in(session, "set", err)
        if failure:
            return failure
        running = asyncio.create_task(session.run())
        with _stop_on_signals(session):
            problem = await _online(session, running)
            if problem is not None:
                err.write(f"agent-toolbar set: {problem}\n")
                return EXIT_SIGNED_OUT if problem.startswith("signed out") else EXIT_UNREACHABLE
            if isinstance(command, Pause | Resume) and session.state is not None:
                try:
                    queue_id = queue_named(session.state, command.queue_id)
                except UnknownQueue as error:
                    err.write(f"agent-toolbar set: {error}\n")
                    return EXIT_OPTIONS
                command = replace(command, queue_id=queue_id)
            progress = await session.execute(command)
        ending = f": {progress.reason}" if progress.reason else ""
        out.write(f"{describe(command)}: {progress.phase}{ending}\n")
        if isinstance(command, Pause) and command.timeout and progress.phase == "confirmed":
            due = time.strftime("%H:%M", time.localtime(time.time() + command.timeout))
            out.write(
                f"the toolbar will resume queue {command.queue_id} at {due}, "
                "while it (or agent-toolbar watch) runs for this agent\n"
            )
        if isinstance(command, Logout) and progress.phase == "confirmed" and record is not None:
            record.take()
        if progress.phase == "unknown":
            return EXIT_UNREACHABLE  # no answer: the change may or may not have been made
        return 0 if progress.phase == "confirmed" else EXIT_FAILED
    finally:
        session.stop()
        if running is not None:
            await running
        await session.close()


class UnknownQueue(Exception):
    """A queue named by the agent that the session knows as none or several of its queues."""


def queue_named(state: AgentState, given: str) -> str:
    """The id of the queue `given` names: its id as it is, else its name or id in any case.

    Raises UnknownQueue, naming the candidates (or every queue) with their ids. Where the
    server lists no queue, `given` is taken as an id, for the server to judge.
    """
    queues = {queue.queue_id: queue.name for queue in state.queues}
    queues |= {pause.queue_id: None for pause in state.queue_pauses if pause.queue_id not in queues}
    if not queues or given in queues:
        return given
    wanted = given.casefold()
    matches = [
        queue_id
        for queue_id, name in queues.items()
        if wanted in (queue_id.casefold(), (name or "").casefold())
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UnknownQueue(
            f'"{given}" could be more than one queue: {_listed(queues, matches)}; give its id'
        )
    raise UnknownQueue(f'no queue is called "{given}"; the queues: {_listed(queues, queues)}')


def _listed(queues: dict[str, str | None], ids: Iterable[str]) -> str:
    return ", ".join(f"{queues[each] or 'a queue'} (id {each})" for each in ids)


async def _sign_in(session: Session, verb: str, err: TextIO) -> int:
    try:
        await session.sign_in()
    except SignedOut as error:
        err.write(f"agent-toolbar {verb}: signed out: {error}\n")
        return EXIT_SIGNED_OUT
    except Unreachable as error:
        err.write(f"agent-toolbar {verb}: {error}\n")
        return EXIT_UNREACHABLE
    return 0


async def _online(session: Session, running: asyncio.Task[str]) -> str | None:
    """Wait until the session is online; otherwise the reason it is not."""
    online = asyncio.get_running_loop().create_future()

    def check(state: AgentState) -> None:
        if state.connection == "online" and not online.done():
            online.set_result(None)

    stop_listening = session.subscribe(check)
    try:
        done, _ = await asyncio.wait(
            {online, running}, timeout=CONNECT_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        stop_listening()
        online.cancel()
    if online in done:
        return None
    if running in done:
        return running.result()
    state = session.state
    problem = state.connection_problem if state else None
    return f"could not connect within {CONNECT_TIMEOUT:g} s" + (f": {problem}" if problem else "")


class _Printer:
    """Prints a line when what is printed changes in more than the server's clock; once
    the reader has gone (`watch ... | head -n 1`), stops the session instead."""

    def __init__(self, out: BinaryIO, stop: Callable[[], None]) -> None:
        self._out = out
        self._stop = stop
        self._last = b""
        self.reader_gone = False

    def __call__(self, state: AgentState) -> None:
        shown = state_json(replace(state, server_time=None))
        if shown == self._last or self.reader_gone:
            return
        self._last = shown
        try:
            self._out.write(state_json(state) + b"\n")
            self._out.flush()
        except BrokenPipeError:
            self.reader_gone = True
            self._stop()


@contextlib.contextmanager
def _stop_on_signals(session: Session) -> Iterator[None]:
    """Ctrl-C and SIGTERM end the session cleanly (elsewhere Ctrl-C still interrupts)."""
    loop = asyncio.get_running_loop()
    hooked = []
    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(number, session.stop)
            hooked.append(number)
    try:
        yield
    finally:
        for number in hooked:
            loop.remove_signal_handler(number)
