"""Where extraction runs: in this process, in local worker processes, or on a Dask cluster.

Extraction is the costly part of a build and each document's is independent of the others,
so it is the part that scales out. Documents go to the workers in *partitions* (a few dozen
documents, one ``nlp.pipe`` batch or so); each worker parses them and runs the rules and
coreference itself, and only the triples come back, which are far smaller than parsed
``Doc`` objects. Results are yielded in input order whatever order the workers finish in, so
the merge that follows (always here, on one machine) sees exactly what a one-process build
sees and the exports are byte-identical.

Local workers and Dask workers are driven by the same code: both are executors with a
``submit`` that returns futures.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from itertools import islice
from typing import Any

from extractors import extract_stream
from extractors.errors import NewsgraphError
from extractors.triple import Triple
from graph.cache import decode_triples, encode_triples, extractor_fingerprint
from graph.collector import collect_infrequently

#: Documents sent to a worker at a time.
PARTITION_DOCUMENTS = 16
#: Partitions queued per worker: enough to keep it busy while the results of the previous
#: one travel back, few enough that the texts in flight stay a small part of memory.
_QUEUED_PER_WORKER = 3


def extract_partition(pairs: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
    """Extract one partition of ``(doc_id, text)`` pairs on the worker this runs on; each
    document's triples come back encoded as the cache stores them
    (``graph.cache.encode_triples``), which is quicker to unpickle than pickle's own way
    with dataclasses, on the process that merges while the workers wait.

    >>> [(doc_id, len(decode_triples(triples))) for doc_id, triples in
    ...  extract_partition([("a", "Regulators fined Ant Group."), ("b", "It rained.")])]
    [('a', 1), ('b', 0)]
    """
    return [(doc_id, encode_triples(triples)) for doc_id, triples in extract_stream(pairs)]


def extract_texts(
    pairs: Iterable[tuple[str, str]], *, n_process: int = 1, scheduler: str | None = None,
    partition_documents: int = PARTITION_DOCUMENTS,
) -> Iterator[tuple[str, list[Triple]]]:
    """Extract ``(doc_id, text)`` pairs, yielding ``(doc_id, triples)`` in input order.

    With ``scheduler`` (a Dask distributed scheduler address, ``tcp://host:8786``) the
    partitions run on that cluster's workers; else with ``n_process`` > 1 on that many local
    worker processes; else here.

    >>> [doc_id for doc_id, _ in extract_texts([("b", "It rained."), ("a", "It snowed.")])]
    ['b', 'a']
    """
    for doc_id, triples, _ in extract_documents(pairs, n_process=n_process, scheduler=scheduler,
                                                partition_documents=partition_documents):
        yield doc_id, triples


def extract_documents(
    pairs: Iterable[tuple[str, str]], *, n_process: int = 1, scheduler: str | None = None,
    partition_documents: int = PARTITION_DOCUMENTS,
) -> Iterator[tuple[str, list[Triple], bytes | None]]:
    """:func:`extract_texts`, each document's triples with their encoding
    (``graph.cache.encode_triples``) when they were encoded to come back from a worker, else
    ``None``: the cache stores that encoding as it is, not made again on the process that
    merges while the workers wait.

    >>> [(doc_id, encoded) for doc_id, _, encoded in extract_documents([("a", "It rained.")])]
    [('a', None)]
    """
    if scheduler is None and n_process <= 1:
        for doc_id, triples in extract_stream(pairs):
            yield doc_id, triples, None
        return
    with _executor(n_process, scheduler) as (executor, workers):
        yield from _in_order(executor, _partitions(pairs, partition_documents, max(1, workers)),
                             max(1, workers) * _QUEUED_PER_WORKER)


def _partitions(pairs: Iterable[tuple[str, str]], size: int,
                workers: int) -> Iterator[list[tuple[str, str]]]:
    """``pairs`` cut into partitions of ``size``, but near the end: ``2 * size * workers``
    documents are read ahead, and each partition is at most a ``2 * workers``-th of those,
    so the last ones shrink to one document. Workers take partitions in turn as they finish
    one, so when the last is done the others have sat idle for up to a partition's time:
    with equal partitions that was most of one (16 documents, 1.5 s on the BBC corpus).

    >>> [len(p) for p in _partitions([("d", "")] * 50, 8, 2)]
    [8, 8, 8, 7, 5, 4, 3, 2, 2, 1, 1, 1]
    """
    remaining = iter(pairs)
    ahead = list(islice(remaining, 2 * size * workers))
    while ahead:
        share = min(size, -(-len(ahead) // (2 * workers)))  # size until the end is in sight
        yield ahead[:share]
        ahead = ahead[share:]
        ahead += islice(remaining, share)


def _in_order(executor: Any, partitions: Iterable[list[tuple[str, str]]],
              queued: int) -> Iterator[tuple[str, list[Triple], bytes]]:
    """Submit partitions, at most ``queued`` at a time, and yield their results in order."""
    pending: deque = deque()
    remaining = iter(partitions)
    while True:
        while len(pending) < queued and (partition := next(remaining, None)):
            pending.append(executor.submit(extract_partition, partition))
        if not pending:
            return
        for doc_id, encoded in pending.popleft().result():
            yield doc_id, decode_triples(encoded), encoded


@contextmanager
def _executor(n_process: int, scheduler: str | None) -> Iterator[tuple[Any, int]]:
    """The executor to run partitions on and how many workers it has."""
    if scheduler is None:
        # Forked workers start with the model the parent already loaded, and collect cycles
        # whether or not the parent does while it merges (``graph.build``).
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(n_process, mp_context=context,
                                 initializer=collect_infrequently) as pool:
            yield pool, n_process
        return
    with _dask_client(scheduler) as client:
        workers = len(client.scheduler_info().get("workers", {}))
        if not workers:
            raise NewsgraphError(f"the Dask scheduler at {scheduler} has no workers; start "
                                 f"some with: dask worker {scheduler}")
        _check_workers(client)
        yield _DaskExecutor(client), workers


def _dask_client(scheduler: str) -> AbstractContextManager:
    try:
        from distributed import Client
    except ImportError as exc:
        raise NewsgraphError("--scheduler needs Dask distributed: "
                             "pip install 'newsgraph[distributed]'") from exc
    try:
        return Client(scheduler, timeout="20s")
    except OSError as exc:
        raise NewsgraphError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc


def _check_workers(client: Any) -> None:
    """Refuse a cluster whose workers would extract differently from this machine.

    Workers run the newsgraph, spaCy and model installed on them. Triples made by another
    version would differ from a local build's, and the extraction cache, keyed by this
    machine's :func:`graph.cache.extractor_fingerprint`, would keep them as if made here. So
    every worker's fingerprint must equal this machine's before any document is sent.
    """
    local = extractor_fingerprint()
    try:
        remote = client.run(extractor_fingerprint)
    except Exception as exc:  # whatever failed on the worker is re-raised here
        raise NewsgraphError(f"a Dask worker cannot load newsgraph's extractor: "
                             f"{type(exc).__name__}: {exc}") from exc
    different = sorted(address for address, found in remote.items() if found != local)
    if different:
        raise NewsgraphError(
            f"Dask worker(s) {', '.join(different)} would extract differently from this "
            "machine (another version of newsgraph, spaCy or the model, or another "
            "NEWSGRAPH_MODEL); install the same on every worker")


class _DaskExecutor:
    """A Dask client with the ``submit`` of a ``concurrent.futures`` executor."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def submit(self, function: Any, *args: Any) -> Any:
        # Not pure: two partitions with equal texts are still two tasks.
        return self.client.submit(function, *args, pure=False)
