"""RDF export: the knowledge graph as an rdflib ``Graph`` and as Turtle.

Model (see ``docs/rdf-model.md``): each entity is an IRI typed with a schema.org class and
labelled; each extraction is an ``rdf:Statement`` carrying confidence, rule, qualifiers and a
``prov:wasDerivedFrom`` link to its NIF sentence; the direct triple ``subject relation object``
is asserted only for facts the article states itself, positively and without hedging.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef, plugin
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.serializer import Serializer

from extractors.documents import web_address
from extractors.triple import Triple
from graph.files import write_text_atomic
from graph.vocabulary import (
    DCTERMS,
    DEFAULT_BASE_IRI,
    ENTITY_CLASSES,
    NG,
    NIF,
    PROV,
    REL,
    SCHEMA,
    Vocabulary,
)

if TYPE_CHECKING:
    from graph.knowledge_graph import KnowledgeGraph


def to_rdf(kg: KnowledgeGraph, base_iri: str | None = None) -> Graph:
    """Build the rdflib ``Graph`` of a knowledge graph."""
    vocab = Vocabulary(base_iri or DEFAULT_BASE_IRI)
    rdf = Graph()
    for prefix, namespace in (("ng", NG), ("rel", REL), ("schema", SCHEMA), ("nif", NIF),
                              ("prov", PROV), ("dcterms", DCTERMS), ("skos", SKOS),
                              ("ent", vocab.entity(""))):
        rdf.bind(prefix, namespace)
    for doc_id, meta in kg.documents.items():
        document = vocab.document(doc_id)
        rdf.add((document, RDF.type, NIF.Context))
        rdf.add((document, RDF.type, SCHEMA.NewsArticle))
        rdf.add((document, DCTERMS.identifier, Literal(doc_id)))
        if meta.get("title"):
            rdf.add((document, DCTERMS.title, Literal(meta["title"])))
        if meta.get("source"):
            rdf.add((document, DCTERMS.source, Literal(meta["source"])))
        if meta.get("date"):
            rdf.add((document, DCTERMS.date, _date_literal(meta["date"])))
        if address := web_address(meta.get("url")):
            rdf.add((document, SCHEMA.url, URIRef(address)))
    for entity_id, node in kg.nx.nodes(data=True):
        entity = vocab.entity(entity_id)
        rdf.add((entity, RDF.type, ENTITY_CLASSES.get(node["type"], SCHEMA.Thing)))
        rdf.add((entity, RDFS.label, Literal(node["label"])))
        for alias in node["aliases"]:
            if alias != node["label"]:
                rdf.add((entity, SKOS.altLabel, Literal(alias)))
        rdf.add((entity, NG.mentionCount, Literal(node["mentions"])))
        for iri in node.get("same_as", ()):
            rdf.add((entity, OWL.sameAs, URIRef(iri)))
    for subject_id, object_id, relation, edge in kg.nx.edges(keys=True, data=True):
        subject, obj = vocab.entity(subject_id), vocab.entity(object_id)
        predicate = vocab.relation(relation)
        rdf.add((predicate, RDF.type, RDF.Property))
        rdf.add((predicate, RDFS.label, Literal(relation)))
        if edge["asserted"]:
            rdf.add((subject, predicate, obj))
        for triple in edge["evidence"]:
            _add_statement(rdf, vocab, triple, subject, predicate, obj)
    return rdf


def _date_literal(value: str) -> Literal:
    """An ``xsd:date`` for an ISO day (``2023-07-13``), a plain literal for any other date text."""
    try:
        return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
    except ValueError:
        return Literal(value)


def _add_statement(rdf: Graph, vocab: Vocabulary, triple: Triple, subject, predicate,
                   obj) -> None:
    statement = vocab.statement(triple)
    p = triple.provenance
    q = triple.qualifiers
    sentence = vocab.sentence(p.doc_id, p.sentence_start, p.sentence_end)
    facts = [
        (RDF.type, RDF.Statement),
        (RDF.subject, subject),
        (RDF.predicate, predicate),
        (RDF.object, obj),
        (NG.confidence, Literal(Decimal(str(triple.confidence)), datatype=XSD.decimal)),
        (NG.rule, Literal(p.rule)),
        (NG.relationText, Literal(triple.relation.text)),
        (NG.subjectText, Literal(triple.subject.text)),
        (NG.objectText, Literal(triple.object.text)),
        (NG.asserted, Literal(q.asserted)),
        (PROV.wasDerivedFrom, sentence),
    ]
    if q.negated:
        facts.append((NG.negated, Literal(True)))
    for term, value in ((NG.modality, q.modality), (NG.attributedTo, q.attribution),
                        (NG.time, q.time), (NG.location, q.location), (NG.amount, q.amount)):
        if value:
            facts.append((term, Literal(value)))
    for predicate_term, value in facts:
        rdf.add((statement, predicate_term, value))
    rdf.add((sentence, RDF.type, NIF.Sentence))
    rdf.add((sentence, NIF.anchorOf, Literal(p.sentence)))
    rdf.add((sentence, NIF.beginIndex, Literal(p.sentence_start)))
    rdf.add((sentence, NIF.endIndex, Literal(p.sentence_end)))
    rdf.add((sentence, NIF.referenceContext, vocab.document(p.doc_id)))


class BoundPrefixTurtleSerializer(TurtleSerializer):
    """rdflib's Turtle serializer, abbreviating IRIs only with the prefixes we bound.

    rdflib invents ``ns1:``-style prefixes for predicates by cutting the IRI at the last
    character that cannot start a local name; for a percent-encoded relation such as
    ``relation/%3Cimg`` the cut falls after ``%`` and yields a prefix IRI that strict parsers
    (Oxigraph) reject. Writing such IRIs in full is always valid.
    """

    def get_pname(self, uri, gen_prefix=True):
        return super().get_pname(uri, gen_prefix=False)


plugin.register("newsgraph-turtle", Serializer, __name__, "BoundPrefixTurtleSerializer")


def to_turtle(kg: KnowledgeGraph, path: str | Path | None = None, *,
              base_iri: str | None = None) -> str:
    """Serialise as Turtle (deterministic for the same graph); write to ``path`` if given."""
    text = to_rdf(kg, base_iri).serialize(format="newsgraph-turtle")
    if path is not None:
        write_text_atomic(Path(path), text)
    return text
