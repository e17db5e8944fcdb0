"""The knowledge graph as RDF, and back: one model, written and read here.

Model (``docs/rdf-model.md``): each entity is an IRI typed with a schema.org class, labelled,
with its aliases and external identifiers; each extraction is an ``rdf:Statement`` carrying
its argument phrases and heads (NIF), relation, qualifiers, confidence, rule and a
``prov:wasDerivedFrom`` link to its NIF sentence; the direct triple ``subject relation
object`` is asserted only for facts the article states itself, positively and without hedging.
A statement holds everything its ``Triple`` holds, so :func:`read_rdf` rebuilds the graph.

Writing: the model is described once, in a fixed order (subjects sorted, each subject's
predicates in the order below), in the terms of one syntax (:class:`_Terms`): :func:`rdf_model`
in N-Triples syntax, which pyoxigraph parses and writes as TriG, JSON-LD or canonical
N-Triples; :func:`turtle_by_document` in Turtle's, joined into what pyoxigraph's Turtle writer
writes, byte for byte, without a Python object per triple. Making the terms as text is what
makes a 1,000,000-triple export take seconds rather than minutes
(``benchmarks/rdf_serialise.py``), and the fixed order makes every export byte-identical for
the same graph.
"""

from __future__ import annotations

import json
import mmap
import multiprocessing
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache, partial
from itertools import groupby
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, URIRef

from extractors.errors import InputError
from extractors.triple import Argument, EntityRef, Provenance, Qualifiers, Relation, Triple
from graph.amounts import parse_amount
from graph.collector import paused
from graph.files import FileRange, piece_size, write_text_atomic
from graph.vocabulary import (
    DCTERMS,
    ENTITY_CLASSES,
    FIELD_SEPARATOR,
    ITSRDF,
    NG,
    NIF,
    PROV,
    SCHEMA,
    Vocabulary,
    portable_text,
)

if TYPE_CHECKING:
    from graph.cache import TurtleBlocks
    from graph.entities import AliasTable
    from graph.knowledge_graph import KnowledgeGraph

#: A subject's triples: each predicate followed by its object, in one flat list (a tuple for
#: each pair costs more than the rest of writing it).
Pairs = list[str]
#: A subject's term and its triples.
Subject = tuple[str, Pairs]
#: A node of a document's graph: its IRI in N-Triples syntax (what sorts the nodes, whatever
#: the syntax) and its term.
Node = tuple[str, str]
#: A term read back from an export.
Term = ox.NamedNode | ox.Literal

#: RDF serialisations, by the format names of ``newsgraph build --format``.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
#: Formats :func:`read_rdf` recognises by file suffix.
SUFFIX_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
                  ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD,
                  ".nq": ox.RdfFormat.N_QUADS}


def _iri(iri: str) -> str:
    return f"<{iri}>"


#: The model's predicates: the attribute of :class:`_Terms` that writes each, and its IRI.
_PREDICATES = {
    "A": RDF.type, "LABEL": RDFS.label, "ALT_LABEL": SKOS.altLabel, "SAME_AS": OWL.sameAs,
    "SUBJECT": RDF.subject, "PREDICATE": RDF.predicate, "OBJECT": RDF.object,
    "ANCHOR": NIF.anchorOf, "BEGIN": NIF.beginIndex, "END": NIF.endIndex,
    "REFERENCE": NIF.referenceContext, "IDENTIFIER": DCTERMS.identifier,
    "TITLE": DCTERMS.title, "SOURCE": DCTERMS.source, "DATE": DCTERMS.date, "URL": SCHEMA.url,
    "VALUE": SCHEMA.value, "CURRENCY": SCHEMA.currency, "UNIT_CODE": SCHEMA.unitCode,
    "UNIT_TEXT": SCHEMA.unitText, "DERIVED_FROM": PROV.wasDerivedFrom,
    "IDENT_REF": ITSRDF.taIdentRef,
}
#: The project's own properties (``graph/ontology.ttl``) among them, by local name.
_NG_PREDICATES = {
    "NER_LABEL": "nerLabel", "MENTION_COUNT": "mentionCount", "MENTIONED_IN": "mentionedIn",
    "RELATION_TEXT": "relationText", "RELATION_LEMMA": "relationLemma", "PASSIVE": "passive",
    "SUBJECT_PHRASE": "subjectPhrase", "OBJECT_PHRASE": "objectPhrase",
    "EXTRA_PHRASE": "extraPhrase", "HEAD": "head", "POSITION": "position",
    "NOMINAL": "nominal", "CONFIDENCE": "confidence", "ASSERTED": "asserted",
    "NEGATED": "negated", "AMOUNT": "amount", "RULE": "rule", "SEQUENCE": "sequence",
    "SENTENCE_INDEX": "sentenceIndex", "REFERS_TO": "refersTo",
}
_PREDICATES.update({name: NG[local] for name, local in _NG_PREDICATES.items()})
#: Qualifiers written as plain literals: ontology term -> ``Qualifiers`` field.
TEXT_QUALIFIERS = {"modality": "modality", "attributedTo": "attribution", "time": "time",
                   "location": "location"}
#: The values of TEXT_QUALIFIERS of a ``Qualifiers``, in order.
_text_qualifiers = attrgetter(*TEXT_QUALIFIERS.values())
_NO_TEXT_QUALIFIERS = (None,) * len(TEXT_QUALIFIERS)
#: The project's own properties (``graph/ontology.ttl``), by local name, in N-Triples syntax.
NG_TERMS = {local: _iri(NG[local]) for local in (*_NG_PREDICATES.values(), *TEXT_QUALIFIERS)}
#: The classes the model writes as objects: the attribute of :class:`_Terms`, and the IRI.
_CLASSES = {
    "STATEMENT": RDF.Statement, "PROPERTY": RDF.Property, "SEQ": RDF.Seq,
    "CONTEXT": NIF.Context, "SENTENCE": NIF.Sentence, "PHRASE": NIF.Phrase,
    "ARTICLE": SCHEMA.NewsArticle, "MONEY": SCHEMA.MonetaryAmount,
    "QUANTITY": SCHEMA.QuantitativeValue, "UNATTACHED": NG.UnattachedExtraction,
    "REFERENCE_CLASS": NG.EntityReference,
}
#: The class of an entity without one of ENTITY_CLASSES (made once: rdflib makes a new
#: URIRef at each ``SCHEMA.Thing``).
_THING = SCHEMA.Thing
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CANONICAL_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")


# What a quoted string escapes, as pyoxigraph escapes it in every syntax: so the text of a
# literal is the same in N-Triples and in Turtle, and both terms write it with _text.
_ESCAPED = re.compile('[\x00-\x1f"\\\\\x7f]')
_ESCAPES = str.maketrans({
    **{chr(code): f"\\u{code:04X}" for code in (*range(0x20), 0x7F)},
    "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"',
    "\\": "\\\\",
})


@lru_cache(maxsize=1 << 16)
def _text(value: str) -> str:
    r"""A plain literal, escaped as pyoxigraph escapes it (labels and names repeat: cached).

    >>> print(_text('say "hi"\tnow'))
    "say \"hi\"\tnow"
    """
    value = portable_text(value)
    if _ESCAPED.search(value):
        value = value.translate(_ESCAPES)
    return f'"{value}"'


@lru_cache(maxsize=1 << 14)
def _integer(value: int) -> str:
    """An ``xsd:integer``; integers and offsets are cached: a million literals of an export
    share a few thousand strings."""
    return f'"{value}"^^<{XSD.integer}>'


@lru_cache(maxsize=1 << 14)
def _index(value: int) -> str:
    """A character offset: NIF types them ``xsd:nonNegativeInteger``."""
    return f'"{value}"^^<{XSD.nonNegativeInteger}>'


@lru_cache(maxsize=1 << 14)
def _relation(lemma: str) -> str:
    """A relation's IRI in N-Triples syntax (made once: percent-encoding is slow)."""
    return _iri(Vocabulary.relation(lemma))


@lru_cache(maxsize=256)
def _member(number: int) -> str:
    """``rdf:_1``, ``rdf:_2`` ...: the container membership properties."""
    return _iri(RDF[f"_{number}"])


def _decimal_text(value: str) -> str:
    """``xsd:decimal`` in canonical form ("0.85", "1000000000.0"): exact, and readable Turtle.

    >>> [_decimal_text(value) for value in ("0.85", "1e-05", "1E+3", "-0.0", "7")]
    ['0.85', '0.00001', '1000.0', '-0.0', '7.0']
    """
    if _CANONICAL_DECIMAL.fullmatch(value):  # what str() of most numbers already is
        return value
    text = format(Decimal(value), "f")
    return text if "." in text else text + ".0"


class _Resolved(dict):
    """Values worked out once each by ``resolve``: ``resolved[key]`` asks it only the first
    time (looked up without a Python call: these are asked for hundreds of thousands of
    times in an export)."""

    def __init__(self, resolve: Callable[[Any], str]) -> None:
        super().__init__()
        self._resolve = resolve

    def __missing__(self, key: Any) -> str:
        found = self[key] = self._resolve(key)
        return found


