"""Screen pop's pure part: templates checked with their reason, values encoded, and each
call opened once however often a reconnect or a replay shows it again."""

import pytest
from msgspec.structs import replace

from agent_toolbar.domain.screen_pop import (
    SAMPLE,
    PopCall,
    Target,
    TemplateError,
    check,
    target,
    to_pop,
)
from agent_toolbar.domain.state import AgentState, Call, Offer, QueueInfo


def always(_program: str) -> bool:
    return True


def never(_program: str) -> bool:
    return False


def idle() -> AgentState:
    return AgentState(
        recipient_id="agent-1",
        status="ready",
        connection="online",
        queues=(QueueInfo(queue_id="q1", name="Sales & Support"),),
    )


def ringing(session: str | None = "s1") -> AgentState:
    offer = Offer(
        session_id=session,
        queue_id="q1",
        caller_id_name="Marie Curie",
        caller_id_number="+33 1 23",
        ring_timeout=None,
        offered_at=None,
        deadline=None,
        force_away_on_reject=False,
        position=None,
        waiting_since=None,
    )
    return replace(idle(), offer=offer)


def talking(session: str | None = "s1") -> AgentState:
    call = Call(
        session_id=session,
        queue_id="q1",
        queue_name=None,
        caller_id_name="Marie Curie",
        caller_id_number="+33 1 23",
        since=None,
    )
    return replace(idle(), call=call)


def test_a_url_gets_every_value_url_encoded() -> None:
    template = (
        "https://crm.example.com/find?n={caller_id_number}&who={caller_id_name}&q={queue_name}"
    )
    opened = target(template, replace(SAMPLE, queue_name="Sales & Support/EU"))
    assert opened == Target(
        url="https://crm.example.com/find?n=%2B33%201%2023%2045%2067%2089"
        "&who=Marie%20Curie&q=Sales%20%26%20Support%2FEU"
    )


def test_a_command_gets_the_raw_values_inside_their_own_arguments() -> None:
    call = replace(SAMPLE, caller_id_name="Bobby; rm -rf ~", caller_id_number="+1 555")
    opened = target("crm-client --number={caller_id_number} '{caller_id_name}' {agent}", call)
    assert opened.command == ("crm-client", "--number=+1 555", "Bobby; rm -rf ~", "sample-agent")
    assert opened.url is None


def test_a_missing_value_is_empty() -> None:
    assert target("https://crm/{call_id}", replace(SAMPLE, call_id=None)).url == "https://crm/"


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("https://crm/{caller}", "unknown placeholder {caller}"),
        ("https://crm/{caller_id_number!r}", "takes no format"),
        ("https://crm/{caller_id_number", "braces do not pair up"),
        ("ftp://crm/{caller_id_number}", "only http and https addresses are opened, not ftp:"),
        ("javascript:alert({caller_id_name})", "not javascript:"),
        ("https:///{caller_id_number}", "names no host"),
        ("  ", "empty"),
        ("crm-client '{caller_id_number}", "quotes do not pair up"),
        ("{agent} --x", "program cannot be a placeholder"),
    ],
)
def test_a_bad_template_is_refused_with_its_reason(template: str, reason: str) -> None:
    with pytest.raises(TemplateError, match=reason.replace("{", r"\{").replace("}", r"\}")):
        check(template, always)


def test_a_command_that_does_not_exist_is_refused() -> None:
    with pytest.raises(TemplateError, match="no command crm-client was found"):
        check("crm-client {caller_id_number}", never)
    check("crm-client {caller_id_number}", always)


def test_good_templates_pass() -> None:
    check("HTTPS://crm.example.com/{session_id}?q={queue_id}", never)
    check(r"C:\CRM\crm.exe {caller_id_number}", always)


def test_on_ring_the_offer_pops_once_and_its_answer_does_not_again() -> None:
    popped: set[str] = set()
    call = to_pop(idle(), ringing(), "ring", popped)
    assert call == PopCall(
        session_id="s1",
        queue_id="q1",
        queue_name="Sales & Support",
        caller_id_name="Marie Curie",
        caller_id_number="+33 1 23",
        agent="agent-1",
    )
    popped.add("s1")
    assert to_pop(ringing(), ringing(), "ring", popped) is None
    assert to_pop(ringing(), talking(), "ring", popped) is None


def test_on_answer_the_ring_opens_nothing_and_the_call_pops_once() -> None:
    popped: set[str] = set()
    assert to_pop(idle(), ringing(), "answer", popped) is None
    call = to_pop(ringing(), talking(), "answer", popped)
    assert call is not None
    assert call.session_id == "s1"
    assert call.queue_name == "Sales & Support"


def test_a_reconnect_or_replay_that_shows_the_call_again_opens_nothing() -> None:
    popped = {"s1"}
    stale = replace(talking(), connection="stale")
    offline = replace(idle(), connection="offline")
    for before, after in ((talking(), stale), (stale, talking()), (offline, talking())):
        assert to_pop(before, after, "answer", popped) is None
        assert to_pop(before, after, "ring", popped) is None


def test_the_next_call_pops_again() -> None:
    assert to_pop(idle(), ringing("s2"), "ring", {"s1"}) is not None


def test_a_ring_never_seen_pops_when_the_call_shows() -> None:
    assert to_pop(idle(), talking(), "ring", set()) is not None


def test_a_call_without_a_session_id_pops_only_as_it_first_shows() -> None:
    assert to_pop(idle(), ringing(None), "ring", set()) is not None
    assert to_pop(ringing(None), ringing(None), "ring", set()) is None
    assert to_pop(ringing(None), talking(None), "ring", set()) is None
    assert to_pop(idle(), talking(None), "answer", set()) is not None
