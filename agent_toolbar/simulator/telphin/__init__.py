"""The simulator's Telphin surface: the API, OAuth tokens, event subscriptions and the
callbacks it sends, phones and the wire shapes it answers with."""
