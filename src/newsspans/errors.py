"""Exceptions for a user's mistake: the CLI prints them as one line, never a traceback."""


class NewsSpansError(Exception):
    """Bad input or a refused operation; ``str()`` is the message for the user."""


class BadInput(NewsSpansError):
    """The user named something that is not a corpus, a release or a revision, or an unusable
    output folder (exit status 2)."""


class BuildError(NewsSpansError):
    """A build that cannot start or finish for a reason other than an invalid corpus."""
