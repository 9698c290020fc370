"""`doctor --try-changes` on Telphin: the status change, and a test subscription created,
read back and deleted; `restore` puts back whatever is still changed.

Telphin's only status changes log an agent in or out, and the doctor never logs an agent
in or out who did not start that way: so the change it makes is the one that changes
nothing, setting a logged-in agent available again. That still shows the change's
method and body key ([status_change], [status_body_field]). A logged-out agent is left
alone. The test subscription points at a listener of the doctor's own, whose path token
is new each run: its URL tells the test subscription from every other, so `restore`
deletes exactly it, whatever state a failure or Ctrl-C left it in.
"""

import asyncio
import contextlib
import ipaddress
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from yarl import URL

from agent_toolbar.backends.http import Response, raise_if_busy
from agent_toolbar.backends.telphin import agent_object, wire
from agent_toolbar.backends.telphin.backend import refusal
from agent_toolbar.backends.telphin.listener import CallbackListener
from agent_toolbar.backends.telphin.paging import every_page
from agent_toolbar.doctor.report import CAPTURE_FIX, wire_fix
from agent_toolbar.doctor.telphin.context import Agent, Exam, shown

TEST_EVENT = wire.AGENT_EVENTS[0]
PROBE = "doctor"
"""The query field of the doctor's own request to its callback URL."""


@dataclass
class Changes:
    """What --try-changes did that `restore` may have to undo."""

    agent: Agent
    listener: CallbackListener | None = None
    url: str | None = None
    """The test subscription's URL (with the listener's path token): ours alone."""
    status: tuple[str, str] | None = None
    """The status set again, and the key that holds it: to check it is still so."""
    nonce: str = field(default_factory=lambda: secrets.token_hex(8))
    probed: bool = False
    heard: list[Mapping[str, str]] = field(default_factory=list)

    def callback(self, fields: Mapping[str, str]) -> None:
        if fields.get(PROBE) == self.nonce:
            self.probed = True
        else:
            self.heard.append(dict(fields))


async def try_changes(
    exam: Exam,
    changes: Changes,
    held: tuple[str, str] | None,
    taken: tuple[int, int | None],
    listen: float,
) -> None:
    """`held` is the agent's status and its key; `taken`, the agent's subscriptions and
    their cap (None when the limits named none)."""
    await _status_again(exam, changes, held)
    await _test_subscription(exam, changes, *taken, listen)


async def _status_again(exam: Exam, changes: Changes, held: tuple[str, str] | None) -> None:
    facts, path = exam.facts, changes.agent.path
    if held is None:
        why = "the agent's status could not be read: the doctor changes nothing it cannot check"
        facts.not_seen("status_change", why)
        facts.not_seen("status_body_field", why)
        return
    if held[0] != wire.AVAILABLE:
        exam.notes.append(
            "the agent is logged out: the status change needs a logged-in agent, and the "
            "doctor will not log them in"
        )
        facts.not_seen("status_change", "the agent was logged out")
        facts.not_seen("status_body_field", "the agent was logged out")
        return
    key = exam.settings.wire.status_body_field
    exam.say(f"setting the agent available again (PUT {path}): it is available already…")
    changes.status = held
    answer = await _put(exam, path, key)
    if answer.status < 300:
        facts.matches("status_change", f"PUT {path} answered {answer.status}")
        facts.matches("status_body_field", f'{{"{key}": "available"}} was taken')
        return
    if answer.status not in (400, 422):
        facts.differs("status_change", f"PUT {path}: {refusal(answer)}", CAPTURE_FIX)
        facts.not_seen("status_body_field", "the status change itself was refused")
        return
    facts.matches("status_change", f"PUT {path} answered (it refused this body)")
    other = held[1]
    if other != key and (await _put(exam, path, other)).status < 300:
        facts.differs(
            "status_body_field",
            f'{{"{key}": "available"}} was refused; {{"{other}": "available"}} was taken',
            wire_fix(exam.profile, "status_body_field", other),
        )
    else:
        facts.differs("status_body_field", f'{{"{key}": ...}}: {refusal(answer)}', CAPTURE_FIX)


async def _put(exam: Exam, path: str, key: str) -> Response:
    return _checked(await exam.api.call("PUT", path, {key: wire.AVAILABLE}), "change the status")


def _checked(answer: Response, doing: str) -> Response:
    """The answer, unless the server failed (429, 5xx): that ends the examination."""
    raise_if_busy(answer, doing, lambda failed: str(failed.status))
    return answer


