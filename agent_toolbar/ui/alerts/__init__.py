"""What the agent hears and sees outside the window: sounds and desktop notifications,
for the alerts `domain/alerts.py` decides."""
