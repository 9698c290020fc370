"""The provider's event subscriptions that point at this app: made once, reused, removed.

Subscriptions are capped per agent and per extension, so the toolbar never piles
them up: on start it lists what exists, keeps its own (recognised by the listener's
address), moves one of its own to the new URL when the path token changed (PUT),
creates what is missing, deletes its extras, and removes its own on a clean exit.
"""

from dataclasses import dataclass
from typing import Any

from agent_toolbar.backends.base import SignedOut, Unreachable
from agent_toolbar.backends.http import Response
from agent_toolbar.backends.telphin.api import TelphinApi
from agent_toolbar.backends.telphin.paging import every_page

METHOD = "POST"
"""The provider calls back with a form body: nothing of the call lands in URLs and logs."""


@dataclass(frozen=True)
class Hook:
    event_type: str
    url: str


async def ensure(
    api: TelphinApi, owner: str, hooks: list[Hook], *, ours: str, cap: int | None, what: str
) -> None:
    """Make the subscriptions of `owner` (an agent's or an extension's path) be `hooks`."""
    existing = await _list(api, owner)
    mine = [sub for sub in existing if str(sub.get("url", "")).startswith(ours)]
    count = len(existing)
    for hook in hooks:
        same_type = [sub for sub in mine if sub.get("event_type") == hook.event_type]
        exact = next((sub for sub in same_type if _is(sub, hook)), None)
        if exact is not None:
            mine.remove(exact)
        elif same_type:
            moved = same_type[0]
            mine.remove(moved)
            await _expect(api, "PUT", f"{owner}/event/{moved['id']}", _body(hook), "update")
        else:
            if cap is not None and count >= cap:
                plural = "" if cap == 1 else "s"
                raise SignedOut(
                    f"the PBX allows only {cap} event subscription{plural} for {what}, and all "
                    "are taken: remove unused ones in Telphin's settings, or ask the administrator",
                    kind="setup",
                )
            await _expect(api, "POST", f"{owner}/event/", _body(hook), "create")
            count += 1
    for extra in mine:
        await _expect(api, "DELETE", f"{owner}/event/{extra['id']}", None, "remove")


async def remove(api: TelphinApi, owner: str, ours: str) -> None:
    """Delete this app's subscriptions of `owner`."""
    for sub in await _list(api, owner):
        if str(sub.get("url", "")).startswith(ours):
            await _expect(api, "DELETE", f"{owner}/event/{sub['id']}", None, "remove")


def _is(sub: dict[str, Any], hook: Hook) -> bool:
    return sub.get("url") == hook.url and str(sub.get("method", "")).upper() == METHOD


def _body(hook: Hook) -> dict[str, str]:
    return {"url": hook.url, "event_type": hook.event_type, "method": METHOD}


async def _list(api: TelphinApi, owner: str) -> list[dict[str, Any]]:
    return await every_page(api, f"{owner}/event/", _subscriptions)


def _subscriptions(answer: Response) -> list[dict[str, Any]]:
    _raise_for(answer.status, answer.body, "list the event subscriptions")
    body = answer.body
    return (
        [sub for sub in body if isinstance(sub, dict) and "id" in sub]
        if isinstance(body, list)
        else []
    )


async def _expect(api: TelphinApi, method: str, path: str, body: Any, doing: str) -> None:
    answer = await api.call(method, path, body)
    _raise_for(answer.status, answer.body, f"{doing} an event subscription")


def _raise_for(status: int, body: Any, doing: str) -> None:
    if status < 400:
        return
    message = body.get("message") if isinstance(body, dict) else None
    words = f"{status}: {message}" if message else str(status)
    if status == 429 or status >= 500:
        raise Unreachable(f"the server could not {doing} ({words})", maybe_applied=False)
    raise SignedOut(f"the server would not {doing} ({words})")
