"""A whole build: article files in, merged graph out, exports written.

The CLI's ``build`` command is a thin layer over :func:`build`; a library user can call it
directly. A build never stops at a bad input: each one is skipped with an ``InputError``
naming it and the reason, and the report counts them. It never loses the previous exports
either: nothing is written when no document could be built, every export is written
atomically, and a lock keeps two builds from writing into one folder at once
(``graph.files``). Extraction runs here, in local worker processes or on a Dask cluster
(``graph.distributed``), and each document's triples are cached in the output folder
(``graph.cache``) so that a rebuild extracts only what changed.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from tqdm import tqdm

from extractors.cleaning import clean
from extractors.documents import Document, find_documents, read_file
from extractors.errors import InputError, NewsgraphError
from extractors.triple import Triple, in_document
from graph.cache import ExtractionCache, MergedDocument, TurtleBlocks
from graph.collector import infrequent, paused
from graph.distributed import extract_documents
from graph.entities import AliasTable
from graph.files import Pieces, output_lock, remove_stale_temporaries, write_texts_atomic
from graph.formats import export_texts
from graph.knowledge_graph import KnowledgeGraph
from graph.vocabulary import Vocabulary

#: Export formats a build can write, with their file names in the output folder: RDF (Turtle,
#: N-Triples, TriG, JSON-LD), GraphML for Gephi/Cytoscape, CSV of edges, interactive HTML.
EXPORTS: dict[str, str] = {
    "ttl": "graph.ttl",
    "nt": "graph.nt",
    "trig": "graph.trig",
    "jsonld": "graph.jsonld",
    "graphml": "graph.graphml",
    "csv": "edges.csv",
    "html": "graph.html",
}
#: What ``newsgraph build`` writes unless told otherwise.
DEFAULT_FORMATS = ("ttl", "html")
#: A snapshot of the merged graph is made again when the documents merged after it would be
#: more than this share of the build's (a snapshot costs about as much as merging the corpus
#: from the cache, and merging a few documents after it next to nothing).
SNAPSHOT_TAIL = 0.05
#: Encodings that need no mention: the ones every tool expects.
_PLAIN_ENCODINGS = {"utf-8", "utf-8-sig"}


@dataclass
class BuildReport:
    """What a build did: documents built, inputs skipped (with why), files written, time."""

    built: list[str] = field(default_factory=list)
    skipped: list[InputError] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    triples: int = 0
    #: Nodes and edges of the merged graph.
    entities: int = 0
    facts: int = 0
    #: Documents whose triples came from the extraction cache.
    cached: int = 0
    #: Documents with the text of an earlier one, whose triples were not extracted again
    #: but taken from it (``extracted``).
    same_text: int = 0
    #: Documents whose merge came from the cache's snapshot of the merged graph, and
    #: documents whose Turtle was copied from the cache (``graph.cache``).
    from_snapshot: int = 0
    turtle_copied: int = 0
    #: Document source -> encoding, for every document that was not UTF-8.
    encodings: dict[str, str] = field(default_factory=dict)
    #: Lines and line tails of web boilerplate blanked before parsing.
    noise: int = 0
    #: Wall-clock seconds by stage: "read", "clean", "snapshot" (the cached merge read and
    #: written, when there is a cache), "extract" (parse, rules and coreference, or cache
    #: reads), "merge", "export <formats>", "write", and "total".
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """One line: documents built and skipped (counted by reason), the graph, encodings,
        files written.

        >>> report = BuildReport(built=["a"], triples=4, entities=3, facts=2,
        ...                      skipped=[InputError("b.txt", "is empty", kind="empty")],
        ...                      seconds={"total": 1.25})
        >>> report.summary()
        'built 1 document(s), 4 triples: 3 entities, 2 facts in 1.2 s; skipped 1 (empty: 1)'
        >>> BuildReport(built=["a", "b", "c"], cached=1, same_text=2).summary().split(" s ")[1]
        '(1 from the cache, 2 repeating an earlier text)'
        """
        line = (f"built {len(self.built)} document(s), {self.triples} triples: "
                f"{self.entities} entities, {self.facts} facts in "
                f"{self.seconds.get('total', 0.0):.1f} s")
        reused = []
        if self.cached:
            reused.append(f"{self.cached} from the cache")
        if self.same_text:
            reused.append(f"{self.same_text} repeating an earlier text")
        if reused:
            line += f" ({', '.join(reused)})"
        parts = [line]
        if self.noise:
            parts.append(f"{self.noise} boilerplate line(s) blanked")
        if self.skipped:
            reasons = Counter(error.kind for error in self.skipped)
            parts.append(f"skipped {len(self.skipped)} ("
                         + ", ".join(f"{kind}: {n}" for kind, n in sorted(reasons.items())) + ")")
        if self.encodings:
            codecs = Counter(self.encodings.values())
            parts.append(f"{len(self.encodings)} not UTF-8 ("
                         + ", ".join(f"{codec}: {n}" for codec, n in sorted(codecs.items())) + ")")
        summary = "; ".join(parts)
        if self.written:
            summary += "; wrote " + ", ".join(str(path) for path in self.written)
        return summary


def collect_documents(
    paths: Iterable[Path], report: BuildReport,
    on_skip: Callable[[InputError], None] | None = None, *, exclude: Path | None = None,
) -> list[Document]:
    """Read every article under ``paths``, in document-id order; bad inputs are skipped.

    Each skipped input is added to ``report.skipped`` and passed to ``on_skip`` as soon as it
    is found. Two inputs with the same document id keep the first path given. Files under
    ``exclude`` (the output folder, whose ``graph.html`` would read as an article) are passed
    over.
    """
    excluded = exclude.resolve() if exclude else None

    def skip(error: InputError) -> None:
        report.skipped.append(error)
        if on_skip:
            on_skip(error)

    documents: dict[str, Document] = {}
    shown: dict[str, str] = {}  # document id -> where it was read, as the user named it
    for path in paths:
        try:
            files = find_documents(path)
        except InputError as error:
            skip(error)
            continue
        root = path if path.is_dir() else path.parent
        for file in files:
            if excluded and file.resolve().is_relative_to(excluded):
                continue
            try:
                found = read_file(file, root, on_error=skip)
            except InputError as error:
                skip(error)
                continue
            for document in found:
                where = str(root / document.source) if document.source else str(file)
                if document.doc_id in documents:
                    skip(InputError(where, f"has the document id {document.doc_id!r} of "
                                           f"{shown[document.doc_id]}, which is kept",
                                    kind="duplicate id"))
                    continue
                documents[document.doc_id] = document
                shown[document.doc_id] = where
    return [documents[doc_id] for doc_id in sorted(documents)]


def build(
    paths: Iterable[str | Path],
    out_dir: str | Path,
    *,
    formats: Iterable[str] = DEFAULT_FORMATS,
    base_iri: str | None = None,
    aliases: str | Path | None = None,
    n_process: int = 1,
    scheduler: str | None = None,
    cache: bool = True,
    max_nodes: int = 500,
    progress: bool = True,
    wait: bool = True,
    on_skip: Callable[[InputError], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the graph of every article under ``paths`` and write the exports to ``out_dir``.

    Documents are merged in id order whatever order they are found in, so the same inputs
    always give byte-identical exports. ``aliases`` is an optional alias CSV
    (``graph.entities.AliasTable``) that forces entity merges, splits and external ids.
    Extraction runs in ``n_process`` local processes, or with ``scheduler`` (a Dask
    scheduler address) on that cluster's workers (``graph.distributed``); the Turtle export
    in ``n_process`` local processes either way (``graph.rdf.turtle_by_document``). With
    ``cache``,
    each document's triples are kept in the output folder and reused while its text and the
    extractor are unchanged (``graph.cache``). The HTML view shows the ``max_nodes`` most
    mentioned entities. ``progress`` shows a progress bar on stderr when stderr is a terminal.
    ``on_skip`` hears of every skipped input as it is found, ``on_note`` of everything else
    worth saying (encodings assumed, waiting for another build). With ``wait=False`` a build
    refuses to start while another writes to ``out_dir``. Raises ``NewsgraphError`` when no
    document could be built; the previous exports are then untouched.
    """
    started = time.perf_counter()
    formats = list(formats)
    unknown = [f for f in formats if f not in EXPORTS]
    if unknown:
        raise NewsgraphError(f"unknown export format(s) {', '.join(unknown)}; "
                             f"choose from {', '.join(EXPORTS)}")
    if max_nodes < 1:
        raise NewsgraphError(f"max_nodes must be at least 1, got {max_nodes}")
    Vocabulary(base_iri)  # a bad base IRI fails before the long part
    note = on_note or (lambda message: None)
    report = BuildReport()
    table = AliasTable.read(aliases) if aliases else None
    out = Path(out_dir)
    documents = collect_documents((Path(p) for p in paths), report, on_skip, exclude=out)
    report.seconds["read"] = time.perf_counter() - started
    if not documents:
        raise NewsgraphError("no document could be read; the previous exports are untouched")
    for document in documents:
        if document.encoding not in _PLAIN_ENCODINGS:
            report.encodings[document.source or document.doc_id] = document.encoding
            note(f"{document.source}: not UTF-8; decoded as {document.encoding}")
    with output_lock(out, wait=wait, on_wait=note):
        for stale in remove_stale_temporaries(out, [EXPORTS[name] for name in EXPORTS]):
            note(f"removed {stale}, left by a build that was killed")
        store = ExtractionCache.in_folder(out) if cache else None
        blocks: TurtleBlocks | None = None
        try:
            # The graph grows (graph.collector). Where extraction runs in local worker
            # processes, nothing made here while they do is part of a cycle (spaCy's parses
            # are), and the young collections alone took a seventh of merging what the
            # workers send. A Dask client's event loop, which runs here, does make cycles.
            in_workers = n_process > 1 and scheduler is None
            with paused(keep=True) if in_workers else infrequent():
                kg = merge_documents(documents, report, aliases=table, n_process=n_process,
                                     scheduler=scheduler, cache=store, progress=progress,
                                     on_skip=on_skip)
            if not report.built:
                # Writing an empty graph would replace a good previous build with nothing.
                raise NewsgraphError("no document could be built; the previous exports are "
                                     "untouched")
            if store and "ttl" in formats:
                blocks = store.turtle_blocks(Vocabulary(base_iri).base_iri, out / EXPORTS["ttl"])
            _export(kg, out, formats, report, base_iri=base_iri, blocks=blocks,
                    max_nodes=max_nodes, n_process=n_process)
            if blocks:
                blocks.saved(out / EXPORTS["ttl"])
                report.turtle_copied = blocks.copied
            if store:
                store.prune()
        finally:
            if blocks:
                blocks.close()
            if store:
                store.close()
    report.seconds["total"] = time.perf_counter() - started
    return report