class _Terms:
    """The terms of the model as N-Triples writes them (:class:`_TurtleTerms`: as Turtle does).

    The model is described once (:func:`_default_graph`, :func:`_document_graph` and the
    ``_pairs`` functions), in the terms of one of these: ``A``, ``LABEL`` ... (the keys of
    :data:`_PREDICATES`) as the syntax writes a predicate, ``STATEMENT``, ``PHRASE`` ... (of
    :data:`_CLASSES`) as it writes a term, and the methods below for everything else; a
    literal's quoted text (:func:`_text`) is the same in both. So the Turtle says what the
    N-Triples, TriG and JSON-LD (pyoxigraph's, from the N-Triples) say, and is written
    without turning each N-Triples term into Turtle after the fact. (The Turtle of a
    document's graph, nine tenths of an export, is written by :func:`_turtle_document`,
    which follows :func:`_document_graph` in these terms a subject at a time.)

    >>> terms = _Terms()
    >>> for term in (terms.LABEL, terms.integer(3), terms.decimal(2)):
    ...     print(term)
    <http://www.w3.org/2000/01/rdf-schema#label>
    "3"^^<http://www.w3.org/2001/XMLSchema#integer>
    "2.0"^^<http://www.w3.org/2001/XMLSchema#decimal>
    >>> terms.part(("<https://x.org/s/1>", "<https://x.org/s/1>"), "subject")[1]
    '<https://x.org/s/1-subject>'
    """

    integer = staticmethod(_integer)
    index = staticmethod(_index)
    relation = staticmethod(_relation)
    relation_predicate = staticmethod(_relation)
    member = staticmethod(_member)

    def __init__(self) -> None:
        # every confidence is a decimal: tens of thousands of them, most repeated
        self._decimals = _Resolved(self._decimal)
        for name, iri in _PREDICATES.items():
            setattr(self, name, self.predicate(iri))
        for name, iri in _CLASSES.items():
            setattr(self, name, self.iri(iri))
        #: The predicates of :data:`TEXT_QUALIFIERS` (their values: ``_text_qualifiers``).
        self.QUALIFIERS = [self.predicate(NG[term]) for term in TEXT_QUALIFIERS]
        self.TRUE, self.FALSE = (self.typed(value, XSD.boolean) for value in ("true", "false"))
        #: The classes of a document and of an entity reference.
        self.ARTICLE_CLASSES = self.objects(self.A, (self.CONTEXT, self.ARTICLE))
        self.REFERENCE_CLASSES = self.objects(self.A, (self.REFERENCE_CLASS, self.SEQ))

    def predicate(self, iri: str) -> str:
        """An IRI as a predicate."""
        return _iri(iri)

    def iri(self, iri: str) -> str:
        """An IRI as a subject or object."""
        return _iri(iri)

    def of_ntriples(self, iri: str) -> str:
        """An IRI given in N-Triples syntax (``<...>``), as a subject or object."""
        return iri

    def unique(self, iri: str) -> str:
        """:meth:`of_ntriples` of an IRI the model makes once (a statement, a sentence): not
        worth keeping."""
        return iri

    def statement_nodes(self, namespace: str) -> Callable[[str], Node]:
        """The node of each statement IRI of ``Vocabulary.statement_iri`` (``namespace``
        followed by a hash: lower-case hex digits)."""
        return _plain_node

    def typed(self, lexical: str, datatype: str) -> str:
        """A literal of ``datatype`` (an IRI)."""
        return f'"{lexical}"^^<{datatype}>'

    def objects(self, predicate: str, objects: Iterable[str]) -> Pairs:
        """``predicate`` with each of ``objects`` in turn: the only way the model gives a
        subject one predicate twice in a row, so that Turtle can say so without looking."""
        pairs: Pairs = []
        for obj in objects:
            pairs += predicate, obj
        return pairs

    def part(self, node: Node, name: str) -> Node:
        """``Vocabulary.part`` of a node: one per phrase, head, reference and amount of every
        statement, too many to pay for an rdflib IRI each. ``name`` is lower-case letters and
        digits."""
        iri = f"{node[0][:-1]}-{name}>"
        return iri, iri

    def decimal(self, value: Decimal | float) -> str:
        # str(value) keys the cache: equal numbers can be written differently (0.5, 0.50)
        return self._decimals[str(value)]

    def _decimal(self, value: str) -> str:
        return self.typed(_decimal_text(value), XSD.decimal)

    def date(self, value: str) -> str:
        """A ``YYYY-MM-DD`` date as ``xsd:date``; any other date text stays a plain string."""
        return self.typed(value, XSD.date) if _DATE.fullmatch(value) else _text(value)


def _plain_node(iri: str) -> Node:
    key = f"<{iri}>"
    return key, key


#: The model's terms in N-Triples (TriG, JSON-LD and N-Triples are written from them).
_NTRIPLES = _Terms()


# Turtle's PN_CHARS_U and PN_CHARS: what a prefixed name's local part holds unescaped.
_PN_CHARS_U = ("A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
               "\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
               "\U00010000-\U000EFFFF")
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_LOCAL_PLAIN = re.compile(f"[{_PN_CHARS_U}:0-9](?:[{_PN_CHARS}:.]*[{_PN_CHARS}:])?")
_LOCAL_FIRST = re.compile(f"[{_PN_CHARS_U}:0-9]")
_LOCAL_ESCAPABLE = "_~.-!$&'()*+,;=/?#@%"
# After the first character: what is escaped ("." only at the end), and what cannot be written.
_LOCAL_ESCAPES = str.maketrans({c: "\\" + c for c in _LOCAL_ESCAPABLE if c not in "_-."})
_LOCAL_UNWRITABLE = re.compile(f"[^{_PN_CHARS}:.{re.escape(_LOCAL_ESCAPABLE)}]")
# Datatypes whose valid values Turtle writes bare, and what a valid value looks like.
_BARE = {str(XSD.integer): re.compile(r"[+-]?[0-9]+"),
         str(XSD.decimal): re.compile(r"[+-]?[0-9]*\.[0-9]+"),
         str(XSD.boolean): re.compile("true|false")}


def _local_name(name: str) -> str | None:
    r"""A prefixed name's local part, escaped; ``None`` when it cannot be one (``oxttl``).

    >>> [_local_name(name) for name in ("ant_group", "doc#char=0,5", "-a.", "a b")]
    ['ant_group', 'doc\\#char\\=0\\,5', '\\-a\\.', None]
    """
    if _LOCAL_PLAIN.fullmatch(name):
        return name
    first, rest = name[0], name[1:]
    if not _LOCAL_FIRST.fullmatch(first):
        if first not in _LOCAL_ESCAPABLE:
            return None
        first = "\\" + first
    if _LOCAL_UNWRITABLE.search(rest):
        return None
    rest = rest.translate(_LOCAL_ESCAPES)
    return first + (rest[:-1] + "\\." if rest.endswith(".") else rest)


