"""Confidence of a triple: how likely the extraction is correct, from features of the parse.

A logistic model over a handful of features that predict correctness: the rule that made the
triple, argument lengths, pronouns and named entities among the arguments, qualifiers and
sentence length. The weights were fitted once on the CaRB development split (target: the
triple's best CaRB precision against the gold tuples of its sentence is at least 0.5) with L2-
regularised logistic regression by ``python -m benchmarks.fit_confidence``, which also reports
a two-fold cross-validated estimate; refit after changing rules or features.
"""

from __future__ import annotations

import math

from extractors.triple import Triple

#: Fitted weights (see module docstring); features absent here weigh nothing.
WEIGHTS: dict[str, float] = {
    "attributed": -0.191,
    "bias": 0.63,
    "extras": -0.202,
    "hedged": -0.267,
    "negated": -0.748,
    "object_entity": 0.506,
    "object_long": -0.521,
    "object_nominal": 0.15,
    "object_pronoun": -0.236,
    "object_words_log": 0.103,
    "passive": -0.064,
    "relation_words": 0.324,
    "rule=active_clause": 0.962,
    "rule=adjective_modifier": -1.58,
    "rule=apposition": -0.486,
    "rule=clausal_complement": 0.909,
    "rule=copular_clause": 0.986,
    "rule=infinitival_complement": 0.926,
    "rule=participial_modifier": -0.223,
    "rule=passive_with_agent": 0.471,
    "rule=possessive": -1.95,
    "rule=title_before_name": -1.523,
    "rule=verb_preposition": 0.927,
    "rule=verb_with_adjunct": 1.092,
    "sentence_words_10": -0.203,
    "subject_entity": 0.566,
    "subject_long": -0.809,
    "subject_pronoun": -0.269,
    "subject_words_log": -0.323,
}


def features(triple: Triple) -> dict[str, float]:
    """The features of a triple that the confidence model weighs."""
    sentence_words = len(triple.provenance.sentence.split())
    subject_words = len(triple.subject.text.split())
    object_words = len(triple.object.text.split())
    found = {
        "bias": 1.0,
        f"rule={triple.provenance.rule}": 1.0,
        "subject_words_log": math.log1p(subject_words),
        "object_words_log": math.log1p(object_words),
        "subject_long": float(subject_words > 10),
        "object_long": float(object_words > 15),
        "relation_words": float(len(triple.relation.text.split())),
        "extras": float(len(triple.extras)),
        "subject_pronoun": float(triple.subject.is_pronoun),
        "object_pronoun": float(triple.object.is_pronoun),
        "subject_entity": float(triple.subject.entity_type is not None),
        "object_entity": float(triple.object.entity_type is not None),
        "object_nominal": float(triple.object.nominal),
        "negated": float(triple.qualifiers.negated),
        "hedged": float(triple.qualifiers.modality is not None),
        "attributed": float(triple.qualifiers.attribution is not None),
        "passive": float(triple.relation.passive),
        "sentence_words_10": sentence_words / 10.0,
    }
    return found


def confidence(triple: Triple) -> float:
    """A score in [0, 1] that ranks triples by expected correctness."""
    score = sum(WEIGHTS.get(name, 0.0) * value
                for name, value in features(triple).items())
    return round(1.0 / (1.0 + math.exp(-score)), 4)
