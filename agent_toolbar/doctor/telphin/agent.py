"""The doctor's sign-in, user and agent object on Telphin: the OAuth grant and its token's
lifetime, `GET /user/` (client_id or null), and which fields the agent object holds."""

from typing import Any

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.backends.telphin import agent_object, wire
from agent_toolbar.backends.telphin.oauth import Granted
from agent_toolbar.doctor.report import CAPTURE_FIX, COPES_FIX, wire_fix
from agent_toolbar.doctor.telphin.context import Agent, Exam, body_of, shown


def judge_grant(exam: Exam, granted: Granted, token_path: str) -> None:
    """[token_endpoint], [grants] and the lifetime half of [bearer]."""
    facts = exam.facts
    facts.matches("token_endpoint", f"POST {token_path} gave a token")
    kind = granted.grant_type
    if kind == "password" and not granted.refresh_token:
        facts.differs(
            "grants",
            "the password grant gave no refresh_token",
            "nothing to set: the toolbar signs in again with the password when a token runs "
            "out; send us the report",
        )
    else:
        refresh = "with" if granted.refresh_token else "without"
        facts.matches("grants", f"the {kind} grant gave a token {refresh} a refresh_token")
    lifetime = granted.expires_in
    exam.notes.append(
        f"signed in with the {kind} grant; the token lives "
        + (f"{lifetime:g} s" if lifetime is not None else "an unstated time")
    )
    if lifetime is None:
        facts.differs(
            "bearer",
            "the token came without a believable expires_in",
            "nothing to set: the toolbar renews after an hour, or as soon as a token is refused",
        )


async def read_user(exam: Exam) -> dict[str, Any]:
    """[user], [client_id_null] and the bearer token's use."""
    exam.say("reading the user (GET /user/)…")
    user = body_of(await exam.api.call("GET", "user/"), "read the user")
    exam.facts.matches("bearer", "GET /user/ took the Bearer token")
    if not isinstance(user, dict):
        exam.facts.differs(
            "user", f"GET /user/ gave no object but {type(user).__name__}", CAPTURE_FIX
        )
        return {}
    missing = [key for key in ("client_id", "extension_id") if key not in user]
    client, extension = user.get("client_id"), user.get("extension_id")
    seen = f"client_id {shown(client) if client is not None else 'null'}, extension_id " + (
        shown(extension) if extension is not None else "null"
    )
    if missing:
        exam.facts.differs(
            "user",
            f"GET /user/ has no {' or '.join(missing)} (keys: {agent_object.keys_seen(user)})",
            "name the agent in the profile (agent_id or extension_id); paths then name @me",
        )
    else:
        exam.facts.matches("user", seen)
    if client is None:
        exam.facts.differs("client_id_null", "client_id is null: paths name @me", COPES_FIX)
    else:
        exam.facts.matches("client_id_null", f"client_id {shown(client)}: paths name it")
    return user


async def find_agent(exam: Exam, user: dict[str, Any]) -> Agent:
    """The queue agent, found as the toolbar finds it: [agent_of_extension], the agent's
    path ([agent_path_local] or [agent_path_remote])."""
    settings = exam.settings
    client = str(user.get("client_id") or wire.ME)
    extension = settings.extension_id or _text(user.get("extension_id"))
    by_extension: dict[str, Any] | None = None
    if extension is not None:
        exam.say(f"finding the queue agent of extension {extension}…")
        answer = await exam.api.call("GET", f"extension/{extension}/agent/")
        if answer.status == 404 and settings.agent_id is None:
            raise SignedOut(f"phone extension {extension} is not a queue agent", kind="not_agent")
        if answer.status != 404:
            by_extension = _object(body_of(answer, "find the agent of the extension"))
            exam.facts.matches(
                "agent_of_extension",
                f"GET extension/{extension}/agent/ named agent {shown(by_extension.get('id'))}",
            )
    agent_id = settings.agent_id or _text((by_extension or {}).get("id"))
    if agent_id is None:
        raise SignedOut("no agent id: give the agent id in the profile", kind="not_agent")
    if settings.agent_id is not None and by_extension is None:
        exam.facts.not_seen("agent_of_extension", "the profile names the agent (agent_id)")
    path = wire.agent_path(client, settings.agent_type, agent_id)
    exam.say(f"reading the agent object (GET {path})…")
    answer = await exam.api.call("GET", path)
    fact = f"agent_path_{settings.agent_type}"
    if answer.status == 404:
        if by_extension is None:
            raise SignedOut(f"there is no queue agent {agent_id}", kind="not_agent")
        exam.facts.differs(fact, f"GET {path} answered 404", CAPTURE_FIX)
        found = by_extension
    else:
        found = _object(body_of(answer, "read the agent"))
        exam.facts.matches(fact, f"GET {path} gave the agent")
    if client == wire.ME:
        exam.facts.matches("at_me", f"GET {path} named the client @me")
    extension = extension or _text(found.get("extension_id"))
    return Agent(client, path, extension, found)


