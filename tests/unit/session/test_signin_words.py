"""Sign-in problems carry the words the window translates, and they agree with the English.

The English (`message`, `fix`) is what the command line prints; `words` is what the
window says. Every template must be one lupdate extracted, or the window would show
it untranslated without anyone noticing.
"""

import socket
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from agent_toolbar.config.settings import Profile, Secrets
from agent_toolbar.session.problems import SignInProblem, Words
from agent_toolbar.session.profile_checks import check_profile
from agent_toolbar.session.signin import sign_in

TRANSLATIONS = Path(__file__).parents[3] / "resources" / "translations" / "agent_toolbar_ru.ts"
KAZOO = Profile(api_url="https://pbx.example.com/v2", account_name="acme", username="ada")
TELPHIN = Profile(
    backend="telphin", api_url="https://api.example.com/v1", app_id="app", username="ada"
)
OFFLINE = [
    (Profile(api_url=""), Secrets()),
    (Profile(api_url="https://pbx.example.com/v2", username="ada"), Secrets("pw")),
    (KAZOO, Secrets()),
    (Profile(api_url="https://pbx.example.com/v2", api_key=True), Secrets()),
    (Profile(backend="telphin", api_url="https://api.example.com/v1"), Secrets()),
    (TELPHIN, Secrets(password="pw")),
    (
        Profile(backend="telphin", api_url="https://api.example.com/v1", app_id="a"),
        Secrets(None, "s"),
    ),
    (Profile(api_url="ftp://pbx.example.com/v2", account_name="a", username="u"), Secrets("pw")),
    (
        Profile(
            backend="telphin", api_url=TELPHIN.api_url, app_id="a", agent_id="7", callback_bind="x"
        ),
        Secrets(None, "s"),
    ),
    (Profile(api_url="http://pbx.example.com/v2", account_name="a", username="u"), Secrets("pw")),
    (
        Profile(api_url=KAZOO.api_url, account_name="a", username="u", ca_file="/no/such/ca.pem"),
        Secrets("pw"),
    ),
]


def signin_sources() -> set[str]:
    root = ET.parse(TRANSLATIONS).getroot()
    return {
        message.findtext("source") or ""
        for context in root.iter("context")
        if context.findtext("name") == "signin"
        for message in context.iter("message")
    }


def translatable(words: Words) -> bool:
    return words.template in signin_sources()


@pytest.mark.parametrize(("profile", "secrets"), OFFLINE)
def test_a_problem_found_offline_says_the_same_in_english_and_in_its_words(
    profile: Profile, secrets: Secrets
) -> None:
    problem = check_profile(profile, secrets)
    assert problem is not None
    assert problem.words is not None
    assert problem.words.problem.english() == problem.message
    assert problem.words.fix.english() == problem.fix
    assert problem.words.details is None
    assert translatable(problem.words.problem)
    assert translatable(problem.words.fix)


def test_data_stays_out_of_the_templates() -> None:
    problem = check_profile(
        Profile(api_url="ftp://pbx.example.com/v2", account_name="a", username="u"),
        Secrets("pw"),
    )
    assert problem is not None
    assert problem.words is not None
    said = problem.words.problem
    assert said.template == '"{url}" is not a {plain}:// or {secure}:// address'
    assert said.values == {"url": "ftp://pbx.example.com/v2", "plain": "http", "secure": "https"}


@pytest.mark.asyncio
async def test_what_the_server_said_is_a_kind_naming_the_host_with_the_backends_words() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    profile = Profile(api_url=f"http://127.0.0.1:{port}/v2", account_name="a", username="u")
    problem = await sign_in(profile, Secrets(password="pw"))
    assert isinstance(problem, SignInProblem)
    assert problem.words is not None
    assert problem.message == "127.0.0.1 refused the connection or cannot be reached"
    assert problem.words.problem == Words(
        "the server {host} cannot be reached", {"host": "127.0.0.1"}
    )
    assert problem.words.details == problem.message
    assert problem.words.fix.english() == problem.fix
    assert translatable(problem.words.problem)
    assert translatable(problem.words.fix)


def test_a_problem_made_elsewhere_equals_one_with_words() -> None:
    plain = SignInProblem("incomplete", "the password is missing", "type the password", "password")
    assert check_profile(KAZOO, Secrets()) == plain
    assert plain.words is None
