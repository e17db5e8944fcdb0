"""Confidence of a triple: how likely the extraction is correct, from features of the parse.

A logistic model over a handful of features that predict correctness: the rule that made the
triple, where its verb sits in the parse, argument lengths and parts of speech, pronouns and
named entities among the arguments, qualifiers, sentence length and how many facts the
sentence yields. The weights were fitted once on the CaRB development split (target: the
triple's best CaRB precision against the gold tuples of its sentence, as a soft label) with
L2-regularised logistic regression by ``python -m benchmarks.fit_confidence``, which also
reports a two-fold cross-validated estimate; refit after changing rules or features.
"""

from __future__ import annotations

import math
from itertools import repeat
from operator import mul

from extractors.parse_table import ParseTable
from extractors.triple import Triple

#: Fitted weights (see module docstring); features absent here weigh nothing.
WEIGHTS: dict[str, float] = {
    "attributed": 0.445,
    "bias": 0.605,
    "extras": -0.433,
    "hedged": -0.109,
    "negated": -0.687,
    "object_entity": 0.172,
    "object_long": -0.543,
    "object_nominal": -0.04,
    "object_pos=ADJ": -0.136,
    "object_pos=ADP": -0.089,
    "object_pos=ADV": 0.144,
    "object_pos=AUX": 0.124,
    "object_pos=NOUN": 0.174,
    "object_pos=NUM": -0.165,
    "object_pos=PART": 0.277,
    "object_pos=PRON": -0.297,
    "object_pos=PROPN": 0.428,
    "object_pos=VERB": 0.006,
    "object_pronoun": 0.056,
    "object_words_log": -0.037,
    "passive": -0.231,
    "predicate_dep=ROOT": 0.828,
    "predicate_dep=acl": -0.041,
    "predicate_dep=advcl": 0.196,
    "predicate_dep=ccomp": -0.628,
    "predicate_dep=conj": 0.396,
    "predicate_dep=other": -0.078,
    "predicate_dep=pcomp": -1.119,
    "predicate_dep=relcl": 0.381,
    "predicate_dep=xcomp": 0.532,
    "predicate_depth": -0.171,
    "relation_words": 0.117,
    "rule=active_clause": 0.598,
    "rule=adjective_after_noun": -0.288,
    "rule=adjective_modifier": -0.775,
    "rule=apposition": 0.701,
    "rule=clausal_complement": 0.328,
    "rule=copular_clause": 0.32,
    "rule=examples_of_noun": 0.154,
    "rule=infinitival_complement": 0.921,
    "rule=light_verb_object": -0.509,
    "rule=noun_in_place": -0.789,
    "rule=participial_adverbial": 0.375,
    "rule=participial_modifier": 0.22,
    "rule=passive_with_agent": 0.309,
    "rule=possessive": -2.994,
    "rule=purpose_clause": 0.003,
    "rule=title_before_name": 0.708,
    "rule=verb_preposition": 0.704,
    "rule=verb_with_adjunct": 0.481,
    "sentence_triples_log": -0.145,
    "sentence_words_10": -0.181,
    "subject_after_verb": 0.248,
    "subject_entity": -0.194,
    "subject_long": -0.684,
    "subject_pos=ADJ": 0.689,
    "subject_pos=AUX": -0.234,
    "subject_pos=NOUN": -0.157,
    "subject_pos=NUM": 0.064,
    "subject_pos=PRON": 0.004,
    "subject_pos=PROPN": 0.474,
    "subject_pos=SCONJ": -0.028,
    "subject_pos=VERB": -0.345,
    "subject_pronoun": -0.545,
    "subject_words_log": -0.576,
}


def parse_features(table: ParseTable, predicate: int, subject: int,
                   obj: int) -> dict[str, float]:
    """Features of the parse around a triple: where its verb sits, what its heads are."""
    dep = table.dep[predicate]
    return {
        f"predicate_dep={dep if dep in _CLAUSE_DEPS else 'other'}": 1.0,
        f"subject_pos={table.pos[subject]}": 1.0,
        f"object_pos={table.pos[obj]}": 1.0,
        "predicate_depth": float(_depth(table, predicate)),
        "subject_after_verb": float(subject > predicate),
    }


_CLAUSE_DEPS = {"ROOT", "conj", "ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp"}


def _depth(table: ParseTable, i: int) -> int:
    depth = 0
    while table.head[i] != i and depth < 20:
        i = table.head[i]
        depth += 1
    return depth


def features(triple: Triple, parse: dict[str, float], sentence_triples: int,
             sentence_words: int | None = None) -> dict[str, float]:
    """Every feature the confidence model weighs, for a triple of a sentence
    (``sentence_words``: the words of its sentence, if already counted)."""
    if sentence_words is None:
        sentence_words = len(triple.provenance.sentence.split())
    subject, obj, qualifiers = triple.subject, triple.object, triple.qualifiers
    subject_words = len(subject.text.split())
    object_words = len(obj.text.split())
    return {
        "bias": 1.0,
        f"rule={triple.provenance.rule}": 1.0,
        "subject_words_log": math.log1p(subject_words),
        "object_words_log": math.log1p(object_words),
        "subject_long": float(subject_words > 10),
        "object_long": float(object_words > 15),
        "relation_words": float(len(triple.relation.text.split())),
        "extras": float(len(triple.extras)),
        "subject_pronoun": float(subject.is_pronoun),
        "object_pronoun": float(obj.is_pronoun),
        "subject_entity": float(subject.entity_type is not None),
        "object_entity": float(obj.entity_type is not None),
        "object_nominal": float(obj.nominal),
        "negated": float(qualifiers.negated),
        "hedged": float(qualifiers.modality is not None),
        "attributed": float(qualifiers.attribution is not None),
        "passive": float(triple.relation.passive),
        "sentence_words_10": sentence_words / 10.0,
        "sentence_triples_log": math.log1p(sentence_triples),
        **parse,
    }


def confidence(values: dict[str, float]) -> float:
    """A score in [0, 1] from the features of a triple: the fitted logistic model."""
    # in the features' order, as a sum of products: the same float additions as a loop
    score = sum(map(mul, map(WEIGHTS.get, values, repeat(0.0)), values.values()))
    return round(1.0 / (1.0 + math.exp(-score)), 4)