def _export(kg: KnowledgeGraph, out: Path, formats: list[str], report: BuildReport, *,
            base_iri: str | None, blocks: TurtleBlocks | None, max_nodes: int,
            n_process: int) -> None:
    """Render every export of ``formats`` and write them into ``out`` (``report`` told); the
    Turtle in ``n_process`` local processes (``graph.rdf.turtle_by_document``)."""
    # len(edges) counts each edge once; number_of_edges() sums every node's degrees
    report.entities, report.facts = kg.nx.number_of_nodes(), len(kg.nx.edges)
    targets = {name: out / EXPORTS[name] for name in formats}
    # The RDF formats share one model, so they are rendered (and timed) together.
    files = {name: path for name, path in targets.items() if name != "html"}
    texts: dict[Path, str | Pieces] = {}
    rendered = "export " + "+".join(files)
    if files:
        begun = time.perf_counter()
        texts = export_texts(kg, files, base_iri=base_iri, blocks=blocks, n_process=n_process)
        report.seconds[rendered] = time.perf_counter() - begun
    if "html" in targets:
        texts[targets["html"]] = _html(kg, report, max_nodes)
    # Each export is made as it is written into its temporary file (the Turtle's pieces one
    # by one, never the whole export in memory; the HTML view after them, so that the Turtle
    # writers are forked before it swells this process), and every export is written before
    # the first replaces its previous one, so that a failure or a kill while rendering
    # leaves the previous set whole. The time spent making them is their export's.
    making: Counter[str] = Counter()
    begun = time.perf_counter()
    write_texts_atomic({
        path: text if isinstance(text, str) else
        _timed(text, making, "export html" if path == targets.get("html") else rendered)
        for path, text in texts.items()})
    report.seconds["write"] = time.perf_counter() - begun - sum(making.values())
    for stage, seconds in making.items():
        report.seconds[stage] = report.seconds.get(stage, 0.0) + seconds
    report.written.extend(targets.values())


