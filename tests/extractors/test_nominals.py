"""Facts stated inside noun phrases, on real sentences from the sample articles."""

from __future__ import annotations

import pytest

from tests.extractors.helpers import rule_facts

DOUYIN = ("Premier Li Qiang convened a meeting with prominent companies in the sector, including "
          "Alibaba’s cloud division, Meituan, Douyin (owned by ByteDance), Pinduoduo from PDD "
          "Holdings, JD.com, and Xiaohongshu.")
ZHIDONGXI = ("According to a report released by Zhidongxi, an AI-focused research firm in China, "
             "51 generative AI startups worldwide raised about 100 billion yuan ($13.96 billion) "
             "in the first half of 2023.")

CASES = [
    ("possessive", DOUYIN, [("Alibaba", "has", "cloud division")]),
    ("title_before_name", DOUYIN, [("Li Qiang", "is", "Premier")]),
    ("title_before_name",
     "Ford started its investigation by hiring law firm Sidley Austin, according to The Verge.",
     [("Sidley Austin", "is", "law firm")]),
    ("apposition", ZHIDONGXI, [("Zhidongxi", "is", "an AI-focused research firm in China")]),
    ("participial_modifier", ZHIDONGXI,
     [("Zhidongxi, an AI-focused research firm in China", "released by", "a report")]),
    ("participial_modifier", "540 million private Facebook records found on public Internet",
     [("540 million private Facebook records", "is found on", "public Internet")]),
    ("adjective_modifier", "The ninth leaf contains a circular world map.",
     [("world map", "is", "circular")]),
    # dates are not described by their adjectives
    ("adjective_modifier", "Over the past few years, the government has implemented rules.", []),
]


@pytest.mark.parametrize(("rule", "sentence", "expected"), CASES)
def test_nominal_rules(nlp, rule, sentence, expected):
    assert rule_facts(nlp, sentence, rule) == expected
