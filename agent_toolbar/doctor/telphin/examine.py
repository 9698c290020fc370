"""`agent-toolbar doctor` on Telphin: sign in as the toolbar does and read, raw, what its
wire facts are about; with --try-changes, the changes too, always undone.

Read-only by default: the OAuth grant and its token's lifetime, `GET /user/`, the agent
object, the queue list (every page, and how the server pages), the limits resource and
the event subscriptions already registered, which it never touches. The steps live in
`telphin_agent`, `telphin_lists` and `telphin_changes`; here they run in order, and a
sign-in refusal, a network failure or Ctrl-C ends them with the rows found so far,
after `restore` has put back what --try-changes changed.
"""

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, cast

import aiohttp
from yarl import URL

from agent_toolbar.backends.base import SignedOut, Unreachable
from agent_toolbar.backends.factory import backend_for
from agent_toolbar.backends.http import tls
from agent_toolbar.backends.telphin import wire
from agent_toolbar.backends.telphin.api import TelphinApi
from agent_toolbar.backends.telphin.backend import TelphinBackend, token_url
from agent_toolbar.backends.telphin.oauth import OAuth
from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.doctor.report import Findings, Problem, Report
from agent_toolbar.doctor.run import Options, Say
from agent_toolbar.doctor.telphin.agent import find_agent, judge_agent, judge_grant, read_user
from agent_toolbar.doctor.telphin.changes import Changes, restore, try_changes
from agent_toolbar.doctor.telphin.context import Exam
from agent_toolbar.doctor.telphin.lists import read_limits, read_queues, read_subscriptions
from agent_toolbar.session.profile_checks import check_profile
from agent_toolbar.support.redaction import redact

BACKEND = "Telphin"
RESTORE_SECONDS = 30.0
"""The restore gets this long, even after Ctrl-C: a few requests, each with its timeout."""

INTERRUPTED = Problem("interrupted", "interrupted by Ctrl-C or SIGTERM")
UNCHANGED = "interrupted: nothing had been changed"

_NO_CALLS = "needs a queue call to the agent while the toolbar listens: the doctor makes none"
_NO_DIAL = "needs a call placed from the agent's phone: the doctor places none"
UNSEEN = {
    "status_change": "needs --try-changes",
    "status_body_field": "needs --try-changes",
    "agent_callbacks": "needs --try-changes, and the agent logging in or out meanwhile",
    "call_callbacks": _NO_CALLS,
    "caller_extension_id": _NO_CALLS,
    "caller_extension": _NO_CALLS,
    "hangup_statuses": _NO_CALLS,
    "missed": _NO_CALLS,
    "declined": _NO_CALLS,
    "ring_length": _NO_CALLS,
    "chanunavail": _NO_CALLS,
    "duration": _NO_CALLS,
    "bridged_duration": _NO_CALLS,
    "no_ring_timeout": "no resource states it: the toolbar learns it from missed rings",
    "callback_retry": "needs a callback that fails: the doctor fails none",
    "extension": "the doctor reads no single extension",
    "callback": _NO_DIAL,
    "callback_extension": _NO_DIAL,
    "callback_src_num": _NO_DIAL,
    "callback_refusal": _NO_DIAL,
    "callback_events": _NO_DIAL,
}
"""Why a fact stays unseen when nothing later shows it."""


@dataclass
class _Progress:
    changes: Changes | None = None


async def examine(
    profile: Profile, secrets: Secrets, name: str | None, options: Options, say: Say
) -> Report:
    """The report; it never raises for what the server does."""
    facts = Findings(wire.FACTS)
    try:
        problem = await asyncio.to_thread(check_profile, profile, secrets)
    except asyncio.CancelledError:
        _carry_on()
        return Report(BACKEND, profile.api_url, facts.rows(), (UNCHANGED,), INTERRUPTED)
    if problem is not None:
        refused = Problem("options", f"{problem.message}: {problem.fix}")
        return Report(BACKEND, profile.api_url, facts.rows(), (), refused)
    settings = cast(TelphinBackend, backend_for(profile, secrets)).settings
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=tls(settings.ca_file)))
    oauth = OAuth(http, token_url(settings), settings.app, timeout=settings.request_timeout)
    api = TelphinApi(http, settings.api_url, oauth, timeout=settings.request_timeout)
    exam = Exam(http, api, settings, facts, say, name)
    progress = _Progress()
    try:
        stopped = await _stopped(_steps(exam, oauth, options, progress))
        if progress.changes is not None:
            stopped = await _restored(exam, progress.changes, stopped) or stopped
        elif stopped == INTERRUPTED:
            exam.notes.append(UNCHANGED)
    finally:
        await http.close()
    return Report(BACKEND, settings.api_url, facts.rows(), tuple(exam.notes), stopped)


async def _stopped(steps: Coroutine[Any, Any, None]) -> Problem | None:
    """Run the steps; why they stopped early, if they did."""
    try:
        await steps
    except asyncio.CancelledError:
        _carry_on()
        return INTERRUPTED
    except SignedOut as error:
        return Problem("signed_out", redact(str(error)))
    except Unreachable as error:
        return Problem("unreachable", redact(str(error)))
    except OSError as error:  # the callback listener could not listen where it was told
        return Problem("options", f"cannot listen for callbacks ({error.strerror or error})")
    return None


async def _restored(exam: Exam, changes: Changes, stopped: Problem | None) -> Problem | None:
    """Undo --try-changes within RESTORE_SECONDS, and say so; a second Ctrl-C stops it."""
    exam.say("restoring the starting state…")
    head = "interrupted: " if stopped is not None and stopped.kind == "interrupted" else ""
    try:
        async with asyncio.timeout(RESTORE_SECONDS):
            done = await restore(exam, changes)
        exam.notes.append(f"{head}restored the starting state: " + "; ".join(done or ["nothing"]))
    except asyncio.CancelledError:
        _carry_on()
        exam.notes.append(
            "interrupted again while restoring: check the agent's status and event "
            "subscriptions in Telphin's settings"
        )
        return Problem("interrupted", "interrupted while restoring the starting state")
    except (SignedOut, Unreachable, TimeoutError, OSError) as error:
        exam.notes.append(
            f"{head}could not restore everything ({redact(str(error)) or 'no answer in time'}): "
            "check the agent's status and event subscriptions in Telphin's settings"
        )
    return None


def _carry_on() -> None:
    """The cancellation was caught: later awaits (the restore) run as usual."""
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()


async def _steps(exam: Exam, oauth: OAuth, options: Options, progress: _Progress) -> None:
    settings = exam.settings
    for name, why in UNSEEN.items():
        exam.facts.not_seen(name, why)
    other = "remote" if settings.agent_type == "local" else "local"
    exam.facts.not_seen(f"agent_path_{other}", f"the agent is {settings.agent_type}")
    grant = "password" if settings.app.username else "client_credentials"
    who = settings.app.username or f"app {settings.app.app_id}"
    exam.say(f"signing in as {who} with the {grant} grant…")
    await oauth.sign_in()
    if oauth.granted is not None:
        judge_grant(exam, oauth.granted, URL(token_url(settings)).path)
    agent = await find_agent(exam, await read_user(exam))
    held = judge_agent(exam, agent.found)
    await read_queues(exam, agent.client)
    caps = await read_limits(exam, agent.client)
    count = await read_subscriptions(exam, agent, caps)
    if options.try_changes:
        progress.changes = changes = Changes(agent)
        taken = (count, caps.get(wire.AGENT_EVENT_LIMIT))
        await try_changes(exam, changes, held, taken, options.listen)
