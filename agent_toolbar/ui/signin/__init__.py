"""The sign-in dialog, and the connection check it and the window offer."""
