"""Telphin (Ringme): OAuth 2 and REST for status and setup; the provider's callbacks for events."""
