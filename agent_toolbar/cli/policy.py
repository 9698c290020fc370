"""`agent-toolbar policy`: the settings in force, each with where it came from (built in,
a policy default, the user's file, or locked by policy), and what was refused.

For IT checking a rollout on one desktop: it reads the same files the toolbar reads at
start. Settings hold no secret, and the keychain is never read here.
"""

import json
from typing import TextIO

from agent_toolbar.config.policy.report import report_json, report_lines
from agent_toolbar.config.policy.sources import settings_in_force
from agent_toolbar.config.settings_file import config_path


def run(as_json: bool, out: TextIO) -> int:
    """Print the report; 1 when part of the policy or of the settings file was refused."""
    in_force = settings_in_force(config_path())
    if as_json:
        out.write(json.dumps(report_json(in_force), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write("\n".join(report_lines(in_force)) + "\n")
    return 1 if in_force.problems() else 0
