"""The knowledge graph as RDF, and back: one model, written and read here.

Model (``docs/rdf-model.md``): each entity is an IRI typed with a schema.org class, labelled,
with its aliases and external identifiers; each extraction is an ``rdf:Statement`` carrying
its argument phrases and heads (NIF), relation, qualifiers, confidence, rule and a
``prov:wasDerivedFrom`` link to its NIF sentence; the direct triple ``subject relation
object`` is asserted only for facts the article states itself, positively and without hedging.
A statement holds everything its ``Triple`` holds, so :func:`read_rdf` rebuilds the graph.

Writing: :func:`rdf_model` describes every subject in N-Triples syntax, in a fixed order
(subjects sorted, each subject's predicates in the order below); pyoxigraph parses that text
and writes it as Turtle, TriG, JSON-LD or canonical N-Triples. Making the terms as text and
letting Rust build them is what makes a 1,000,000-triple export take seconds rather than
minutes (``benchmarks/rdf_serialise.py``), and the fixed order makes every export
byte-identical for the same graph.
"""

from __future__ import annotations

import json
import multiprocessing
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, URIRef

from extractors.errors import InputError
from extractors.triple import Argument, EntityRef, Provenance, Qualifiers, Relation, Triple
from graph.amounts import parse_amount
from graph.collector import paused
from graph.files import write_text_atomic
from graph.vocabulary import (
    DCTERMS,
    ENTITY_CLASSES,
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

#: ``(predicate, object)`` in N-Triples syntax.
Pairs = list[tuple[str, str]]
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


# The terms the writer uses, in N-Triples syntax.
A, LABEL, ALT_LABEL, SAME_AS = map(_iri, (RDF.type, RDFS.label, SKOS.altLabel, OWL.sameAs))
STATEMENT, SUBJECT, PREDICATE, OBJECT, PROPERTY = map(_iri, (
    RDF.Statement, RDF.subject, RDF.predicate, RDF.object, RDF.Property))
CONTEXT, SENTENCE, PHRASE, ANCHOR, BEGIN, END, REFERENCE = map(_iri, (
    NIF.Context, NIF.Sentence, NIF.Phrase, NIF.anchorOf, NIF.beginIndex, NIF.endIndex,
    NIF.referenceContext))
IDENTIFIER, TITLE, SOURCE, DATE = map(_iri, (DCTERMS.identifier, DCTERMS.title,
                                             DCTERMS.source, DCTERMS.date))
ARTICLE, URL, MONEY, QUANTITY, VALUE, CURRENCY, UNIT_CODE, UNIT_TEXT = map(_iri, (
    SCHEMA.NewsArticle, SCHEMA.url, SCHEMA.MonetaryAmount, SCHEMA.QuantitativeValue,
    SCHEMA.value, SCHEMA.currency, SCHEMA.unitCode, SCHEMA.unitText))
DERIVED_FROM, IDENT_REF, UNATTACHED, REFERENCE_CLASS, SEQ = map(_iri, (
    PROV.wasDerivedFrom, ITSRDF.taIdentRef, NG.UnattachedExtraction, NG.EntityReference,
    RDF.Seq))
XSD_INTEGER, XSD_INDEX, XSD_DECIMAL, XSD_BOOLEAN, XSD_DATE = map(_iri, (
    XSD.integer, XSD.nonNegativeInteger, XSD.decimal, XSD.boolean, XSD.date))
#: The project's own properties (``graph/ontology.ttl``), by local name.
NG_TERMS = {name: _iri(NG[name]) for name in (
    "nerLabel", "mentionCount", "mentionedIn", "relationText", "relationLemma", "passive",
    "subjectPhrase", "objectPhrase", "extraPhrase", "head", "position", "nominal",
    "confidence", "asserted", "negated", "modality", "attributedTo", "time", "location",
    "amount", "rule", "sequence", "sentenceIndex", "refersTo",
)}
(NER_LABEL, MENTION_COUNT, MENTIONED_IN, RELATION_TEXT, RELATION_LEMMA, PASSIVE,
 SUBJECT_PHRASE, OBJECT_PHRASE, EXTRA_PHRASE, HEAD, POSITION, NOMINAL, CONFIDENCE, ASSERTED,
 NEGATED, AMOUNT, RULE, SEQUENCE, SENTENCE_INDEX, REFERS_TO) = map(NG_TERMS.get, (
    "nerLabel", "mentionCount", "mentionedIn", "relationText", "relationLemma", "passive",
    "subjectPhrase", "objectPhrase", "extraPhrase", "head", "position", "nominal",
    "confidence", "asserted", "negated", "amount", "rule", "sequence", "sentenceIndex",
    "refersTo"))
#: Qualifiers written as plain literals: ontology term -> ``Qualifiers`` field.
TEXT_QUALIFIERS = {"modality": "modality", "attributedTo": "attribution", "time": "time",
                   "location": "location"}
_QUALIFIER_TERMS = [(NG_TERMS[term], field) for term, field in TEXT_QUALIFIERS.items()]
TRUE, FALSE = f'"true"^^{XSD_BOOLEAN}', f'"false"^^{XSD_BOOLEAN}'
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# What a quoted string escapes, as pyoxigraph writes every syntax: so the text of a literal is
# the same in N-Triples and in Turtle, and the Turtle writer below can copy it.
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
    return f'"{value}"^^{XSD_INTEGER}'


@lru_cache(maxsize=1 << 14)
def _index(value: int) -> str:
    """A character offset: NIF types them ``xsd:nonNegativeInteger``."""
    return f'"{value}"^^{XSD_INDEX}'


def _decimal(value: Decimal | float) -> str:
    """``xsd:decimal`` in canonical form ("0.85", "1000000000.0"): exact, and readable Turtle."""
    text = format(Decimal(str(value)), "f")
    return f'"{text if "." in text else text + ".0"}"^^{XSD_DECIMAL}'


def _date(value: str) -> str:
    """A ``YYYY-MM-DD`` date as ``xsd:date``; any other date text stays a plain string."""
    return f'"{value}"^^{XSD_DATE}' if _DATE.fullmatch(value) else _text(value)


@dataclass(slots=True)
class Described:
    """The triples of one subject, and the named graph they go in (TriG)."""

    subject: str
    pairs: Pairs
    graph: str = ""


def rdf_model(kg: KnowledgeGraph, base_iri: str | None = None) -> Iterator[Described]:
    """Every subject of the export with its triples, in writing order.

    Documents, entities and relations are in the default graph; each document's statements,
    their parts and its sentences in a named graph named after the document (what TriG shows;
    the other formats ignore graph names). The subjects are made as they are written: the
    default graph, then one document's graph at a time, so that the whole model (about a
    gigabyte of small tuples for the 2,225 BBC articles) is never in memory at once.
    """
    vocab = Vocabulary(base_iri)
    # Hundreds of thousands of tuples and lists, none in a cycle, each dropped soon after it
    # is written: the cycle collector would only walk them (and the graph) again and again.
    with paused():
        entities = {key: _iri(vocab.entity(key)) for key in kg.nx}
        default = _default_graph(kg, vocab, entities)
        statements: dict[str, list] = defaultdict(list)
        for statement in _numbered(vocab, _extractions(kg, entities)):
            statements[_iri(vocab.document(statement[1].provenance.doc_id))].append(statement)
        yield from default
        del default
        for document in sorted(statements):
            yield from _document_graph(vocab, document, statements.pop(document))


def turtle_by_document(kg: KnowledgeGraph, base_iri: str | None = None,
                       blocks: TurtleBlocks | None = None, *, n_process: int = 1) -> list[str]:
    """The Turtle of the graph, ``"".join`` of it equal to ``turtle(rdf_model(kg, base_iri))``,
    in pieces: the ``@prefix`` lines and the default graph's subjects, then one piece per
    document's graph (:func:`document_turtle`).

    ``blocks`` (``graph.cache.TurtleBlocks``) keeps the piece of each document between
    builds: a piece depends only on the document's extractions, where they sit in the merge
    order and the entities at both ends of their statements, so a rebuild that changes none
    of these for a document copies its piece instead of writing it again. The pieces not
    kept are written in ``n_process`` processes when there are enough of them
    (:func:`_written_pieces`); the text is the same whatever the number.
    """
    vocab = Vocabulary(base_iri)
    if any(_SEPARATOR in doc_id for doc_id in kg.documents):
        # Statement IRIs are numbered apart (document_turtle) only within a document; that
        # is exact only when no document id holds the hash's field separator, else two
        # documents' statements could share an IRI: number them over the whole graph.
        return turtle_pieces(rdf_model(kg, vocab.base_iri), vocab.prefixes)
    terms = _TurtleTerms(vocab.prefixes)
    with paused():  # as in rdf_model
        entities = {key: _iri(vocab.entity(key)) for key in kg.nx}
        default = _default_graph(kg, vocab, entities)
        pieces = [terms.prelude, *_turtle_subjects(default, terms)]
        del default
        by_document: dict[str, list[Extraction]] = defaultdict(list)
        for extraction in _extractions(kg, entities):
            by_document[_iri(vocab.document(extraction[0].provenance.doc_id))].append(
                extraction)
        documents = [by_document.pop(document) for document in sorted(by_document)]
        keys = [blocks.key(extractions) if blocks is not None else None
                for extractions in documents]
        found = [blocks.get(key) if key is not None else None for key in keys]
        missing = [i for i, piece in enumerate(found) if piece is None]
        for i, piece in zip(missing, _written_pieces(vocab, documents, missing, terms,
                                                     n_process), strict=True):
            if keys[i] is not None:
                blocks.put(keys[i], piece)
            found[i] = piece
        pieces += found
    return pieces if len(pieces) > 1 else []


#: Fewest documents to write whose Turtle is worth worker processes: forking a worker from a
#: build of a few hundred MB and ending it costs 0.05-0.2 s of CPU; a BBC article's piece
#: takes about 5 ms, so a second process pays for itself from some 40 documents.
PARALLEL_DOCUMENTS = 100
#: Most documents written while one set of workers lives. A page that this process or a
#: worker writes while they share it (a reference count is a write) is copied: measured on
#: 300 BBC articles with two processes, 80 MB plus 0.19 MB per document written, which would
#: be 500 MB for the whole corpus at once. Workers forked afresh for each round of this many
#: documents keep it under 200 MB, for a fork per round.
ROUND_DOCUMENTS = 500
#: Chunks of documents per process: small enough that the processes finish together,
#: large enough that each sends back a few hundred KB of Turtle at a time.
_CHUNKS_PER_PROCESS = 16
# What a forked writer inherits from the process that forked it (set in the worker only).
_inherited: tuple[Vocabulary, list[list[Extraction]], _TurtleTerms] | None = None


def _written_pieces(vocab: Vocabulary, documents: list[list[Extraction]], which: list[int],
                    terms: _TurtleTerms, n_process: int) -> Iterable[str]:
    """:func:`document_turtle` of ``documents[i]`` for each ``i`` of ``which``, in order: here,
    or, with ``n_process`` > 1 and at least :data:`PARALLEL_DOCUMENTS` of them, here and in
    ``n_process - 1`` forked processes, in equal rounds of at most :data:`ROUND_DOCUMENTS`
    (the Turtle export runs on this machine even when extraction ran on a Dask cluster).

    The workers are forked only now, so that they inherit the graph's extractions as they
    are (pages shared with this process until written) and only chunks of document numbers
    and the pieces' text cross between processes. Nothing else of the build runs in another
    thread at this point (the extraction pool is shut down, the progress bar has no monitor
    thread), and the workers run only pure Python over what they inherited.
    """
    if n_process <= 1 or len(which) < PARALLEL_DOCUMENTS:
        return (document_turtle(vocab, documents[i], terms) for i in which)
    rounds = -(-len(which) // ROUND_DOCUMENTS)
    size = -(-len(which) // rounds)
    return [piece for start in range(0, len(which), size)
            for piece in _round(vocab, documents, which[start:start + size], terms, n_process)]


def _round(vocab: Vocabulary, documents: list[list[Extraction]], which: list[int],
           terms: _TurtleTerms, n_process: int) -> list[str]:
    """One round of :func:`_written_pieces` in processes: this process writes chunks from the
    front, the workers from the back (each kept two chunks ahead), until the two ends meet,
    so that the processes finish together however uneven the documents."""
    size = max(1, len(which) // (n_process * _CHUNKS_PER_PROCESS))
    chunks = [which[start:start + size] for start in range(0, len(which), size)]
    written: list[Any] = [None] * len(chunks)  # each chunk's pieces, or its Future
    front, back = 0, len(chunks)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(n_process - 1, mp_context=context, initializer=_inherit,
                             initargs=((vocab, documents, terms),)) as pool:
        ahead: set[Future] = set()
        while front < back:
            ahead = {future for future in ahead if not future.done()}
            while front < back and len(ahead) < 2 * (n_process - 1):
                back -= 1
                written[back] = pool.submit(_forked_pieces, chunks[back])
                ahead.add(written[back])
            if front < back:
                written[front] = [document_turtle(vocab, documents[i], terms)
                                  for i in chunks[front]]
                front += 1
        return [piece for chunk in written
                for piece in (chunk.result() if isinstance(chunk, Future) else chunk)]


def _inherit(inherited: tuple[Vocabulary, list[list[Extraction]], _TurtleTerms]) -> None:
    global _inherited
    _inherited = inherited


def _forked_pieces(chunk: list[int]) -> list[str]:
    vocab, documents, terms = _inherited
    return [document_turtle(vocab, documents[i], terms) for i in chunk]


def document_turtle(vocab: Vocabulary, extractions: list[Extraction],
                    terms: _TurtleTerms | None = None) -> str:
    """The Turtle of one document's graph (its sentences, statements and their parts): what
    :func:`turtle` writes for those subjects, without the ``@prefix`` lines.

    A pure function of its arguments, so that documents can be written in any order or in
    other processes: ``extractions`` are every extraction of the document in merge order
    (:func:`_extractions`), ``terms`` the Turtle forms worked out so far (a fresh set when
    ``None``; sharing one between documents saves working the same IRIs out again).
    """
    terms = terms or _TurtleTerms(vocab.prefixes)
    statements = _numbered(vocab, extractions)
    document = _iri(vocab.document(extractions[0][0].provenance.doc_id))
    return "".join(_turtle_subjects(_document_graph(vocab, document, statements), terms))


def _default_graph(kg: KnowledgeGraph, vocab: Vocabulary,
                   entities: dict[str, str]) -> list[Described]:
    """Documents, entities and relations, sorted by IRI."""
    described: dict[str, Described] = {}
    for doc_id, meta in kg.documents.items():
        document = _iri(vocab.document(doc_id))
        described.setdefault(document, Described(document, _document_pairs(doc_id, meta)))
    direct: dict[str, Pairs] = defaultdict(list)
    lemmas = set()
    for subject_id, object_id, relation, edge in kg.nx.edges(keys=True, data=True):
        lemmas.add(relation)
        if edge["asserted"]:
            direct[subject_id].append((_relation(relation), entities[object_id]))
    for key, node in kg.nx.nodes(data=True):
        pairs = _entity_pairs(vocab, node) + sorted(direct[key])
        described.setdefault(entities[key], Described(entities[key], pairs))
    for lemma in sorted(lemmas):
        relation = _relation(lemma)
        described.setdefault(relation, Described(relation, [(A, PROPERTY),
                                                            (LABEL, _text(lemma))]))
    return [described[subject] for subject in sorted(described)]


def _document_graph(vocab: Vocabulary, document: str, statements: list) -> list[Described]:
    """A document's sentences, statements and their parts: sentences in text order, each
    followed by the nodes of its statements sorted by IRI."""
    # (start, end) -> the sentence's IRI, its node and the nodes of its statements by IRI
    sentences: dict[tuple[int, int], tuple[str, Described, dict[str, Described]]] = {}
    for statement, triple, sequence, ends in statements:
        p = triple.provenance
        place = (p.sentence_start, p.sentence_end)
        found = sentences.get(place)
        if found is None:
            sentence = _iri(vocab.sentence(p.doc_id, *place))
            found = sentences[place] = (
                sentence, Described(sentence, _sentence_pairs(p, document), document), {})
        sentence, _, parts = found
        for part, pairs in _statement_parts(statement, triple, sequence, ends, document,
                                            sentence):
            if part not in parts:
                parts[part] = Described(part, pairs, document)
    described = []
    for place in sorted(sentences):
        _, node, parts = sentences[place]
        described.append(node)
        described += [parts[part] for part in sorted(parts)]
    return described


@lru_cache(maxsize=1 << 14)
def _relation(lemma: str) -> str:
    """A relation's IRI in N-Triples syntax (made once: percent-encoding is slow)."""
    return _iri(Vocabulary.relation(lemma))


def _document_pairs(doc_id: str, meta: dict[str, Any]) -> Pairs:
    pairs: Pairs = [(A, CONTEXT), (A, ARTICLE), (IDENTIFIER, _text(doc_id))]
    if meta.get("title") is not None:
        pairs.append((TITLE, _text(meta["title"])))
    if meta.get("source") is not None:
        pairs.append((SOURCE, _text(meta["source"])))
    if meta.get("date") is not None:
        pairs.append((DATE, _date(meta["date"])))
    if meta.get("url") is not None:
        # an IRI when it is one; any other text stays a literal
        pairs.append((URL, _iri(meta["url"]) if Vocabulary.is_iri(meta["url"])
                      else _text(meta["url"])))
    return pairs


def _entity_pairs(vocab: Vocabulary, node: dict[str, Any]) -> Pairs:
    pairs: Pairs = [(A, _iri(ENTITY_CLASSES.get(node["type"], SCHEMA.Thing))),
                    (LABEL, _text(node["label"]))]
    pairs += [(ALT_LABEL, _text(alias)) for alias in node["aliases"] if alias != node["label"]]
    pairs += [(SAME_AS, _iri(iri)) for iri in sorted(node.get("same_as", ()))]
    if node["type"]:
        pairs.append((NER_LABEL, _text(node["type"])))
    pairs.append((MENTION_COUNT, _integer(node["mentions"])))
    pairs += [(MENTIONED_IN, _iri(vocab.document(d))) for d in node["documents"]]
    return pairs


#: One extraction as its document's graph shows it: the triple, its place in the merge order
#: (``ng:sequence``) and the IRIs (N-Triples syntax) of the subject and object entities of the
#: edge it supports, or ``None`` when it supports none (an unattached extraction).
Extraction = tuple[Triple, int, tuple[str, str] | None]
# What joins the fields that Vocabulary.statement hashes.
_SEPARATOR = "\x1f"


def _extractions(kg: KnowledgeGraph, entities: dict[str, str]) -> list[Extraction]:
    """Every triple in the order the graph merged it, once per edge it supports ("these
    companies were fined" supports one edge per company), or once unattached; ``entities``
    maps each node to its IRI."""
    edges_of: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for subject_id, object_id, edge in kg.nx.edges(data=True):
        for triple in dict.fromkeys(map(id, edge["evidence"])):
            edges_of[triple].append((subject_id, object_id))
    found: list[Extraction] = []
    for sequence, triple in enumerate(kg.merged):
        pairs = edges_of.get(id(triple))
        if pairs is None:
            found.append((triple, sequence, None))
        else:
            found += [(triple, sequence, (entities[s], entities[o])) for s, o in sorted(pairs)]
    return found


def _numbered(vocab: Vocabulary, extractions: list[Extraction]):
    """``(statement IRI, triple, sequence, ends)`` for each of ``extractions``.

    Statements of one extraction, or of an extraction merged twice, share a hash: they are
    numbered in the merge order, which a re-import repeats, so the IRIs come out the same.
    The hash starts with the document id and a separator, so only statements of one document
    can share one, and numbering a document's extractions alone gives the IRIs that
    numbering the whole graph's does (when no id holds the separator).
    """
    iris = [vocab.statement(triple) for triple, _, _ in extractions]
    clashes: dict[str, list[int]] = defaultdict(list)
    for i, iri in enumerate(iris):
        clashes[iri].append(i)
    for clashing in clashes.values():
        for ordinal, i in enumerate(clashing[1:], start=1):
            iris[i] = vocab.statement(extractions[i][0], ordinal)
    return [(iri, triple, sequence, ends)
            for iri, (triple, sequence, ends) in zip(iris, extractions, strict=True)]


def _sentence_pairs(p: Provenance, document: str) -> Pairs:
    return [(A, SENTENCE), (ANCHOR, _text(p.sentence)), (BEGIN, _index(p.sentence_start)),
            (END, _index(p.sentence_end)), (REFERENCE, document),
            (SENTENCE_INDEX, _integer(p.sentence_index))]


def _statement_parts(statement: str, triple: Triple, sequence: int,
                     ends: tuple[str, str] | None, document: str, sentence: str):
    """The statement node and the nodes of its phrases and amount, as ``(IRI, pairs)``."""
    q = triple.qualifiers
    relation = triple.relation
    node = _iri(statement)
    if ends is None:
        subject_entity = object_entity = None
        pairs: Pairs = [(A, UNATTACHED)]
    else:
        subject_entity, object_entity = ends
        pairs = [(A, STATEMENT), (SUBJECT, subject_entity),
                 (PREDICATE, _relation(relation.lemma)), (OBJECT, object_entity)]
    pairs.append((RELATION_TEXT, _text(relation.text)))
    pairs.append((RELATION_LEMMA, _text(relation.lemma)))
    if relation.passive:
        pairs.append((PASSIVE, TRUE))
    subject, obj = _part(node, "subject"), _part(node, "object")
    pairs.append((SUBJECT_PHRASE, subject))
    pairs.append((OBJECT_PHRASE, obj))
    parts = [(node, pairs),
             *_phrase_parts(subject, triple.subject, document, subject_entity, None),
             *_phrase_parts(obj, triple.object, document, object_entity, None)]
    for position, extra in enumerate(triple.extras, start=1):
        phrase = _part(node, f"extra{position}")
        pairs.append((EXTRA_PHRASE, phrase))
        parts += _phrase_parts(phrase, extra, document, None, position)
    pairs.append((CONFIDENCE, _decimal(triple.confidence)))
    pairs.append((ASSERTED, TRUE if q.asserted else FALSE))
    pairs.append((NEGATED, TRUE if q.negated else FALSE))
    for term, field in _QUALIFIER_TERMS:
        value = getattr(q, field)
        if value is not None:
            pairs.append((term, _text(value)))
    if q.amount is not None:
        amount = _part(node, "amount")
        pairs.append((AMOUNT, amount))
        parts.append((amount, _amount_pairs(q.amount)))
    pairs.append((RULE, _text(triple.provenance.rule)))
    pairs.append((SEQUENCE, _integer(sequence)))
    pairs.append((DERIVED_FROM, sentence))
    return parts


def _phrase_parts(phrase: str, argument: Argument, document: str, entity: str | None,
                  position: int | None) -> list[tuple[str, Pairs]]:
    head = _part(phrase, "head")
    pairs = [(A, PHRASE), (ANCHOR, _text(argument.text)), (BEGIN, _index(argument.start)),
             (END, _index(argument.end)), (REFERENCE, document), (HEAD, head)]
    if not argument.nominal:
        pairs.append((NOMINAL, FALSE))
    if position is not None:
        pairs.append((POSITION, _integer(position)))
    head_pairs = [(A, PHRASE), (ANCHOR, _text(argument.head)),
                  (BEGIN, _index(argument.head_start)), (END, _index(argument.head_end)),
                  (REFERENCE, document)]
    if argument.entity_type is not None:
        head_pairs.append((NER_LABEL, _text(argument.entity_type)))
    if entity is not None:
        head_pairs.append((IDENT_REF, entity))
    found = [(phrase, pairs), (head, head_pairs)]
    for number, ref in enumerate(argument.entities, start=1):
        reference = _part(phrase, f"ref{number}")
        pairs.append((REFERS_TO, reference))
        found.append((reference, _reference_pairs(ref, number)))
    return found


def _reference_pairs(ref: EntityRef, position: int) -> Pairs:
    """What coreference resolved an argument to: label, type and the document's names for
    the entity, in order, as the members of an ``rdf:Seq``."""
    pairs: Pairs = [(A, REFERENCE_CLASS), (A, SEQ), (LABEL, _text(ref.label))]
    if ref.entity_type is not None:
        pairs.append((NER_LABEL, _text(ref.entity_type)))
    pairs.append((POSITION, _integer(position)))
    pairs += [(_member(i), _text(name)) for i, name in enumerate(ref.names, start=1)]
    return pairs


@lru_cache(maxsize=256)
def _member(number: int) -> str:
    """``rdf:_1``, ``rdf:_2`` ...: the container membership properties."""
    return _iri(RDF[f"_{number}"])


def _part(node: str, name: str) -> str:
    """``Vocabulary.part`` in N-Triples syntax, made from the node's: one per phrase, head,
    reference and amount of every statement, too many to pay for an rdflib IRI each."""
    return f"{node[:-1]}-{name}>"


def _amount_pairs(text: str) -> Pairs:
    amount = parse_amount(text)
    if amount is None:
        return [(A, QUANTITY), (LABEL, _text(text))]
    pairs: Pairs = [(A, MONEY if amount.is_money else QUANTITY), (LABEL, _text(text)),
                    (VALUE, _decimal(amount.value))]
    if amount.currency:
        pairs.append((CURRENCY, _text(amount.currency)))
    if amount.unit_code:
        pairs.append((UNIT_CODE, _text(amount.unit_code)))
    if amount.unit:
        pairs.append((UNIT_TEXT, _text(amount.unit)))
    return pairs


# -- writing ----------------------------------------------------------------------------------


def n_triples(model: Iterable[Described], *, with_graphs: bool = False) -> str:
    """The model as N-Triples text (N-Quads, with the named graphs, if ``with_graphs``)."""
    lines = []
    for item in model:
        end = f" {item.graph} .\n" if with_graphs and item.graph else " .\n"
        lines += [f"{item.subject} {predicate} {obj}{end}" for predicate, obj in item.pairs]
    return "".join(lines)


def serialise(model: Iterable[Described], rdf_format: str, prefixes: dict[str, str]) -> str:
    """Write the model (from :func:`rdf_model`) in one of :data:`RDF_FORMATS`.

    Only TriG shows the named graphs; JSON-LD could, but readers that expect one graph
    (rdflib's ``Graph``) would then see only the default graph.
    """
    if rdf_format == "ttl":
        return turtle(model, prefixes)
    trig = rdf_format == "trig"
    parsed = ox.parse(n_triples(model, with_graphs=trig),
                      format=ox.RdfFormat.N_QUADS if trig else ox.RdfFormat.N_TRIPLES)
    text = ox.serialize(parsed, format=RDF_FORMATS[rdf_format], prefixes=prefixes).decode()
    if rdf_format == "jsonld":
        # pyoxigraph writes expanded JSON-LD on one line; indent it for people.
        text = json.dumps(json.loads(text), indent=1, ensure_ascii=False) + "\n"
    return text


def turtle(model: Iterable[Described], prefixes: dict[str, str]) -> str:
    """The model as Turtle, byte for byte as pyoxigraph writes it, without its cost.

    Handing pyoxigraph the N-Triples makes a Python object of every triple on the way, which
    was most of a build's export time. This writes what its Turtle writer writes
    (``oxttl``): its ``@prefix`` lines, then each subject's triples with ``;`` between
    predicates and ``,`` between repeated objects; IRIs as prefixed names (the longest
    prefix whose local name can be written), ``rdf:type`` as ``a``, and integers, decimals
    and booleans bare. ``tests/graph/test_rdf.py`` checks it against pyoxigraph's own.

    >>> model = [Described("<https://example.org/a>",
    ...                    [(A, "<https://schema.org/Person>"), (LABEL, _text("Ann")),
    ...                     (LABEL, _text("Anne")), (NG_TERMS["mentionCount"], _integer(2))])]
    >>> print(turtle(model, {"schema": "https://schema.org/", "ng": str(NG)}).expandtabs(2))
    @prefix ng: <https://w3id.org/newsgraph/ontology#> .
    @prefix schema: <https://schema.org/> .
    <https://example.org/a> a schema:Person ;
      <http://www.w3.org/2000/01/rdf-schema#label> "Ann" , "Anne" ;
      ng:mentionCount 2 .
    <BLANKLINE>
    """
    return "".join(turtle_pieces(model, prefixes))


def turtle_pieces(model: Iterable[Described], prefixes: dict[str, str]) -> list[str]:
    """:func:`turtle` in pieces, one per subject, so that the Turtle of a large corpus (300 MB
    for the BBC articles) is never copied into one string."""
    terms = _TurtleTerms(prefixes)
    lines = [terms.prelude, *_turtle_subjects(model, terms)]
    return lines if len(lines) > 1 else []


def _turtle_subjects(model: Iterable[Described], terms: _TurtleTerms) -> Iterator[str]:
    """The Turtle of each subject of ``model`` that has triples."""
    known, resolve, heads, head = terms.known, terms.resolve, terms.heads, terms.head
    for item in model:
        if not item.pairs:
            continue
        previous = None
        parts: list[str] = []
        append = parts.append
        for predicate, obj in item.pairs:
            if predicate == previous:
                append(" , ")
            else:
                append(heads.get(predicate) or head(predicate))
                previous = predicate
            append(obj if obj[-1] == '"' else known.get(obj) or resolve(obj))
        # the first predicate follows the subject, not a " ;"
        parts[0] = f"{known.get(item.subject) or resolve(item.subject)} {parts[0][4:]}"
        append(" .\n")
        yield "".join(parts)


# Turtle's PN_CHARS_U and PN_CHARS: what a prefixed name's local part holds unescaped.
_PN_CHARS_U = ("A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF"
               "\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD"
               "\U00010000-\U000EFFFF")
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_LOCAL_PLAIN = re.compile(f"[{_PN_CHARS_U}:0-9](?:[{_PN_CHARS}:.]*[{_PN_CHARS}:])?")
_LOCAL_FIRST = re.compile(f"[{_PN_CHARS_U}:0-9]")
_LOCAL_MIDDLE = re.compile(f"[{_PN_CHARS}:]")
_LOCAL_ESCAPABLE = frozenset("_~.-!$&'()*+,;=/?#@%")
_TYPED = re.compile(r'"(.*)"\^\^(<[^>]*>)', re.DOTALL)
# Datatypes whose valid values Turtle writes bare, and what a valid value looks like.
_BARE = {XSD_INTEGER: re.compile(r"[+-]?[0-9]+"), XSD_DECIMAL: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
         XSD_BOOLEAN: re.compile("true|false")}


def _local_name(name: str) -> str | None:
    """A prefixed name's local part, escaped; ``None`` when it cannot be one (``oxttl``)."""
    if _LOCAL_PLAIN.fullmatch(name):
        return name
    escaped = []
    for i, char in enumerate(name):
        if (_LOCAL_FIRST.fullmatch(char) if i == 0
                else _LOCAL_MIDDLE.fullmatch(char) or (char == "." and i < len(name) - 1)):
            escaped.append(char)
        elif char in _LOCAL_ESCAPABLE:
            escaped.append("\\" + char)
        else:
            return None
    return "".join(escaped)


class _TurtleTerms:
    """N-Triples IRIs and typed literals in their Turtle form, each worked out once."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.prelude = _prelude(tuple(prefixes.items()))
        self.known: dict[str, str] = {}
        self.heads: dict[str, str] = {}
        # When every namespace ends in "/" or "#", the namespaces an IRI starts with are those
        # its stem (up to its last "/" or "#") starts with: worked out once per stem, not once
        # per IRI (hundreds of thousands of statement parts share one stem).
        self._by_stem: dict[str, list[tuple[str, str]]] | None = (
            {} if all(namespace.endswith(("/", "#")) for _, namespace in self.prefixes)
            else None)

    def resolve(self, nt: str) -> str:
        """The Turtle form of an N-Triples IRI or typed literal (kept in ``known``)."""
        found = self.known[nt] = self._typed(nt) if nt[0] == '"' else self._iri(nt[1:-1])
        return found

    def head(self, predicate: str) -> str:
        """What starts a new predicate of a subject: ``" ;\\n\\t"``, its Turtle form (``a`` for
        ``rdf:type``) and a space (kept in ``heads``)."""
        term = "a" if predicate == A else self.known.get(predicate) or self.resolve(predicate)
        found = self.heads[predicate] = f" ;\n\t{term} "
        return found

    def _iri(self, iri: str) -> str:
        if self._by_stem is None:
            namespaces = [item for item in self.prefixes if iri.startswith(item[1])]
        else:
            stem = iri[:max(iri.rfind("/"), iri.rfind("#")) + 1]
            namespaces = self._by_stem.get(stem)
            if namespaces is None:
                namespaces = self._stem(stem)
        for name, namespace in namespaces:
            local = iri[len(namespace):]
            if not local:
                return f"{name}:"
            escaped = _local_name(local)
            if escaped is not None:
                return f"{name}:{escaped}"
        return f"<{iri}>"

    def _stem(self, stem: str) -> list[tuple[str, str]]:
        """The ``(prefix, namespace)`` pairs, longest first, whose namespace IRIs of ``stem``
        start with (kept in ``_by_stem``)."""
        found = self._by_stem[stem] = [item for item in self.prefixes if stem.startswith(item[1])]
        return found

    def _typed(self, nt: str) -> str:
        value, datatype = _TYPED.fullmatch(nt).groups()
        bare = _BARE.get(datatype)
        if bare is not None and bare.fullmatch(value):
            return value
        return f'"{value}"^^{self._iri(datatype[1:-1])}'


@lru_cache(maxsize=8)
def _prelude(prefixes: tuple[tuple[str, str], ...]) -> str:
    """The ``@prefix`` lines pyoxigraph starts a Turtle file with (in its own order)."""
    probe = ox.Triple(ox.NamedNode("urn:newsgraph:s"), ox.NamedNode("urn:newsgraph:p"),
                      ox.NamedNode("urn:newsgraph:o"))
    text = ox.serialize([probe], format=ox.RdfFormat.TURTLE, prefixes=dict(prefixes)).decode()
    return "".join(line + "\n" for line in text.splitlines() if line.startswith("@prefix "))


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
