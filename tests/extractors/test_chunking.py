"""Texts longer than the model's max_length: parsed in chunks, offsets into the whole text."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import extract, extract_stream
from extractors.pipeline import paragraph_chunks

INPUTS = Path(__file__).resolve().parents[2] / "inputs"


@pytest.mark.parametrize(("text", "limit", "chunks"), [
    ("One.\n\nTwo. Three.", 100, ["One.\n\nTwo. Three."]),
    ("One.\n\nTwo. Three.", 12, ["One.\n\n", "Two. Three."]),
    ("One.\nTwo. Three.", 10, ["One.\n", "Two. ", "Three."]),
    ("Alpha beta gamma", 8, ["Alpha ", "beta ", "gamma"]),
    ("Unbreakable", 4, ["Unbr", "eaka", "ble"]),
    ("", 10, [""]),
])
def test_paragraph_chunks_table(text, limit, chunks):
    found = list(paragraph_chunks(text, limit))
    assert [chunk for _, chunk, _ in found] == chunks
    assert [offset for offset, _, _ in found] == [text.find(chunk) if chunk else 0
                                                  for chunk in chunks]
    assert [last for _, _, last in found] == [False] * (len(chunks) - 1) + [True]


@pytest.mark.parametrize("article", sorted(INPUTS.glob("*.txt")), ids=lambda path: path.stem)
def test_chunked_extraction_keeps_offsets_and_sentence_numbers(article):
    text = article.read_text(encoding="utf-8")
    (_, whole), = extract_stream([("a", text)])
    (_, chunked), = extract_stream([("a", text)], max_chars=400)
    for triple in chunked:
        p = triple.provenance
        assert text[p.sentence_start:p.sentence_end] == p.sentence
        for argument in (triple.subject, triple.object, *triple.extras):
            assert text[argument.start:argument.end] == argument.text
    # Sentences are numbered across chunks: one number per sentence, rising through the text.
    numbers = sorted({(t.provenance.sentence_start, t.provenance.sentence_index)
                      for t in chunked})
    assert [n for _, n in numbers] == sorted({n for _, n in numbers})
    # The parser sees a few tokens across a sentence boundary, so a sentence at the edge of a
    # chunk may parse (and split) differently; the rest must be the same facts.
    def facts(triples):
        return {(t.provenance.sentence_start, t.subject.start, t.subject.end, t.relation.lemma,
                 t.object.start, t.object.end) for t in triples}

    assert len(facts(whole) & facts(chunked)) >= 0.9 * len(facts(whole))


def test_text_longer_than_max_length_is_extracted(nlp):
    """The model's own limit (spaCy raises E088 beyond it) decides the chunk size."""
    text = (INPUTS / "wikinews_157.txt").read_text(encoding="utf-8")
    saved = nlp.max_length
    nlp.max_length = 1_000
    try:
        triples = extract(text, doc_id="long")
    finally:
        nlp.max_length = saved
    assert len(text) > 3_000
    assert len(triples) >= 20
    assert max(t.provenance.sentence_end for t in triples) > 2_500
    for triple in triples:
        assert text[triple.object.start:triple.object.end] == triple.object.text
