"""Qualifiers read off the parse around a predicate: negation, modality, attribution, time,
place and amount. They describe a fact without being part of its relation text."""

from __future__ import annotations

from extractors.arguments import entity_bounds
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


def qualifiers_of(table: ParseTable, predicate: int, object_head: int,
                  extras: tuple[int, ...]) -> Qualifiers:
    """Collect the qualifiers of the fact headed by token ``predicate``."""
    named = _entity_starts(table, _modifier_tokens(table, predicate, extras))
    return Qualifiers(
        negated=is_negated(table, predicate),
        modality=modality_of(table, predicate),
        attribution=attribution_of(table, predicate),
        time=_entity_text(table, named, _TIME_LABELS),
        location=_entity_text(table, named, _PLACE_LABELS, only_after_preposition=True),
        amount=_entity_text(table, [*_entity_starts(table, table.tokens_under(object_head)),
                                    *named], _AMOUNT_LABELS),
    )


def is_negated(table: ParseTable, predicate: int) -> bool:
    """"did not approve", "never approved": a ``neg`` child of the verb or its auxiliary."""
    return any(table.dep[child] == "neg" for child in table.children[predicate])


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


def _modifier_tokens(table: ParseTable, predicate: int, extras: tuple[int, ...]) -> list[int]:
    tokens: list[int] = []
    for child in table.children[predicate]:
        if table.dep[child] in {"prep", "npadvmod", "advmod", "tmod"} or child in extras:
            tokens.extend(table.tokens_under(child))
    return tokens


def _entity_starts(table: ParseTable, tokens: list[int]) -> list[int]:
    """The tokens among ``tokens`` that open a named entity."""
    ent_iob = table.ent_iob
    return [i for i in tokens if ent_iob[i] == "B"]


def _entity_text(table: ParseTable, starts: list[int], labels: set[str], *,
                 only_after_preposition: bool = False) -> str | None:
    """The text of the first entity, in sentence order, that opens at one of ``starts``
    with one of ``labels``."""
    ent_type, dep = table.ent_type, table.dep
    for i in sorted([i for i in starts if ent_type[i] in labels]):
        if only_after_preposition and dep[table.head[i]] != "prep" and dep[i] != "pobj":
            continue
        start, end, _ = entity_bounds(table, i)
        return table.span_text(start, end)
    return None
