"""Files shipped with the app (examples, icons, sounds), read through importlib.resources."""
