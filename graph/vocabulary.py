"""Every IRI newsgraph mints, in one place.

Entities, statements, sentences and documents live under a configurable base IRI; the
project's own terms (relations and the ontology in ``graph/ontology.ttl``) live in fixed
namespaces so that graphs built with different bases still share one vocabulary.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

import pyoxigraph
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Namespace, URIRef

from extractors.errors import NewsgraphError
from extractors.triple import Triple

#: Default base for entity, statement and document IRIs (override with ``--base-iri``). A
#: w3id.org address of the project's own, so exports stay valid whoever hosts them.
DEFAULT_BASE_IRI = "https://w3id.org/newsgraph/id/"
#: What joins the fields that :meth:`Vocabulary.statement_iri` hashes.
FIELD_SEPARATOR = "\x1f"
#: The project's own vocabulary: classes and properties of the export (``graph/ontology.ttl``).
NG = Namespace("https://w3id.org/newsgraph/ontology#")
#: One IRI per normalised relation.
REL = Namespace("https://w3id.org/newsgraph/relation/")
SCHEMA = Namespace("https://schema.org/")
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
#: W3C Internationalization Tag Set: ``itsrdf:taIdentRef`` links a mention to its entity.
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")

#: Prefixes every export declares, besides the three under its base IRI.
PREFIXES: dict[str, str] = {
    "rdf": str(RDF), "rdfs": str(RDFS), "xsd": str(XSD), "owl": str(OWL), "skos": str(SKOS),
    "dcterms": str(DCTERMS), "prov": str(PROV), "nif": str(NIF), "itsrdf": str(ITSRDF),
    "schema": str(SCHEMA), "ng": str(NG), "rel": str(REL),
}

#: spaCy NER labels mapped to schema.org classes; other entities are ``schema:Thing``.
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

# NUL, lone surrogates and Unicode noncharacters: legal in RDF, refused by raptor and by
# stores built on C strings.
_UNPORTABLE = re.compile("[\x00\ud800-\udfff\ufdd0-\ufdef" + "".join(
    chr(plane + 0xFFFE) + chr(plane + 0xFFFF) for plane in range(0, 0x110000, 0x10000)) + "]")

# A name that percent-encoding leaves alone but for its spaces (most names): no need to encode it.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_.~ -]*(?<!\.)")
# An absolute IRI with a scheme and none of the characters an IRI may not hold.
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`]+")


def portable_text(text: str) -> str:
    r"""Text every RDF tool accepts: NUL, lone surrogates and noncharacters become U+FFFD (one
    character for one, so character offsets still hold).

    >>> portable_text("nul\x00 and \ufffe") == "nul\ufffd and \ufffd"
    True
    """
    if text.isascii() and "\x00" not in text:  # most text, and far quicker to tell
        return text
    return _UNPORTABLE.sub("\ufffd", text)


def segment(text: str) -> str:
    """Percent-encode text as one IRI path segment, valid whatever characters it holds.

    A final "." is encoded too: Turtle writers must escape it in a prefixed name (``\\.``),
    and rdflib's parser cannot read that escape.

    >>> segment('Ant "Group" <#1> 100%')
    'Ant%20%22Group%22%20%3C%231%3E%20100%25'
    >>> segment("u.s.")
    'u.s%2E'
    """
    encoded = quote(portable_text(text), safe="")
    return encoded[:-1] + "%2E" if encoded.endswith(".") else encoded


def name_segment(name: str) -> str:
    """An IRI segment for a name: spaces become ``_`` (and ``_`` itself ``%5F``, so that two
    different names never share an IRI); everything else as in :func:`segment`.

    >>> name_segment("ant group")
    'ant_group'
    >>> name_segment("snake_case #1")
    'snake%5Fcase_%231'
    >>> name_segment("u.s.")
    'u.s%2E'
    """
    if _PLAIN_NAME.fullmatch(name):
        return name.replace("_", "%5F").replace(" ", "_")
    return segment(name).replace("_", "%5F").replace("%20", "_")


class Vocabulary:
    """The IRIs of one export, under its base IRI.

    >>> vocab = Vocabulary("https://example.org/news")
    >>> vocab.entity("ant group")
    rdflib.term.URIRef('https://example.org/news/entity/ant_group')
    >>> vocab.sentence("wikinews_047", 0, 62)
    rdflib.term.URIRef('https://example.org/news/document/wikinews_047#char=0,62')
    """

    def __init__(self, base_iri: str | None = None) -> None:
        base_iri = DEFAULT_BASE_IRI if base_iri is None else base_iri
        if not self.is_iri(base_iri):
            raise NewsgraphError(f"base IRI {base_iri!r} is not an absolute IRI "
                                 "(e.g. https://example.org/news/)")
        if "#" in base_iri:
            # Sentence IRIs are document IRIs with a "#char=" fragment (NIF): under a base
            # with a fragment of its own they would hold two, which no RDF parser accepts.
            raise NewsgraphError(f"base IRI {base_iri!r} holds a '#': sentence IRIs add a "
                                 "#char= fragment to it; use a base ending in '/' "
                                 "(e.g. https://example.org/news/)")
        if not base_iri.endswith("/"):
            base_iri += "/"
        self.base_iri = base_iri
        self.entities = Namespace(base_iri + "entity/")
        self.statements = Namespace(base_iri + "statement/")
        self.documents = Namespace(base_iri + "document/")
        # Percent-encoding is slow next to everything else an export does; names repeat.
        self._entity_iris: dict[str, URIRef] = {}
        self._document_iris: dict[str, URIRef] = {}

    @staticmethod
    def is_iri(text: str) -> bool:
        """True for an absolute IRI that every RDF syntax can write and every parser reads.

        Beyond the characters no RDF syntax writes raw, RFC 3987 is strict (control
        characters such as DEL, a ``%`` without two hex digits, a second ``#``, brackets
        outside a host) and so is oxigraph's parser: pyoxigraph checks it.

        >>> Vocabulary.is_iri("https://en.wikinews.org/wiki/X"), Vocabulary.is_iri("a b")
        (True, False)
        >>> [Vocabulary.is_iri(text) for text in ("A:\\x7f", "https://x/100%", "A:a#b#c")]
        [False, False, False]
        """
        if _ABSOLUTE_IRI.fullmatch(text) is None:
            return False
        try:
            pyoxigraph.NamedNode(text)
        except ValueError:
            return False
        return True

    @property
    def prefixes(self) -> dict[str, str]:
        """Every prefix of an export under this base, in the order exports declare them."""
        return {**PREFIXES, "ent": str(self.entities), "stmt": str(self.statements),
                "doc": str(self.documents)}

    def entity(self, entity_id: str) -> URIRef:
        iri = self._entity_iris.get(entity_id)
        if iri is None:
            iri = self._entity_iris[entity_id] = URIRef(self.entity_iri(entity_id))
        return iri

    def entity_iri(self, entity_id: str) -> str:
        """:meth:`entity` as a plain string, not kept (an export makes each once)."""
        return f"{self.entities}{name_segment(entity_id)}"

    def document(self, doc_id: str) -> URIRef:
        iri = self._document_iris.get(doc_id)
        if iri is None:
            iri = self._document_iris[doc_id] = self.documents[segment(doc_id)]
        return iri

    def sentence(self, doc_id: str, start: int, end: int) -> URIRef:
        """The NIF string IRI of a character span (RFC 5147): ``<document>#char=start,end``."""
        return URIRef(self.sentence_iri(doc_id, start, end))

    def sentence_iri(self, doc_id: str, start: int, end: int) -> str:
        """:meth:`sentence` as a plain string (an export makes one per sentence)."""
        return f"{self.document(doc_id)}#char={start},{end}"

    def statement(self, triple: Triple, ordinal: int = 0) -> URIRef:
        """A stable IRI per extraction: a hash of where it is and what it says.

        ``ordinal`` tells apart extractions that agree on all of that (the same triple added
        twice); the first keeps the plain hash.
        """
        return URIRef(self.statement_iri(triple, ordinal))

    def statement_iri(self, triple: Triple, ordinal: int = 0) -> str:
        """:meth:`statement` as a plain string: an export makes one per extraction, and an
        rdflib ``URIRef`` costs as much as the hash."""
        p = triple.provenance
        relation = triple.relation
        s = triple.subject
        o = triple.object
        sep = FIELD_SEPARATOR
        # one string for what every triple has: a "+=" per argument costs a tenth of the hash
        key = (f"{p.doc_id}{sep}{p.sentence_index}{sep}{p.rule}{sep}{relation.text}{sep}"
               f"{relation.lemma}{sep}{s.start}{sep}{s.end}{sep}{s.head_start}{sep}{s.head_end}"
               f"{sep}{o.start}{sep}{o.end}{sep}{o.head_start}{sep}{o.head_end}")
        for a in triple.extras:
            key += f"{sep}{a.start}{sep}{a.end}{sep}{a.head_start}{sep}{a.head_end}"
        if ordinal:
            key += f"{sep}#{ordinal}"
        key = portable_text(key)
        return f"{self.statements}{hashlib.sha256(key.encode()).hexdigest()[:24]}"

    @staticmethod
    def part(statement: URIRef, name: str) -> URIRef:
        """A node describing one part of a statement: ``<statement>-subject``, ``-amount``."""
        return URIRef(f"{statement}-{name}")

    @staticmethod
    def relation(lemma: str) -> URIRef:
        return REL[name_segment(lemma)]
