"""Crossbar REST calls: the shared authenticated client, as Kazoo takes its token."""

from agent_toolbar.backends.base import SignedOut
from agent_toolbar.backends.http import AuthorizedClient, Response
from agent_toolbar.backends.kazoo.auth import Auth
from agent_toolbar.backends.kazoo.errors import kazoo_message


class Crossbar(AuthorizedClient[Auth]):
    """The token in X-Auth-Token; a refused one means signing in again."""

    token_header = "X-Auth-Token"

    def _refused_again(self, answer: Response) -> SignedOut:
        return SignedOut(f"the server refused a fresh sign-in ({kazoo_message(answer.body)})")
