"""A Kazoo (Crossbar REST + Blackhole websocket) and Qubicle look-alike on loopback,
with a Telphin REST surface (OAuth, agents, event subscriptions and real callbacks)
over the same call center.

The demo's backend and every integration test's server: a client that works
against it should work against the real servers. No Qt here, and nothing listens
beyond loopback unless asked to.
"""

from agent_toolbar.simulator.clock import ManualClock
from agent_toolbar.simulator.engine import CallCenter
from agent_toolbar.simulator.faults import Faults
from agent_toolbar.simulator.kazoo.tokens import DemoLogin
from agent_toolbar.simulator.model import AgentView, QueueView
from agent_toolbar.simulator.scenario import (
    Account,
    AgentConfig,
    KazooSettings,
    QueueConfig,
    RandomCallers,
    Scenario,
    ScenarioError,
    ScriptedCaller,
    ScriptedFault,
    Settings,
    TelphinSettings,
    bundled_scenario,
    default_scenario,
    load_scenario,
)
from agent_toolbar.simulator.server import Simulator
from agent_toolbar.simulator.telphin.courier import CallbackStats
from agent_toolbar.simulator.telphin.directory import TelphinLogin

__all__ = [
    "Account",
    "AgentConfig",
    "AgentView",
    "CallCenter",
    "CallbackStats",
    "DemoLogin",
    "Faults",
    "KazooSettings",
    "ManualClock",
    "QueueConfig",
    "QueueView",
    "RandomCallers",
    "Scenario",
    "ScenarioError",
    "ScriptedCaller",
    "ScriptedFault",
    "Settings",
    "Simulator",
    "TelphinLogin",
    "TelphinSettings",
    "bundled_scenario",
    "default_scenario",
    "load_scenario",
]
