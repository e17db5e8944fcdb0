"""The table-driven attribute ruler and lemmatizer give exactly spaCy's annotations: same
tags, parts of speech, morphology, lemmas and labels on every token of real news."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from extractors import annotation_tables
from extractors.annotation_tables import AttributeTable, LemmaTable, use_tables
from extractors.nlp import load_model

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]

#: Sentences for the rarer patterns: contractions spread over two tokens ("gonna", "ain't",
#: "y'all", "let's"), pronouns whose case comes from their label, "there is", clipped
#: words, whitespace tokens and auxiliaries read as main verbs.
RARE = (
    "I'm gonna tell you what I ain't doin' at all, y'all. Let's go. C'mon, we gotta leave.\n\n"
    "  There is nothing here, and there were 'nuff of 'em. It said it had done it itself.\n"
    "You and I have had enough; they did their best and we'll see ours.\n \t\n"
    "He hasn't been being difficult. She'd said she wasn't. Don't! Who's that?  \n"
    "The boy who did it does what he's told. Y'all ol' folks ain't nothin' but trouble."
)


def annotations(doc) -> list[tuple]:
    """What each token carries after the pipeline, as strings."""
    array = doc.to_array(COLUMNS).tolist()
    return [(*row, str(token.morph), token.lemma_, token.pos_) for row, token in
            zip(array, doc, strict=True)]


#: The articles of ``inputs/``, by file name.
INPUTS = {path.name: path.read_text(encoding="utf-8")
          for path in sorted((ROOT / "inputs").glob("*.txt"))}


def test_the_pipeline_uses_the_tables_in_place_of_spacys_components():
    names = load_model().pipe_names
    assert "newsgraph_attribute_table" in names and "newsgraph_lemma_table" in names
    assert "attribute_ruler" not in names and "lemmatizer" not in names
    assert names.index("newsgraph_lemma_table") < names.index("newsgraph_lemma_fixes")
    stock = load_model(tables=False).pipe_names
    assert "attribute_ruler" in stock and "lemmatizer" in stock
    assert "newsgraph_attribute_table" not in stock


@pytest.mark.parametrize("text", [*INPUTS.values(), RARE, "", " ", "\n\n", "Hi"],
                         ids=[*INPUTS, "rare", "empty", "space", "newlines", "one-word"])
def test_annotations_are_spacys_own(text):
    fast, stock = load_model(), load_model(tables=False)
    assert annotations(fast(text)) == annotations(stock(text))


def test_annotations_are_spacys_own_on_carb_sentences(shared):
    """The 1,282 sentences of CaRB's dev split: many constructions, each parsed once."""
    sentences = (shared / "benchmarks" / "carb" / "dev.txt").read_text(
        encoding="utf-8").splitlines()
    fast, stock = load_model(), load_model(tables=False)
    for ours, theirs in zip(fast.pipe(sentences), stock.pipe(sentences), strict=True):
        assert annotations(ours) == annotations(theirs), ours.text


def test_the_tables_start_again_when_full(monkeypatch):
    """A bounded memory: past the limit the tables forget and work their answers out anew,
    to the same annotations."""
    fast, stock = load_model(), load_model(tables=False)
    monkeypatch.setattr(annotation_tables, "_MAX_KNOWN", 3)
    text = "Blorfts snizzled the grumphiest vorpals, and Qwimbly Zandt's frobs glurked. " + RARE
    assert annotations(fast(text)) == annotations(stock(text))
    for name in ("newsgraph_attribute_table", "newsgraph_lemma_table"):
        assert 0 < len(fast.get_pipe(name)._known) <= 3


def test_spacys_lemmatizer_keeps_its_own_tables():
    """The lemma table's word index is a copy (sets, not lists); the component it stands
    for is left as it was."""
    nlp = load_model(tables=False)
    lemmatizer = nlp.get_pipe("lemmatizer")
    table = LemmaTable(lemmatizer)
    index = lemmatizer.lookups.get_table("lemma_index")
    assert all(isinstance(words, list) for words in index.values())
    assert table.lemmatizer is not lemmatizer
    assert table.lemmatizer.lemmatize.__self__ is table.lemmatizer


def test_a_ruler_with_patterns_the_table_cannot_reproduce_stays_spacys():
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "big"}, {"IS_DIGIT": True, "OP": "+"}]], {"POS": "NUM"})
    assert not AttributeTable.supports(ruler)
    assert use_tables(nlp) == []
    assert nlp.pipe_names == ["attribute_ruler"]
    plain = spacy.blank("en")
    plain.add_pipe("attribute_ruler").add([[{"LOWER": {"IN": ["big", "large"]}}]],
                                          {"POS": "ADJ"})
    assert use_tables(plain) == ["attribute_ruler"]
    assert [t.pos_ for t in plain("a big and large one")] == ["", "ADJ", "", "ADJ", ""]


def test_the_tables_pickle_for_processes_that_start_afresh():
    """A pipeline sent to "spawn" worker processes (``nlp.pipe(n_process=2)`` on macOS) is
    pickled: each table travels as the component it stands for and answers as before."""
    import pickle

    fast, stock = load_model(), load_model(tables=False)
    for name in ("newsgraph_attribute_table", "newsgraph_lemma_table"):
        table = pickle.loads(pickle.dumps(fast.get_pipe(name)))
        assert type(table) is type(fast.get_pipe(name)) and not table._known
    ruler = pickle.loads(pickle.dumps(fast.get_pipe("newsgraph_attribute_table")))
    lemmas = pickle.loads(pickle.dumps(fast.get_pipe("newsgraph_lemma_table")))
    with stock.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        doc = stock(RARE)
    lemmas(ruler(doc))
    expected = stock(RARE)
    # (the lemma fixes ran before the tables here; the text has no word they fix)
    assert [(t.pos_, str(t.morph), t.lemma_) for t in doc] == [
        (t.pos_, str(t.morph), t.lemma_) for t in expected]
