"""Python's cycle collector during the allocation bursts of a build.

A build makes millions of small objects that are never part of a reference cycle: triples
read from the cache, the graph's node and edge attributes, the RDF model of an export.
CPython's cycle collector is started by the count of objects made, and each of its full
passes walks every object alive, so while the graph grows it walks the graph again and
again: a quarter of a cached rebuild went to it. Reference counting frees all of these
objects anyway; the collector is only needed for cycles, which spaCy's parses make.

>>> import gc
>>> with paused():
...     gc.isenabled()
False
>>> with infrequent():
...     gc.get_threshold()[0]
100000
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(keep: bool = False) -> Iterator[None]:
    """No cycle collection inside: for work that makes only acyclic objects and drops most
    of them before it ends (an export's model), so the collector never sees them.

    With ``keep``, for work that makes a structure that lives on (a snapshot's graph,
    loaded), every object alive on the way out is moved to the oldest generation unwalked
    (``gc.freeze`` then ``gc.unfreeze``): else the first young collection after would walk
    all that the work made at once, a fifth of loading a snapshot. Only full collections,
    rare, walk them then, as they walk whatever has lived long.

    >>> with paused(keep=True):
    ...     kept = [[number] for number in range(10_000)]
    >>> any(value is kept for value in gc.get_objects(generation=2))  # the oldest
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


#: New objects between two collections while a build makes what it keeps.
FIRST_GENERATION = 100_000


def collect_infrequently() -> None:
    """Collection on, started every :data:`FIRST_GENERATION` new objects, for good: for a
    worker process forked while collection was paused here that parses (spaCy's parses make
    cycles), so that it collects as one forked inside :func:`infrequent` does.

    >>> before = gc.get_threshold()
    >>> collect_infrequently(); gc.isenabled(), gc.get_threshold()[0] >= FIRST_GENERATION
    (True, True)
    >>> gc.set_threshold(*before)
    """
    _start_every(FIRST_GENERATION)
    gc.enable()


def _start_every(first_generation: int) -> None:
    """Young collections started every ``first_generation`` new objects, or less often if
    they already were."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(first_generation, thresholds[0]), *thresholds[1:])


@contextmanager
def infrequent(first_generation: int = FIRST_GENERATION) -> Iterator[None]:
    """Collections started every ``first_generation`` new objects instead of every 700: for
    work that keeps what it makes (merging into the graph) and may meet cycles (parsing)."""
    thresholds = gc.get_threshold()
    _start_every(first_generation)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
