"""The doctor's read-only lists on Telphin: the queues (every page, and how the server
pages them), the limits resource, and the event subscriptions already registered, which
it reads and never touches."""

import math
from typing import Any

from agent_toolbar.backends.http import Response, raise_if_busy
from agent_toolbar.backends.telphin import agent_object, wire
from agent_toolbar.backends.telphin.paging import every_page
from agent_toolbar.doctor.report import CAPTURE_FIX, COPES_FIX
from agent_toolbar.doctor.telphin.context import Agent, Exam, body_of, shown

QUEUES = {"type": "queue"}


async def read_queues(exam: Exam, client: str) -> None:
    """[queues], [paging], [page_size], [max_per_page], [past_last_page]: the toolbar's own
    reader, then a few single pages."""
    path = f"client/{client}/extension/"
    exam.say(f"reading the queues (GET {path}?type=queue, every page)…")
    queues = await every_page(exam.api, path, _items("list the queues"), QUEUES)
    named = [queue for queue in queues if "id" in queue and isinstance(queue.get("name"), str)]
    labelled = sum(1 for queue in named if isinstance(queue.get("label"), str))
    if len(named) < len(queues):
        exam.facts.differs(
            "queues",
            f"{len(queues) - len(named)} of {len(queues)} queues lack an id or name",
            CAPTURE_FIX,
        )
    else:
        exam.facts.matches("queues", f"{len(queues)} queues with id and name, {labelled} labelled")
    exam.say("asking for single pages of the queues, to see how the server pages…")
    await _paging(exam, path, len(queues))


async def _paging(exam: Exam, path: str, total: int) -> None:
    unasked = await _page(exam, path, 1, None)
    asked = await _page(exam, path, 1, wire.PER_PAGE)
    if unasked is None or asked is None:
        exam.facts.differs("paging", "a first page of the queues was refused", CAPTURE_FIX)
        return
    _judge_size(exam, "page_size", "unasked", len(unasked), total=total, size=wire.UNASKED_PER_PAGE)
    _judge_size(
        exam, "max_per_page", f"{wire.PER_PAGE} asked", len(asked), total=total, size=wire.PER_PAGE
    )
    last = math.ceil(total / len(asked)) if asked else 1
    await _past_last(exam, path, max(2, last + 1))
    if total < 2:
        exam.facts.matches("paging", f"{total} queue: paging not tested")
        return
    first, second = await _page(exam, path, 1, 1), await _page(exam, path, 2, 1)
    if first is None or second is None or (second and _ids(first) == _ids(second)):
        exam.facts.differs(
            "paging",
            "page 2 (one a page) repeated page 1 or was refused: the server ignores page",
            "nothing to set: the toolbar reads only the first page of such a list; send us the "
            "report",
        )
        return
    exam.facts.matches("paging", "page and per_page honoured")


def _judge_size(exam: Exam, fact: str, asked: str, held: int, *, total: int, size: int) -> None:
    """[page_size], [max_per_page]: a first page holds `size` items, or all there are."""
    seen = f"{asked}, all {total} on one page" if held >= total else f"{asked}, a page holds {held}"
    if held == min(total, size):
        exam.facts.matches(fact, seen)
    else:
        exam.facts.differs(fact, seen, COPES_FIX)


async def _past_last(exam: Exam, path: str, number: int) -> None:
    """[past_last_page]: the page after the last, asked as the toolbar asks."""
    params = {**QUEUES, "page": str(number), "per_page": str(wire.PER_PAGE)}
    answer = await exam.api.call("GET", path, params=params)
    raise_if_busy(answer, "list the queues", lambda failed: str(failed.status))
    if answer.status < 300 and answer.body == []:
        exam.facts.matches("past_last_page", "the page after the last answered an empty list")
    elif answer.status == 404:
        exam.facts.differs("past_last_page", "the page after the last answered 404", COPES_FIX)
    else:
        exam.facts.differs(
            "past_last_page", f"the page after the last answered {_answer(answer)}", CAPTURE_FIX
        )