async def _test_subscription(
    exam: Exam, changes: Changes, count: int, cap: int | None, listen: float
) -> None:
    facts, owner = exam.facts, f"{changes.agent.path}/event/"
    if cap is not None and count >= cap:
        exam.notes.append(
            f"the agent has all {cap} event subscriptions it may have: no test subscription"
        )
        return
    settings = exam.settings
    listener = CallbackListener(
        settings.callback_host,
        settings.callback_port,
        settings.callback_url,
        {"agent": changes.callback},
    )
    exam.say(f"starting a callback listener on {settings.callback_host}…")
    await listener.start()
    changes.listener = listener
    changes.url = url = listener.url("agent")
    await _probe(exam, changes, listener)
    exam.say(f"creating a test subscription ({TEST_EVENT}) at POST {owner}…")
    body = {"url": url, "event_type": TEST_EVENT, "method": "POST"}
    answer = await exam.api.call("POST", owner, body)
    _checked(answer, "create an event subscription")
    made = answer.body.get("id") if isinstance(answer.body, dict) else None
    if answer.status >= 300 or made is None:
        facts.differs(
            "agent_subscriptions",
            f"POST {owner}: {refusal(answer) if answer.status >= 300 else 'no id came back'}",
            "check that the app may manage event subscriptions in Telphin's settings",
        )
        return
    read = _checked(await exam.api.call("GET", f"{owner}{made}"), "read an event subscription")
    if listen > 0:
        exam.say(f"listening for callbacks for {listen:g} s (the test subscription is in place)…")
        await asyncio.sleep(listen)
    exam.say("deleting the test subscription…")
    gone = _checked(await exam.api.call("DELETE", f"{owner}{made}"), "delete an event subscription")
    left = await _ours(exam, changes)
    seen = (
        f"created (POST {answer.status}), read back (GET {read.status}), "
        f"deleted (DELETE {gone.status})"
    )
    if read.status >= 300 or gone.status >= 300 or left:
        facts.differs("agent_subscriptions", seen, CAPTURE_FIX)
    else:
        facts.matches("agent_subscriptions", seen)
    _judge_callbacks(exam, changes)


async def _probe(exam: Exam, changes: Changes, listener: CallbackListener) -> None:
    """Whether the callback URL reaches the listener from here; the provider's own reach
    shows only when it calls back."""
    base = listener.base
    host = URL(base).host or ""
    try:
        address = ipaddress.ip_address(host)
        local = address.is_loopback or address.is_private
    except ValueError:
        local = host == "localhost"
    url = f"{listener.url('agent')}?{PROBE}={changes.nonce}"
    timeout = aiohttp.ClientTimeout(total=exam.settings.request_timeout)
    with contextlib.suppress(aiohttp.ClientError, TimeoutError):
        async with exam.http.get(url, allow_redirects=False, timeout=timeout) as answer:
            await answer.read()
    where = f"the callback URL ({base}/…)"
    if not changes.probed:
        exam.notes.append(f"{where} did not reach this computer's listener even from here")
    elif local:
        exam.notes.append(
            f"{where} reaches the listener from here, but it is a local address: a cloud "
            "provider cannot call it; set callback_url to a public URL forwarded here"
        )
    else:
        exam.notes.append(
            f"{where} reaches the listener from here; whether the provider reaches it "
            "shows only when it calls back"
        )


def _judge_callbacks(exam: Exam, changes: Changes) -> None:
    if not changes.heard:
        exam.facts.not_seen(
            "agent_callbacks", "no agent callback came while the test subscription was in place"
        )
        return
    fields = changes.heard[0]
    keys = agent_object.keys_seen(fields)
    if all(name in fields for name in wire.AGENT_FIELDS):
        exam.facts.matches("agent_callbacks", f"a callback with {keys}")
    else:
        exam.facts.differs("agent_callbacks", f"a callback with {keys}", CAPTURE_FIX)


async def _ours(exam: Exam, changes: Changes) -> list[dict[str, Any]]:
    """The subscriptions at the test subscription's URL: none once it is deleted."""
    listed = await every_page(
        exam.api,
        f"{changes.agent.path}/event/",
        lambda answer: answer.body if isinstance(answer.body, list) else [],
    )
    return [sub for sub in listed if isinstance(sub, dict) and sub.get("url") == changes.url]


async def restore(exam: Exam, changes: Changes) -> list[str]:
    """Put back what is still changed; what was done, or could not be, in words."""
    try:
        return await _restore(exam, changes)
    finally:
        if changes.listener is not None:
            await changes.listener.stop()


async def _restore(exam: Exam, changes: Changes) -> list[str]:
    said: list[str] = []
    if changes.url is not None:
        owner = f"{changes.agent.path}/event/"
        for sub in await _ours(exam, changes):
            answer = await exam.api.call("DELETE", f"{owner}{sub.get('id')}")
            said.append(
                f"deleted the test subscription {shown(sub.get('id'))}"
                if answer.status < 300
                else f"could not delete the test subscription {shown(sub.get('id'))} "
                f"({answer.status}): delete it in Telphin's settings"
            )
        if not await _ours(exam, changes):
            said.append("no test subscription is left")
    if changes.status is not None:
        found = (await exam.api.call("GET", changes.agent.path)).body
        status, key = changes.status
        value = found.get(key) if isinstance(found, dict) else None
        if isinstance(value, str) and value.lower() == status:
            said.append(f"the agent is {status}, as at the start")
        else:
            keys = dict.fromkeys((exam.settings.wire.status_body_field, key))
            answers = [(await _put(exam, changes.agent.path, each)).status for each in keys]
            back = any(code < 300 for code in answers)
            said.append(
                f"set the agent {status} again, as at the start"
                if back
                else f"could not set the agent {status} again: do it in Telphin"
            )
    return said