class _TurtleTerms(_Terms):
    """The terms as pyoxigraph's Turtle writer (``oxttl``) writes them: IRIs as prefixed
    names (the longest prefix whose local name can be written), ``rdf:type`` as ``a``, and
    integers, decimals and booleans bare. A predicate is written with what starts it after
    the subject's previous one (``" ;\\n\\t"``, the term, a space: see
    :func:`_turtle_subjects`). Each IRI is worked out once (``iri``, ``of_ntriples``,
    ``relation`` ... look the ones worked out up); ``prelude`` is the ``@prefix`` lines.

    >>> terms = _TurtleTerms({"rdfs": str(RDFS), "xsd": str(XSD), "s": "https://x.org/s/"})
    >>> terms.LABEL, terms.A, terms.integer(3), terms.index(3), terms.decimal(0.5)
    (' ;\\n\\trdfs:label ', ' ;\\n\\ta ', '3', '"3"^^xsd:nonNegativeInteger', '0.5')
    >>> terms.iri("https://x.org/s/1"), terms.iri("https://x.org/s/")
    ('s:1', 's:')
    >>> terms.part(("<https://x.org/s/1>", "s:1"), "subject")
    ('<https://x.org/s/1-subject>', 's:1-subject')
    """

    integer = staticmethod(str)  # Turtle's INTEGER: what _BARE finds in every int's str

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.prelude = _prelude(tuple(prefixes.items()))
        # When every namespace ends in "/" or "#", the namespaces an IRI starts with are those
        # its stem (up to its last "/" or "#") starts with: worked out once per stem, not once
        # per IRI (every sentence of a document shares one stem). Then too a statement's part
        # is written from the statement's own term (``part``).
        self._by_stem: dict[str, list[tuple[str, str]]] | None = (
            {} if all(namespace.endswith(("/", "#")) for _, namespace in self.prefixes)
            else None)
        self.of_ntriples = _Resolved(self._prefixed).__getitem__
        self.unique = self._prefixed
        self.iri = _Resolved(lambda iri: self.of_ntriples(f"<{iri}>")).__getitem__
        self.relation = _Resolved(lambda lemma: self.of_ntriples(_relation(lemma))).__getitem__
        self.relation_predicate = _Resolved(
            lambda lemma: f" ;\n\t{self.relation(lemma)} ").__getitem__
        self.member = _Resolved(lambda number: self.predicate(RDF[f"_{number}"])).__getitem__
        super().__init__()
        index_type = self.iri(XSD.nonNegativeInteger)
        self.index = _Resolved(lambda value: f'"{value}"^^{index_type}').__getitem__
        # How each kind of subject of a document's graph opens, after its term
        # (_turtle_statement): its class, and the predicate that always follows it.
        self.SENTENCE_OPEN = _opening(self.A, self.SENTENCE, self.ANCHOR)
        self.STATEMENT_OPEN = _opening(self.A, self.STATEMENT, self.SUBJECT)
        self.UNATTACHED_OPEN = _opening(self.A, self.UNATTACHED)
        self.PHRASE_OPEN = _opening(self.A, self.PHRASE, self.ANCHOR)
        self.REFERENCE_OPEN = _opening(*self.REFERENCE_CLASSES, self.LABEL)
        self.NOT_NOMINAL = self.NOMINAL + self.FALSE
        self.IS_PASSIVE = self.PASSIVE + self.TRUE

    def __reduce__(self):
        # for other processes: the prefixes, not what was worked out with them
        return _TurtleTerms, (dict(self.prefixes),)

    def predicate(self, iri: str) -> str:
        return f" ;\n\t{'a' if str(iri) == str(RDF.type) else self.iri(iri)} "

    def objects(self, predicate: str, objects: Iterable[str]) -> Pairs:
        # Turtle's "," in place of the predicate repeated (what pyoxigraph writes)
        pairs: Pairs = []
        for obj in objects:
            pairs += predicate, obj
            predicate = " , "
        return pairs

    def typed(self, lexical: str, datatype: str) -> str:
        bare = _BARE.get(str(datatype))
        if bare is not None and bare.fullmatch(lexical):
            return lexical
        return f'"{lexical}"^^{self.iri(datatype)}'

    def statement_nodes(self, namespace: str) -> Callable[[str], Node]:
        """Statement terms made from the namespace's: ``stmt:`` and the hash.

        With namespaces that end in "/" or "#", every IRI of ``namespace`` without "/" or "#"
        after it starts with the same namespaces, and a hash can follow whatever local name
        the longest one writable leaves (the same as for the hash ``0``) unescaped.
        """
        written = self.of_ntriples(f"<{namespace}0>")
        if self._by_stem is None or written[-1] == ">":
            return self._prefixed_node
        start, prefix = len(namespace), written[:-1]

        def node(iri: str) -> Node:
            return f"<{iri}>", prefix + iri[start:]
        return node

    def _prefixed_node(self, iri: str) -> Node:
        key = f"<{iri}>"
        return key, self._prefixed(key)

    def part(self, node: Node, name: str) -> Node:
        """The part's term made from the node's: ``stmt:1f0c`` -> ``stmt:1f0c-subject``.

        With namespaces that end in "/" or "#", ``-name`` changes neither the namespaces the
        IRI starts with nor which of them can write it; it leaves the escapes of the local
        name as they were unless that ends with an escaped "." (only escaped at the end) or
        is empty (then "-" would start it): those are worked out again from the IRI.
        """
        key, term = node
        last = term[-1]
        if last == ">":
            return f"{key[:-1]}-{name}>", f"{term[:-1]}-{name}>"
        if last == ":" or last == "." or self._by_stem is None:
            iri = f"{key[:-1]}-{name}>"
            return iri, self.of_ntriples(iri)
        return f"{key[:-1]}-{name}>", f"{term}-{name}"

    def _prefixed(self, nt: str) -> str:
        """The Turtle form of an N-Triples IRI."""
        iri = nt[1:-1]
        if self._by_stem is None:
            namespaces = [item for item in self.prefixes if iri.startswith(item[1])]
        else:
            stem = iri[:max(iri.rfind("/"), iri.rfind("#")) + 1]
            namespaces = self._by_stem.get(stem)
            if namespaces is None:
                namespaces = self._stem(stem)
        for name, namespace in namespaces:
            local = iri[len(namespace):]
            escaped = _local_name(local) if local else ""
            if escaped is not None:
                return f"{name}:{escaped}"
        return nt

    def _stem(self, stem: str) -> list[tuple[str, str]]:
        """The ``(prefix, namespace)`` pairs, longest first, whose namespace IRIs of ``stem``
        start with (kept in ``_by_stem``)."""
        found = self._by_stem[stem] = [item for item in self.prefixes if stem.startswith(item[1])]
        return found


def _opening(*pairs: str) -> str:
    """A subject's triples in Turtle, as they follow its term: the first predicate follows
    the term, not a " ;" (:func:`_turtle_subject`)."""
    return "".join(pairs)[len(" ;\n\t"):]


@lru_cache(maxsize=8)
def _prelude(prefixes: tuple[tuple[str, str], ...]) -> str:
    """The ``@prefix`` lines pyoxigraph starts a Turtle file with (in its own order)."""
    probe = ox.Triple(ox.NamedNode("urn:newsgraph:s"), ox.NamedNode("urn:newsgraph:p"),
                      ox.NamedNode("urn:newsgraph:o"))
    text = ox.serialize([probe], format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes)).decode()
    return "".join(line + "\n" for line in text.splitlines() if line.startswith("@prefix "))


@dataclass(slots=True)
class Described:
    """The triples of one subject, and the named graph they go in (TriG), in the terms of
    one syntax (:class:`_Terms`)."""

    subject: str
    pairs: Pairs
    graph: str = ""


def rdf_model(kg: KnowledgeGraph, base_iri: str | None = None) -> Iterator[Described]:
    """Every subject of the export with its triples, in writing order, in N-Triples syntax.

    Documents, entities and relations are in the default graph; each document's statements,
    their parts and its sentences in a named graph named after the document (what TriG shows;
    the other formats ignore graph names). The subjects are made as they are written: the
    default graph, then one document's graph at a time, so that the whole model (about a
    gigabyte of small tuples for the 2,225 BBC articles) is never in memory at once.
    """
    for subject, pairs, graph in _model(kg, Vocabulary(base_iri), _NTRIPLES):
        yield Described(subject, pairs, graph)


def _model(kg: KnowledgeGraph, vocab: Vocabulary,
           terms: _Terms) -> Iterator[tuple[str, Pairs, str]]:
    """:func:`rdf_model` in the syntax of ``terms``: ``(subject, pairs, graph)``."""
    # Hundreds of thousands of tuples and lists, none in a cycle, each dropped soon after it
    # is written: the cycle collector would only walk them (and the graph) again and again.
    with paused():
        entities = {key: f"<{vocab.entity_iri(key)}>" for key in kg.nx}
        default = _default_graph(kg, vocab, entities, terms)
        statements: dict[str, list] = defaultdict(list)
        document_of = _documents(vocab)
        for statement in _numbered(vocab, _extractions(kg, entities)):
            statements[document_of[statement[1].provenance.doc_id]].append(statement)
        for subject, pairs in default:
            yield subject, pairs, ""
        del default
        for document in sorted(statements):
            graph = terms.of_ntriples(document)
            for subject, pairs in _document_graph(terms, vocab, statements.pop(document)):
                yield subject, pairs, graph


