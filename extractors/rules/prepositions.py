"""Verb + preposition rules: the prepositional object becomes the triple's object."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span

from extractors.clause import (
    clause_modifiers,
    complement_prepositions,
    object_of,
    predicates_with_subject,
    relation_words,
)
from extractors.parse_table import table_of
from extractors.rules import Candidate


def verb_preposition(sentence: Span) -> Iterator[Candidate]:
    """A verb without a direct object, its preposition, and the preposition's object.

    "Alibaba will split into six units." -> (Alibaba; split into; six units). Passive subjects
    count too: "These companies were subjected to hefty fines" -> (These companies; were
    subjected to; hefty fines). Later prepositions of the same verb become further arguments.
    """
    table = table_of(sentence)
    for verb, subject in predicates_with_subject(sentence):
        complements = complement_prepositions(table, verb)
        if object_of(table, verb) is not None or not complements:
            continue
        prep, pobj = complements[0]
        relation = tuple(sorted([*relation_words(table, verb), prep]))
        extras = clause_modifiers(table, verb, (prep,))
        yield Candidate(verb, subject, relation, pobj, extras)
