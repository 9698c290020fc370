"""The tokens and callback URLs the simulator hands out during a test, for the tests that
search files for secrets (a pytest plugin: tests/conftest.py loads it)."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from yarl import URL

from agent_toolbar.simulator.kazoo.tokens import Tokens
from agent_toolbar.simulator.telphin.hooks import Subscriptions
from agent_toolbar.simulator.telphin.tokens import IssuedTokens, OAuthTokens


@dataclass
class Issued:
    """What the simulator handed out during the run."""

    tokens: list[str] = field(default_factory=list)
    callback_urls: list[str] = field(default_factory=list)

    @property
    def path_tokens(self) -> set[str]:
        """The listener's URLs are `{base}/{token}/{kind}`."""
        return {URL(url).parts[-2] for url in self.callback_urls}


@pytest.fixture
def issued(monkeypatch: pytest.MonkeyPatch) -> Issued:
    seen = Issued()
    kazoo_issue, oauth_issue, subscribe = Tokens.issue, OAuthTokens.issue, Subscriptions.add

    def kazoo(self: Tokens, *args: Any) -> str:
        token = kazoo_issue(self, *args)
        seen.tokens.append(token)
        return token

    def oauth(self: OAuthTokens, *args: Any) -> IssuedTokens:
        tokens = oauth_issue(self, *args)
        seen.tokens += [tokens.access_token, *filter(None, [tokens.refresh_token])]
        return tokens

    def add(self: Subscriptions, owner: Any, url: str, *args: Any) -> Any:
        seen.callback_urls.append(url)
        return subscribe(self, owner, url, *args)

    monkeypatch.setattr(Tokens, "issue", kazoo)
    monkeypatch.setattr(OAuthTokens, "issue", oauth)
    monkeypatch.setattr(Subscriptions, "add", add)
    return seen