#: What a stream of pieces gives, and the end of one (:func:`_timed`).
T = TypeVar("T")
_END = object()


def _html(kg: KnowledgeGraph, report: BuildReport, max_nodes: int) -> Iterator[str]:
    """The HTML view, made when it is taken."""
    with paused():
        yield kg.to_html(title=f"newsgraph: {len(report.built)} articles", max_nodes=max_nodes)


def _timed(pieces: Iterable[T], seconds: Counter[str], stage: str) -> Iterator[T]:
    """``pieces``, the time taken to make each added to ``seconds[stage]``."""
    pieces = iter(pieces)
    clock = time.perf_counter
    while True:
        begun = clock()
        piece = next(pieces, _END)
        seconds[stage] += clock() - begun
        if piece is _END:
            return
        yield piece


def merge_documents(
    documents: list[Document], report: BuildReport, *, aliases: AliasTable | None = None,
    n_process: int = 1, scheduler: str | None = None, cache: ExtractionCache | None = None,
    progress: bool = False, on_skip: Callable[[InputError], None] | None = None,
) -> KnowledgeGraph:
    """Blank the boilerplate of every document, extract its triples and merge them, in order.

    A document that is nothing but boilerplate is skipped (added to ``report.skipped``).
    With ``cache`` (``graph.cache``), what cleaning gave and the triples come from it where
    it has them, and new ones go into it; when its snapshot of a merged graph holds the
    first documents, exactly as merged now, the merge starts from that snapshot, and the
    snapshot is made again when the documents merged after it would be more than
    :data:`SNAPSHOT_TAIL` of the whole.
    """
    begun = time.perf_counter()
    kept = _cleaned(documents, report, cache, on_skip)
    report.seconds["clean"] = time.perf_counter() - begun
    if cache is None or not kept:
        kg = KnowledgeGraph(aliases)
        pairs = [(document.doc_id, text) for document, text, _ in kept]
        stream = extracted(pairs, None, report, n_process=n_process, scheduler=scheduler)
        merge_stream(kg, _progress(stream, pairs, progress), documents, report)
        return kg
    begun = time.perf_counter()
    merged: list[MergedDocument] = [(document.doc_id, key, tuple(document.metadata().items()))
                                    for document, _, key in kept]
    context = cache.merge_context(aliases)
    with paused(keep=True):  # a million small objects that live on: see graph.collector
        found = cache.snapshot(context, merged)
    start, kg = found or (0, KnowledgeGraph(aliases))
    for doc_id, key, _ in merged[:start]:
        cache.keep(doc_id, key)
        report.built.append(doc_id)
    report.triples += len(kg.merged)
    report.from_snapshot = start
    report.seconds["snapshot"] = time.perf_counter() - begun
    # Texts the cleaning cache vouched for are cleaned only now, if they are to be merged.
    pairs = [(document.doc_id, clean(document.text).text if text is None else text)
             for document, text, _ in kept[start:]]
    stream = extracted(pairs, cache, report, n_process=n_process, scheduler=scheduler)
    merge_stream(kg, _progress(stream, pairs, progress), documents, report)
    report.cached = start + cache.hits
    if not start or len(pairs) > SNAPSHOT_TAIL * len(kept):
        begun = time.perf_counter()
        # Pickling the graph makes only acyclic tables and tuples, and in numbers that set
        # off collections walking the whole graph (0.6 s of 3.6 s for the BBC corpus).
        with paused():
            cache.save_snapshot(context, merged, kg)
        report.seconds["snapshot"] += time.perf_counter() - begun
    return kg


