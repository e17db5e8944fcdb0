"""The merged graph: one node per entity, one edge per (subject, relation, object).

``KnowledgeGraph`` owns a ``networkx.MultiDiGraph`` (``kg.nx``) and nothing else; every
query and exporter reads that graph. Its layout is the contract between the graph and the
exporters:

* node key: the entity's canonical id (``graph.names.normalise_name`` of its label); attributes
  ``label`` (the most complete proper name, or for an unnamed entity its most frequent
  surface form; an alias file's canonical name wins), ``type`` (NER label or ``None``, one per
  entity), ``aliases`` (sorted names and surface forms), ``mentions`` (how many triple
  arguments named it, pronouns and descriptions resolved to it included), ``documents``
  (sorted document ids) and ``same_as`` (external IRIs from the alias file, sorted).
  Entities are matched across documents by ``graph.entities.EntityIndex``; an id changes when
  a fuller name of its entity turns up later.
* edge key: the normalised relation (``Relation.lemma``, "fine", "split into"); attributes
  ``relation`` and ``label`` (the same lemma; the surface words of each sentence, "was fined
  by", stay in the evidence), ``evidence`` (the list of every
  ``Triple`` that supports the edge, in the order they were added), ``support``
  (``len(evidence)``), ``asserted`` (how many evidence triples are positive, unhedged and
  stated by the article itself) and ``confidence`` (the highest evidence confidence).
* graph attribute ``documents``: ``{doc_id: {"title": ..., "source": ...}}``, optionally with
  ``date`` (``YYYY-MM-DD``) and ``url`` (see ``extractors.documents.Document``).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from extractors.triple import PRONOUNS, Argument, EntityRef, Triple
from graph.entities import AliasTable, EntityIndex, entity_ref
from graph.names import normalise_name

if TYPE_CHECKING:
    from rdflib.query import Result


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

    def __init__(self, aliases: AliasTable | None = None) -> None:
        self.nx = nx.MultiDiGraph(documents={})
        #: Which entity each node is, across documents (and the alias file that steers it).
        self.entities = EntityIndex(aliases)
        self._node_of: dict[int, str] = {}
        #: Triples kept out of the graph because an argument is a pronoun that coreference
        #: could not resolve, or is not a thing (a clause, an adjective).
        self.unattached: list[Triple] = []
        #: Every triple merged, in the order it came: entity matching depends on that order,
        #: so the RDF export records it and ``from_rdf`` merges again in the same order.
        self.merged: list[Triple] = []
        #: Keys of the nodes whose own statements in the RDF export may have changed since the
        #: graph was made or unpickled: a node added, updated or renamed, a node given an
        #: edge, and every node with an edge to a renamed one (its object IRI changed). A
        #: graph unpickled (``graph.cache``'s snapshot) starts with none, so that the Turtle
        #: export rewrites only these entities (``graph.rdf._default_graph``).
        self.changed: set[str] = set()

    def __getstate__(self) -> dict:
        return {**self.__dict__, "changed": set()}

    # -- building -------------------------------------------------------------------------

    def add_document(
        self,
        text: str,
        doc_id: str,
        *,
        title: str | None = None,
        source: str | None = None,
    ) -> list[Triple]:
        """Blank the web boilerplate of one article (``extractors.cleaning``), extract its
        triples and merge them, as a build does; return the triples added."""
        from extractors import extract
        from extractors.cleaning import clean

        triples = extract(clean(text).text, doc_id=doc_id)
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
    ) -> None:
        """Merge triples into the graph; the same fact again adds evidence, not an edge."""
        if doc_id is not None:
            optional = {"date": date, "url": url}
            self.nx.graph["documents"][doc_id] = {
                "title": title, "source": source,
                **{key: value for key, value in optional.items() if value is not None}}
        for triple in triples:
            self._add_triple(triple)

    def _add_triple(self, triple: Triple) -> None:
        self.merged.append(triple)
        doc_id = triple.provenance.doc_id
        documents = self.nx.graph["documents"]
        if doc_id not in documents:
            documents[doc_id] = {"title": None, "source": None}
        subject, obj = triple.subject, triple.object
        if not _attachable(subject) or not _attachable(obj):
            # "He" or "it" with no antecedent is not an entity, and a clause or an
            # adjective is not a thing.
            self.unattached.append(triple)
            return
        add_entity = self._add_entity
        subject_numbers = [add_entity(ref, doc_id) for ref in _refs(subject)]
        object_numbers = [add_entity(ref, doc_id) for ref in _refs(obj)]
        # Keys are read only now: adding an object can rename the subject's node (a fuller
        # name turned up), and an edge to the old key would make a node with no attributes.
        node_of = self._node_of
        if len(subject_numbers) == 1 and len(object_numbers) == 1:  # most triples: no sets
            source, target = node_of[subject_numbers[0]], node_of[object_numbers[0]]
            if source == target:
                self.unattached.append(triple)  # as below: an entity related to itself
            else:
                self._add_edge(source, target, triple)
            return
        subjects = [node_of[number] for number in subject_numbers]
        objects = [node_of[number] for number in object_numbers]
        if set(subjects) & set(objects):
            # "These companies ... punish them": an entity, or a group of entities, related
            # to itself through coreference is a misread clause, not a fact worth an edge
            # (nor one edge from each member of the group to the others).
            self.unattached.append(triple)
            return
        for source in subjects:
            for target in objects:
                # "These companies" stands for several entities: one edge for each.
                self._add_edge(source, target, triple)

    def _add_edge(self, subject: str, obj: str, triple: Triple) -> None:
        relation = triple.relation.lemma
        # networkx's own storage, as in _rename: ``add_edge`` checks both nodes, makes and
        # updates dicts, for each of the graph's edges (once a third of the merge time).
        keys = self.nx._succ[subject].get(obj)
        if keys is None:
            keys = self.nx._succ[subject][obj] = self.nx._pred[obj][subject] = {}
        self.changed.add(subject)
        edge = keys.get(relation)
        if edge is None:
            edge = keys[relation] = {"relation": relation, "label": relation, "evidence": [],
                                     "support": 0, "asserted": 0, "confidence": 0.0}
            _changed(self.nx)
        evidence = edge["evidence"]
        evidence.append(triple)
        edge["support"] = len(evidence)
        if triple.qualifiers.asserted:
            edge["asserted"] += 1
        if triple.confidence > edge["confidence"]:
            edge["confidence"] = triple.confidence

    def _add_entity(self, ref: EntityRef, doc_id: str) -> int:
        """Add or update the node of the entity ``ref`` names; return the entity's number."""
        named = bool(ref.names)
        entity = self.entities.add(ref, named=named)
        number = entity.number
        label = entity.label
        key = normalise_name(label) or label  # Entity.key, without working out the label again
        previous = self._node_of.get(number)
        if previous != key:
            if key in self.nx:
                key = self._free_key(key, number)
            if previous is None:
                self.nx.add_node(key, mentions=0, documents=[])
            else:
                self._rename(previous, key)
            self._node_of[number] = key
        self.changed.add(key)
        node = self.nx._node[key]  # networkx's node attribute dicts, without the view's checks
        node["label"] = label
        node["type"] = entity.entity_type
        if previous is None:
            node["aliases"] = sorted({*entity.names, *entity.forms})
        else:
            # Only a name or form the index has just counted for the first time can be new
            # to the aliases (most mentions: a known entity under an unchanged key); sorting
            # every alias again for each mention of a hub entity, or searching them for each
            # name, would not do.
            counts = entity.names if named else entity.forms
            renamed = previous != key
            aliases = node["aliases"]
            for name in (ref.label, *ref.names):
                if renamed or counts[name] == 1:
                    at = bisect_left(aliases, name)
                    if at == len(aliases) or aliases[at] != name:
                        aliases.insert(at, name)
        same_as = entity.same_as  # set at most once, when an alias file names the entity
        if previous is None or (same_as and node["same_as"] != [same_as]):
            node["same_as"] = [same_as] if same_as else []
        node["mentions"] += 1
        documents = node["documents"]
        # Documents are usually merged in id order: the new one goes last, and a hub entity's
        # thousand documents are not searched for every mention.
        if not documents or documents[-1] < doc_id:
            documents.append(doc_id)
        elif documents[-1] != doc_id and doc_id not in documents:
            insort(documents, doc_id)
        return number

    def _rename(self, old: str, new: str) -> None:
        """``nx.relabel_nodes(graph, {old: new}, copy=False)``, which looks at every node of
        the graph to rename one. A hub entity is renamed whenever its label changes, with
        hundreds of edges, so this moves the dicts that hold its attributes and edges into
        place rather than copying edge by edge through ``add_edges_from`` (once most of the
        merge time of the BBC corpus). The result is the same, orders included: the node
        goes last, and so does its entry in each neighbour's adjacency. A self-loop, which
        networkx re-keys, is left to networkx."""
        graph = self.nx
        if graph.has_edge(old, old):
            nx.relabel_nodes(graph, {old: new}, copy=False)
            self.changed.update(graph._pred[new])
            return
        # networkx's own storage (stable since networkx 2.0): node -> attributes, and
        # node -> neighbour -> {edge key: edge attributes}, one key dict shared by both sides.
        nodes, successors, predecessors = graph._node, graph._succ, graph._pred
        nodes[new] = nodes.pop(old)
        successors[new] = outgoing = successors.pop(old)
        predecessors[new] = incoming = predecessors.pop(old)
        for target, keys in outgoing.items():
            inward = predecessors[target]
            del inward[old]
            inward[new] = keys
        for source, keys in incoming.items():
            outward = successors[source]
            del outward[old]
            outward[new] = keys
        self.changed.update(incoming)
        _changed(graph)

    def _free_key(self, key: str, number: int) -> str:
        """``key``, or ``key`` numbered when another entity already holds it (two people of
        one name that the index keeps apart)."""
        if key not in self.nx:
            return key
        suffix = 2
        while f"{key} ({suffix})" in self.nx:
            suffix += 1
        return f"{key} ({suffix})"

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

    @classmethod
    def from_rdf(cls, path: str | Path, rdf_format: str | None = None, *,
                 aliases: AliasTable | None = None) -> KnowledgeGraph:
        """Load a newsgraph RDF export (``.ttl``, ``.nt``, ``.trig``, ``.jsonld``) back into the
        graph that was exported (pass the alias table the build used, if any); exporting it
        again gives the same bytes."""
        from graph.rdf import read_rdf

        return read_rdf(path, rdf_format, aliases=aliases)

    def sparql(self, query: str, *, base_iri: str | None = None) -> Result:
        """Run a SPARQL query (rdflib) over the RDF export of this graph.

        The export's prefixes (``ng:``, ``rel:``, ``ent:``, ``schema:``, ``nif:`` ...) need no
        ``PREFIX`` lines. Rows of a SELECT read like tuples: ``[row.label for row in result]``.
        """
        from graph.query import sparql
        from graph.rdf import to_rdf

        return sparql(to_rdf(self, base_iri), query)

    # -- exporting ------------------------------------------------------------------------

    def to_turtle(self, path: str | Path | None = None, *, base_iri: str | None = None) -> str:
        """Serialise the graph as RDF Turtle; write it to ``path`` when given."""
        from graph.rdf import to_turtle

        return to_turtle(self, path, base_iri=base_iri)

    def to_html(self, path: str | Path | None = None, *, title: str = "newsgraph",
                max_nodes: int = 500, focus: str | None = None, depth: int = 2) -> str:
        """Render the graph as a self-contained interactive HTML page.

        The page shows the ``max_nodes`` most mentioned entities, or with ``focus`` (a label
        or id) the neighbourhood of one entity up to ``depth`` hops.
        """
        from graph.html import to_html

        return to_html(self, path, title=title, max_nodes=max_nodes, focus=focus, depth=depth)

    def _repr_html_(self) -> str:
        """The interactive page inside an iframe, for Jupyter notebooks."""
        from html import escape

        page = self.to_html()
        return (f'<iframe srcdoc="{escape(page, quote=True)}" style="width:100%;height:640px;'
                f'border:0" sandbox="allow-scripts"></iframe>')


def _changed(graph: nx.MultiDiGraph) -> None:
    """Drop the graph's cache of converted graphs (networkx 3.3), as networkx does on every
    change, after a change made in its storage."""
    cache = getattr(graph, "__networkx_cache__", None)
    if cache:
        cache.clear()


def _attachable(argument: Argument) -> bool:
    """Whether an argument names a thing: a resolved entity, or a nominal that is not a bare
    pronoun (coreference may leave a pronoun in a cluster of its own, named by the pronoun)."""
    if not argument.nominal:
        return False
    if argument.entities:
        return any(ref.names or ref.label.casefold() not in PRONOUNS for ref in argument.entities)
    return not argument.is_pronoun


def _refs(argument: Argument) -> tuple[EntityRef, ...]:
    """The entities an argument stands for: as resolved, or its head as a name of its own."""
    return argument.entities or (entity_ref(argument.head, argument.entity_type),)


def _triple_order(triple: Triple) -> tuple:
    p = triple.provenance
    return (p.doc_id, p.sentence_index, triple.subject.start, triple.relation.text,
            triple.object.start, p.rule)
