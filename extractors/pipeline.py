"""Text in, triples out: parse with spaCy, run the rule registry, build triples.

``extract`` handles one text; ``extract_stream`` streams many through ``nlp.pipe`` so that no
more than one batch of parsed ``Doc`` objects is ever held in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from extractors.arguments import conjuncts, make_argument, make_extra_argument, resolve_relative
from extractors.confidence import confidence, features, parse_features
from extractors.coreference import resolve, resolve_arguments
from extractors.nlp import load_model
from extractors.qualifiers import qualifiers_of
from extractors.rules import RULES, Candidate
from extractors.triple import Provenance, Relation, Triple

#: Relation words that carry tense, voice, polarity or the agent marker; the lemma form leaves
#: them out (negation and modality live on as qualifiers).
_FUNCTION_DEPS = {"aux", "auxpass", "agent", "neg", "advmod"}


def extract(text: str, doc_id: str = "doc") -> list[Triple]:
    """Extract the triples of one text, in sentence order.

    >>> [(t.subject.head, t.relation.lemma, t.object.head)
    ...  for t in extract("Regulators fined Ant Group.")]
    [('Regulators', 'fine', 'Ant Group')]
    """
    return extract_doc(load_model()(text), doc_id)


def extract_stream(
    texts: Iterable[tuple[str, str]], *, batch_size: int = 16, n_process: int = 1
) -> Iterator[tuple[str, list[Triple]]]:
    """Extract ``(doc_id, text)`` pairs lazily, yielding ``(doc_id, triples)`` in input order."""
    nlp = load_model()
    pairs = ((text, doc_id) for doc_id, text in texts)
    for doc, doc_id in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size,
                                n_process=n_process):
        yield doc_id, extract_doc(doc, doc_id)


def extract_doc(doc: Doc, doc_id: str = "doc") -> list[Triple]:
    """Apply every registered rule to every sentence of a parsed ``Doc``, then point the
    arguments at the entities coreference found (``He`` -> Li Qiang)."""
    triples: list[Triple] = []
    for index, sentence in enumerate(doc.sents):
        sentence = _without_edge_space(sentence)
        if len(sentence):
            triples.extend(extract_sentence(sentence, index, doc_id))
    return resolve_arguments(triples, resolve(doc))


def _without_edge_space(sentence: Span) -> Span:
    """The sentence without leading or trailing whitespace tokens (line breaks)."""
    start, end = sentence.start, sentence.end
    doc = sentence.doc
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return doc[start:end]


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
    for name, rule in RULES.items():
        for candidate in rule(sentence):
            for triple, parse in _triples_from(candidate, sentence, index, doc_id, name):
                key = (triple.subject.start, triple.subject.end, triple.relation.lemma,
                       triple.object.start, triple.object.end)
                if key not in seen:
                    seen.add(key)
                    found.append((triple, parse))
    scored = []
    for triple, parse in found:
        values = features(triple, parse, len(found))
        scored.append((replace(triple, confidence=confidence(values)), values))
    return scored


def _triples_from(candidate: Candidate, sentence: Span, index: int, doc_id: str,
                  rule: str) -> Iterator[tuple[Triple, dict[str, float]]]:
    """One triple per pair of coordinated subject and object, with its parse features."""
    relation = relation_of(candidate.relation, candidate.implied)
    provenance = Provenance(doc_id, index, sentence.start_char, sentence.end_char,
                            sentence.text, rule)
    extras = tuple(make_extra_argument(token) for token in candidate.extras)
    split = conjuncts if candidate.split_conjuncts else lambda token: [token]
    for subject_token in split(resolve_relative(candidate.subject)):
        for object_token in split(candidate.object):
            if subject_token == object_token:
                continue
            triple = Triple(
                subject=make_argument(subject_token, inside=object_token),
                relation=relation,
                object=make_argument(object_token, inside=subject_token),
                provenance=provenance,
                qualifiers=qualifiers_of(candidate.predicate, object_token, candidate.extras),
                extras=extras,
            )
            yield triple, parse_features(candidate.predicate, subject_token, object_token)


#: Lemmas of the relations that a sentence implies without a verb.
IMPLIED_LEMMAS = {"be": "be", "be in": "in", "has": "have", "had": "have"}


def relation_of(words: tuple[Token, ...], implied: str = "") -> Relation:
    """Surface text of the relation words and their lemma form without auxiliaries.

    "were subjected to" -> Relation("were subjected to", "subject to"); "plans to surpass"
    -> Relation("plans to surpass", "plan to surpass"); "would not benefit" ->
    Relation("would not benefit", "benefit"). Without words, the implied relation ("be",
    "has").
    """
    if not words:
        return Relation(implied, IMPLIED_LEMMAS.get(implied, implied))
    text = " ".join([implied] * bool(implied) + [token.text for token in words])
    lemma = " ".join(token.lemma_.lower() for token in words
                     if token.dep_ not in _FUNCTION_DEPS or token.tag_ == "TO")
    passive = any(token.dep_ == "agent" for token in words)
    return Relation(text, lemma or text.lower(), passive)
