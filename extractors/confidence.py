"""Confidence of a triple: how likely the extraction is correct, from features of the parse.

The score starts from the prior of the rule that made the triple and is lowered for signs of
a shaky parse (long arguments, arguments without nouns, very long sentences) and raised when
both arguments are named entities. Weights are hand-set, not fitted.
"""

from __future__ import annotations

from extractors.triple import Argument

RULE_PRIOR = {
    "active_clause": 0.8,
    "passive_with_agent": 0.8,
    "verb_preposition": 0.65,
}
_DEFAULT_PRIOR = 0.5


def confidence(rule: str, subject: Argument, obj: Argument, sentence_tokens: int) -> float:
    """A score in [0, 1] that ranks triples by expected correctness."""
    score = RULE_PRIOR.get(rule, _DEFAULT_PRIOR)
    for argument in (subject, obj):
        words = len(argument.text.split())
        if words > 12:
            score -= 0.1
        if argument.is_pronoun:
            score -= 0.1
        if argument.entity_type:
            score += 0.05
    if sentence_tokens > 40:
        score -= 0.1
    return round(min(1.0, max(0.0, score)), 4)
