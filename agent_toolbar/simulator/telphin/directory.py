"""Telphin's numbering of the scenario: the OAuth app, agent and extension ids, logins.

Telphin names everything with small integers (the PBX account, agents, extensions)
where Kazoo uses 32-hex ids. They are derived from the scenario's order, so the same
scenario gets the same ids, app id and secret on every start, and a person can type
them from the banner.
"""

import hashlib
import hmac
from dataclasses import dataclass

from agent_toolbar.simulator.scenario import Scenario, stable_id

FIRST_AGENT_ID = 1001
FIRST_AGENT_EXTENSION_ID = 2001
FIRST_QUEUE_EXTENSION_ID = 3001
FIRST_EXTENSION_NUMBER = 101
"""Agents' short extension numbers: 101, 102... in scenario order."""
FIRST_QUEUE_NUMBER = 501
"""Queues' short extension numbers: 501, 502... in scenario order."""
EXTENSION_PREFIX = "000"
"""[assumed] The client prefix before the `*` in extension names (`000*101@realm`)."""
DID_PREFIX = "7495000"
"""[assumed] A queue's public number (`CalledDID`): this prefix and its extension id."""


@dataclass(frozen=True)
class TelphinLogin:
    """One way in through Telphin's OAuth: the app, the agent's user, and its ids."""

    app_id: str
    app_secret: str
    username: str
    password: str
    client_id: int
    """The PBX account (`client_id` of `GET /user/` and in paths), not the OAuth client_id."""
    agent_id: int
    extension_id: int
    extension_name: str
    """Like `000*101@demo.sim.local`: what agent callbacks call `extension_name`."""
    user_id: str
    """The engine's agent id (the Kazoo user id), for `Simulator.telphin_phone`."""
    display_name: str

    @property
    def extension_number(self) -> str:
        """The extension name without the domain, such as `000*101`."""
        return self.extension_name.partition("@")[0]


@dataclass(frozen=True)
class QueueExtension:
    """A queue, as Telphin sees it: an extension of type `queue`."""

    extension_id: int
    name: str
    """`PREFIX*NUMBER`, such as `000*501`: what the extension list calls `name`."""
    label: str
    """The scenario's queue name, such as `Sales`: the extension's display name."""
    queue_id: str
    """The engine's queue id."""
    did: str
    domain: str
    ring_timeout: float
    """How long the queue rings an agent: a ring that ends sooner was declined."""

    @property
    def address(self) -> str:
        """`000*501@demo.sim.local`: what a queue call's `CallerExtension` says."""
        return f"{self.name}@{self.domain}"


class TelphinDirectory:
    """Who is who on the Telphin side, and whether credentials are right."""

    def __init__(self, scenario: Scenario) -> None:
        account_id = scenario.account_id()
        self.client_id = scenario.telphin.client_id
        self.owner_login = scenario.account.name
        """[assumed] The `login` that `GET /user/` reports for a client-credentials token."""
        self.app_id = stable_id("telphin-app", account_id)
        self.app_secret = hashlib.sha256(f"telphin-secret/{account_id}".encode()).hexdigest()[:32]
        realm = scenario.realm()
        self.logins = [
            TelphinLogin(
                app_id=self.app_id,
                app_secret=self.app_secret,
                username=agent.username,
                password=agent.password,
                client_id=self.client_id,
                agent_id=FIRST_AGENT_ID + order,
                extension_id=FIRST_AGENT_EXTENSION_ID + order,
                extension_name=f"{EXTENSION_PREFIX}*{FIRST_EXTENSION_NUMBER + order}@{realm}",
                user_id=scenario.user_id(agent),
                display_name=agent.display_name or agent.username,
            )
            for order, agent in enumerate(scenario.agents)
        ]
        self.queues = [
            QueueExtension(
                extension_id=FIRST_QUEUE_EXTENSION_ID + order,
                name=f"{EXTENSION_PREFIX}*{FIRST_QUEUE_NUMBER + order}",
                label=queue.name,
                queue_id=scenario.queue_id(queue),
                did=f"{DID_PREFIX}{FIRST_QUEUE_EXTENSION_ID + order}",
                domain=realm,
                ring_timeout=queue.ring_timeout,
            )
            for order, queue in enumerate(scenario.queues)
        ]

    def app_matches(self, app_id: str, app_secret: str) -> bool:
        id_ok = hmac.compare_digest(app_id.encode(), self.app_id.encode())
        secret_ok = hmac.compare_digest(app_secret.encode(), self.app_secret.encode())
        return id_ok and secret_ok

    def by_credentials(self, username: str, password: str) -> TelphinLogin | None:
        """The login of `username` (any case) if `password` is its password."""
        for login in self.logins:
            if login.username.lower() == username.lower() and hmac.compare_digest(
                login.password.encode(), password.encode()
            ):
                return login
        return None

    def by_agent_id(self, agent_id: int) -> TelphinLogin | None:
        return next((login for login in self.logins if login.agent_id == agent_id), None)

    def by_extension_id(self, extension_id: int) -> TelphinLogin | None:
        return next((login for login in self.logins if login.extension_id == extension_id), None)

    def by_user_id(self, user_id: str) -> TelphinLogin:
        """The login of an engine agent id (every engine agent has one)."""
        return next(login for login in self.logins if login.user_id == user_id)

    def queue_by_extension_id(self, extension_id: int) -> QueueExtension | None:
        return next((queue for queue in self.queues if queue.extension_id == extension_id), None)

    def queue_by_id(self, queue_id: str) -> QueueExtension:
        """The queue extension of an engine queue id (every engine queue has one)."""
        return next(queue for queue in self.queues if queue.queue_id == queue_id)
