"""`python -m agent_toolbar` is the same as the `agent-toolbar` command."""

from agent_toolbar.cli import main

raise SystemExit(main())
