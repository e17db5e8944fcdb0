"""Mentions: spaCy's names repaired, values, groups and pronouns, on sentences of the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.mentions import TokenTable, _noun_chunks, _span_root, find_mentions

ARTICLES = Path(__file__).resolve().parents[2] / "inputs"

SEED_SENTENCES = [
    # A possessive inside one PERSON span: two names, the company typed by its suffix.
    ("This official engagement followed the conclusion of a regulatory campaign against "
     "Jack Ma’s Ant Group, resulting in a substantial fine of nearly $1 billion last week.",
     [("Jack Ma", "name", "PERSON"), ("Ant Group", "name", "ORG"),
      ("nearly $1 billion", "value", "MONEY"), ("last week", "value", "DATE")]),
    # One ORG span over a coordination: two names and the set they form.
    ("The central bank confirmed that financial platform operators, including Ant and "
     "Tencent, have effectively addressed most of the outstanding issues that it had with "
     "them.",
     [("Ant and Tencent", "group", None), ("Ant", "name", "ORG"), ("Tencent", "name", "ORG"),
      ("it", "pronoun", None), ("them", "pronoun", None)]),
    # A coordination inside a name stays one name.
    ("On the same day, the National Development and Reform Commission approved the projects "
     "of 10 Internet giants, including Alibaba, Tencent and Meituan.",
     [("the same day", "value", "DATE"),
      ("National Development and Reform Commission", "name", "ORG"),
      ("10", "value", "CARDINAL"), ("Alibaba, Tencent and Meituan", "group", None),
      ("Alibaba", "name", "ORG"), ("Tencent", "name", "ORG"), ("Meituan", "name", "ORG")]),
    # A trailing possessive is cut; a name NER missed is found as a run of proper nouns.
    ("Alibaba shares dive 7% as Ant Group’s record $34.5 billion IPO is suspended",
     [("Alibaba", "name", None), ("7%", "value", "PERCENT"), ("Ant Group", "name", "ORG"),
      ("$34.5 billion", "value", "MONEY"), ("IPO", "name", "ORG")]),
]


@pytest.mark.parametrize(("sentence", "expected"), SEED_SENTENCES)
def test_names_values_groups_and_pronouns(nlp, sentence, expected):
    found = [(m.text, m.kind, m.label) for m in find_mentions(nlp(sentence))
             if m.kind != "nominal"]
    assert found == expected


def test_offsets_point_into_the_text(nlp):
    text = ("Chinese Premier Li Qiang convened a meeting on Wednesday with top executives from "
            "prominent technology companies in the country, including Alibaba Group and "
            "ByteDance.")
    for mention in find_mentions(nlp(text)):
        assert text[mention.start:mention.end] == mention.text


def test_title_before_a_name_is_kept_as_a_descriptor(nlp):
    mentions = find_mentions(nlp("Premier Li Qiang chaired a meeting."))
    li = next(m for m in mentions if m.is_name)
    assert (li.text, li.titles) == ("Li Qiang", ("premier",))


def test_number_ending_a_product_name_belongs_to_it(nlp):
    text = "Microsoft asked users to move away from Internet Explorer 6."
    names = [m.text for m in find_mentions(nlp(text)) if m.kind in {"name", "value"}]
    assert names == ["Microsoft", "Internet Explorer 6"]


def test_title_case_headline_gives_no_unlabelled_names(nlp):
    text = "The Tech Crackdown and Its Impact\nRegulators fined Ant Group."
    names = [m.text for m in find_mentions(nlp(text)) if m.is_name]
    assert names == ["Ant Group"]


@pytest.mark.parametrize("article", sorted(p.name for p in ARTICLES.glob("*.txt")))
def test_token_table_says_what_spacy_says(nlp, article):
    """The table, its entities and conjuncts, the noun chunks and their roots are spaCy's
    own, token by token, on every article of inputs/ (coreference's output depends on every
    one of them)."""
    doc = nlp((ARTICLES / article).read_text(encoding="utf-8"))
    tokens = TokenTable.of(doc)
    expected = [(t.text, t.idx, t.lower_, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i,
                 t.text_with_ws, bool(t.is_sent_start), t.is_punct, t.is_space,
                 [c.i for c in t.children], t.sent.start) for t in doc]
    found = [(tokens.text[i], tokens.idx[i], tokens.lower[i], tokens.lemma(i), tokens.pos[i],
              tokens.tag[i], tokens.dep[i], tokens.head[i], tokens.text_with_ws[i],
              tokens.sent_start[i], tokens.is_punct[i], tokens.is_space[i], tokens.children[i],
              tokens.sentences[tokens.sentence[i]][0]) for i in range(len(doc))]
    assert found == expected
    assert tokens.entities == [(e.start, e.end, e.label_) for e in doc.ents]
    assert [tokens.conjuncts(i) for i in range(len(doc))] == [
        [c.i for c in t.conjuncts] for t in doc]
    assert [(start, end, _span_root(tokens, start, end)) for start, end in _noun_chunks(tokens)
            ] == [(c.start, c.end, c.root.i) for c in doc.noun_chunks]
    assert [tokens.span_text(m.first, m.last) for m in find_mentions(doc, tokens)] == [
        doc[m.first : m.last + 1].text for m in find_mentions(doc)]
