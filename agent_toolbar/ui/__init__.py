"""The window: Qt widgets that render the state and turn clicks into commands.

Only this package imports Qt. Widgets never change the state themselves: they show
what the presenter hands them, and ask the session for changes.
"""