def _cleaned(documents: list[Document], report: BuildReport, cache: ExtractionCache | None,
             on_skip: Callable[[InputError], None] | None,
             ) -> list[tuple[Document, str | None, str | None]]:
    """``(document, clean text, extraction key)`` for every document that is not all
    boilerplate; with ``cache``, a text cleaned by an earlier build is not cleaned again
    (its clean text is then ``None``), and the key is never ``None``."""
    kept = []
    for document in documents:
        known = cache.cleaning(document.doc_id, document.text) if cache else None
        text = None
        if known is None:
            result = clean(document.text)
            text = result.text if result.text.strip() else None
            key = cache.key(document.doc_id, text) if cache and text is not None else None
            noise = len(result.noise)
            if cache:
                cache.put_cleaning(document.doc_id, document.text, key, noise)
        else:
            key, noise = known
        if text is None and key is None:
            error = InputError(document.source or document.doc_id,
                               f"is only web boilerplate ({noise} line(s) of links, prompts "
                               "or credits); no article text", kind="boilerplate only")
            report.skipped.append(error)
            if on_skip:
                on_skip(error)
            continue
        report.noise += noise
        kept.append((document, text, key))
    return kept


def extracted(
    pairs: list[tuple[str, str]], cache: ExtractionCache | None, report: BuildReport, *,
    n_process: int = 1, scheduler: str | None = None,
) -> Iterator[tuple[str, list[Triple]]]:
    """The triples of ``(doc_id, text)`` pairs in input order: from ``cache`` where it has
    them, else extracted (``graph.distributed.extract_documents``) and stored in ``cache``.

    A text is extracted once however many documents have it (an article saved twice, a wire
    story in two feeds): the other documents with it get the triples of one that the cache
    has, else of the first, with their own id in the provenance
    (``extractors.triple.in_document``), which is what extracting them would give.
    ``report.same_text`` counts them. (Documents merged from the cache's snapshot are not
    among ``pairs``: a new document repeating one of them is extracted.)
    """
    found = {doc_id: cache.get(doc_id, text) if cache else None for doc_id, text in pairs}
    # text -> the document whose triples serve it: one the cache has, else the first
    source_of = {text: doc_id for doc_id, text in reversed(pairs) if found[doc_id] is not None}
    for doc_id, text in pairs:
        source_of.setdefault(text, doc_id)
    copy_of = {doc_id: source_of[text] for doc_id, text in pairs
               if found[doc_id] is None and source_of[text] != doc_id}
    report.same_text += len(copy_of)
    missing = [(doc_id, text) for doc_id, text in pairs
               if found[doc_id] is None and doc_id not in copy_of]
    fresh = extract_documents(missing, n_process=n_process, scheduler=scheduler)
    copies_left = Counter(copy_of.values())
    # the triples of documents that copies still need
    held = {doc_id: found[doc_id] for doc_id in copies_left if found[doc_id] is not None}
    for doc_id, text in pairs:
        triples, encoded = found[doc_id], None
        if doc_id in copy_of:
            source = copy_of[doc_id]
            triples = in_document(held[source], doc_id)
            copies_left[source] -= 1
            if not copies_left[source]:
                del held[source]
        elif triples is None:
            made, triples, encoded = next(fresh)
            assert made == doc_id, "extraction must keep input order"
            if copies_left[doc_id]:
                held[doc_id] = triples
        if cache and found[doc_id] is None:
            cache.put(doc_id, text, triples, encoded)
        yield doc_id, triples


