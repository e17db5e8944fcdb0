"""Text in, triples out: parse with spaCy, run the rule registry, build triples.

``extract`` handles one text; ``extract_stream`` streams many through ``nlp.pipe`` so that no
more than one batch of parsed ``Doc`` objects is ever held in memory. A text longer than
:data:`CHUNK_CHARS` (or the model's ``max_length``, if smaller) is parsed in paragraph-aligned
chunks; its triples' offsets and sentence numbers still count from the start of the whole text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span

from extractors.arguments import conjuncts, make_argument, make_extra_argument, resolve_relative
from extractors.confidence import confidence, features, parse_features
from extractors.coreference import resolve, resolve_arguments
from extractors.nlp import load_model
from extractors.parse_table import ParseTable, kept_table, table_of
from extractors.qualifiers import qualifiers_of
from extractors.rules import RULES, Candidate
from extractors.triple import Argument, Provenance, Relation, Triple

#: Relation words that carry tense, voice, polarity or the agent marker; the lemma form leaves
#: them out (negation and modality live on as qualifiers).
_FUNCTION_DEPS = {"aux", "auxpass", "agent", "neg", "advmod"}
#: The longest piece of text parsed at once. spaCy's ``max_length`` (1,000,000) is where it
#: refuses a text, not a good working size: ``nlp.pipe`` holds a batch of 16 pieces, and peak
#: memory grows with their total length (a 1 MB article in 100,000-character pieces peaked at
#: 2.8 GB; in 10,000-character pieces at 0.63 GB, the same as a 300 KB one). See
#: ``benchmarks/large_document.py``. Coreference works within a piece.
CHUNK_CHARS = 10_000


def extract(text: str, doc_id: str = "doc") -> list[Triple]:
    """Extract the triples of one text, in sentence order.

    >>> [(t.subject.head, t.relation.lemma, t.object.head)
    ...  for t in extract("Regulators fined Ant Group.")]
    [('Regulators', 'fine', 'Ant Group')]
    """
    return next(extract_stream([(doc_id, text)]))[1]


def extract_stream(
    texts: Iterable[tuple[str, str]], *, batch_size: int = 16, n_process: int = 1,
    max_chars: int | None = None,
) -> Iterator[tuple[str, list[Triple]]]:
    """Extract ``(doc_id, text)`` pairs lazily, yielding ``(doc_id, triples)`` in input order.

    Texts longer than ``max_chars`` (default: :data:`CHUNK_CHARS` or the model's
    ``max_length``, whichever is smaller) are split with :func:`paragraph_chunks`; the triples
    of every chunk are shifted back into the whole text.
    """
    nlp = load_model()
    limit = max_chars or min(CHUNK_CHARS, nlp.max_length)
    pieces = ((chunk, (doc_id, offset, last))
              for doc_id, text in texts
              for offset, chunk, last in paragraph_chunks(text, limit))
    triples: list[Triple] = []
    sentences = 0
    for doc, (doc_id, offset, last) in nlp.pipe(pieces, as_tuples=True, batch_size=batch_size,
                                                n_process=n_process):
        triples.extend(_shifted(triple, offset, sentences) for triple in extract_doc(doc, doc_id))
        sentences += sum(1 for _ in doc.sents)
        if last:
            yield doc_id, triples
            triples, sentences = [], 0


def paragraph_chunks(text: str, limit: int) -> Iterator[tuple[int, str, bool]]:
    """Split ``text`` into ``(offset, chunk, is_last)`` pieces of at most ``limit`` characters.

    Each piece ends after a blank line where there is one, else after a line break, a
    sentence end or a space, so that no sentence is cut when the text allows it.

    >>> [(offset, chunk) for offset, chunk, _ in paragraph_chunks("One.\\n\\nTwo. Three.", 12)]
    [(0, 'One.\\n\\n'), (6, 'Two. Three.')]
    """
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = next((found + len(mark) for mark in ("\n\n", "\n", ". ", " ")
                    if (found := window.rfind(mark)) > 0), limit)
        yield start, window[:cut], False
        start += cut
    yield start, text[start:], True


def _shifted(triple: Triple, offset: int, sentences: int) -> Triple:
    """The triple of a chunk, with offsets and sentence number counted in the whole text."""
    if not offset and not sentences:
        return triple

    def move(argument: Argument) -> Argument:
        return replace(argument, start=argument.start + offset, end=argument.end + offset,
                       head_start=argument.head_start + offset,
                       head_end=argument.head_end + offset)

    p = triple.provenance
    return replace(
        triple, subject=move(triple.subject), object=move(triple.object),
        extras=tuple(move(extra) for extra in triple.extras),
        provenance=replace(p, sentence_index=p.sentence_index + sentences,
                           sentence_start=p.sentence_start + offset,
                           sentence_end=p.sentence_end + offset))


def extract_doc(doc: Doc, doc_id: str = "doc") -> list[Triple]:
    """Apply every registered rule to every sentence of a parsed ``Doc``, then point the
    arguments at the entities coreference found (``He`` -> Li Qiang).

    The document's ``ParseTable`` serves coreference too, and is dropped when both are done.
    """
    triples: list[Triple] = []
    with kept_table(doc) as table:
        for index, (start, end) in enumerate(table.sentences):
            start, end = _inside_space(table, start, end)
            if start < end:
                triples.extend(extract_sentence(doc[start:end], index, doc_id))
        return resolve_arguments(triples, resolve(doc))


def _without_edge_space(sentence: Span) -> Span:
    """The sentence without leading or trailing whitespace tokens (line breaks)."""
    return sentence.doc[slice(*_inside_space(table_of(sentence), sentence.start, sentence.end))]


def _inside_space(table: ParseTable, start: int, end: int) -> tuple[int, int]:
    """Tokens ``start`` to ``end`` without the whitespace tokens at either edge."""
    space = table.is_space
    while start < end and space[start]:
        start += 1
    while end > start and space[end - 1]:
        end -= 1
    return start, end


def extract_sentence(sentence: Span, index: int, doc_id: str) -> list[Triple]:
    """The triples of one sentence; a fact found by two rules is kept once (first rule wins)."""
    return [triple for triple, _ in scored_triples(sentence, index, doc_id)]


def scored_triples(sentence: Span, index: int,
                   doc_id: str) -> list[tuple[Triple, dict[str, float]]]:
    """The sentence's triples with the features their confidence was computed from.

    Confidence needs the whole sentence's extractions (how many facts compete for it), so it
    is set once every rule has run. ``benchmarks.fit_confidence`` fits on these features.
    """
    seen: set[tuple[int, int, str, int, int]] = set()
    found: list[tuple[Triple, dict[str, float]]] = []
    table = table_of(sentence)
    text = table.span_text(sentence.start, sentence.end)
    start, end = sentence.start_char, sentence.end_char
    for name, rule in RULES.items():
        provenance = None
        for candidate in rule(sentence):
            # one provenance for all the rule's triples of the sentence
            provenance = provenance or Provenance(doc_id, index, start, end, text, name)
            for triple, parse in _triples_from(candidate, table, provenance):
                key = (triple.subject.start, triple.subject.end, triple.relation.lemma,
                       triple.object.start, triple.object.end)
                if key not in seen:
                    seen.add(key)
                    found.append((triple, parse))
    scored = []
    words = len(text.split())
    for triple, parse in found:
        values = features(triple, parse, len(found), words)
        scored.append((Triple(triple.subject, triple.relation, triple.object, triple.provenance,
                              triple.qualifiers, confidence(values), triple.extras), values))
    return scored


def _triples_from(candidate: Candidate, table: ParseTable, provenance: Provenance
                  ) -> list[tuple[Triple, dict[str, float]]]:
    """One triple per pair of coordinated subject and object, with its parse features."""
    relation = relation_of(table, candidate.relation, candidate.implied)
    extra_heads = candidate.extras
    extras = tuple([make_extra_argument(table, i) for i in extra_heads])
    predicate = candidate.predicate
    subject = resolve_relative(table, candidate.subject)
    if candidate.split_conjuncts:
        subjects, objects = conjuncts(table, subject), conjuncts(table, candidate.object)
    else:
        subjects, objects = [subject], [candidate.object]
    # positional, as a value's __init__ takes them fastest; confidence comes once the
    # sentence is done
    return [(Triple(make_argument(table, subject_head, object_head), relation,
                    make_argument(table, object_head, subject_head), provenance,
                    qualifiers_of(table, predicate, object_head, extra_heads), 0.5, extras),
             parse_features(table, predicate, subject_head, object_head))
            for subject_head in subjects for object_head in objects
            if subject_head != object_head]


#: Lemmas of the relations that a sentence implies without a verb.
IMPLIED_LEMMAS = {"be": "be", "be in": "in", "has": "have", "had": "have"}


def relation_of(table: ParseTable, words: Sequence[int], implied: str = "") -> Relation:
    """Surface text of the relation words and their lemma form without auxiliaries.

    "were subjected to" -> Relation("were subjected to", "subject to"); "plans to surpass"
    -> Relation("plans to surpass", "plan to surpass"); "would not benefit" ->
    Relation("would not benefit", "benefit"). Without words (token positions), the implied
    relation ("be", "has"). Rules find the same relation for several facts: it is worked
    out once per document.
    """
    key = ("relation", tuple(words), implied)
    if key not in table.answers:
        table.answers[key] = _relation(table, words, implied)
    return table.answers[key]


def _relation(table: ParseTable, words: Sequence[int], implied: str) -> Relation:
    if not words:
        return Relation(implied, IMPLIED_LEMMAS.get(implied, implied))
    dep, tag, lemma_of = table.dep, table.tag, table.lemma
    text = " ".join([implied] * bool(implied) + [table.text[i] for i in words])
    lemma = " ".join([lemma_of(i).lower() for i in words
                      if dep[i] not in _FUNCTION_DEPS or tag[i] == "TO"])
    passive = "agent" in [dep[i] for i in words]
    return Relation(text, lemma or text.lower(), passive)
