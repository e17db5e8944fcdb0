"""Clause rules on real sentences from the sample articles."""

from __future__ import annotations

import pytest

from extractors import extract
from tests.extractors.helpers import rule_facts

ACTIVE = [
    # seed 000
    ("To reignite growth, Alibaba implemented a restructuring plan, dividing itself into six "
     "separate business units.",
     [("Alibaba", "implemented", "a restructuring plan")]),
    # seed 003
    ("On the same day, the National Development and Reform Commission approved the projects of "
     "10 Internet giants, including Alibaba, Tencent and Meituan.",
     [("the National Development and Reform Commission", "approved",
       "the projects of 10 Internet giants, including Alibaba, Tencent and Meituan")]),
    # coordinated verbs share subject and object (seed 000)
    ("Throughout the clampdown, regulators consistently criticized and penalized these "
     "companies for various violations.",
     [("regulators", "criticized", "these companies"),
      ("regulators", "penalized", "these companies")]),
    # Wikinews 051: a verb in a subordinate clause
    ("Ford said in a financial filing to the U.S. Securities and Exchange Commission that the "
     "criminal investigation started on some unspecified date after Ford voluntarily disclosed "
     "the matter to the federal government on February 21.",
     [("Ford", "disclosed", "the matter")]),
]


@pytest.mark.parametrize(("sentence", "expected"), ACTIVE)
def test_active_clause(nlp, sentence, expected):
    assert rule_facts(nlp, sentence, "active_clause") == expected


PASSIVE = [
    ("Ant Group was fined by regulators.", [("regulators", "was fined by", "Ant Group")]),
    # coordinated patients split (seed 000 wording)
    ("Alibaba and Tencent were fined by Chinese regulators.",
     [("Chinese regulators", "were fined by", "Alibaba"),
      ("Chinese regulators", "were fined by", "Tencent")]),
]


@pytest.mark.parametrize(("sentence", "expected"), PASSIVE)
def test_passive_with_agent(nlp, sentence, expected):
    assert rule_facts(nlp, sentence, "passive_with_agent") == expected


def test_passive_with_agent_is_turned_active_in_lemma_and_heads():
    (triple,) = [t for t in extract("Ant Group was fined by regulators.")
                 if t.provenance.rule == "passive_with_agent"]
    assert (triple.subject.head, triple.relation.lemma, triple.object.head) == (
        "regulators", "fine", "Ant Group")
    assert triple.object.entity_type == "ORG"
    assert triple.relation.passive
