"""Entry points: the `agent-toolbar` command, its connection options, `watch`, `set`
and `replay`.

May import every layer below it (session, backends, config, domain, support, system);
the window (`ui/`) only inside the subcommands that open it, so that `watch`, `set`
and `replay` never load Qt.
"""
