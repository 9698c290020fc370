"""The pure domain: events, state, commands. No Qt, no I/O, no clock.

Inputs come in as values (decoded frames, ticks carrying the time), the state comes
out as a value; everything here is deterministic and safe on any input.
"""

from agent_toolbar.domain.events import (
    DecodeError,
    Event,
    Ignored,
    QueueSynced,
    RecipientEvent,
    Reply,
)
from agent_toolbar.domain.inputs import (
    CapabilityRefused,
    CommandAccepted,
    CommandFailed,
    CommandIssued,
    ConnectionChanged,
    DeferralCleared,
    DeferralSet,
    Input,
    QueueFacts,
    QueuesReported,
    ResumePlansLoaded,
    ServerClockStepped,
    Snapshot,
    SnapshotCall,
    Tick,
)
from agent_toolbar.domain.reduce import Step, reduce, step
from agent_toolbar.domain.state import AgentState
from agent_toolbar.domain.view import state_json

__all__ = [
    "AgentState",
    "CapabilityRefused",
    "CommandAccepted",
    "CommandFailed",
    "CommandIssued",
    "ConnectionChanged",
    "DecodeError",
    "DeferralCleared",
    "DeferralSet",
    "Event",
    "Ignored",
    "Input",
    "QueueFacts",
    "QueueSynced",
    "QueuesReported",
    "RecipientEvent",
    "Reply",
    "ResumePlansLoaded",
    "ServerClockStepped",
    "Snapshot",
    "SnapshotCall",
    "Step",
    "Tick",
    "reduce",
    "state_json",
    "step",
]
