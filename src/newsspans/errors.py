"""Exceptions for a user's mistake: the CLI prints them as one line, never a traceback."""


class NewsSpansError(Exception):
    """Bad input or a refused operation; ``str()`` is the message for the user."""
