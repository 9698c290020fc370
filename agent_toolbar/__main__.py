"""`python -m agent_toolbar` is the same as the `agent-toolbar` command."""

from agent_toolbar.cli.main import main

raise SystemExit(main())
