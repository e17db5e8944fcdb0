"""The merged graph: one node per entity, one edge per (subject, relation, object).

``KnowledgeGraph`` owns a ``networkx.MultiDiGraph`` (``kg.nx``) and nothing else; every
query and exporter reads that graph. Its layout is the contract between the graph and the
exporters:

* node key: the entity's canonical id (``graph.names.normalise_name`` of its name); attributes
  ``label`` (the most frequent surface form), ``type`` (NER label or ``None``), ``aliases``
  (sorted surface forms), ``mentions`` (how many triple arguments named it) and ``documents``
  (sorted document ids).
* edge key: the normalised relation (``Relation.lemma``); attributes ``relation`` (the same
  lemma), ``label`` (the most frequent surface relation), ``evidence`` (the list of every
  ``Triple`` that supports the edge, in the order they were added), ``support``
  (``len(evidence)``), ``asserted`` (how many evidence triples are positive, unhedged and
  stated by the article itself) and ``confidence`` (the highest evidence confidence).
* graph attribute ``documents``: ``{doc_id: {"title": ..., "source": ..., "date": ...,
  "url": ..., "encoding": ...}}`` (see ``extractors.documents.Document``; ``None`` where
  unknown).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from extractors.triple import Argument, Triple
from graph.names import display_name, normalise_name


def _most_common(counts: Counter[str]) -> str:
    """Pick the most frequent form; ties go to the longer, then alphabetically first form."""
    return min(counts, key=lambda form: (-counts[form], -len(form), form))


class KnowledgeGraph:
    """A knowledge graph built from news triples, merged so that each entity appears once.

    Examples
    --------
    >>> from extractors.triple import Argument, Provenance, Relation, Triple
    >>> where = Provenance("doc", 0, 0, 30, "Regulators fined Ant Group.", "active_clause")
    >>> fact = Triple(Argument("Regulators", 0, 10, "Regulators", 0, 10),
    ...               Relation("fined", "fine"),
    ...               Argument("Ant Group", 17, 26, "Ant Group", 17, 26, "ORG"), where)
    >>> kg = KnowledgeGraph()
    >>> kg.add_triples([fact, fact])
    >>> kg.nx.edges["regulators", "ant group", "fine"]["support"]
    2
    """

    def __init__(self) -> None:
        self.nx = nx.MultiDiGraph(documents={})
        self._surface_forms: dict[str, Counter[str]] = {}
        self._types: dict[str, Counter[str]] = {}
        self._relation_forms: dict[tuple[str, str, str], Counter[str]] = {}
        #: Triples kept out of the graph because an argument is an unresolved pronoun.
        self.unattached: list[Triple] = []

    # -- building -------------------------------------------------------------------------

    def add_document(
        self,
        text: str,
        doc_id: str,
        *,
        title: str | None = None,
        source: str | None = None,
    ) -> list[Triple]:
        """Extract the triples of one article and merge them; return the triples added."""
        from extractors import extract

        triples = extract(text, doc_id=doc_id)
        self.add_triples(triples, title=title, source=source, doc_id=doc_id)
        return triples

    def add_triples(
        self,
        triples: Iterable[Triple],
        *,
        doc_id: str | None = None,
        title: str | None = None,
        source: str | None = None,
        date: str | None = None,
        url: str | None = None,
        encoding: str | None = None,
    ) -> None:
        """Merge triples into the graph; the same fact again adds evidence, not an edge."""
        if doc_id is not None:
            self.nx.graph["documents"][doc_id] = {"title": title, "source": source, "date": date,
                                                  "url": url, "encoding": encoding}
        for triple in triples:
            self._add_triple(triple)

    def _add_triple(self, triple: Triple) -> None:
        documents = self.nx.graph["documents"]
        documents.setdefault(triple.provenance.doc_id, dict.fromkeys(
            ("title", "source", "date", "url", "encoding")))
        if triple.subject.is_pronoun or triple.object.is_pronoun:
            # "He" or "it" is not an entity; the triple waits for coreference to name one.
            self.unattached.append(triple)
            return
        subject = self._add_entity(triple.subject, triple.provenance.doc_id)
        obj = self._add_entity(triple.object, triple.provenance.doc_id)
        relation = triple.relation.lemma
        if self.nx.has_edge(subject, obj, relation):
            edge = self.nx.edges[subject, obj, relation]
        else:
            self.nx.add_edge(subject, obj, key=relation, relation=relation, evidence=[])
            edge = self.nx.edges[subject, obj, relation]
        edge["evidence"].append(triple)
        edge["support"] = len(edge["evidence"])
        edge["asserted"] = edge.get("asserted", 0) + int(triple.qualifiers.asserted)
        edge["confidence"] = max(edge.get("confidence", 0.0), triple.confidence)
        forms = self._relation_forms.setdefault((subject, obj, relation), Counter())
        forms[triple.relation.text] += 1
        edge["label"] = _most_common(forms)

    def _add_entity(self, argument: Argument, doc_id: str) -> str:
        name = display_name(argument.head) or argument.head
        key = normalise_name(argument.head) or argument.head
        if key not in self.nx:
            self.nx.add_node(key, label=name, type=None, aliases=[], mentions=0, documents=[])
        node = self.nx.nodes[key]
        forms = self._surface_forms.setdefault(key, Counter())
        forms[name] += 1
        node["label"] = _most_common(forms)
        node["aliases"] = sorted(forms)
        node["mentions"] += 1
        if doc_id not in node["documents"]:
            node["documents"] = sorted([*node["documents"], doc_id])
        if argument.entity_type:
            types = self._types.setdefault(key, Counter())
            types[argument.entity_type] += 1
            node["type"] = _most_common(types)
        return key

    # -- reading --------------------------------------------------------------------------

    @property
    def documents(self) -> dict[str, dict[str, Any]]:
        """Metadata of every document merged into the graph, by document id."""
        return self.nx.graph["documents"]

    def triples(self) -> list[Triple]:
        """Every evidence triple in the graph, in a stable order."""
        found = [t for _, _, data in self.nx.edges(data=True) for t in data["evidence"]]
        return sorted(found, key=_triple_order)

    def __len__(self) -> int:
        return self.nx.number_of_nodes()

    # -- exporting ------------------------------------------------------------------------

    def to_turtle(self, path: str | Path | None = None, *, base_iri: str | None = None) -> str:
        """Serialise the graph as RDF Turtle; write it to ``path`` when given."""
        from graph.rdf import to_turtle

        return to_turtle(self, path, base_iri=base_iri)

    def to_html(self, path: str | Path | None = None, *, title: str = "newsgraph") -> str:
        """Render the graph as a self-contained interactive HTML page."""
        from graph.html import to_html

        return to_html(self, path, title=title)


def _triple_order(triple: Triple) -> tuple:
    p = triple.provenance
    return (p.doc_id, p.sentence_index, triple.subject.start, triple.relation.text,
            triple.object.start, p.rule)
