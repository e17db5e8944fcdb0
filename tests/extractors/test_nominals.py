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
    # the sentence is in the past, so the implied "have" is too
    ("possessive", DOUYIN, [("Alibaba", "had", "cloud division")]),
    ("possessive", "Alibaba’s cloud division grows fast.", [("Alibaba", "has", "cloud division")]),
    ("title_before_name", DOUYIN, [("Li Qiang", "be", "Premier")]),
    ("title_before_name",
     "Ford started its investigation by hiring law firm Sidley Austin, according to The Verge.",
     [("Sidley Austin", "be", "law firm")]),
    # a courtesy form is no title (BBC business news)
    ("title_before_name",
     "Mr Chidambaram is attending the G7 meeting as part of the G20 group of nations, which "
     "account for two thirds of the world's population.", []),
    ("title_before_name",
     "The decision to raise the limit for foreign investors faced considerable opposition from "
     "the communist parties, which give crucial support to the coalition headed by Prime "
     "Minister Manmohan Singh.", [("Manmohan Singh", "be", "Prime Minister")]),
    ("apposition", ZHIDONGXI, [("Zhidongxi", "be", "an AI-focused research firm in China")]),
    # a list of names is no apposition, nor is a name hung on a noun across the clause's comma
    ("apposition", DOUYIN, []),
    # a coordinated description is one
    ("apposition",
     "Jack Ma, Alibaba's chairman and chief executive, said the terms are negotiable.",
     [("Jack Ma", "be", "Alibaba's chairman")]),
    # BBC entertainment 110: a place and the place it lies in
    ("apposition",
     "He was arrested in Barstow, California, on Saturday following an alleged traffic offence.",
     [("Barstow", "be in", "California")]),
    ("participial_modifier", ZHIDONGXI,
     [("Zhidongxi", "released by", "a report")]),
    ("participial_modifier", "540 million private Facebook records found on public Internet",
     [("540 million private Facebook records", "be found on", "public Internet")]),
    # BBC business 426: a participle that names
    ("participial_modifier",
     "Yuganskneftegaz, the unit which produced 60% of Yukos' output, had been seized and sold "
     "in December for less than $10bn to a previously unknown firm called Baikal.",
     [("a previously unknown firm", "be called", "Baikal")]),
    # BBC business 155
    ("adjective_after_noun",
     "Sources familiar with the deal said that negotiations between the two companies sped up "
     "after May's chairman and chief executive Gene Kahn resigned in January.",
     [("Sources", "be familiar with", "the deal")]),
    # seed 000 and seed 003: examples listed after a noun, one fact each
    ("examples_of_noun",
     "Since late 2020, Chinese regulators have tightened their grip on the tech industry, "
     "targeting prominent tech giants such as Alibaba and Tencent.",
     [("prominent tech giants", "be such as", "Alibaba"),
      ("prominent tech giants", "be such as", "Tencent")]),
    ("examples_of_noun",
     "On the same day, the National Development and Reform Commission approved the projects of "
     "10 Internet giants, including Alibaba, Tencent and Meituan.",
     [("10 Internet giants", "be including", "Alibaba"),
      ("10 Internet giants", "be including", "Tencent"),
      ("10 Internet giants", "be including", "Meituan")]),
    ("adjective_modifier", "The ninth leaf contains a circular world map.",
     [("world map", "be", "circular")]),
    # dates are not described by their adjectives
    ("adjective_modifier", "Over the past few years, the government has implemented rules.", []),
]


@pytest.mark.parametrize(("rule", "sentence", "expected"), CASES)
def test_nominal_rules(nlp, rule, sentence, expected):
    assert rule_facts(nlp, sentence, rule) == expected


def test_noun_in_place(nlp):
    sentence = ("Dong Shaopeng, a senior researcher at the Chongyang Institute for Financial "
                "Studies at Renmin University of China, said the latest round of rectification "
                "has improved the corporate governance of Chinese Internet companies.")
    assert rule_facts(nlp, sentence, "noun_in_place") == []
    assert rule_facts(nlp, "Two databases were found on servers in Ireland.",
                      "noun_in_place") == [("servers", "be in", "Ireland")]


def test_active_participle_with_preposition(nlp):
    sentence = "Two databases containing user data were found on servers belonging to Amazon."
    assert rule_facts(nlp, sentence, "participial_modifier") == [
        ("Two databases", "containing", "user data"),
        ("servers", "be belonging to", "Amazon")]


def test_apposition_picks_one_of_a_group_but_not_an_age(nlp):
    # BBC politics 066
    sentence = ("One of the men, David Redvers, 34, from Hartpury, Gloucestershire, said he and "
                "the other seven protesters would plead not guilty to the charges.")
    found = rule_facts(nlp, sentence, "apposition")
    assert ("David Redvers", "be", "One of the men") in found
    assert ("David Redvers", "be", "34") not in found