def turtle_by_document(kg: KnowledgeGraph, base_iri: str | None = None,
                       blocks: TurtleBlocks | None = None, *, n_process: int = 1
                       ) -> Iterator[str | bytes | memoryview | FileRange]:
    """The Turtle of the graph, in pieces that ``graph.files.write_texts_atomic`` writes as
    byte for byte what pyoxigraph writes from :func:`rdf_model` (with ``n_process`` 1 and no
    ``blocks``, text that ``"".join`` gives it as): the ``@prefix`` lines and the default
    graph's subjects, then one piece per document's graph (:func:`document_turtle`); none
    for an empty graph.

    The pieces are made as they are taken, so that a writer that takes each and lets it go
    never holds the export whole (the BBC corpus's is 297 MB): the documents' pieces are
    written one after another, or a round of them at a time in processes.

    ``blocks`` (``graph.cache.TurtleBlocks``) keeps the piece of each document between
    builds: a piece depends only on the document's extractions, where they sit in the merge
    order and the entities at both ends of their statements, so a rebuild that changes none
    of these for a document copies its piece from the previous export (a
    ``graph.files.FileRange``) instead of writing it again, and tells ``blocks`` where each
    piece will sit in the new one (as each is taken: take them all before the export is
    saved). Where the extractions only moved along the merge order
    together (an article added, edited or removed before the document), the piece is the
    old one with its sequence numbers moved (:func:`_moved_sequences`, ``bytes``). The
    pieces not kept are written in ``n_process``
    processes when there are enough of them (:func:`_written_pieces`); the text is the same
    whatever the number. With ``blocks``, the documents' pieces that are written come UTF-8
    encoded (``bytes``); those that worker processes wrote come UTF-8 encoded in any case,
    as views (``memoryview``) of the shared memory they were put in (:class:`_SharedPieces`).
    """
    vocab = Vocabulary(base_iri)
    terms = _TurtleTerms(vocab.prefixes)
    with paused():  # as in rdf_model (and so while the pieces are taken, too)
        if any(FIELD_SEPARATOR in doc_id for doc_id in kg.documents):
            # Statement IRIs are numbered apart (document_turtle) only within a document;
            # that is exact only when no document id holds the hash's field separator, else
            # two documents' statements could share an IRI: number them over the whole graph.
            model = ((subject, pairs) for subject, pairs, _ in _model(kg, vocab, terms))
            yield from _after_prelude(terms.prelude, _turtle_subjects(model))
            return
        entities = {key: f"<{vocab.entity_iri(key)}>" for key in kg.nx}
        by_document: dict[str, list[Extraction]] = defaultdict(list)
        document_of = _documents(vocab)
        for extraction in _extractions(kg, entities):
            by_document[document_of[extraction[0].provenance.doc_id]].append(extraction)
        documents = [by_document.pop(document) for document in sorted(by_document)]
        keys = [blocks.key(extractions) if blocks is not None else None
                for extractions in documents]
        sequence = terms.SEQUENCE.encode("utf-8")
        found = [blocks.get(key, extractions[0][1],
                            partial(_moved_sequences, sequence,
                                    [number for _, number, _ in extractions]))
                 if key is not None else None
                 for key, extractions in zip(keys, documents, strict=True)]
        missing = [i for i, piece in enumerate(found) if piece is None]
        known, kept = (blocks.known, blocks.entities) if blocks is not None else (None, None)
        default = _DefaultTurtle(kg, vocab, entities, terms, known, kept)
        written = _written_pieces(vocab, documents, missing, terms, n_process, default)
        head: list[str] = next(written)
        if len(head) == 1 and not documents:
            return
        start = 0
        for piece in head:
            if blocks is not None:  # where each document's piece will sit, for the next build
                piece = piece.encode("utf-8")
                start += len(piece)
            yield piece
        del head
        for i, (key, extractions) in enumerate(zip(keys, documents, strict=True)):
            piece = found[i]
            if piece is None:
                piece = next(written)
            elif type(piece) is not FileRange:  # a block whose numbers are to be moved
                piece = piece() or document_turtle(vocab, extractions, terms)
            if blocks is not None and type(piece) is str:
                piece = piece.encode("utf-8")
            if key is not None:
                blocks.place(key, start, piece, extractions[0][1])
                start += piece_size(piece)
            yield piece


def _after_prelude(prelude: str, subjects: Iterable[str]) -> Iterator[str]:
    """``prelude`` and ``subjects``, or nothing when there is no subject."""
    subjects = iter(subjects)
    first = next(subjects, None)
    if first is not None:
        yield prelude
        yield first
        yield from subjects


def _moved_sequences(sequence: bytes, numbers: list[int], piece: bytes,
                     by: int) -> bytes | None:
    r"""A document's Turtle (UTF-8) with each statement's ``ng:sequence`` number moved by
    ``by`` (``sequence``: how that predicate is written, from the ``" ;"`` before it to the
    space after it), or ``None`` unless the numbers it then holds are ``numbers`` (those of
    the document's extractions now, in any order: a check of the cache's word).

    Nowhere else can those bytes occur: a literal's line breaks and tabs are escaped, and an
    IRI has none. The rest of a document's Turtle does not depend on where its extractions
    are in the merge order (statement IRIs are hashes of the triples, numbered apart within
    the document; subjects are sorted by IRI), so this is the piece written afresh.

    >>> at = b" ;\n\tng:sequence "
    >>> _moved_sequences(at, [0, 2], b"a" + at + b"9 .\nb" + at + b"7 .", -7)
    b'a ;\n\tng:sequence 2 .\nb ;\n\tng:sequence 0 .'
    >>> _moved_sequences(at, [0, 1], b"a" + at + b"9 .\nb" + at + b"7 .", -7) is None
    True
    """
    parts = piece.split(sequence)
    if len(parts) != len(numbers) + 1:
        return None
    moved: list[bytes | memoryview] = [parts[0]]
    found = []
    for part in parts[1:]:
        end = part.find(b" ")
        if end < 1 or not part[:end].isdigit():
            return None
        found.append(int(part[:end]) + by)
        moved += sequence, b"%d" % found[-1], memoryview(part)[end:]
    return b"".join(moved) if sorted(found) == sorted(numbers) else None


@dataclass(frozen=True, slots=True)
class _DefaultTurtle:
    """The ``@prefix`` lines and the default graph's subjects, to write (call it) when the
    document writers are busy."""

    kg: KnowledgeGraph
    vocab: Vocabulary
    entities: dict[str, str]
    terms: _TurtleTerms
    #: ``_default_graph``'s subjects of entities from before, and those it gives now.
    known: Mapping[str, Subject] | None = None
    kept: dict[str, Subject] | None = None

    def __call__(self) -> list[str]:
        t = self.terms
        return [t.prelude, *_turtle_subjects(_default_graph(
            self.kg, self.vocab, self.entities, t, self.known, self.kept))]


#: Fewest documents to write whose Turtle is worth worker processes: forking a worker from a
#: build of a few hundred MB and ending it costs 0.05-0.2 s of CPU; a BBC article's piece
#: takes about 5 ms, so a second process pays for itself from some 40 documents.
PARALLEL_DOCUMENTS = 100
#: Most documents written while one set of workers lives. A page that this process or a
#: worker writes while they share it (a reference count is a write) is copied: measured on
#: 300 BBC articles with two processes, 80 MB plus 0.19 MB per document written, which would
#: be 500 MB for the whole corpus at once. Workers forked afresh for each round of this many
#: documents keep it near 300 MB, for a fork per round (about 0.1 s). Whole BBC builds with
#: two processes (session 15): rounds of 500 documents, five rounds, Turtle 3.61 s; two
#: rounds 3.33 s; one round 3.18 s, but a peak of 1,151 MiB PSS against 965-980 MiB.
ROUND_DOCUMENTS = 1200
#: Documents a writer takes at a time in a round: few, so that the writers finish within a
#: few documents of each other; neighbours, so that two writers seldom touch (and copy) the
#: same pages of the extractions.
CLAIM_DOCUMENTS = 4
# What a forked writer inherits from the process that forked it (set in the worker only).
_inherited: _Round | None = None


