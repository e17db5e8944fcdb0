"""The parse table the rules and coreference share: what each column holds, against spaCy's
own tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.nlp import load_model
from extractors.parse_table import ParseTable

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "inputs").glob("*.txt")))
def test_parse_table_reads_what_spacy_tokens_say(name):
    """Every column of the table, on every token of every article of ``inputs/``."""
    doc = load_model()((ROOT / "inputs" / name).read_text(encoding="utf-8"))
    table = ParseTable(doc)
    for token in doc:
        i = token.i
        assert (table.text[i], table.text_with_ws[i], table.idx[i], table.lower[i],
                table.lemma(i), table.pos[i], table.tag[i], table.dep[i], table.head[i],
                table.children[i], table.left_edge(i), table.right_edge(i), table.ent_iob[i],
                table.ent_type[i], table.is_punct[i], table.is_space[i], table.subtree(i),
                table.conjuncts(i), table.ancestors(i), table.sent_start[i],
                table.sentences[table.sentence[i]]) == (
            token.text, token.text_with_ws, token.idx, token.lower_, token.lemma_, token.pos_,
            token.tag_, token.dep_, token.head.i, [c.i for c in token.children],
            token.left_edge.i, token.right_edge.i, token.ent_iob_, token.ent_type_,
            token.is_punct, token.is_space, [t.i for t in token.subtree],
            [t.i for t in token.conjuncts], {t.i for t in token.ancestors},
            bool(token.is_sent_start), (token.sent.start, token.sent.end))
    assert table.sentences == [(s.start, s.end) for s in doc.sents]
    assert table.entities == [(e.start, e.end, e.label_) for e in doc.ents]
    for label, positions in table.by_dep.items():
        assert positions == [t.i for t in doc if t.dep_ == label]


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "inputs").glob("*.txt")))
def test_walks_over_the_parse_agree_with_spacy_subtrees(name):
    """``tokens_under`` holds the subtree's tokens, ``child_towards`` finds the child whose
    subtree holds a token, and ``entities_between`` the entities starting in a range, on
    every token of every article of ``inputs/``."""
    doc = load_model()((ROOT / "inputs" / name).read_text(encoding="utf-8"))
    table = ParseTable(doc)
    for token in doc:
        assert sorted(table.tokens_under(token.i)) == sorted(t.i for t in token.subtree)
        for child in token.children:
            for below in child.subtree:
                assert table.child_towards(token.i, below.i) == child.i
        subtree = {t.i for t in token.subtree}
        assert [t.i for t in token.sent if table.child_towards(token.i, t.i) is None] == [
            t.i for t in token.sent if t.i not in subtree or t.i == token.i]
    for sentence in doc.sents:
        start, end = sentence.start, sentence.end
        assert table.entities_between(start, end) == [
            (e.start, e.end, e.label_) for e in doc.ents if start <= e.start < end]
