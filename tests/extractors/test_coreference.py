"""Within-document coreference on the seed articles and real sentences: exact clusters."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from extractors.coreference import (
    core_words,
    entity_clusters,
    is_acronym_of,
    name_words,
    resolve,
    resolve_arguments,
    resolve_triples,
)
from extractors.pipeline import extract_doc
from extractors.triple import with_arguments, with_entities

INPUTS = Path(__file__).resolve().parents[2] / "inputs"
PREMIER_ARTICLE = INPUTS / "000_78550d0996ebba57.txt"
STOCKS_ARTICLE = INPUTS / "003_4eda478095a05fe6.txt"


@pytest.fixture(scope="module")
def premier(nlp):
    return entity_clusters(nlp(PREMIER_ARTICLE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def stocks(nlp):
    return entity_clusters(nlp(STOCKS_ARTICLE.read_text(encoding="utf-8")))


def _cluster(clusters, label):
    return next(c for c in clusters if c.label == label)


def _forms(cluster):
    return [m.text for m in cluster.mentions]


@pytest.mark.parametrize(("label", "entity_type", "forms"), [
    # Full name, repeated name, surname, pronoun.
    ("Li Qiang", "PERSON", ["Li Qiang", "Li Qiang", "Li", "He", "Li"]),
    # Corporate suffix dropped; the small model calls "Alibaba" a place, the suffix decides.
    ("Alibaba Group", "ORG", ["Alibaba Group"] + ["Alibaba"] * 8),
    # "Ant" is Ant Group, never Alibaba Group; "its plans" is Ant Group's.
    ("Ant Group", "ORG", ["Ant Group", "Ant", "Ant Group", "its", "Ant Group", "Ant Group",
                          "Ant Group"]),
    # Parenthetical acronym.
    ("China Central Television", "ORG", ["China Central Television", "CCTV"]),
    # Apposition, surname, pronoun.
    ("Robin Zhu", "PERSON", ["Robin Zhu", "an analyst", "Zhu", "He"]),
    ("China", "GPE", ["China", "its", "China", "China", "China"]),
])
def test_premier_article_entities(premier, label, entity_type, forms):
    cluster = _cluster(premier, label)
    assert (cluster.entity_type, _forms(cluster)) == (entity_type, forms)


def test_these_companies_is_the_set_of_alibaba_and_tencent(premier):
    group = _cluster(premier, "Alibaba and Tencent")
    assert _forms(group) == ["Alibaba and Tencent", "These companies", "their", "them"]
    assert sorted(premier[m].label for m in group.members) == ["Alibaba Group", "Tencent"]


@pytest.mark.parametrize(("label", "forms"), [
    ("Li Qiang", ["Li Qiang", "Li", "He"]),
    ("Dong Shaopeng", ["Dong Shaopeng", "a senior researcher", "Dong", "he", "Dong"]),
    ("Ma Jihua", ["Ma Jihua", "founder", "Ma"]),
    ("Xinhua news agency", ["the Xinhua news agency", "Xinhua news agency"]),
    ("Zhidongxi", ["Zhidongxi", "an AI-focused research firm"]),
])
def test_stocks_article_entities(stocks, label, forms):
    assert _forms(_cluster(stocks, label)) == forms


def test_offsets_of_every_mention_point_into_the_text(premier):
    text = PREMIER_ARTICLE.read_text(encoding="utf-8")
    for cluster in premier:
        for mention in cluster.mentions:
            assert text[mention.start:mention.end] == mention.text


@pytest.mark.parametrize(("text", "expected"), [
    # "the premier" joins the person a title called Premier.
    ("Premier Li Qiang met bankers. The premier urged reforms.",
     [["Li Qiang", "The premier"]]),
    # "the company" joins the company just named; a specific noun needs a description.
    ("Alibaba Group cut prices. The company said sales rose.",
     [["Alibaba Group", "The company"]]),
    ("Alibaba Group cut prices, the central bank said.", [["Alibaba Group"]]),
    # A name word describes its entity: "the commission".
    ("The National Development and Reform Commission approved projects. The commission "
     "said more would follow.",
     [["National Development and Reform Commission", "The commission"]]),
    # Binding: an object pronoun is not the subject of its own clause.
    ("Robin Zhu said Reuters quoted him.", [["Robin Zhu", "him"], ["Reuters"]]),
])
def test_descriptions_and_pronouns(nlp, text, expected):
    found = [_forms(c) for c in entity_clusters(nlp(text)) if c.names]
    assert found == expected


def test_nothing_keeps_the_doc_once_resolved(nlp):
    """Resolution leaves no reference to the Doc behind, not even in a reference cycle that
    only the cycle collector would free (a build parses thousands of documents)."""
    doc = nlp(PREMIER_ARTICLE.read_text(encoding="utf-8"))
    references = sys.getrefcount(doc)
    gc.disable()
    try:
        clusters = resolve(doc)
        assert sys.getrefcount(doc) == references
    finally:
        gc.enable()
    assert clusters


def test_resolved_arguments_keep_their_surface_form(nlp):
    doc = nlp("Premier Li Qiang met executives of Alibaba Group. Later he praised the "
              "company.")
    praised = next(t for t in extract_doc(doc) if t.relation.lemma == "praise")
    assert (praised.subject.text, [e.label for e in praised.subject.entities]) == (
        "he", ["Li Qiang"])
    assert (praised.object.text, praised.object.entities[0].names) == (
        "the company", ("Alibaba Group",))


def test_unresolved_arguments_are_left_alone(nlp):
    doc = nlp("This has caused disruptions.")
    triples = extract_doc(doc)
    assert [t.subject.entities for t in triples] == [()]
    assert resolve_arguments(triples, []) == triples


@pytest.mark.parametrize("article", sorted(INPUTS.glob("*.txt")), ids=lambda path: path.stem)
def test_extraction_resolves_as_the_clusters_say(nlp, article):
    """``resolve_triples``, which labels only the clusters arguments end on, resolves every
    argument as ``resolve_arguments`` does from all the clusters."""
    doc = nlp(article.read_text(encoding="utf-8"))
    unresolved = [with_arguments(t, with_entities(t.subject, ()), with_entities(t.object, ()))
                  for t in extract_doc(doc)]
    resolved = resolve_triples(unresolved, doc)
    assert resolved == resolve_arguments(unresolved, resolve(doc)) == extract_doc(doc)
    assert resolved != unresolved


@pytest.mark.parametrize(("name", "words", "core"), [
    ("Alibaba Group", ("alibaba", "group"), ("alibaba",)),
    ("Ant Group’s", ("ant", "group"), ("ant",)),
    ("DARUI Management Consulting Co.", ("darui", "management", "consulting", "co"),
     ("darui", "management", "consulting")),
    ("the U.S.", ("us",), ("us",)),
])
def test_name_words_and_core(name, words, core):
    assert (name_words(name), core_words(name)) == (words, core)


@pytest.mark.parametrize(("short", "long", "expected"), [
    ("CCTV", "China Central Television", False),  # joined by the parenthesis, not initials
    ("NDRC", "National Development and Reform Commission", True),
    ("U.S.", "United States", True),
    ("IE6", "Internet Explorer 6", True),
    ("Ant", "Alibaba N T", False),
])
def test_acronyms(short, long, expected):
    assert is_acronym_of(short, long) is expected
