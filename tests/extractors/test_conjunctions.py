"""Conjunction splitting: coordinated subjects, objects and verbs give one triple each."""

from __future__ import annotations

import pytest

from tests.extractors.helpers import facts

CASES = [
    # subjects
    ("Alibaba and Tencent were fined by regulators.",
     [("regulators", "were fined by", "Alibaba"), ("regulators", "were fined by", "Tencent")]),
    # objects (seed 000)
    ("Over the past few years, the Chinese government has implemented stringent regulations "
     "and crackdowns on the technology sector.",
     [("the Chinese government", "has implemented", "stringent regulations"),
      ("the Chinese government", "has implemented", "crackdowns")]),
    # verbs sharing subject and object (seed 000)
    ("Throughout the clampdown, regulators consistently criticized and penalized these "
     "companies for various violations.",
     [("regulators", "consistently criticized", "these companies"),
      ("regulators", "penalized", "these companies")]),
    # verbs with objects of their own (seed 000)
    ("This has caused significant disruptions within the industry and raised concerns among "
     "global investors.",
     [("This", "has caused", "significant disruptions within the industry"),
      ("This", "raised concerns among", "global investors")]),
    # purposes after an infinitive, hung by the parser on the passive verb: the companies do
    # not punish or promote anything (seed 000; "forced" is a misparse left as it is)
    ("These companies were subjected to hefty fines, antitrust investigations, and forced "
     "restructuring to reduce their influence, punish them for alleged crimes, and promote fair "
     "competition.",
     [("These companies", "forced", "restructuring"),
      ("These companies", "were subjected to", "hefty fines"),
      ("These companies", "were subjected to", "antitrust investigations")]),
    # a finite verb after a passive keeps the shared subject (Wikipedia-style sentence)
    ("The two pilots were released in 1993 and continue to live in Caracas.",
     [("The two pilots", "continue to live in", "Caracas"),
      ("The two pilots", "were released", "in 1993")]),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_conjuncts_split(sentence, expected):
    assert facts(sentence) == expected
