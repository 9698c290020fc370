"""What the toolbar remembers between starts: profiles and preferences, their file,
secrets in the keychain, timed pauses and the record of a quit that left the agent
taking calls.

May import `domain/` (for the types it stores) and `support/`; nothing else of ours.
"""
