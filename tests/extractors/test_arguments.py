"""How far an argument phrase reaches, on real sentences from BBC business news."""

from __future__ import annotations

import pytest

from extractors import extract

CASES = [
    # a quotation keeps its marks, and the comma that ends it inside them
    ("\"They have shown a complete disregard for the consultative rights of our members,\" "
     "said Mr Fitzpatrick, who added that the company now planned to observe the "
     "consultation procedures.",
     "said",
     "\"They have shown a complete disregard for the consultative rights of our members,\""),
    # an unquoted report has no marks to keep
    ("Potential foreign investors will however need government approval before they increase "
     "their stake beyond 49%, Mr Maran said.",
     "said",
     "Potential foreign investors will however need government approval before they increase "
     "their stake beyond 49%"),
]


@pytest.mark.parametrize(("sentence", "relation", "expected"), CASES)
def test_object_phrase(sentence, relation, expected):
    objects = [t.object.text for t in extract(sentence) if t.relation.text == relation]
    assert objects == [expected]


SUBJECTS = [
    # BBC business 066: an apposition without a comma is part of the name
    ("Munich-based research institute Ifo said that its confidence index fell to 95.5 in "
     "February from 97.5 in January, its first decline in three months.",
     "said that", "Munich-based research institute Ifo"),
    # BBC business 186: "Jet Airways, a low-fare airline," stays out of the subject
    ("Jet Airways, a low-fare airline, was founded by London-based ex-travel agent Naresh Goya, "
     "and controls 45% of the Indian domestic airline market.",
     "controls", "Jet Airways"),
]


@pytest.mark.parametrize(("sentence", "relation", "expected"), SUBJECTS)
def test_subject_phrase(sentence, relation, expected):
    subjects = [t.subject.text for t in extract(sentence) if t.relation.text == relation]
    assert subjects == [expected]

