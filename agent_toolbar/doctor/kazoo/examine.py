"""The Kazoo/Qubicle examination: sign in, read, subscribe and listen as the toolbar does,
and set what the server showed against `backends/kazoo/wire.py`'s facts.

The reads are raw where the shape is the question (which status word, which membership
shape, which queue settings); the client's own `Auth`, `Crossbar`, Blackhole link and
wire readers do the rest. `--try-changes` is `kazoo_changes.py`. A signal cancels the
examination: what was changed is put back before the report is returned.
"""

import asyncio

import aiohttp

from agent_toolbar.backends.base import SignedOut, Unreachable
from agent_toolbar.backends.http import tls
from agent_toolbar.backends.kazoo import wire
from agent_toolbar.backends.kazoo.auth import Auth, Credentials, token_times
from agent_toolbar.backends.kazoo.backend import BINDINGS
from agent_toolbar.backends.kazoo.blackhole import BlackholeLink
from agent_toolbar.backends.kazoo.crossbar import Crossbar
from agent_toolbar.backends.kazoo.websocket_url import find_websocket_url
from agent_toolbar.backends.urls import plain_to_remote
from agent_toolbar.backends.wire_facts import WireOverrideError, overrides
from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.doctor.kazoo.changes import Changes
from agent_toolbar.doctor.kazoo.context import Context, Failed
from agent_toolbar.doctor.kazoo.events import judge_events
from agent_toolbar.doctor.kazoo.reads import read_queues, read_status
from agent_toolbar.doctor.report import CAPTURE_FIX, Findings, Problem, Report
from agent_toolbar.doctor.run import Options, Say
from agent_toolbar.domain import Snapshot
from agent_toolbar.session.profile_checks import check_profile

REQUEST_TIMEOUT = 10.0
PING_INTERVAL = 2.0
"""The keepalive ping while the doctor listens: several pings in the default 10 s."""
RESTORE_WITHIN = 30.0
"""Seconds the restore may take after an interruption before it gives up, saying so."""


async def examine(
    profile: Profile, secrets: Secrets, name: str | None, options: Options, say: Say
) -> Report:
    """The whole examination; never raises for what the server does."""
    findings = Findings(wire.FACTS)
    problem = await asyncio.to_thread(check_profile, profile, secrets)
    if problem is not None:
        words = f"{problem.message}: {problem.fix}"
        return Report("kazoo", profile.api_url, findings.rows(), (), Problem("options", words))
    try:
        wire_keys = overrides(wire.Wire(), profile.wire)
    except WireOverrideError as error:
        return Report("kazoo", profile.api_url, findings.rows(), (), Problem("options", str(error)))
    exam = _Exam(
        profile=profile,
        secrets=secrets,
        name=name,
        options=options,
        say=say,
        findings=findings,
        wire_keys=wire_keys,
    )
    connector = aiohttp.TCPConnector(ssl=tls(profile.ca_file))
    async with aiohttp.ClientSession(connector=connector) as http:
        found = await exam.run(http)
    return Report("kazoo", profile.api_url, findings.rows(), tuple(exam.notes), found)