def merge_stream(kg: KnowledgeGraph, stream: Iterable[tuple[str, list[Triple]]],
                 documents: list[Document], report: BuildReport) -> None:
    """Merge each document's triples into ``kg`` as they arrive, timing extraction and merge
    apart (``report.seconds``)."""
    meta = {d.doc_id: d for d in documents}
    merging = 0.0
    begun = time.perf_counter()
    for doc_id, triples in stream:
        merge_start = time.perf_counter()
        kg.add_triples(triples, doc_id=doc_id, **meta[doc_id].metadata())
        report.built.append(doc_id)
        report.triples += len(triples)
        merging += time.perf_counter() - merge_start
    report.seconds["extract"] = time.perf_counter() - begun - merging
    report.seconds["merge"] = merging


def _terminal_size() -> tuple[int, int]:
    """Columns and lines of the terminal on stderr; 80 x 24 where it does not say (a bare
    pseudo-terminal reports 0 x 0, and tqdm hides a bar outside 0 lines)."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except OSError:
        return 80, 24
    return size.columns or 80, size.lines or 24


class _Bar(tqdm):
    """A tqdm bar without tqdm's monitor thread, which outlives the last bar: no thread may
    be alive when the Turtle export forks its writers (``graph.rdf._written_pieces``). The
    monitor only ever set ``miniters`` to 1 for a bar that stalled; it starts at 1 here."""

    monitor_interval = 0


def _progress(stream: Iterable[tuple[str, list[Triple]]], pairs: list[tuple[str, str]],
              show: bool) -> Iterator[tuple[str, list[Triple]]]:
    """``stream``, with a progress bar on stderr (documents, words/s, ETA) when ``show`` and
    stderr is a terminal."""
    if not show or len(pairs) < 2 or not sys.stderr.isatty():
        yield from stream
        return
    words = {doc_id: len(text.split()) for doc_id, text in pairs}
    width, height = _terminal_size()
    bar = _Bar(total=len(pairs), miniters=1, unit="doc", file=sys.stderr, desc="building",
               ncols=width, nrows=height,
               bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} documents "
                          "[{elapsed}<{remaining}{postfix}]")
    done = 0
    begun = time.perf_counter()
    with bar:
        for doc_id, triples in stream:
            done += words[doc_id]
            bar.set_postfix_str(f"{done / max(time.perf_counter() - begun, 1e-9):,.0f} words/s",
                                refresh=False)
            bar.update()
            yield doc_id, triples
