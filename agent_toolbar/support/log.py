"""Every logger the toolbar writes to, declared once.

Support reads the log by these names, and tests catch lines by them, so a name is
chosen here and nowhere else: a module imports its logger (`from
agent_toolbar.support.log import kazoo as log`) instead of spelling the name again.
Where the lines go and at what level is `support/logs.py`'s job.
"""

import logging

toolbar = logging.getLogger("agent_toolbar")
"""The parent of them all: what nothing caught ends up in."""

logs = logging.getLogger("agent_toolbar.logs")
config = logging.getLogger("agent_toolbar.config")
credentials = logging.getLogger("agent_toolbar.credentials")
quit_record = logging.getLogger("agent_toolbar.quit_record")
resume_plans = logging.getLogger("agent_toolbar.resume_plans")
history = logging.getLogger("agent_toolbar.history")
sound = logging.getLogger("agent_toolbar.sound")

http = logging.getLogger("agent_toolbar.http")
kazoo = logging.getLogger("agent_toolbar.kazoo")
kazoo_blackhole = logging.getLogger("agent_toolbar.kazoo.blackhole")
telphin = logging.getLogger("agent_toolbar.telphin")
telphin_listener = logging.getLogger("agent_toolbar.telphin.listener")
session = logging.getLogger("agent_toolbar.session")

ui = logging.getLogger("agent_toolbar.ui")
ui_hotkeys = logging.getLogger("agent_toolbar.ui.hotkeys")
qt = logging.getLogger("agent_toolbar.qt")
"""Qt's own warnings, routed into the log."""

simulator = logging.getLogger("agent_toolbar.simulator")
simulator_engine = logging.getLogger("agent_toolbar.simulator.engine")
simulator_faults = logging.getLogger("agent_toolbar.simulator.faults")
simulator_blackhole = logging.getLogger("agent_toolbar.simulator.blackhole")
simulator_crossbar = logging.getLogger("agent_toolbar.simulator.crossbar")
simulator_telphin = logging.getLogger("agent_toolbar.simulator.telphin")
simulator_telphin_callbacks = logging.getLogger("agent_toolbar.simulator.telphin.callbacks")
simulator_telphin_hooks = logging.getLogger("agent_toolbar.simulator.telphin.hooks")
demo = logging.getLogger("agent_toolbar.demo")
"""The demo's phone, which answers and hangs up the agent's calls."""
