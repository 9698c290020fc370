"""A ready agent online in a queue, and alerts handed to the notifier as the desktop does."""

from msgspec.structs import replace

from agent_toolbar.domain import AgentState, ConnectionChanged
from agent_toolbar.domain.alerts import Alert, alerts
from agent_toolbar.domain.state import QueueInfo
from agent_toolbar.ui.alerts.notifier import Notifier
from tests.helpers.events import SALES, ready_agent, run
from tests.helpers.seed import UNIX_NOW


def ready_online(queue: str = "Sales") -> AgentState:
    state = run(ConnectionChanged(connection="online", at=UNIX_NOW + 1), state=ready_agent())
    return replace(state, queues=(QueueInfo(queue_id=SALES, name=queue, member=True),))


def tell(notifier: Notifier, before: AgentState, after: AgentState, at: float) -> list[Alert]:
    found = alerts(before, after, UNIX_NOW + at, 10.0)
    for alert in found:
        notifier.notify(alert)
    return found
