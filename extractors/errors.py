"""Every error newsgraph raises on purpose, in one place.

Each message names the file, document or value at fault, so that the CLI can print it as one
line without a traceback.
"""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base class: an error that newsgraph reports to its user as one clear line."""


class InputError(NewsgraphError):
    """An input file or text that cannot be read as an article.

    ``kind`` is a short name for the reason ("empty", "binary", "invalid JSON") under which a
    build's summary counts the inputs it skipped.

    >>> error = InputError("a.txt", "is empty", kind="empty")
    >>> str(error), error.kind
    ('a.txt: is empty', 'empty')
    """

    def __init__(self, source: str, reason: str, *, kind: str = "unreadable") -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
        self.kind = kind


class ModelError(NewsgraphError):
    """The spaCy model named in the settings cannot be loaded."""


class OutputError(NewsgraphError):
    """The output folder cannot be used: not writable, or another build is writing to it."""
