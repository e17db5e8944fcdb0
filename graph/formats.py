"""Export formats besides HTML: the RDF model of :mod:`graph.rdf` in Turtle, N-Triples, TriG
and JSON-LD; GraphML for Gephi and Cytoscape; a CSV of edges for spreadsheets.

GraphML and CSV are views for tools without RDF: one row or edge per fact (subject, relation,
object) with its counts, lists flattened to JSON strings. Every export is deterministic.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from graph.collector import paused
from graph.files import Pieces, write_texts_atomic
from graph.rdf import RDF_FORMATS, rdf_model, serialise, turtle_by_document
from graph.vocabulary import ENTITY_CLASSES, SCHEMA, Vocabulary

if TYPE_CHECKING:
    from graph.cache import TurtleBlocks
    from graph.knowledge_graph import KnowledgeGraph

#: Columns of the CSV export, one row per edge.
CSV_COLUMNS = ("subject", "relation", "object", "subject_type", "object_type", "support",
               "asserted", "confidence", "documents", "example_words", "example_sentence",
               "subject_iri", "relation_iri", "object_iri")
# Characters XML 1.0 cannot hold, even escaped; GraphML shows them as U+FFFD.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_exports(kg: KnowledgeGraph, targets: Mapping[str, Path], *,
                  base_iri: str | None = None) -> None:
    """Write ``{format: path}`` for every format of :data:`WRITERS`; every file is rendered
    before the first is replaced (``graph.files.write_texts_atomic``)."""
    write_texts_atomic(export_texts(kg, targets, base_iri=base_iri))


def export_texts(kg: KnowledgeGraph, targets: Mapping[str, Path], *,
                 base_iri: str | None = None, blocks: TurtleBlocks | None = None,
                 n_process: int = 1) -> dict[Path, str | Pieces]:
    """The text of every export ``{format: path}``, by path (the cycle collector paused:
    ``graph.collector``); Turtle as a list of pieces (``graph.rdf.turtle_by_document``, with
    each document's piece from ``blocks`` where they have it, as a range of the previous
    export, and the others written in ``n_process`` processes; with ``blocks``, those come
    UTF-8 encoded)."""
    with paused():
        return _export_texts(kg, targets, Vocabulary(base_iri), blocks, n_process)


def _export_texts(kg: KnowledgeGraph, targets: Mapping[str, Path], vocab: Vocabulary,
                  blocks: TurtleBlocks | None, n_process: int
                  ) -> dict[Path, str | Pieces]:
    texts: dict[Path, str | Pieces] = {}
    for name, path in targets.items():
        if name == "ttl":
            texts[Path(path)] = turtle_by_document(kg, vocab.base_iri, blocks,
                                                   n_process=n_process)
        elif name in RDF_FORMATS:
            # The model is made again for each format as it is written, never held whole.
            texts[Path(path)] = serialise(rdf_model(kg, vocab.base_iri), name, vocab.prefixes)
        else:
            texts[Path(path)] = WRITERS[name](kg, vocab)
    return texts


def to_graphml(kg: KnowledgeGraph, vocab: Vocabulary | None = None) -> str:
    """GraphML of the graph: node ids ``n0``, ``n1`` ... in entity order, each with its IRI,
    label, type, aliases, mentions and documents; edges with relation, support, confidence
    and their evidence as a JSON list.

    >>> from graph import KnowledgeGraph
    >>> kg = KnowledgeGraph()
    >>> _ = kg.add_document("Regulators fined Ant Group.", doc_id="example")
    >>> view = nx.read_graphml(io.StringIO(to_graphml(kg)))
    >>> [(view.nodes[u]["label"], d["relation"], view.nodes[v]["label"])
    ...  for u, v, d in view.edges(data=True)]
    [('Regulators', 'fine', 'Ant Group')]
    """
    vocab = vocab or Vocabulary()
    view = nx.MultiDiGraph()
    ids = {key: f"n{i}" for i, key in enumerate(sorted(kg.nx.nodes))}
    for key, node_id in ids.items():
        node = kg.nx.nodes[key]
        view.add_node(node_id, **_xml_safe({
            "label": node["label"], "iri": vocab.entity(key), "key": key,
            "type": node["type"] or "", "class": ENTITY_CLASSES.get(node["type"], SCHEMA.Thing),
            "mentions": node["mentions"], "aliases": _json(node["aliases"]),
            "documents": _json(node["documents"]),
            "same_as": _json(sorted(node.get("same_as", ()))),
        }))
    for number, (u, v, relation) in enumerate(sorted(kg.nx.edges(keys=True))):
        edge = kg.nx.edges[u, v, relation]
        view.add_edge(ids[u], ids[v], key=relation, **_xml_safe({
            "id": f"e{number}", "relation": relation, "label": edge["label"],
            "iri": vocab.relation(relation), "support": edge["support"],
            "asserted": edge["asserted"], "confidence": edge["confidence"],
            "evidence": _json([_evidence(t) for t in edge["evidence"]]),
        }))
    return "\n".join(nx.generate_graphml(view, edge_id_from_attribute="id")) + "\n"


def to_csv(kg: KnowledgeGraph, vocab: Vocabulary | None = None) -> str:
    """One row per edge, sorted; :data:`CSV_COLUMNS`. The example is the edge's first evidence:
    its relation words as written and its sentence. Text cells that a spreadsheet would run as
    a formula (starting ``=``, ``+``, ``-``, ``@``) get a leading apostrophe.

    >>> from graph import KnowledgeGraph
    >>> kg = KnowledgeGraph()
    >>> _ = kg.add_document("Regulators fined Ant Group.", doc_id="example")
    >>> row = to_csv(kg).splitlines()[1].split(",")
    >>> row[:5], row[9:11]
    (['Regulators', 'fine', 'Ant Group', '', 'ORG'], ['fined', 'Regulators fined Ant Group.'])
    """
    vocab = vocab or Vocabulary()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for u, v, relation in sorted(kg.nx.edges(keys=True)):
        edge, subject, obj = kg.nx.edges[u, v, relation], kg.nx.nodes[u], kg.nx.nodes[v]
        documents = sorted({t.provenance.doc_id for t in edge["evidence"]})
        example = edge["evidence"][0]
        writer.writerow([
            _cell(subject["label"]), _cell(relation), _cell(obj["label"]),
            subject["type"] or "", obj["type"] or "", edge["support"], edge["asserted"],
            edge["confidence"], _cell(" ".join(documents)), _cell(example.relation.text),
            _cell(example.provenance.sentence), vocab.entity(u), vocab.relation(relation),
            vocab.entity(v),
        ])
    return out.getvalue()


def _evidence(triple) -> dict[str, Any]:
    p = triple.provenance
    return {"document": p.doc_id, "sentence": p.sentence, "start": p.sentence_start,
            "end": p.sentence_end, "rule": p.rule, "confidence": triple.confidence,
            "asserted": triple.qualifiers.asserted}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _xml_safe(attributes: dict[str, Any]) -> dict[str, Any]:
    """Strings with the characters XML cannot hold replaced (GraphML is XML)."""
    return {key: _NOT_XML.sub("\ufffd", str(value)) if isinstance(value, str) else value
            for key, value in attributes.items()}


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


#: Writers of the non-RDF formats: ``(graph, vocabulary) -> text``.
WRITERS = {"graphml": to_graphml, "csv": to_csv}