def judge_agent(exam: Exam, found: dict[str, Any]) -> tuple[str, str] | None:
    """[agent_status_field], [agent_status_words], [statuses], [agent_state_field],
    [state_letters], [idle_letters]: the configured names first, then any key that holds
    such a value, whose name is then the fix. The status and the key that holds it."""
    held = _status(exam, found)
    status = None if held is None else held[0]
    letter = _state(exam, found)
    if letter is None or status is None:
        exam.facts.not_seen("idle_letters", "needs both a status and a state letter")
    elif (status, letter) in (("available", "r"), ("logged_out", "l")):
        exam.facts.matches("idle_letters", f"{status} with {letter}")
    else:
        exam.facts.not_seen("idle_letters", f"the agent was {status} with {letter}")
    return held


def _status(exam: Exam, found: dict[str, Any]) -> tuple[str, str] | None:
    facts, configured = exam.facts, exam.settings.wire.status_field
    key, value = configured, found.get(configured)
    holders = [key for key, held in found.items() if _is_status(held)]
    if _is_status(value):
        facts.matches("agent_status_field", f"`{configured}`")
    elif holders:
        facts.differs(
            "agent_status_field",
            f"no `{configured}`; `{shown(holders[0])}` holds the status",
            wire_fix(exam.profile, "status_field", holders[0]),
        )
        key, value = holders[0], found[holders[0]]
    elif configured in found:
        facts.differs(
            "agent_status_words",
            f"`{configured}` is {shown(value)!r}, neither available nor logged_out",
            CAPTURE_FIX,
        )
        facts.differs("statuses", f"a status {shown(value)!r}", CAPTURE_FIX)
        return None
    else:
        facts.differs(
            "agent_status_field",
            f"no field holds available or logged_out (keys: {agent_object.keys_seen(found)})",
            "if one of these keys holds the status, set status_field to it in the "
            f"[profiles.{exam.profile or 'NAME'}.wire] table; else the toolbar follows the "
            "callbacks only",
        )
        facts.not_seen("statuses", "the agent object shows no status")
        facts.not_seen("agent_status_words", "the agent object shows no status")
        return None
    word = str(value).lower()
    facts.matches("agent_status_words", repr(shown(value)))
    facts.matches("statuses", word)
    return word, key


def _state(exam: Exam, found: dict[str, Any]) -> str | None:
    facts, configured = exam.facts, exam.settings.wire.state_field
    value = found.get(configured)
    holders = [key for key, held in found.items() if _is_letter(held)]
    if _is_letter(value):
        facts.matches("agent_state_field", f"`{configured}`")
    elif holders:
        facts.differs(
            "agent_state_field",
            f"no `{configured}`; `{shown(holders[0])}` holds the state letter",
            wire_fix(exam.profile, "state_field", holders[0]),
        )
        value = found[holders[0]]
    elif configured in found:
        facts.differs("state_letters", f"`{configured}` is {shown(value)!r}", CAPTURE_FIX)
        return None
    else:
        facts.matches(
            "agent_state_field",
            f"no state letter (keys: {agent_object.keys_seen(found)}): calls show by callbacks",
        )
        facts.not_seen("state_letters", "the agent object carries no state letter")
        return None
    letter = str(value).lower()
    facts.matches("state_letters", letter)
    return letter


def _is_status(value: Any) -> bool:
    return isinstance(value, str) and value.lower() in (wire.AVAILABLE, wire.LOGGED_OUT)


def _is_letter(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 1 and value.lower() in wire.STATE_LETTERS


def _object(body: Any) -> dict[str, Any]:
    return body if isinstance(body, dict) else {}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