class _Exam:
    def __init__(
        self,
        *,
        profile: Profile,
        secrets: Secrets,
        name: str | None,
        options: Options,
        say: Say,
        findings: Findings,
        wire_keys: wire.Wire,
    ) -> None:
        self._profile, self._secrets, self._name = profile, secrets, name
        self._options, self._say, self._findings = options, say, findings
        self._wire = wire_keys
        self._early_notes: list[str] = []
        self._context: Context | None = None
        self._changes: Changes | None = None
        self._link: BlackholeLink | None = None
        self._websocket_advertised: str | None = None

    @property
    def notes(self) -> list[str]:
        return self._early_notes + (self._context.notes if self._context else [])

    async def run(self, http: aiohttp.ClientSession) -> Problem | None:
        """Every step; then, however they ended, the restore and the event facts."""
        problem: Problem | None = None
        try:
            await self._steps(http)
        except asyncio.CancelledError:
            _uncancel()
            problem = Problem("interrupted", "interrupted by a signal (Ctrl-C or SIGTERM)")
        except SignedOut as error:
            problem = Problem("signed_out", str(error))
        except Unreachable as error:
            problem = Problem("unreachable", str(error))
        except Failed as error:
            self._note(f"stopped: {error}")
        await self._finish(problem)
        return problem

    async def _finish(self, problem: Problem | None) -> None:
        context = self._context
        if self._changes is not None:
            restoring = asyncio.ensure_future(self._restore(self._changes))
            while not restoring.done():
                try:
                    await asyncio.shield(restoring)
                except asyncio.CancelledError:
                    _uncancel()
                    self._say("asked to stop again: the restore finishes first")
        if problem is not None and problem.kind == "interrupted" and self._changes is None:
            self._note("interrupted: nothing had been changed")
        if self._link is not None:
            await self._link.close()
        if context is not None:
            judge_events(context, self._options.listen)

    async def _restore(self, changes: Changes) -> None:
        try:
            async with asyncio.timeout(RESTORE_WITHIN):
                await changes.restore()
        except (TimeoutError, SignedOut, Unreachable, Failed) as error:
            why = "it took too long" if isinstance(error, TimeoutError) else str(error)
            self._note(f"could NOT restore the starting state ({why}): check the agent")

    def _note(self, words: str) -> None:
        if self._context is not None:
            self._context.note(words)
        else:
            self._early_notes.append(words)
            self._say(words)

    async def _steps(self, http: aiohttp.ClientSession) -> None:
        auth, context = await self._sign_in(http)
        self._context = context
        start = await read_status(context)
        queue = await read_queues(context)
        await self._listen(http, auth, context)
        if self._options.try_changes:
            self._changes = Changes(context, start, queue)
            await self._changes.run()
        else:
            _needs_changes(context, start)
        context.findings.not_seen(
            "timed_pause", "nothing to look at: the toolbar times a pause itself"
        )

    async def _sign_in(self, http: aiohttp.ClientSession) -> tuple[Auth, Context]:
        profile, found = self._profile, self._findings
        if profile.api_key:
            credentials = Credentials(api_key=self._secrets.password)
            how, path = "an API key", "api_auth"
            self._say("signing in with an API key…")
        else:
            credentials = Credentials(
                account_name=profile.account_name,
                username=profile.username,
                password=self._secrets.password,
            )
            how, path = "the md5 of user:password", "user_auth"
            self._say(f"signing in as {profile.username} with md5…")
        auth = Auth(http, profile.api_url, credentials, timeout=REQUEST_TIMEOUT)
        login = await auth.sign_in()
        found.matches("sign_in", f"PUT {path}: a token, account_id and owner_id")
        recipient = profile.user_id or login.owner_id
        if recipient is None:
            found.differs(
                "sign_in", f"PUT {path}: no owner_id", "give the agent's user id (--user-id)"
            )
            raise SignedOut("this sign-in names no user: give the agent's user id")
        expires, issued = token_times(login.token)
        if expires is not None and issued is not None and expires > issued:
            lifetime = f"{expires - issued:.0f} s (exp - iat)"
            found.matches("token_lifetime", f"a JWT that lives {lifetime}")
        elif expires is not None:
            lifetime = "until its exp (no iat)"
            found.matches("token_lifetime", "a JWT with exp, without iat")
        else:
            lifetime = "unknown: no exp in it (1 h is assumed)"
            found.differs("token_lifetime", "a token with no readable exp", CAPTURE_FIX)
        crossbar = Crossbar(http, profile.api_url, auth, timeout=REQUEST_TIMEOUT)
        context = Context(
            crossbar, login.account_id, recipient, self._name, self._wire, found, self._say
        )
        context.notes.extend(self._early_notes)
        self._early_notes = []
        context.note(f"signed in with {how} (PUT /v2/{path}); the token lives {lifetime}")
        self._websocket_advertised = login.websocket_url
        return auth, context

    async def _listen(self, http: aiohttp.ClientSession, auth: Auth, context: Context) -> None:
        url = await self._websocket_url(http, context)
        if url is None:
            return
        context.say(f"subscribing to {', '.join(BINDINGS)} at {url}…")
        try:
            self._link = await BlackholeLink.open(
                http,
                url,
                auth=auth,
                account_id=context.account_id,
                bindings=BINDINGS,
                deliver=context.inbox.deliver,
                request_timeout=REQUEST_TIMEOUT,
                ping_interval=PING_INTERVAL,
                ping_timeout=REQUEST_TIMEOUT,
            )
        except (Unreachable, SignedOut) as error:
            context.findings.not_seen("blackhole_subscribe", f"the event link failed: {error}")
            context.note(f"no event link: {error}")
            return
        context.linked = True
        context.findings.matches(
            "blackhole_subscribe", f"{len(BINDINGS)} subscribe frames answered success"
        )
        listen = self._options.listen
        if listen > 0:
            context.say(f"listening for {listen:g} s…")
            await asyncio.sleep(listen)
        if listen >= PING_INTERVAL:
            try:
                lost = await asyncio.wait_for(self._link.closed(), timeout=0.01)
            except TimeoutError:
                pinged = f"keepalive pings every {PING_INTERVAL:g} s were answered"
                context.note(f"listened {listen:g} s; {pinged}")
            else:
                context.note(f"the event link closed while listening: {lost}")

    async def _websocket_url(self, http: aiohttp.ClientSession, context: Context) -> str | None:
        """The URL the toolbar would use: the profile's, the advertised one, or a probe of
        Blackhole's default ports."""
        profile, found = self._profile, context.findings
        advertised = self._websocket_advertised
        if advertised is not None:
            found.matches("websocket_url", f"ui_config.api.kazoo_websocket.url = {advertised}")
            found.not_seen("blackhole_port", "the server advertises its URL: no port was tried")
        else:
            found.matches("websocket_url", "no ui_config.api.kazoo_websocket.url: not advertised")
        if profile.websocket_url:
            found.not_seen("blackhole_port", "the profile names the websocket URL")
            url = profile.websocket_url
        elif advertised is not None:
            url = advertised
        else:
            context.say("the server advertises no websocket URL; trying Blackhole's ports…")
            try:
                url = await find_websocket_url(
                    http,
                    profile.api_url,
                    allow_plain=profile.allow_plain_http,
                    timeout=REQUEST_TIMEOUT,
                )
            except SignedOut as error:
                found.differs(
                    "blackhole_port",
                    str(error),
                    "ask the administrator for Blackhole's (websocket) URL and set it as the "
                    "profile's websocket_url",
                )
                return None
            found.matches("blackhole_port", f"Blackhole answered at {url}")
        if plain_to_remote(url) and not profile.allow_plain_http:
            found.not_seen("blackhole_subscribe", f"{url} is not encrypted: not connected")
            return None
        return url


def _uncancel() -> None:
    """The cancellation was caught here: later waits (the restore's timeout) work as usual."""
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()


def _needs_changes(context: Context, start: Snapshot) -> None:
    """The rows only a change shows, when none is made."""
    why = "needs --try-changes"
    for name in (
        "status_changes",
        "validation_error",
        "unknown_key_rule",
        "queue_key",
        "reason_key",
    ):
        context.findings.not_seen(name, why)
    if start.activity == "wrapup":
        context.findings.not_seen("wrapup_actions", why)
    else:
        context.findings.not_seen("wrapup_actions", "the agent was not in wrap-up")
