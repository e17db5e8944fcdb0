"""Verb + preposition rule on real sentences."""

from __future__ import annotations

import pytest

from extractors import extract
from tests.extractors.helpers import rule_facts

CASES = [
    ("Alibaba split into six units.", [("Alibaba", "split into", "six units")]),
    # seed 000: passive subject, coordinated prepositional objects
    ("These companies were subjected to hefty fines, antitrust investigations, and forced "
     "restructuring to reduce their influence.",
     [("These companies", "were subjected to", "hefty fines"),
      ("These companies", "were subjected to", "antitrust investigations")]),
    # seed 000
    ("However, as the Chinese economy grapples with the consequences of these actions, the "
     "government is now taking measures to ease restrictions and revive the sector.",
     [("the Chinese economy", "grapples with", "the consequences of these actions")]),
    # BBC business 148: a two-word preposition right after the verb
    ("The news comes a week after GM pulled out of an agreement to buy Fiat.",
     [("GM", "pulled out of", "an agreement to buy Fiat")]),
    # BBC business 072: an adverb and the preposition the parser hangs on it
    ("Consumer confidence has bounced back from a four-year low in January, and retail sales "
     "were up 2.1% in December.",
     [("Consumer confidence", "has bounced back from", "a four-year low")]),
    # BBC sport 228: a passive participle the tagger took for an adjective
    ("And Houllier, away from his brief at Liverpool, has been hugely impressed with the "
     "Premiership.",
     [("Houllier", "has been hugely impressed with", "the Premiership")]),
    # a date is never the object: "fined in 2020" gives no verb_preposition triple
    ("Ant Group was fined by regulators in 2020.", []),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES)
def test_verb_preposition(nlp, sentence, expected):
    assert rule_facts(nlp, sentence, "verb_preposition") == expected


def test_relation_lemma_drops_auxiliaries():
    (triple, _) = [t for t in extract("These companies were subjected to hefty fines and "
                                      "antitrust investigations.")
                   if t.provenance.rule == "verb_preposition"]
    assert (triple.relation.text, triple.relation.lemma) == ("were subjected to", "subject to")


def test_time_phrase_becomes_qualifier_and_extra_argument():
    (triple,) = extract("Ant Group was fined by regulators in 2020.")
    assert triple.qualifiers.time == "2020"
