"""Turtle export: parses with two independent parsers, holds the facts, survives any name."""

from __future__ import annotations

import pyoxigraph
import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from extractors.triple import Qualifiers
from graph import KnowledgeGraph
from graph.vocabulary import NG, REL, SCHEMA, Vocabulary
from tests.graph.factories import triple

HOSTILE_NAMES = [
    "Ant Group",
    'The "Quoted" Co',
    "<img src=x onerror=alert(1)>",
    "AT&T #1 100% <b>",
    "Alibaba's cloud division",
    "阿里巴巴集团",
    "Яндекс",
    "back\\slash and\ttab",
    "line\nbreak",
    "javascript:alert(3)",
    "emoji 🚀 name",
    "'''triple quotes'''",
]


def _kg() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    kg.add_triples([
        triple("regulators", "fined", "Ant Group", lemma="fine", object_type="ORG"),
        triple("regulators", "approved", "the deal", lemma="approve",
               qualifiers=Qualifiers(negated=True)),
    ], doc_id="doc", title="Fines", source="doc.txt")
    return kg


def test_turtle_holds_entities_relations_and_asserted_facts_only():
    rdf = Graph().parse(data=_kg().to_turtle(), format="turtle")
    vocab = Vocabulary()
    regulators, ant, deal = (vocab.entity(e) for e in ("regulators", "ant group", "deal"))
    assert (ant, RDF.type, SCHEMA.Organization) in rdf
    assert (ant, RDFS.label, Literal("Ant Group")) in rdf
    assert (regulators, REL.fine, ant) in rdf
    # a negated fact is only a statement node, never a direct triple
    assert (regulators, REL.approve, deal) not in rdf
    negated = list(rdf.subjects(NG.negated, Literal(True)))
    assert len(negated) == 1
    assert (negated[0], RDF.subject, regulators) in rdf


def test_every_statement_links_to_its_sentence():
    rdf = Graph().parse(data=_kg().to_turtle(), format="turtle")
    from graph.vocabulary import NIF, PROV

    for statement in rdf.subjects(RDF.type, RDF.Statement):
        sentence = rdf.value(statement, PROV.wasDerivedFrom)
        assert rdf.value(sentence, NIF.anchorOf) is not None
        assert rdf.value(sentence, NIF.referenceContext) == Vocabulary().document("doc")


def _parse_everywhere(text: str) -> Graph:
    rdf = Graph().parse(data=text, format="turtle")
    store = pyoxigraph.Store()
    store.load(text.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(rdf)
    return rdf


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_give_valid_turtle(name):
    kg = KnowledgeGraph()
    kg.add_triples([triple(name, "fined", "x" + name, lemma=name + " rel")])
    rdf = _parse_everywhere(kg.to_turtle())
    labels = {str(o) for o in rdf.objects(None, RDFS.label)}
    assert any(name.strip() in label for label in labels)
    for subject in rdf.subjects():
        if isinstance(subject, URIRef):
            assert not any(c in str(subject) for c in ' <>"{}|\\^`\n')


def test_base_iri_is_configurable():
    text = _kg().to_turtle(base_iri="https://example.org/news")
    rdf = Graph().parse(data=text, format="turtle")
    assert (URIRef("https://example.org/news/entity/regulators"), REL.fine,
            URIRef("https://example.org/news/entity/ant_group")) in rdf


def test_turtle_is_deterministic():
    assert _kg().to_turtle() == _kg().to_turtle()


def test_to_turtle_writes_the_file(tmp_path):
    target = tmp_path / "out" / "graph.ttl"
    text = _kg().to_turtle(target)
    assert target.read_text(encoding="utf-8") == text
