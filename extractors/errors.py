"""Every error newsgraph raises on purpose, in one place.

Each message names the file, document or value at fault, so that the CLI can print it as one
line without a traceback.
"""

from __future__ import annotations


class NewsgraphError(Exception):
    """Base class: an error that newsgraph reports to its user as one clear line."""


class InputError(NewsgraphError):
    """An input file or text that cannot be read as an article."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ModelError(NewsgraphError):
    """The spaCy model named in the settings cannot be loaded."""
