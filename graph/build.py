"""A whole build: article files in, merged graph out, exports written.

The CLI's ``build`` command is a thin layer over :func:`build`; a library user can call it
directly.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from extractors.documents import Document, find_documents, read_document
from extractors.errors import InputError, NewsgraphError
from extractors.triple import Triple
from graph.cache import ExtractionCache
from graph.distributed import extract_texts
from graph.entities import AliasTable
from graph.formats import write_exports
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


@dataclass
class BuildReport:
    """What a build did: documents built, files skipped (with why), files written."""

    built: list[str] = field(default_factory=list)
    skipped: list[InputError] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    triples: int = 0
    #: Nodes and edges of the merged graph.
    entities: int = 0
    facts: int = 0
    #: Documents whose triples came from the extraction cache.
    cached: int = 0
    #: Wall-clock seconds by stage: "extract" (parse, rules and coreference, or cache reads,
    #: with the merge they overlap), "merge", "export <format>", and "total".
    seconds: dict[str, float] = field(default_factory=dict)

    def summary(self) -> str:
        """One line: documents, entities, facts, time.

        >>> BuildReport(built=["a", "b"], entities=5, facts=3, seconds={"total": 1.25}).summary()
        'built 2 document(s): 5 entities, 3 facts in 1.2 s'
        """
        line = (f"built {len(self.built)} document(s): {self.entities} entities, {self.facts} "
                f"facts in {self.seconds.get('total', 0.0):.1f} s")
        if self.cached:
            line += f" ({self.cached} from the cache)"
        return line


def collect_documents(paths: Iterable[Path], report: BuildReport) -> list[Document]:
    """Read every article under ``paths``; unreadable files are reported and skipped."""
    documents: dict[str, Document] = {}
    for path in paths:
        try:
            files = find_documents(path)
        except InputError as error:
            report.skipped.append(error)
            continue
        root = path if path.is_dir() else path.parent
        for file in files:
            try:
                document = read_document(file, root)
            except InputError as error:
                report.skipped.append(error)
                continue
            documents.setdefault(document.doc_id, document)
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
    progress: bool = True,
    on_skip: Callable[[InputError], None] | None = None,
) -> BuildReport:
    """Build the graph of every article under ``paths`` and write the exports to ``out_dir``.

    Documents are merged in id order whatever order they are found in, so the same inputs
    always give byte-identical exports. ``aliases`` is an optional alias CSV
    (``graph.entities.AliasTable``) that forces entity merges, splits and external ids.
    Extraction runs in ``n_process`` local processes, or with ``scheduler`` (a Dask
    scheduler address) on that cluster's workers (``graph.distributed``). With ``cache``,
    each document's triples are kept in the output folder and reused while its text and the
    extractor are unchanged (``graph.cache``). ``progress`` shows a progress bar on stderr
    when stderr is a terminal.
    """
    started = time.perf_counter()
    formats = list(formats)
    unknown = [f for f in formats if f not in EXPORTS]
    if unknown:
        raise NewsgraphError(f"unknown export format(s) {', '.join(unknown)}; "
                         f"choose from {', '.join(EXPORTS)}")
    Vocabulary(base_iri)  # a bad base IRI fails before the long part
    report = BuildReport()
    documents = collect_documents((Path(p) for p in paths), report)
    if on_skip:
        for error in report.skipped:
            on_skip(error)
    out = Path(out_dir)
    kg = KnowledgeGraph(AliasTable.read(aliases) if aliases else None)
    store = ExtractionCache.in_folder(out) if cache and documents else None
    try:
        pairs = [(d.doc_id, d.text) for d in documents]
        stream = extracted(pairs, store, n_process=n_process, scheduler=scheduler)
        merge_stream(kg, _progress(stream, pairs, progress), documents, report)
        if store:
            report.cached = store.hits
            store.prune()
    finally:
        if store:
            store.close()
    if not report.built:
        # Writing an empty graph would replace a good previous build with nothing.
        raise NewsgraphError("no document could be built; the previous exports are untouched")
    report.entities, report.facts = kg.nx.number_of_nodes(), kg.nx.number_of_edges()
    targets = {name: out / EXPORTS[name] for name in formats}
    # The RDF formats share one model, so they are written (and timed) together.
    files = {name: path for name, path in targets.items() if name != "html"}
    if files:
        begun = time.perf_counter()
        write_exports(kg, files, base_iri=base_iri)
        report.seconds["export " + "+".join(files)] = time.perf_counter() - begun
    if "html" in targets:
        begun = time.perf_counter()
        kg.to_html(targets["html"], title=f"newsgraph: {len(report.built)} articles")
        report.seconds["export html"] = time.perf_counter() - begun
    report.written.extend(targets.values())
    report.seconds["total"] = time.perf_counter() - started
    return report


def extracted(
    pairs: list[tuple[str, str]], cache: ExtractionCache | None, *, n_process: int = 1,
    scheduler: str | None = None,
) -> Iterator[tuple[str, list[Triple]]]:
    """The triples of ``(doc_id, text)`` pairs in input order: from ``cache`` where it has
    them, else extracted (``graph.distributed.extract_texts``) and stored in ``cache``."""
    if cache is None:
        yield from extract_texts(pairs, n_process=n_process, scheduler=scheduler)
        return
    found = {doc_id: cache.get(doc_id, text) for doc_id, text in pairs}
    missing = [(doc_id, text) for doc_id, text in pairs if found[doc_id] is None]
    fresh = extract_texts(missing, n_process=n_process, scheduler=scheduler)
    texts = dict(missing)
    for doc_id, _ in pairs:
        triples = found[doc_id]
        if triples is None:
            made, triples = next(fresh)
            assert made == doc_id, "extraction must keep input order"
            cache.put(doc_id, texts[doc_id], triples)
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
        document = meta[doc_id]
        kg.add_triples(triples, doc_id=doc_id, title=document.title, source=document.source)
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


def _progress(stream: Iterable[tuple[str, list[Triple]]], pairs: list[tuple[str, str]],
              show: bool) -> Iterator[tuple[str, list[Triple]]]:
    """``stream``, with a progress bar on stderr (documents, words/s, ETA) when ``show`` and
    stderr is a terminal."""
    if not show or len(pairs) < 2 or not sys.stderr.isatty():
        yield from stream
        return
    words = {doc_id: len(text.split()) for doc_id, text in pairs}
    width, height = _terminal_size()
    bar = tqdm(total=len(pairs), unit="doc", file=sys.stderr, desc="building",
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
