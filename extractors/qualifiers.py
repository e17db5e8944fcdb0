"""Qualifiers read off the parse around a predicate: negation, modality, attribution, time,
place and amount. They describe a fact without being part of its relation text."""

from __future__ import annotations

from spacy.tokens import Token

from extractors.arguments import entity_span
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


def qualifiers_of(predicate: Token, object_head: Token, extras: tuple[Token, ...]) -> Qualifiers:
    """Collect the qualifiers of the fact headed by ``predicate``."""
    modifiers = _modifier_tokens(predicate, extras)
    return Qualifiers(
        negated=is_negated(predicate),
        modality=modality_of(predicate),
        attribution=attribution_of(predicate),
        time=_entity_text(modifiers, _TIME_LABELS),
        location=_entity_text(modifiers, _PLACE_LABELS, only_after_preposition=True),
        amount=_entity_text([*object_head.subtree, *modifiers], _AMOUNT_LABELS),
    )


def is_negated(predicate: Token) -> bool:
    """"did not approve", "never approved": a ``neg`` child of the verb or its auxiliary."""
    return any(child.dep_ == "neg" for child in predicate.children)


def modality_of(predicate: Token) -> str | None:
    """The hedging modal of the verb ("may ban" -> "may"), if any."""
    for child in predicate.children:
        if child.dep_ == "aux" and child.lower_ in HEDGING_MODALS:
            return child.lower_
    return None


def attribution_of(predicate: Token) -> str | None:
    """Who states the clause: the subject of the reporting verb governing it, if any.

    "Li said the sector has stimulated demand": "stimulated" is attributed to "Li".
    """
    clause = predicate
    while clause.dep_ == "conj" and clause.head is not clause:
        clause = clause.head
    if clause.dep_ not in {"ccomp", "parataxis"}:
        return None
    reporter = clause.head
    if reporter.lemma_.lower() not in REPORTING_VERBS:
        return None
    for child in reporter.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            return reporter.doc[child.left_edge.i : child.right_edge.i + 1].text
    return None


def _modifier_tokens(predicate: Token, extras: tuple[Token, ...]) -> list[Token]:
    tokens: list[Token] = []
    for child in predicate.children:
        if child.dep_ in {"prep", "npadvmod", "advmod", "tmod"} or child in extras:
            tokens.extend(child.subtree)
    return tokens


def _entity_text(tokens: list[Token], labels: set[str], *,
                 only_after_preposition: bool = False) -> str | None:
    for token in sorted(tokens, key=lambda t: t.i):
        if token.ent_type_ not in labels or token.ent_iob_ != "B":
            continue
        if only_after_preposition and token.head.dep_ != "prep" and token.dep_ != "pobj":
            continue
        return entity_span(token).text
    return None
