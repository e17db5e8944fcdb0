"""A whole build: article files in, merged graph out, exports written.

The CLI's ``build`` command is a thin layer over :func:`build`; a library user can call it
directly. A build never stops at a bad input: each one is skipped with an ``InputError``
naming it and the reason, and the report counts them. It never loses the previous exports
either: nothing is written when no document could be built, every export is written
atomically, and a lock keeps two builds from writing into one folder at once
(``graph.files``).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from extractors import extract_stream
from extractors.cleaning import clean
from extractors.documents import Document, find_documents, read_file
from extractors.errors import InputError, NewsgraphError
from graph.entities import AliasTable
from graph.files import output_lock, remove_stale_temporaries, write_texts_atomic
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
#: Encodings that need no mention: the ones every tool expects.
_PLAIN_ENCODINGS = {"utf-8", "utf-8-sig"}


@dataclass
class BuildReport:
    """What a build did: documents built, inputs skipped (with why), files written."""

    built: list[str] = field(default_factory=list)
    skipped: list[InputError] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    triples: int = 0
    #: Document source -> encoding, for every document that was not UTF-8.
    encodings: dict[str, str] = field(default_factory=dict)
    #: Lines and line tails of web boilerplate blanked before parsing.
    noise: int = 0

    def summary(self) -> str:
        """One line: documents built and skipped (counted by reason), encodings, files written.

        >>> report = BuildReport(built=["a"], triples=4,
        ...                      skipped=[InputError("b.txt", "is empty", kind="empty")])
        >>> report.summary()
        'built 1 document(s), 4 triples; skipped 1 (empty: 1)'
        """
        parts = [f"built {len(self.built)} document(s), {self.triples} triples"]
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
    progress: bool = True,
    wait: bool = True,
    on_skip: Callable[[InputError], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build the graph of every article under ``paths`` and write the exports to ``out_dir``.

    Documents are merged in id order whatever order they are found in, so the same inputs
    always give byte-identical exports. ``aliases`` is an optional alias CSV
    (``graph.entities.AliasTable``) that forces entity merges, splits and external ids.
    ``on_skip`` hears of every skipped input as it is found, ``on_note`` of everything else
    worth saying (encodings assumed, waiting for another build). With ``wait=False`` a build
    refuses to start while another writes to ``out_dir``. Raises ``NewsgraphError`` when no
    document could be built; the previous exports are then untouched.
    """
    formats = list(formats)
    unknown = [f for f in formats if f not in EXPORTS]
    if unknown:
        raise NewsgraphError(f"unknown export format(s) {', '.join(unknown)}; "
                             f"choose from {', '.join(EXPORTS)}")
    Vocabulary(base_iri)  # a bad base IRI fails before the long part
    note = on_note or (lambda message: None)
    report = BuildReport()
    table = AliasTable.read(aliases) if aliases else None
    out = Path(out_dir)
    documents = collect_documents((Path(p) for p in paths), report, on_skip, exclude=out)
    if not documents:
        raise NewsgraphError("no document could be read; the previous exports are untouched")
    for document in documents:
        if document.encoding not in _PLAIN_ENCODINGS:
            report.encodings[document.source or document.doc_id] = document.encoding
            note(f"{document.source}: not UTF-8; decoded as {document.encoding}")
    with output_lock(out, wait=wait, on_wait=note):
        for stale in remove_stale_temporaries(out, [EXPORTS[name] for name in EXPORTS]):
            note(f"removed {stale}, left by a build that was killed")
        kg = merge_documents(documents, report, aliases=table, n_process=n_process,
                             progress=progress, on_skip=on_skip)
        if not report.built:
            # Writing an empty graph would replace a good previous build with nothing.
            raise NewsgraphError("no document could be built; the previous exports are untouched")
        targets = {name: out / EXPORTS[name] for name in formats}
        texts = export_texts(kg, {name: path for name, path in targets.items() if name != "html"},
                             base_iri=base_iri)
        if "html" in targets:
            texts[targets["html"]] = kg.to_html(title=f"newsgraph: {len(report.built)} articles")
        # Every export is rendered before the first is replaced, so that a failure or a kill
        # while rendering leaves the previous set whole.
        write_texts_atomic(texts)
        report.written.extend(targets.values())
    return report


def merge_documents(
    documents: list[Document], report: BuildReport, *, aliases: AliasTable | None = None,
    n_process: int = 1, progress: bool = False,
    on_skip: Callable[[InputError], None] | None = None,
) -> KnowledgeGraph:
    """Blank the boilerplate of every document, extract its triples and merge them, in order.

    A document that is nothing but boilerplate is skipped (added to ``report.skipped``).
    """
    meta = {d.doc_id: d for d in documents}

    def cleaned() -> Iterator[tuple[str, str]]:
        for document in documents:
            result = clean(document.text)
            if not result.text.strip():
                error = InputError(document.source or document.doc_id,
                                   f"is only web boilerplate ({len(result.noise)} line(s) of "
                                   "links, prompts or credits); no article text",
                                   kind="boilerplate only")
                report.skipped.append(error)
                if on_skip:
                    on_skip(error)
                continue
            report.noise += len(result.noise)
            yield document.doc_id, result.text

    kg = KnowledgeGraph(aliases)
    stream = extract_stream(cleaned(), n_process=n_process)
    bar = tqdm(stream, total=len(documents), unit="doc", file=sys.stderr,
               disable=not progress or len(documents) < 2, desc="building")
    for doc_id, triples in bar:
        kg.add_triples(triples, doc_id=doc_id, **meta[doc_id].metadata())
        report.built.append(doc_id)
        report.triples += len(triples)
    return kg
