"""What an organisation sets for its agents: policy defaults and locked values.

`layers` merges the raw TOML-shaped tables (it imports nothing of the settings file,
which uses it); `model` checks each source and says where each value came from;
`sources` reads them per platform; `report` prints the settings in force. This package
imports none of them itself, so that `settings_file` can use `layers` without a cycle.
"""
