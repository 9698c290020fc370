"""Telphin REST calls: the shared authenticated client, with OAuth 2's bearer token."""

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.backends.http import AuthorizedClient, Response
from agent_toolbar.backends.telphin.oauth import OAuth


class TelphinApi(AuthorizedClient[OAuth]):
    """The token as `Authorization: Bearer TOKEN` (wire fact [bearer])."""

    token_header = "Authorization"
    token_prefix = "Bearer "

    def _refused_again(self, answer: Response) -> SignedOut:
        return SignedOut("the server refused a fresh token")
