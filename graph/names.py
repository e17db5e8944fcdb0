"""Entity name normalisation: the key under which mentions of one entity meet in the graph.

This is the surface-level step (case, whitespace, possessives, leading determiners); it never
joins two different names. Entity resolution across name variants builds on top of it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_LEADING_DETERMINERS = ("the", "a", "an", "this", "that", "these", "those")
_POSSESSIVE = re.compile(r"(?:['’]s|s['’])$")
_EDGE_PUNCTUATION = "\"'“”‘’`.,;:!?()[]{}-–— "
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def normalise_name(name: str) -> str:
    """Return the canonical key of an entity name (cached: a merge asks for the same names
    again and again).

    >>> normalise_name("  The  Alibaba Group's ")
    'alibaba group'
    >>> normalise_name("Beijing’s")
    'beijing'
    >>> normalise_name("these companies")
    'companies'
    """
    text = unicodedata.normalize("NFC", name)
    text = _WHITESPACE.sub(" ", text).strip(_EDGE_PUNCTUATION)
    text = _POSSESSIVE.sub(lambda m: "s" if m.group(0).startswith("s") else "", text)
    text = text.strip(_EDGE_PUNCTUATION).casefold()
    first, _, rest = text.partition(" ")
    if first in _LEADING_DETERMINERS and rest:
        text = rest
    return text


def display_name(name: str) -> str:
    """Return a name as it should be shown: trimmed, possessive and leading article removed.

    >>> display_name("the Alibaba Group's")
    'Alibaba Group'
    """
    text = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", name)).strip(_EDGE_PUNCTUATION)
    text = _POSSESSIVE.sub(lambda m: "s" if m.group(0).startswith("s") else "", text)
    text = text.strip(_EDGE_PUNCTUATION)
    first, _, rest = text.partition(" ")
    if first.casefold() in _LEADING_DETERMINERS and rest:
        text = rest
    return text
