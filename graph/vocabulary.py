"""Every IRI newsgraph mints, in one place.

Entities, statements, sentences and documents live under a configurable base IRI; the
project's own terms (relations and the ontology) live in fixed namespaces so that graphs built
with different bases still share one vocabulary.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import Namespace, URIRef

from extractors.triple import Triple

#: Default base for entity, statement and document IRIs (override with ``--base-iri``).
DEFAULT_BASE_IRI = "https://w3id.org/newsgraph/id/"
#: The project's own vocabulary: classes and properties of the export.
NG = Namespace("https://w3id.org/newsgraph/ontology#")
#: One IRI per normalised relation.
REL = Namespace("https://w3id.org/newsgraph/relation/")
SCHEMA = Namespace("https://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

#: spaCy NER labels mapped to schema.org classes.
ENTITY_CLASSES = {
    "PERSON": SCHEMA.Person,
    "ORG": SCHEMA.Organization,
    "GPE": SCHEMA.Place,
    "LOC": SCHEMA.Place,
    "FAC": SCHEMA.Place,
    "NORP": SCHEMA.Organization,
    "PRODUCT": SCHEMA.Product,
    "EVENT": SCHEMA.Event,
    "WORK_OF_ART": SCHEMA.CreativeWork,
    "LAW": SCHEMA.Legislation,
    "LANGUAGE": SCHEMA.Language,
}
#: spaCy NER labels of values (mentions, never graph nodes) mapped to schema.org types.
VALUE_CLASSES = {
    "DATE": SCHEMA.Date,
    "TIME": SCHEMA.Time,
    "MONEY": SCHEMA.MonetaryAmount,
    "PERCENT": SCHEMA.QuantitativeValue,
    "QUANTITY": SCHEMA.QuantitativeValue,
    "CARDINAL": SCHEMA.QuantitativeValue,
}


def segment(text: str) -> str:
    """Percent-encode text as one IRI path segment, valid whatever characters it holds.

    >>> segment('Ant "Group" <#1> 100%')
    'Ant%20%22Group%22%20%3C%231%3E%20100%25'
    """
    return quote(text, safe="")


class Vocabulary:
    """The IRIs of one export, under its base IRI."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        if not base_iri.endswith(("/", "#")):
            base_iri += "/"
        self.base_iri = base_iri
        self._entity = Namespace(base_iri + "entity/")
        self._statement = Namespace(base_iri + "statement/")
        self._document = Namespace(base_iri + "document/")

    def entity(self, entity_id: str) -> URIRef:
        return self._entity[segment(entity_id)]

    def document(self, doc_id: str) -> URIRef:
        return self._document[segment(doc_id)]

    def sentence(self, doc_id: str, start: int, end: int) -> URIRef:
        """The NIF string IRI of a character span: ``<document>#char=start,end``."""
        return URIRef(f"{self.document(doc_id)}#char={start},{end}")

    def statement(self, triple: Triple) -> URIRef:
        """A stable IRI per extraction: a hash of where and what it is."""
        p = triple.provenance
        key = "\x1f".join(map(str, (
            p.doc_id, p.sentence_index, p.rule, triple.subject.start, triple.subject.end,
            triple.relation.lemma, triple.object.start, triple.object.end,
        )))
        return self._statement[hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]]

    @staticmethod
    def relation(lemma: str) -> URIRef:
        return REL[segment(lemma.replace(" ", "_"))]