def _written_pieces(vocab: Vocabulary, documents: list[list[Extraction]], which: list[int],
                    terms: _TurtleTerms, n_process: int,
                    default: _DefaultTurtle) -> Iterator[list[str] | str | memoryview]:
    """The pieces of ``default`` (first, as one list), then :func:`document_turtle` of
    ``documents[i]`` for each ``i`` of ``which``, in order, each made as it is taken: here,
    or, with ``n_process`` > 1 and at least :data:`PARALLEL_DOCUMENTS` of them, here and in
    ``n_process - 1`` forked processes, in equal rounds of at most :data:`ROUND_DOCUMENTS`,
    a round at a time (the Turtle export runs on this machine even when extraction ran on a
    Dask cluster). This process writes ``default`` while the workers of the first round
    start on the documents.

    The workers are forked only now, so that they inherit the graph's extractions as they
    are (pages shared with this process until written) and only positions cross between
    processes (the pieces' text is in shared memory, let go with the round's last piece).
    Nothing else of the build runs in another thread at this point (the extraction pool is
    shut down, the progress bar has no monitor thread), and the workers run only pure Python
    over what they inherited.
    """
    if n_process <= 1 or len(which) < PARALLEL_DOCUMENTS:
        yield default()
        for i in which:
            yield document_turtle(vocab, documents[i], terms)
        return
    rounds = -(-len(which) // ROUND_DOCUMENTS)
    size = -(-len(which) // rounds)
    for start in range(0, len(which), size):
        written, run = _round(vocab, documents, which[start:start + size], terms, n_process,
                              None if start else default)
        if not start:
            yield written
        run.reverse()
        while run:  # each piece let go as it is taken, and the round's memory with the last
            yield run.pop()


def _round(vocab: Vocabulary, documents: list[list[Extraction]], which: list[int],
           terms: _TurtleTerms, n_process: int,
           default: _DefaultTurtle | None) -> tuple[list[str], list[str | memoryview]]:
    """One round of :func:`_written_pieces` in processes: the pieces of ``default`` (written
    here first) and of the documents of ``which``, which this process and ``n_process - 1``
    forked workers take :data:`CLAIM_DOCUMENTS` at a time, in order, from a counter in
    shared memory (:func:`_claimed_pieces`), until none is left.

    Every writer keeps taking documents until the round is done, so all finish within a few
    documents of each other, whatever each one's speed and however long ``default`` takes.
    Runs cut in advance by extraction count (until session 10) left the worker waiting
    0.1-0.3 s a round for this process; handing out chunks through the executor left the
    worker idle most of the time, as every chunk and result passed through the executor's
    threads, which wait for the interpreter while this process writes. Here the writers
    share nothing but the counter and a buffer of shared memory (:class:`_SharedPieces`),
    into which a worker puts its pieces, UTF-8 encoded, as it writes them: this process
    takes them from there as they are (views of it, ``memoryview``), where receiving them as
    text at the end of the round kept it 0.1-0.5 s a round.
    """
    context = multiprocessing.get_context("fork")
    taken = context.Value("q", 0)  # positions in `which` handed out so far
    shared = _SharedPieces.of(context, sum(len(documents[i]) for i in which))
    inherited: _Round = (vocab, documents, terms, which, taken, shared)
    with ProcessPoolExecutor(n_process - 1, mp_context=context, initializer=_inherit,
                             initargs=(inherited,)) as pool:
        theirs = [pool.submit(_forked_pieces) for _ in range(n_process - 1)]
        written = default() if default else []
        pieces: dict[int, str | memoryview] = dict(
            _claimed_pieces(vocab, documents, terms, which, taken))
        for future in theirs:
            pieces.update(shared.pieces(future.result()))
    return written, [pieces[position] for position in range(len(which))]


def _claimed_pieces(vocab: Vocabulary, documents: list[list[Extraction]],
                    terms: _TurtleTerms, which: list[int],
                    taken: Any) -> Iterator[tuple[int, str]]:
    """``(position, piece)`` for documents of ``which`` taken :data:`CLAIM_DOCUMENTS` at a
    time from the shared counter ``taken`` until it passes the end."""
    while True:
        with taken.get_lock():
            start = taken.value
            taken.value = start + CLAIM_DOCUMENTS
        if start >= len(which):
            return
        for position in range(start, min(start + CLAIM_DOCUMENTS, len(which))):
            yield position, document_turtle(vocab, documents[which[position]], terms)


#: Bytes of shared memory a round sets aside per extraction of its documents for the pieces
#: its workers write (:class:`_SharedPieces`): an extraction of the BBC corpus takes 1.85 KB
#: of Turtle on average. Only the pages written take memory (the whole counts against the
#: kernel's commit limit where one is enforced; ``MAP_NORESERVE`` where Python has it).
SHARED_BYTES_PER_EXTRACTION = 8192


@dataclass(frozen=True, slots=True)
class _SharedPieces:
    """Anonymous shared memory, mapped before the workers of a round are forked, into which
    they put the pieces they write, one after another (``used``: the bytes taken so far,
    shared too). A piece that does not fit comes back as text instead."""

    buffer: mmap.mmap | None
    used: Any

    @classmethod
    def of(cls, context: Any, extractions: int) -> _SharedPieces:
        """A buffer for the pieces of documents with ``extractions`` extractions in all
        (none where the system refuses the mapping: every piece then comes back as text)."""
        try:
            buffer = mmap.mmap(-1, max(1, extractions) * SHARED_BYTES_PER_EXTRACTION,
                               flags=mmap.MAP_SHARED | getattr(mmap, "MAP_NORESERVE", 0))
        except OSError:
            buffer = None
        return cls(buffer, context.Value("q", 0))

    def put(self, piece: str) -> str | tuple[int, int]:
        """Where ``piece`` now is in the buffer (start, end), or ``piece`` if it did not fit
        (in a worker)."""
        if self.buffer is None:
            return piece
        data = piece.encode("utf-8")
        with self.used.get_lock():
            start = self.used.value
            self.used.value = start + len(data)
        if start + len(data) > len(self.buffer):
            return piece
        self.buffer[start:start + len(data)] = data
        return start, start + len(data)

    def pieces(self, placed: list[tuple[int, str | tuple[int, int]]]
               ) -> Iterator[tuple[int, str | memoryview]]:
        """``(position, piece)`` from what a worker sent back (:meth:`put`)."""
        view = memoryview(self.buffer) if self.buffer is not None else None
        for position, piece in placed:
            yield position, piece if type(piece) is str else view[piece[0]:piece[1]]


def _inherit(inherited: _Round) -> None:
    global _inherited
    _inherited = inherited


def _forked_pieces() -> list[tuple[int, str | tuple[int, int]]]:
    *claimed, shared = _inherited
    return [(position, shared.put(piece)) for position, piece in _claimed_pieces(*claimed)]


def document_turtle(vocab: Vocabulary, extractions: list[Extraction],
                    terms: _TurtleTerms | None = None) -> str:
    """The Turtle of one document's graph (its sentences, statements and their parts): what
    :func:`turtle_by_document` writes for those subjects, without the ``@prefix`` lines.

    A pure function of its arguments, so that documents can be written in any order or in
    other processes: ``extractions`` are every extraction of the document in merge order
    (:func:`_extractions`), ``terms`` the Turtle terms worked out so far (a fresh set when
    ``None``; sharing one between documents saves working the same IRIs out again).
    """
    terms = terms or _TurtleTerms(vocab.prefixes)
    return _turtle_document(terms, vocab, _numbered(vocab, extractions))


def _documents(vocab: Vocabulary) -> _Resolved:
    """Document ids to their IRIs in N-Triples syntax (what groups and sorts the statements)."""
    return _Resolved(lambda doc_id: _iri(vocab.document(doc_id)))


def _default_graph(kg: KnowledgeGraph, vocab: Vocabulary, entities: dict[str, str],
                   t: _Terms, known: Mapping[str, Subject] | None = None,
                   kept: dict[str, Subject] | None = None) -> list[Subject]:
    """Documents, entities and relations, sorted by IRI (``entities``: each node's IRI in
    N-Triples syntax).

    ``known`` holds the subjects of entities as an earlier call with the same terms gave
    them (``graph.cache``: those of the cache's snapshot of the graph): an entity not in
    ``kg.changed`` since then is taken from it, not described again. ``kept`` is given the
    subject of every entity, by node key.
    """
    described: dict[str, Subject] = {}  # by N-Triples IRI, whatever the syntax: the order
    for doc_id, meta in kg.documents.items():
        document = vocab.document(doc_id)
        described.setdefault(_iri(document), (t.iri(document), _document_pairs(t, doc_id, meta)))
    documents = _Resolved(lambda doc_id: t.iri(vocab.document(doc_id)))
    changed = kg.changed
    successors = kg.nx._succ  # networkx's storage: node -> object -> {relation: edge}
    for key, node in kg.nx.nodes(data=True):
        iri = entities[key]
        subject = known.get(key) if known is not None and key not in changed else None
        if subject is None:
            pairs = _entity_pairs(t, documents, node)
            objects = successors[key]
            if objects:
                direct = sorted([(_relation(relation), entities[obj], relation)
                                 for obj, edges in objects.items()
                                 for relation, edge in edges.items() if edge["asserted"]])
                # the objects of one relation in a row (sorted by its IRI)
                for _, edges in groupby(direct, key=itemgetter(0)):
                    edges = list(edges)
                    pairs += t.objects(t.relation_predicate(edges[0][2]),
                                       [t.of_ntriples(obj) for _, obj, _ in edges])
            subject = (t.of_ntriples(iri), pairs)
        if kept is not None:
            kept[key] = subject
        described.setdefault(iri, subject)
    lemmas = {relation for objects in successors.values() for edges in objects.values()
              for relation in edges}
    for lemma in sorted(lemmas):
        described.setdefault(_relation(lemma),
                             (t.relation(lemma), [t.A, t.PROPERTY, t.LABEL, _text(lemma)]))
    return [described[subject] for subject in sorted(described)]


def _document_graph(t: _Terms, vocab: Vocabulary, statements: list) -> list[Subject]:
    """A document's sentences, statements and their parts (``statements`` from
    :func:`_numbered`, all of one document): sentences in text order, each followed by the
    nodes of its statements sorted by IRI."""
    document = t.iri(vocab.document(statements[0][1].provenance.doc_id))
    statement_node = t.statement_nodes(vocab.statements)
    described = []
    for sentence, p, its in _by_sentence(t, vocab, statements):
        described.append((sentence, _sentence_pairs(t, p, document)))
        parts: list[Part] = []  # by N-Triples IRI: what sorts them, whatever the syntax
        for statement, triple, sequence, ends in its:
            _statement_parts(t, parts, statement_node(statement), triple, sequence, ends,
                             document, sentence)
        # the statements of a document have IRIs of their own (_numbered), so no two parts
        # share one: sorted by IRI alone
        parts.sort()
        described += [subject for _, subject in parts]
    return described


def _by_sentence(t: _Terms, vocab: Vocabulary,
                 statements: list) -> list[tuple[str, Provenance, list]]:
    """The sentences of ``statements`` (from :func:`_numbered`, of one document) in text
    order: each one's term, the provenance of its first statement and its statements."""
    sentences: dict[tuple[int, int], tuple[str, Provenance, list]] = {}
    for statement in statements:
        p = statement[1].provenance
        place = (p.sentence_start, p.sentence_end)
        found = sentences.get(place)
        if found is None:
            sentence = t.unique(_iri(vocab.sentence_iri(p.doc_id, *place)))
            found = sentences[place] = (sentence, p, [])
        found[2].append(statement)
    return [sentences[place] for place in sorted(sentences)]


def _document_pairs(t: _Terms, doc_id: str, meta: dict[str, Any]) -> Pairs:
    pairs: Pairs = [*t.ARTICLE_CLASSES, t.IDENTIFIER, _text(doc_id)]
    if meta.get("title") is not None:
        pairs += t.TITLE, _text(meta["title"])
    if meta.get("source") is not None:
        pairs += t.SOURCE, _text(meta["source"])
    if meta.get("date") is not None:
        pairs += t.DATE, t.date(meta["date"])
    if meta.get("url") is not None:
        # an IRI when it is one; any other text stays a literal
        pairs += t.URL, (t.iri(meta["url"]) if Vocabulary.is_iri(meta["url"])
                         else _text(meta["url"]))
    return pairs


def _entity_pairs(t: _Terms, documents: _Resolved, node: dict[str, Any]) -> Pairs:
    """An entity's triples (``documents``: the term of each document id)."""
    pairs: Pairs = [t.A, t.iri(ENTITY_CLASSES.get(node["type"], _THING)),
                    t.LABEL, _text(node["label"])]
    label = node["label"]
    pairs += t.objects(t.ALT_LABEL, [_text(alias) for alias in node["aliases"] if alias != label])
    pairs += t.objects(t.SAME_AS, [t.iri(iri) for iri in sorted(node.get("same_as", ()))])
    if node["type"]:
        pairs += t.NER_LABEL, _text(node["type"])
    pairs += t.MENTION_COUNT, t.integer(node["mentions"])
    pairs += t.objects(t.MENTIONED_IN, [documents[doc_id] for doc_id in node["documents"]])
    return pairs


#: One extraction as its document's graph shows it: the triple, its place in the merge order
#: (``ng:sequence``) and the IRIs (N-Triples syntax) of the subject and object entities of the
#: edge it supports, or ``None`` when it supports none (an unattached extraction).
Extraction = tuple[Triple, int, tuple[str, str] | None]
#: What every Turtle writer of a round (``_round``) works from: the vocabulary, every
#: document's extractions, the Turtle terms, the documents of the round, the shared counter
#: of those taken and the shared memory the workers put their pieces in.
_Round = tuple[Vocabulary, list[list[Extraction]], _TurtleTerms, list[int], Any, _SharedPieces]


def _extractions(kg: KnowledgeGraph, entities: dict[str, str]) -> list[Extraction]:
    """Every triple in the order the graph merged it, once per edge it supports ("these
    companies were fined" supports one edge per company), or once unattached; ``entities``
    maps each node to its IRI."""
    edges_of: dict[int, list[tuple[str, str]]] = {}
    # networkx's storage: subject -> object -> {relation: edge}; a triple is evidence of one
    # relation, so of one edge between two nodes, maybe more than once (merged twice)
    for subject_id, objects in kg.nx._succ.items():
        for object_id, edges in objects.items():
            pair = (subject_id, object_id)
            for edge in edges.values():
                for triple in edge["evidence"]:
                    found = edges_of.get(id(triple))
                    if found is None:
                        edges_of[id(triple)] = [pair]
                    elif found[-1] is not pair:
                        found.append(pair)
    extractions: list[Extraction] = []
    for sequence, triple in enumerate(kg.merged):
        pairs = edges_of.get(id(triple))
        if pairs is None:
            extractions.append((triple, sequence, None))
        else:
            extractions += [(triple, sequence, (entities[s], entities[o]))
                            for s, o in sorted(pairs)]
    return extractions


def _numbered(vocab: Vocabulary, extractions: list[Extraction]):
    """``(statement IRI, triple, sequence, ends)`` for each of ``extractions``.

    Statements of one extraction, or of an extraction merged twice, share a hash: they are
    numbered in the merge order, which a re-import repeats, so the IRIs come out the same.
    The hash starts with the document id and a separator, so only statements of one document
    can share one, and numbering a document's extractions alone gives the IRIs that
    numbering the whole graph's does (when no id holds the separator).
    """
    iris = [vocab.statement_iri(triple) for triple, _, _ in extractions]
    if len(set(iris)) < len(iris):  # a set tells it quicker than a list per IRI would
        clashes: dict[str, list[int]] = defaultdict(list)
        for i, iri in enumerate(iris):
            clashes[iri].append(i)
        for clashing in clashes.values():
            for ordinal, i in enumerate(clashing[1:], start=1):
                iris[i] = vocab.statement_iri(extractions[i][0], ordinal)
    return [(iri, triple, sequence, ends)
            for iri, (triple, sequence, ends) in zip(iris, extractions, strict=True)]


def _sentence_pairs(t: _Terms, p: Provenance, document: str) -> Pairs:
    return [t.A, t.SENTENCE, t.ANCHOR, _text(p.sentence),
            t.BEGIN, t.index(p.sentence_start), t.END, t.index(p.sentence_end),
            t.REFERENCE, document, t.SENTENCE_INDEX, t.integer(p.sentence_index)]


#: A node of a document's graph with its triples: its N-Triples IRI, its term and pairs.
Part = tuple[str, Subject]


def _statement_parts(t: _Terms, parts: list[Part], node: Node, triple: Triple,
                     sequence: int, ends: tuple[str, str] | None, document: str,
                     sentence: str) -> None:
    """The statement node and the nodes of its phrases and amount, added to ``parts``."""
    q = triple.qualifiers
    relation = triple.relation
    if ends is None:
        subject_entity = object_entity = None
        pairs: Pairs = [t.A, t.UNATTACHED]
    else:
        subject_entity, object_entity = t.of_ntriples(ends[0]), t.of_ntriples(ends[1])
        pairs = [t.A, t.STATEMENT, t.SUBJECT, subject_entity,
                 t.PREDICATE, t.relation(relation.lemma), t.OBJECT, object_entity]
    pairs += t.RELATION_TEXT, _text(relation.text), t.RELATION_LEMMA, _text(relation.lemma)
    if relation.passive:
        pairs += t.PASSIVE, t.TRUE
    subject, obj = t.part(node, "subject"), t.part(node, "object")
    pairs += t.SUBJECT_PHRASE, subject[1], t.OBJECT_PHRASE, obj[1]
    parts.append((node[0], (node[1], pairs)))
    _phrase_parts(t, parts, subject, triple.subject, document, subject_entity, None)
    _phrase_parts(t, parts, obj, triple.object, document, object_entity, None)
    if triple.extras:
        phrases = [t.part(node, f"extra{position}")
                   for position in range(1, len(triple.extras) + 1)]
        pairs += t.objects(t.EXTRA_PHRASE, [phrase[1] for phrase in phrases])
        for position, (phrase, extra) in enumerate(zip(phrases, triple.extras, strict=True),
                                                   start=1):
            _phrase_parts(t, parts, phrase, extra, document, None, position)
    pairs += (t.CONFIDENCE, t.decimal(triple.confidence),
              t.ASSERTED, t.TRUE if q.asserted else t.FALSE,
              t.NEGATED, t.TRUE if q.negated else t.FALSE)
    qualifiers = _text_qualifiers(q)
    if qualifiers != _NO_TEXT_QUALIFIERS:
        for term, value in zip(t.QUALIFIERS, qualifiers, strict=True):
            if value is not None:
                pairs += term, _text(value)
    if q.amount is not None:
        amount = t.part(node, "amount")
        pairs += t.AMOUNT, amount[1]
        parts.append((amount[0], (amount[1], _amount_pairs(t, q.amount))))
    pairs += (t.RULE, _text(triple.provenance.rule), t.SEQUENCE, t.integer(sequence),
              t.DERIVED_FROM, sentence)


def _phrase_parts(t: _Terms, parts: list[Part], phrase: Node, argument: Argument,
                  document: str, entity: str | None, position: int | None) -> None:
    """A phrase's node and the nodes of its head and references, added to ``parts``."""
    head = t.part(phrase, "head")
    pairs = [t.A, t.PHRASE, t.ANCHOR, _text(argument.text),
             t.BEGIN, t.index(argument.start), t.END, t.index(argument.end),
             t.REFERENCE, document, t.HEAD, head[1]]
    if not argument.nominal:
        pairs += t.NOMINAL, t.FALSE
    if position is not None:
        pairs += t.POSITION, t.integer(position)
    head_pairs = [t.A, t.PHRASE, t.ANCHOR, _text(argument.head),
                  t.BEGIN, t.index(argument.head_start), t.END, t.index(argument.head_end),
                  t.REFERENCE, document]
    if argument.entity_type is not None:
        head_pairs += t.NER_LABEL, _text(argument.entity_type)
    if entity is not None:
        head_pairs += t.IDENT_REF, entity
    parts += (phrase[0], (phrase[1], pairs)), (head[0], (head[1], head_pairs))
    if argument.entities:
        references = [t.part(phrase, f"ref{number}")
                      for number in range(1, len(argument.entities) + 1)]
        pairs += t.objects(t.REFERS_TO, [reference[1] for reference in references])
        numbered = enumerate(zip(references, argument.entities, strict=True), start=1)
        parts += [(reference[0], (reference[1], _reference_pairs(t, ref, number)))
                  for number, (reference, ref) in numbered]


def _reference_pairs(t: _Terms, ref: EntityRef, position: int) -> Pairs:
    """What coreference resolved an argument to: label, type and the document's names for
    the entity, in order, as the members of an ``rdf:Seq``."""
    pairs: Pairs = [*t.REFERENCE_CLASSES, t.LABEL, _text(ref.label)]
    if ref.entity_type is not None:
        pairs += t.NER_LABEL, _text(ref.entity_type)
    pairs += t.POSITION, t.integer(position)
    for number, name in enumerate(ref.names, start=1):
        pairs += t.member(number), _text(name)
    return pairs


def _amount_pairs(t: _Terms, text: str) -> Pairs:
    amount = parse_amount(text)
    if amount is None:
        return [t.A, t.QUANTITY, t.LABEL, _text(text)]
    pairs: Pairs = [t.A, t.MONEY if amount.is_money else t.QUANTITY, t.LABEL, _text(text),
                    t.VALUE, t.decimal(amount.value)]
    if amount.currency:
        pairs += t.CURRENCY, _text(amount.currency)
    if amount.unit_code:
        pairs += t.UNIT_CODE, _text(amount.unit_code)
    if amount.unit:
        pairs += t.UNIT_TEXT, _text(amount.unit)
    return pairs


# -- a document's graph in Turtle ---------------------------------------------------------------
#
# What _turtle_subjects writes of _document_graph in Turtle terms, each subject written by one
# f-string instead of made as a list of pairs and joined: a tenth less time for the Turtle of
# the BBC corpus's documents (4.26 -> 3.84 s), which is nine tenths of the Turtle export. The
# model is described by the functions above, which write it in N-Triples, TriG, JSON-LD and
# the default graph's Turtle; these follow them line for line, and the tests check that the
# Turtle written here is byte for byte what pyoxigraph writes of the model
# (tests/graph/test_rdf.py, on graphs made to hold every kind of subject and odd IRIs).


def _turtle_document(t: _TurtleTerms, vocab: Vocabulary, statements: list) -> str:
    """``"".join(_turtle_subjects(_document_graph(t, vocab, statements)))``."""
    document = t.iri(vocab.document(statements[0][1].provenance.doc_id))
    statement_node = t.statement_nodes(vocab.statements)
    index = t.index
    written = []
    for sentence, p, its in _by_sentence(t, vocab, statements):
        written.append(f"{sentence} {t.SENTENCE_OPEN}{_text(p.sentence)}"
                       f"{t.BEGIN}{index(p.sentence_start)}{t.END}{index(p.sentence_end)}"
                       f"{t.REFERENCE}{document}{t.SENTENCE_INDEX}{p.sentence_index} .\n")
        parts: list[tuple[str, str]] = []  # (N-Triples IRI, Turtle), as _document_graph's
        for statement, triple, sequence, ends in its:
            _turtle_statement(t, parts, statement_node(statement), triple, sequence, ends,
                              document, sentence)
        parts.sort()
        written += [text for _, text in parts]
    return "".join(written)


def _turtle_statement(t: _TurtleTerms, parts: list[tuple[str, str]], node: Node,
                      triple: Triple, sequence: int, ends: tuple[str, str] | None,
                      document: str, sentence: str) -> None:
    """:func:`_statement_parts` in Turtle: the statement's subject and those of its phrases
    and amount, added to ``parts``."""
    q = triple.qualifiers
    relation = triple.relation
    subject, obj = t.part(node, "subject"), t.part(node, "object")
    if ends is None:
        subject_entity = object_entity = None
        text = f"{node[1]} {t.UNATTACHED_OPEN}"
    else:
        subject_entity, object_entity = t.of_ntriples(ends[0]), t.of_ntriples(ends[1])
        text = (f"{node[1]} {t.STATEMENT_OPEN}{subject_entity}"
                f"{t.PREDICATE}{t.relation(relation.lemma)}{t.OBJECT}{object_entity}")
    text += (f"{t.RELATION_TEXT}{_text(relation.text)}"
             f"{t.RELATION_LEMMA}{_text(relation.lemma)}")
    if relation.passive:
        text += t.IS_PASSIVE
    text += f"{t.SUBJECT_PHRASE}{subject[1]}{t.OBJECT_PHRASE}{obj[1]}"
    _turtle_phrase(t, parts, subject, triple.subject, document, subject_entity, None)
    _turtle_phrase(t, parts, obj, triple.object, document, object_entity, None)
    if triple.extras:
        phrases = [t.part(node, f"extra{position}")
                   for position in range(1, len(triple.extras) + 1)]
        text += t.EXTRA_PHRASE + " , ".join([phrase[1] for phrase in phrases])
        for position, (phrase, extra) in enumerate(zip(phrases, triple.extras, strict=True),
                                                   start=1):
            _turtle_phrase(t, parts, phrase, extra, document, None, position)
    text += (f"{t.CONFIDENCE}{t.decimal(triple.confidence)}"
             f"{t.ASSERTED}{t.TRUE if q.asserted else t.FALSE}"
             f"{t.NEGATED}{t.TRUE if q.negated else t.FALSE}")
    qualifiers = _text_qualifiers(q)
    if qualifiers != _NO_TEXT_QUALIFIERS:
        for term, value in zip(t.QUALIFIERS, qualifiers, strict=True):
            if value is not None:
                text += f"{term}{_text(value)}"
    if q.amount is not None:
        amount = t.part(node, "amount")
        text += f"{t.AMOUNT}{amount[1]}"
        parts.append((amount[0], _turtle_subject(amount[1], _amount_pairs(t, q.amount))))
    parts.append((node[0], f"{text}{t.RULE}{_text(triple.provenance.rule)}"
                           f"{t.SEQUENCE}{sequence}{t.DERIVED_FROM}{sentence} .\n"))


def _turtle_phrase(t: _TurtleTerms, parts: list[tuple[str, str]], phrase: Node,
                   argument: Argument, document: str, entity: str | None,
                   position: int | None) -> None:
    """:func:`_phrase_parts` in Turtle: the subjects of a phrase, its head and its
    references, added to ``parts``."""
    head = t.part(phrase, "head")
    more = "" if argument.nominal else t.NOT_NOMINAL
    if position is not None:
        more += f"{t.POSITION}{position}"
    if argument.entities:
        references = [t.part(phrase, f"ref{number}")
                      for number in range(1, len(argument.entities) + 1)]
        more += t.REFERS_TO + " , ".join([reference[1] for reference in references])
        numbered = enumerate(zip(references, argument.entities, strict=True), start=1)
        for number, (reference, ref) in numbered:
            text = f"{reference[1]} {t.REFERENCE_OPEN}{_text(ref.label)}"
            if ref.entity_type is not None:
                text += f"{t.NER_LABEL}{_text(ref.entity_type)}"
            text += f"{t.POSITION}{number}"
            for member, name in enumerate(ref.names, start=1):
                text += f"{t.member(member)}{_text(name)}"
            parts.append((reference[0], text + " .\n"))
    parts.append((phrase[0], f"{phrase[1]} {t.PHRASE_OPEN}{_text(argument.text)}"
                             f"{t.BEGIN}{t.index(argument.start)}{t.END}{t.index(argument.end)}"
                             f"{t.REFERENCE}{document}{t.HEAD}{head[1]}{more} .\n"))
    more = "" if argument.entity_type is None else f"{t.NER_LABEL}{_text(argument.entity_type)}"
    if entity is not None:
        more += f"{t.IDENT_REF}{entity}"
    parts.append((head[0], f"{head[1]} {t.PHRASE_OPEN}{_text(argument.head)}"
                           f"{t.BEGIN}{t.index(argument.head_start)}"
                           f"{t.END}{t.index(argument.head_end)}{t.REFERENCE}{document}{more} .\n"))


def _turtle_subject(term: str, pairs: Pairs) -> str:
    """One subject with its triples (in :class:`_TurtleTerms`) in Turtle."""
    return f"{term} {_opening(*pairs)} .\n"


# -- writing ----------------------------------------------------------------------------------


def n_triples(model: Iterable[Described], *, with_graphs: bool = False) -> str:
    """The model (N-Triples terms) as N-Triples text (N-Quads, with the named graphs, if
    ``with_graphs``)."""
    lines = []
    for item in model:
        end = f" {item.graph} .\n" if with_graphs and item.graph else " .\n"
        pairs = item.pairs
        lines += [f"{item.subject} {predicate} {obj}{end}"
                  for predicate, obj in zip(pairs[::2], pairs[1::2], strict=True)]
    return "".join(lines)


def serialise(model: Iterable[Described], rdf_format: str, prefixes: dict[str, str]) -> str:
    """Write the model (from :func:`rdf_model`) in one of :data:`RDF_FORMATS` with pyoxigraph.

    Only TriG shows the named graphs; JSON-LD could, but readers that expect one graph
    (rdflib's ``Graph``) would then see only the default graph. Exports write Turtle with
    :func:`turtle_by_document` instead: the same bytes without the cost.
    """
    trig = rdf_format == "trig"
    parsed = ox.parse(n_triples(model, with_graphs=trig),
                      format=ox.RdfFormat.N_QUADS if trig else ox.RdfFormat.N_TRIPLES)
    text = ox.serialize(parsed, format=RDF_FORMATS[rdf_format], prefixes=prefixes).decode()
    if rdf_format == "jsonld":
        # pyoxigraph writes expanded JSON-LD on one line; indent it for people.
        text = json.dumps(json.loads(text), indent=1, ensure_ascii=False) + "\n"
    return text


def _turtle_subjects(model: Iterable[Subject]) -> Iterator[str]:
    """The Turtle of each subject of ``model`` (in :class:`_TurtleTerms`) that has triples,
    as pyoxigraph writes it: ``;`` between predicates and ``,`` between the objects of a
    predicate repeated (which the model gives with :meth:`_Terms.objects`, so each subject is
    only joined).

    >>> terms = _TurtleTerms({"schema": "https://schema.org/", "ng": str(NG)})
    >>> model = [(terms.iri("https://example.org/a"), [
    ...     terms.A, terms.iri(SCHEMA.Person),
    ...     *terms.objects(terms.LABEL, [_text("Ann"), _text("Anne")]),
    ...     terms.MENTION_COUNT, terms.integer(2)])]
    >>> print(terms.prelude + "".join(_turtle_subjects(model)).expandtabs(2))
    @prefix ng: <https://w3id.org/newsgraph/ontology#> .
    @prefix schema: <https://schema.org/> .
    <https://example.org/a> a schema:Person ;
      <http://www.w3.org/2000/01/rdf-schema#label> "Ann" , "Anne" ;
      ng:mentionCount 2 .
    <BLANKLINE>
    """
    for subject, pairs in model:
        if pairs:
            yield _turtle_subject(subject, pairs)


def to_rdf_text(kg: KnowledgeGraph, rdf_format: str = "ttl", *,
                base_iri: str | None = None) -> str:
    """The export as text in one of :data:`RDF_FORMATS` (deterministic for the same graph)."""
    vocab = Vocabulary(base_iri)
    if rdf_format == "ttl":
        return "".join(turtle_by_document(kg, vocab.base_iri))
    return serialise(rdf_model(kg, vocab.base_iri), rdf_format, vocab.prefixes)


def to_turtle(kg: KnowledgeGraph, path: str | Path | None = None, *,
              base_iri: str | None = None) -> str:
    """Serialise as Turtle (deterministic for the same graph); write to ``path`` if given."""
    text = to_rdf_text(kg, "ttl", base_iri=base_iri)
    if path is not None:
        write_text_atomic(Path(path), text)
    return text


def to_rdf(kg: KnowledgeGraph, base_iri: str | None = None) -> Graph:
    """The export as an rdflib ``Graph`` (for SPARQL and rdflib users), prefixes bound."""
    vocab = Vocabulary(base_iri)
    rdf = Graph()
    for prefix, namespace in vocab.prefixes.items():
        rdf.bind(prefix, namespace, replace=True)
    return rdf.parse(data=to_rdf_text(kg, "nt", base_iri=vocab.base_iri), format="nt")


# -- reading ----------------------------------------------------------------------------------


def read_rdf(path: str | Path, rdf_format: str | None = None, *,
             aliases: AliasTable | None = None) -> KnowledgeGraph:
    """Rebuild the ``KnowledgeGraph`` of a newsgraph export (Turtle, N-Triples, TriG, JSON-LD).

    Every extraction is rebuilt from its statement and merged again in the order the exported
    graph merged it (``ng:sequence``), with the alias table the build used, so the result
    equals the graph that was exported and exporting it again gives the same bytes. The
    format is guessed from the suffix unless ``rdf_format`` (a key of :data:`RDF_FORMATS`) is
    given.
    """
    from graph.knowledge_graph import KnowledgeGraph

    path = Path(path)
    oxformat = RDF_FORMATS[rdf_format] if rdf_format else SUFFIX_FORMATS.get(path.suffix.lower())
    if oxformat is None:
        raise InputError(str(path), f"has an unknown RDF suffix {path.suffix!r}; expected one "
                                    f"of {', '.join(SUFFIX_FORMATS)}")
    described = _ExportIndex.parse(path, oxformat)
    kg = KnowledgeGraph(aliases)
    for doc_id, meta in sorted(described.documents().items()):
        kg.documents[doc_id] = meta
    kg.add_triples(triple for _, triple in sorted(described.extractions().items()))
    return kg


class _ExportIndex:
    """The triples of an export by subject and predicate, read back into newsgraph values."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.by_subject: dict[str, dict[str, list[Term]]] = defaultdict(
            lambda: defaultdict(list))

    @classmethod
    def parse(cls, path: Path, oxformat: ox.RdfFormat) -> _ExportIndex:
        index = cls(path)
        try:
            for quad in ox.parse(path=path, format=oxformat):
                index.by_subject[quad.subject.value][quad.predicate.value].append(quad.object)
        except (SyntaxError, ValueError, OSError) as exc:
            raise InputError(str(path), f"is not readable {oxformat.name}: {exc}") from exc
        return index

    def _values(self, subject: str, predicate: URIRef) -> list[Term]:
        return self.by_subject.get(subject, {}).get(str(predicate), [])

    def _one(self, subject: str, predicate: URIRef) -> Term:
        values = self._values(subject, predicate)
        if len(values) != 1:
            raise InputError(str(self.path), f"<{subject}> has {len(values)} values of "
                                             f"<{predicate}>, expected one; is this a "
                                             "newsgraph export?")
        return values[0]

    def _text(self, subject: str, predicate: URIRef) -> str:
        return self._one(subject, predicate).value

    def _optional(self, subject: str, predicate: URIRef) -> str | None:
        values = self._values(subject, predicate)
        return self._text(subject, predicate) if values else None

    def _of_type(self, rdf_class: URIRef) -> list[str]:
        return [s for s, predicates in self.by_subject.items()
                if any(t.value == str(rdf_class) for t in predicates.get(str(RDF.type), ()))]

    def documents(self) -> dict[str, dict[str, Any]]:
        found = {}
        for document in self._of_type(NIF.Context):
            meta = {"title": self._optional(document, DCTERMS.title),
                    "source": self._optional(document, DCTERMS.source)}
            for key, predicate in (("date", DCTERMS.date), ("url", SCHEMA.url)):
                if self._values(document, predicate):
                    meta[key] = self._text(document, predicate)
            found[self._text(document, DCTERMS.identifier)] = meta
        return found

    def extractions(self) -> dict[int, Triple]:
        """Every extraction by its place in the merge order; the statements of one extraction
        (one per edge it supports) share that place and hold the same triple."""
        doc_ids = {d: self._text(d, DCTERMS.identifier) for d in self._of_type(NIF.Context)}
        found: dict[int, Triple] = {}
        for statement in (*self._of_type(RDF.Statement), *self._of_type(NG.UnattachedExtraction)):
            sequence = int(self._text(statement, NG.sequence))
            if sequence not in found:
                found[sequence] = self._triple(statement, doc_ids)
        return found

    def _triple(self, statement: str, doc_ids: dict[str, str]) -> Triple:
        sentence = self._text(statement, PROV.wasDerivedFrom)
        provenance = Provenance(
            doc_id=doc_ids[self._text(sentence, NIF.referenceContext)],
            sentence_index=int(self._text(sentence, NG.sentenceIndex)),
            sentence_start=int(self._text(sentence, NIF.beginIndex)),
            sentence_end=int(self._text(sentence, NIF.endIndex)),
            sentence=self._text(sentence, NIF.anchorOf),
            rule=self._text(statement, NG.rule),
        )
        amount = self._optional(statement, NG.amount)
        qualifiers = Qualifiers(
            negated=self._text(statement, NG.negated) == "true",
            amount=self._text(amount, RDFS.label) if amount else None,
            **{field: self._optional(statement, NG[term])
               for term, field in TEXT_QUALIFIERS.items()},
        )
        extras = sorted(
            (int(self._text(phrase.value, NG.position)), self._argument(phrase.value))
            for phrase in self._values(statement, NG.extraPhrase)
        )
        return Triple(
            subject=self._argument(self._text(statement, NG.subjectPhrase)),
            relation=Relation(self._text(statement, NG.relationText),
                              self._text(statement, NG.relationLemma),
                              passive=self._optional(statement, NG.passive) == "true"),
            object=self._argument(self._text(statement, NG.objectPhrase)),
            provenance=provenance,
            qualifiers=qualifiers,
            confidence=float(self._text(statement, NG.confidence)),
            extras=tuple(argument for _, argument in extras),
        )

    def _argument(self, phrase: str) -> Argument:
        head = self._text(phrase, NG.head)
        return Argument(
            self._text(phrase, NIF.anchorOf), int(self._text(phrase, NIF.beginIndex)),
            int(self._text(phrase, NIF.endIndex)), self._text(head, NIF.anchorOf),
            int(self._text(head, NIF.beginIndex)), int(self._text(head, NIF.endIndex)),
            self._optional(head, NG.nerLabel),
            nominal=self._optional(phrase, NG.nominal) != "false",
            entities=tuple(ref for _, ref in sorted(
                (int(self._text(r.value, NG.position)), self._reference(r.value))
                for r in self._values(phrase, NG.refersTo))),
        )

    def _reference(self, reference: str) -> EntityRef:
        members = sorted((int(p.rsplit("_", 1)[1]), v[0].value)
                         for p, v in self.by_subject[reference].items()
                         if p.startswith(str(RDF) + "_"))
        return EntityRef(self._text(reference, RDFS.label),
                         self._optional(reference, NG.nerLabel),
                         tuple(name for _, name in members))
