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
     [("regulators", "consistently criticized", "these companies"),
      ("regulators", "penalized", "these companies")]),
    # Wikinews 051: a verb in a subordinate clause
    ("Ford said in a financial filing to the U.S. Securities and Exchange Commission that the "
     "criminal investigation started on some unspecified date after Ford voluntarily disclosed "
     "the matter to the federal government on February 21.",
     [("Ford", "voluntarily disclosed", "the matter")]),
    # BBC business 012: a clause as the subject
    ("But critics argue cutting subsidies will hurt the poorer families that his government "
     "says it wants to help.",
     [("cutting subsidies", "will hurt", "the poorer families")]),
    # BBC business: a passive verb does not take the object of the active verb after it
    ("Jet Airways, a low-fare airline, was founded by London-based ex-travel agent Naresh Goya, "
     "and controls 45% of the Indian domestic airline market.",
     [("Jet Airways", "controls", "45% of the Indian domestic airline market")]),
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


COPULAR = [
    # Wikinews 157
    ("HDT Limited was registered on August 6, 2019 and is under the aegis of Hungarian "
     "National Asset Management, Inc.", []),
    # seed 003
    ("As the world enters the Internet of Things era, the development of the real economy is "
     "closely related to the Internet.",
     [("the development of the real economy", "is related to", "the Internet")]),
    # seed 000
    ("However, despite the positive signals, some fund managers remain cautious and avoid the "
     "sector.",
     [("some fund managers", "remain", "cautious")]),
]


@pytest.mark.parametrize(("sentence", "expected"), COPULAR)
def test_copular_clause(nlp, sentence, expected):
    assert rule_facts(nlp, sentence, "copular_clause") == expected


INFINITIVAL = [
    # seed 003
    ("Chinese speech recognition company iFlytek said it plans to surpass the capabilities of "
     "the Chinese-language ChatGPT.",
     [("it", "plans to surpass", "the capabilities of the Chinese-language ChatGPT")]),
    # Wikinews 131
    ("Facebook was ordered to remove the post.",
     [("Facebook", "was ordered to remove", "the post")]),
    # seed 000: a coordinated infinitive shares the chain
    ("Furthermore, Li pledged to create a fair environment and reduce compliance costs.",
     [("Li", "pledged to create", "a fair environment"),
      ("Li", "pledged to reduce", "compliance costs")]),
    # BBC business 001
    ("It hopes to increase subscribers by offering the online service free to TimeWarner "
     "internet customers and will try to sign up AOL's existing customers for high-speed "
     "broadband.",
     [("It", "hopes to increase", "subscribers"),
      ("It", "will try to sign up", "AOL's existing customers")]),
]


@pytest.mark.parametrize(("sentence", "expected"), INFINITIVAL)
def test_infinitival_complement(nlp, sentence, expected):
    assert rule_facts(nlp, sentence, "infinitival_complement") == expected


def test_infinitival_lemma_keeps_to():
    (triple,) = [t for t in extract("Facebook was ordered to remove the post.")
                 if t.provenance.rule == "infinitival_complement"]
    assert triple.relation.lemma == "order to remove"


CLAUSAL = [
    # seed 000
    ("However, Zhu warned that the changing regulatory landscape would not benefit all "
     "Chinese tech companies equally.",
     [("Zhu", "warned that",
       "the changing regulatory landscape would not benefit all Chinese tech companies "
       "equally")]),
]


@pytest.mark.parametrize(("sentence", "expected"), CLAUSAL)
def test_clausal_complement(nlp, sentence, expected):
    assert rule_facts(nlp, sentence, "clausal_complement") == expected


def test_clausal_object_is_evidence_not_a_graph_node():
    (triple,) = [t for t in extract("Zhu warned that the changing regulatory landscape would "
                                    "not benefit all Chinese tech companies equally.")
                 if t.provenance.rule == "clausal_complement"]
    assert not triple.object.nominal


ADJUNCT = [
    # Wikinews 157
    ("HDT Limited was registered on August 6, 2019 and is under the aegis of Hungarian "
     "National Asset Management, Inc.",
     [("HDT Limited", "was registered", "on August 6, 2019")]),
    # seed 003
    ("China’s Internet shares jumped on Thursday after Premier Li Qiang chaired a meeting.",
     [("China’s Internet shares", "jumped", "on Thursday")]),
]


@pytest.mark.parametrize(("sentence", "expected"), ADJUNCT)
def test_verb_with_adjunct(nlp, sentence, expected):
    assert rule_facts(nlp, sentence, "verb_with_adjunct") == expected


LIGHT_VERBS = [
    # seed 000
    ("This has caused significant disruptions within the industry and raised concerns among "
     "global investors.",
     [("This", "raised concerns among", "global investors")]),
]


@pytest.mark.parametrize(("sentence", "expected"), LIGHT_VERBS)
def test_light_verb_object(nlp, sentence, expected):
    assert rule_facts(nlp, sentence, "light_verb_object") == expected


PARTICIPIAL_ADVERBIAL = [
    # seed 000
    ("Since late 2020, Chinese regulators have tightened their grip on the tech industry, "
     "targeting prominent tech giants such as Alibaba and Tencent.",
     [("Chinese regulators", "be targeting", "prominent tech giants such as Alibaba and Tencent")]),
    # Wikinews 131
    ("As a result, the Supreme Court of Justice of Austria brought the case before the ECJ, "
     "asking for clarifications of EU law.",
     [("the Supreme Court of Justice of Austria", "be asking for", "clarifications of EU law")]),
    # BBC entertainment 198: a passive participle
    ("Born in Runcorn, Cheshire, she also starred in numerous films including 1989's Shirley "
     "Valentine.",
     [("she", "be Born in", "Runcorn, Cheshire")]),
    # BBC sport 480: "having" makes the participle perfect and active
    ("Having secured the lead, Agassi still failed to take control as both players forced a "
     "succession of breaks.",
     [("Agassi", "Having secured", "the lead")]),
]


@pytest.mark.parametrize(("sentence", "expected"), PARTICIPIAL_ADVERBIAL)
def test_participial_adverbial(nlp, sentence, expected):
    assert rule_facts(nlp, sentence, "participial_adverbial") == expected


def test_light_verb_phrase_replaces_the_plain_object_reading(nlp):
    sentence = ("This has caused significant disruptions within the industry and raised concerns "
                "among global investors.")
    assert ("This", "raised", "concerns among global investors") not in rule_facts(
        nlp, sentence, "active_clause")


def test_purpose_clause(nlp):
    # seed 000
    sentence = ("To reignite growth, Alibaba implemented a restructuring plan, dividing itself "
                "into six separate business units.")
    assert rule_facts(nlp, sentence, "purpose_clause") == [("Alibaba", "To reignite", "growth")]
