"""The asyncio core: one connection to one server (`core.Session`), the server's clock,
and signing in.

May import `domain/`, `backends/`, `config/`, `support/` and `system/`; never `ui/`,
`cli/` or Qt.
"""
