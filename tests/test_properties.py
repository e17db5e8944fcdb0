"""Property-based tests: arbitrary text, bytes and names never break reading, extraction or export.

Run with ``--hypothesis-show-statistics`` to see how many examples each property ran
(``max_examples`` below; docs/inputs.md records a run).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extractors import extract
from extractors.cleaning import clean
from extractors.documents import _from_json_line, check_text, decode
from extractors.errors import InputError
from extractors.triple import Argument, Provenance, Relation, Triple
from graph.knowledge_graph import KnowledgeGraph
from graph.vocabulary import portable_text

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = [line for path in sorted((ROOT / "inputs").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
#: Any text Python can encode as UTF-8 (no lone surrogates), with the awkward characters
#: (controls, line and paragraph separators, combining marks, emoji) drawn often.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
AWKWARD = st.sampled_from(["\x00", "\x1b", "\r\n", "\u2028", "\u0085", "\ufeff", "\u200b",
                           "e\u0301", "🇨🇳", "\t", "  ", "\n\n", "<", "&", '"', "\\", "}}"])
MIXED_TEXT = st.lists(st.one_of(st.sampled_from(SENTENCES), ANY_TEXT, AWKWARD),
                      max_size=8).map(" ".join)


def examples(count: int) -> settings:
    """Run a property on ``count`` generated examples; spaCy calls are slower than the default
    deadline allows, so none is set. The examples are the same on every run (``derandomize``):
    a CI run must not pass or fail by luck. A case a random run once found is kept with
    ``@example``."""
    return settings(max_examples=count, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@examples(150)
@given(MIXED_TEXT)
def test_extraction_never_raises_and_offsets_point_into_the_text(text):
    for triple in extract(text, doc_id="any"):
        p = triple.provenance
        assert text[p.sentence_start:p.sentence_end] == p.sentence
        assert text[triple.subject.start:triple.subject.end] == triple.subject.text


@examples(1000)
@given(st.one_of(MIXED_TEXT, ANY_TEXT))
def test_cleaning_keeps_length_and_line_breaks(text):
    cleaned = clean(text)
    assert len(cleaned.text) == len(text)
    for index, (before, after) in enumerate(zip(text, cleaned.text, strict=True)):
        assert after == before or (after == " " and before not in "\r\n"), index
    for noise in cleaned.noise:
        assert text[noise.start:noise.end] == noise.text
        assert cleaned.text[noise.start:noise.end].strip() == ""


@examples(1000)
@given(st.one_of(st.binary(max_size=400), MIXED_TEXT.map(lambda t: t.encode("utf-8")),
                 MIXED_TEXT.map(lambda t: t.encode("utf-16"))))
def test_reading_any_bytes_gives_text_or_one_clear_error(data):
    try:
        text, encoding = decode(data, "a.txt")
        check_text(text, "a.txt")
    except InputError as error:
        assert str(error).startswith("a.txt: ")
        assert error.kind
        return
    assert isinstance(text, str) and encoding


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | ANY_TEXT,
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(ANY_TEXT, inner, max_size=3), max_leaves=8)
RECORDS = st.fixed_dictionaries({}, optional={
    "text": st.one_of(MIXED_TEXT, JSON_VALUES), "id": JSON_VALUES, "title": JSON_VALUES,
    "date": st.one_of(ANY_TEXT, st.dates().map(str)), "url": st.one_of(ANY_TEXT, st.just(
        "https://example.com/a b?q=<x>&r=\"y\"#{z}"))})


@examples(500)
@given(st.one_of(RECORDS.map(json.dumps), ANY_TEXT))
def test_any_jsonl_line_gives_a_document_or_one_clear_error(line):
    try:
        document = _from_json_line(line.encode("utf-8"), "f.jsonl:1", "f", 1, "f.jsonl:1")
    except InputError as error:
        assert str(error).startswith("f.jsonl:1: ")
        return
    assert document.text.strip()
    assert document.url is None or document.url.startswith(("http://", "https://"))


def _graph(names: list[str], relation: str, metadata: dict[str, str]) -> KnowledgeGraph:
    kg = KnowledgeGraph()
    sentence = " ".join(names)
    triples = []
    for subject, obj in zip(names, names[1:], strict=False):
        where = Provenance(metadata["doc_id"], 0, 0, len(sentence), sentence, "active_clause")
        triples.append(Triple(Argument(subject, 0, len(subject), subject, 0, len(subject), "ORG"),
                              Relation(relation, relation),
                              Argument(obj, 0, len(obj), obj, 0, len(obj)), where))
    kg.add_triples(triples, **metadata)
    return kg


NAMES = st.lists(ANY_TEXT.filter(str.strip), min_size=2, max_size=5)
METADATA = st.fixed_dictionaries({
    "doc_id": ANY_TEXT.filter(str.strip), "title": ANY_TEXT, "source": ANY_TEXT,
    "date": st.one_of(ANY_TEXT, st.dates().map(str)),
    "url": st.one_of(ANY_TEXT, ANY_TEXT.map("https://example.com/".__add__),
                     st.just("https://example.com/a b?q=<x>&r=\"y\"#{z}"))})
#: URLs that look like IRIs but that RFC 3987 (and oxigraph's parser) refuse; the first was
#: found by a random run: it was written as an IRI, and oxigraph could not read the Turtle.
_NOT_IRIS = ("A:\x7f", "https://example.com/100%", "https://example.com/a#b#c",
             "https://example.com/[", "https://example.com/\x85")


def _with_url(url: str) -> tuple:
    """Arguments of the Turtle property below for a one-fact graph whose document has ``url``."""
    return ["0", "1"], "0", {"doc_id": "0", "title": "", "source": "", "date": "", "url": url}


@examples(200)
@given(NAMES, ANY_TEXT.filter(str.strip), METADATA)
@example(*_with_url(_NOT_IRIS[0]))
@example(*_with_url(_NOT_IRIS[1]))
@example(*_with_url(_NOT_IRIS[2]))
@example(*_with_url(_NOT_IRIS[3]))
@example(*_with_url(_NOT_IRIS[4]))
def test_any_entity_names_give_turtle_that_rdflib_and_oxigraph_parse(names, relation,
                                                                       metadata):
    kg = _graph(names, relation, metadata)
    turtle = kg.to_turtle()
    parsed = rdflib.Graph().parse(data=turtle, format="turtle")
    list(pyoxigraph.parse(turtle.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE))
    labels = {str(o) for o in parsed.objects(None, rdflib.RDFS.label)}
    # The export replaces NUL, lone surrogates and noncharacters by U+FFFD (portable_text).
    assert {portable_text(kg.nx.nodes[n]["label"]) for n in kg.nx} <= labels


#: Names that try to break out of the markup or the data block.
PAYLOADS = ["<script>alert(1)</script>", "</script><script>alert(2)</script>",
            "<img src=x onerror=alert(3)>", "<!-- hidden -->", "<![CDATA[ x ]]>", "<b>Ant</b>"]
HOSTILE_NAMES = st.lists(st.tuples(ANY_TEXT, st.sampled_from(PAYLOADS), ANY_TEXT).map("".join),
                         min_size=2, max_size=5)


@examples(200)
@given(HOSTILE_NAMES, ANY_TEXT.filter(str.strip), METADATA)
def test_no_name_appears_unescaped_in_the_html(names, relation, metadata):
    if not (ROOT / "graph" / "html.py").exists():
        pytest.skip("graph/html.py (the HTML view) is not in this checkout yet")
    kg = _graph(names, relation, metadata)
    page = kg.to_html(title=names[0])
    data = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page,
                     re.DOTALL)
    assert data and "<" not in data.group(1)
    markup = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", "", page, flags=re.DOTALL)
    # Labels are derived from names (tidied, shortened), so look for the payloads themselves.
    for payload in PAYLOADS:
        assert payload not in markup
