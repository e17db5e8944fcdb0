"""Qualifiers read off the parse around a predicate: negation, modality, attribution, time,
place and amount. They describe a fact without being part of its relation text."""

from __future__ import annotations

from extractors.parse_table import ParseTable
from extractors.triple import Qualifiers

#: Modal verbs that hedge a fact; "will" and "shall" state the future and are not hedges.
HEDGING_MODALS = {"may", "might", "could", "should", "would", "can", "must", "ought"}
#: Verbs that attribute the clause they govern to their subject ("Li said that ...").
REPORTING_VERBS = {"say", "tell", "state", "report", "claim", "announce", "add", "note",
                   "argue", "warn", "write", "believe", "confirm", "allege", "insist",
                   "suggest", "explain", "estimate", "predict", "expect", "think"}
_TIME_LABELS = {"DATE", "TIME"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_AMOUNT_LABELS = {"MONEY", "PERCENT", "QUANTITY"}
_QUALIFIER_LABELS = _TIME_LABELS | _PLACE_LABELS | _AMOUNT_LABELS


def qualifiers_of(table: ParseTable, predicate: int, object_head: int,
                  extras: tuple[int, ...]) -> Qualifiers:
    """Collect the qualifiers of the fact headed by token ``predicate``.

    Time and place are the first such entity in the verb's modifiers (``extras`` among them),
    amount the first in its object or modifiers. A parse does not cross sentences, so the
    entities asked about are the sentence's few, each placed by walking up from it.
    """
    start, end = table.sentences[table.sentence[predicate]]
    named = [entity for entity in table.entities_between(start, end)
             if entity[2] in _QUALIFIER_LABELS]
    modifying = [entity for entity in named
                 if _is_modifier(table, table.child_towards(predicate, entity[0]), extras)]
    dep, head = table.dep, table.head
    time = _entity_text(table, modifying, _TIME_LABELS)
    location = _entity_text(table, [(first, end, label) for first, end, label in modifying
                                    if dep[head[first]] == "prep" or dep[first] == "pobj"],
                            _PLACE_LABELS)
    amount = _entity_text(table, [entity for entity in named if entity in modifying or (
        entity[0] == object_head or table.child_towards(object_head, entity[0]) is not None)],
        _AMOUNT_LABELS)
    # positional: a value's __init__ takes them faster than keywords
    return Qualifiers(is_negated(table, predicate), modality_of(table, predicate),
                      attribution_of(table, predicate), time, location, amount)


def is_negated(table: ParseTable, predicate: int) -> bool:
    """"did not approve", "never approved": a ``neg`` child of the verb or its auxiliary."""
    dep = table.dep
    return "neg" in [dep[child] for child in table.children[predicate]]


def modality_of(table: ParseTable, predicate: int) -> str | None:
    """The hedging modal of the verb ("may ban" -> "may"), if any."""
    for child in table.children[predicate]:
        if table.dep[child] == "aux" and table.lower[child] in HEDGING_MODALS:
            return table.lower[child]
    return None


def attribution_of(table: ParseTable, predicate: int) -> str | None:
    """Who states the clause: the subject of the reporting verb governing it, if any.

    "Li said the sector has stimulated demand": "stimulated" is attributed to "Li".
    """
    dep, head = table.dep, table.head
    clause = predicate
    while dep[clause] == "conj" and head[clause] != clause:
        clause = head[clause]
    if dep[clause] not in {"ccomp", "parataxis"}:
        return None
    reporter = head[clause]
    if table.lemma(reporter).lower() not in REPORTING_VERBS:
        return None
    for child in table.children[reporter]:
        if dep[child] in {"nsubj", "nsubjpass"}:
            return table.span_text(table.left_edge(child), table.right_edge(child) + 1)
    return None


def _is_modifier(table: ParseTable, child: int | None, extras: tuple[int, ...]) -> bool:
    """Whether ``child`` of the predicate is a modifier that can place the fact."""
    return child is not None and (table.dep[child] in _MODIFIER_DEPS or child in extras)


_MODIFIER_DEPS = {"prep", "npadvmod", "advmod", "tmod"}


def _entity_text(table: ParseTable, entities: list[tuple[int, int, str]],
                 labels: set[str]) -> str | None:
    """The text of the first of ``entities`` with one of ``labels``."""
    for start, end, label in entities:
        if label in labels:
            return table.span_text(start, end)
    return None
