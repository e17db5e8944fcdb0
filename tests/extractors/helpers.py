"""Helpers for rule tests: run one rule (or the whole pipeline) on a real sentence."""

from __future__ import annotations

from extractors import extract
from extractors.pipeline import extract_sentence

#: Rules for facts stated inside noun phrases; clause tests leave them out.
NOMINAL_RULES = {"participial_modifier", "apposition", "title_before_name", "possessive",
                 "adjective_modifier", "adjective_after_noun", "examples_of_noun"}


def facts(text: str) -> list[tuple[str, str, str]]:
    """(subject, relation, object) texts of every clause-level triple the pipeline finds."""
    return [(t.subject.text, t.relation.text, t.object.text) for t in extract(text)
            if t.provenance.rule not in NOMINAL_RULES]


def rule_facts(nlp, text: str, rule: str) -> list[tuple[str, str, str]]:
    """The facts of one sentence that a given rule produced (first rule wins on duplicates)."""
    sentence = next(nlp(text).sents)
    return [(t.subject.text, t.relation.text, t.object.text)
            for t in extract_sentence(sentence, 0, "test") if t.provenance.rule == rule]
