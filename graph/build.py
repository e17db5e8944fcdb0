"""A whole build: article files in, merged graph out, exports written.

The CLI's ``build`` command is a thin layer over :func:`build`; a library user can call it
directly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from extractors import extract_stream
from extractors.documents import Document, find_documents, read_document
from extractors.errors import InputError, NewsgraphError
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
    progress: bool = True,
    on_skip: Callable[[InputError], None] | None = None,
) -> BuildReport:
    """Build the graph of every article under ``paths`` and write the exports to ``out_dir``.

    Documents are merged in id order whatever order they are found in, so the same inputs
    always give byte-identical exports. ``aliases`` is an optional alias CSV
    (``graph.entities.AliasTable``) that forces entity merges, splits and external ids.
    """
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
    kg = KnowledgeGraph(AliasTable.read(aliases) if aliases else None)
    meta = {d.doc_id: d for d in documents}
    stream = extract_stream(((d.doc_id, d.text) for d in documents), n_process=n_process)
    bar = tqdm(stream, total=len(documents), unit="doc", file=sys.stderr,
               disable=not progress or len(documents) < 2, desc="building")
    for doc_id, triples in bar:
        document = meta[doc_id]
        kg.add_triples(triples, doc_id=doc_id, title=document.title, source=document.source)
        report.built.append(doc_id)
        report.triples += len(triples)
    if not report.built:
        # Writing an empty graph would replace a good previous build with nothing.
        raise NewsgraphError("no document could be built; the previous exports are untouched")
    out = Path(out_dir)
    targets = {name: out / EXPORTS[name] for name in formats}
    write_exports(kg, {name: path for name, path in targets.items() if name != "html"},
                  base_iri=base_iri)
    if "html" in targets:
        kg.to_html(targets["html"], title=f"newsgraph: {len(report.built)} articles")
    report.written.extend(targets.values())
    return report
