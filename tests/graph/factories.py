"""Hand-built triples for graph tests: exact control over names and provenance."""

from __future__ import annotations

from extractors.triple import Argument, Provenance, Qualifiers, Relation, Triple


def argument(text: str, entity_type: str | None = None, start: int = 0) -> Argument:
    return Argument(text, start, start + len(text), text, start, start + len(text), entity_type)


def triple(subject: str, relation: str, obj: str, *, doc_id: str = "doc", sentence: int = 0,
           text: str | None = None, lemma: str | None = None, subject_type: str | None = None,
           object_type: str | None = None, qualifiers: Qualifiers | None = None,
           confidence: float = 0.8, rule: str = "active_clause") -> Triple:
    sentence_text = text or f"{subject} {relation} {obj}."
    return Triple(
        subject=argument(subject, subject_type),
        relation=Relation(relation, lemma or relation),
        object=argument(obj, object_type, start=len(subject) + len(relation) + 2),
        provenance=Provenance(doc_id, sentence, 0, len(sentence_text), sentence_text, rule),
        qualifiers=qualifiers or Qualifiers(),
        confidence=confidence,
    )