async def _page(exam: Exam, path: str, number: int, size: int | None) -> list[Any] | None:
    """One page as asked, or None when the server would not give it so."""
    params = {**QUEUES, "page": str(number)}
    if size is not None:
        params["per_page"] = str(size)
    answer = await exam.api.call("GET", path, params=params)
    raise_if_busy(answer, "list the queues", lambda failed: str(failed.status))
    refused = answer.status >= 300 or not isinstance(answer.body, list)
    return None if refused else answer.body


def _answer(answer: Response) -> str:
    if isinstance(answer.body, list):
        return f"{answer.status} with {len(answer.body)} items"
    return str(answer.status)


def _ids(page: list[Any]) -> list[str]:
    return [str(item.get("id")) for item in page if isinstance(item, dict)]


def _items(doing: str) -> Any:
    def read(answer: Response) -> list[dict[str, Any]]:
        body = body_of(answer, doing)
        return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []

    return read


async def read_limits(exam: Exam, client: str) -> dict[str, int]:
    """[limits], [limit_keys], and [at_me] when the user names its client."""
    path = f"client/{client}/limit/"
    exam.say(f"reading the limits (GET {path})…")
    answer = await exam.api.call("GET", path)
    if client != wire.ME:
        at_me = await exam.api.call("GET", f"client/{wire.ME}/limit/")
        if at_me.status < 300:
            exam.facts.matches("at_me", f"GET client/{wire.ME}/limit/ answered {at_me.status}")
        else:
            exam.facts.differs(
                "at_me", f"GET client/{wire.ME}/limit/ answered {at_me.status}", CAPTURE_FIX
            )
    if answer.status >= 400 or not isinstance(answer.body, dict):
        exam.facts.differs(
            "limits",
            f"GET {path} answered {answer.status}",
            "nothing to set: a full cap then shows only when the provider refuses",
        )
        exam.facts.not_seen("limit_keys", "no limits were read")
        return {}
    body = answer.body
    exam.facts.matches("limits", f"GET {path} answered {answer.status}")
    caps = {key: value for key, value in body.items() if isinstance(value, int)}
    wanted = (wire.AGENT_EVENT_LIMIT, wire.EXTENSION_EVENT_LIMIT)
    if all(key in caps for key in wanted):
        exam.facts.matches("limit_keys", ", ".join(f"{key} {caps[key]}" for key in wanted))
    else:
        exam.facts.differs(
            "limit_keys",
            f"the limits' keys: {agent_object.keys_seen(body)}",
            "nothing to set: a full cap shows only when the provider refuses; send us the report",
        )
    return caps


async def read_subscriptions(exam: Exam, agent: Agent, caps: dict[str, int]) -> int:
    """[agent_subscriptions], [extension_subscriptions]: what is registered, read only;
    the agent's count, for --try-changes to respect its cap."""
    exam.say("reading the event subscriptions already registered (not touching them)…")
    count = await _registered(exam, agent.path, "agent_subscriptions", caps.get("agent_event"))
    if agent.extension is not None:
        owner = f"extension/{agent.extension}"
        await _registered(exam, owner, "extension_subscriptions", caps.get("extension_event"))
    else:
        exam.facts.not_seen("extension_subscriptions", "the agent names no phone extension")
    return count


async def _registered(exam: Exam, owner: str, fact: str, cap: int | None) -> int:
    """Only the count and the event types are shown: a subscription's URL may carry
    another app's secret path."""
    found = await every_page(exam.api, f"{owner}/event/", _items("list the event subscriptions"))
    shaped = [sub for sub in found if {"id", "url", "event_type", "method"} <= sub.keys()]
    kinds = sorted({shown(sub.get("event_type")) for sub in found})
    seen = f"GET {owner}/event/ listed {len(found)}" + (f" ({', '.join(kinds)})" if kinds else "")
    if len(shaped) < len(found):
        exam.facts.differs(fact, seen + f"; {len(found) - len(shaped)} lack a key", CAPTURE_FIX)
    else:
        exam.facts.matches(fact, seen)
    of_cap = f" of {cap}" if cap is not None else ""
    exam.notes.append(f"{owner} has {len(found)}{of_cap} event subscriptions (left untouched)")
    return len(found)
