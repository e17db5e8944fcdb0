"""The extraction cache: exact round trips, invalidation, and incremental builds that equal a
build from scratch."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from extractors import extract
from graph.build import build
from graph.cache import CACHE_NAME, ExtractionCache, extractor_fingerprint

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = sorted(p for p in (ROOT / "inputs").glob("*.txt"))
EXPORT_NAMES = ("graph.ttl", "graph.html")


@pytest.fixture(scope="module")
def article_triples():
    """A real article's triples: entities, qualifiers, extras and provenance all set."""
    text = (ROOT / "inputs" / "wikinews_047.txt").read_text(encoding="utf-8")
    return text, extract(text, doc_id="wikinews_047")


def test_triples_round_trip_exactly(tmp_path, article_triples):
    text, triples = article_triples
    assert any(t.subject.entities or t.object.entities for t in triples)
    assert any(t.extras for t in triples)
    with ExtractionCache(tmp_path / CACHE_NAME, "fingerprint") as cache:
        cache.put("wikinews_047", text, triples)
    with ExtractionCache(tmp_path / CACHE_NAME, "fingerprint") as cache:
        again = cache.get("wikinews_047", text)
    assert again == triples
    assert [t.confidence for t in again] == [t.confidence for t in triples]


@pytest.mark.parametrize(("doc_id", "text", "fingerprint", "hit"), [
    ("wikinews_047", None, "fingerprint", True),
    ("wikinews_047", None, "another extractor", False),
    ("renamed", None, "fingerprint", False),
    ("wikinews_047", "Regulators fined Ant Group.", "fingerprint", False),
])
def test_entry_is_found_only_for_the_same_id_text_and_extractor(tmp_path, article_triples,
                                                                doc_id, text, fingerprint, hit):
    original, triples = article_triples
    with ExtractionCache(tmp_path / CACHE_NAME, "fingerprint") as cache:
        cache.put("wikinews_047", original, triples)
    with ExtractionCache(tmp_path / CACHE_NAME, fingerprint) as cache:
        found = cache.get(doc_id, text or original)
    assert (found == triples) if hit else found is None


def test_fingerprint_follows_settings_and_extractor_source():
    assert extractor_fingerprint() == extractor_fingerprint({})
    assert extractor_fingerprint({"max_chars": 5000}) != extractor_fingerprint()
    assert len(extractor_fingerprint()) == 64


def test_unreadable_entry_is_a_miss(tmp_path, article_triples):
    text, triples = article_triples
    with ExtractionCache(tmp_path / CACHE_NAME, "fingerprint") as cache:
        cache.put("wikinews_047", text, triples)
    with sqlite3.connect(tmp_path / CACHE_NAME) as db:
        db.execute("UPDATE extraction SET triples = x'00ff'")
    with ExtractionCache(tmp_path / CACHE_NAME, "fingerprint") as cache:
        assert cache.get("wikinews_047", text) is None
        assert (cache.hits, cache.misses) == (0, 1)


def test_prune_drops_what_the_build_did_not_use(tmp_path, article_triples):
    text, triples = article_triples
    with ExtractionCache(tmp_path / CACHE_NAME, "fingerprint") as cache:
        cache.put("old", text, triples)
        cache.put("kept", text, triples)
    with ExtractionCache(tmp_path / CACHE_NAME, "fingerprint") as cache:
        assert cache.get("kept", text) == triples
        assert cache.prune() == 1
    with ExtractionCache(tmp_path / CACHE_NAME, "fingerprint") as cache:
        assert cache.get("old", text) is None


def test_adding_an_article_rebuilds_from_the_cache_and_equals_a_full_build(tmp_path):
    corpus, out, scratch = tmp_path / "corpus", tmp_path / "out", tmp_path / "scratch"
    corpus.mkdir()
    for article in ARTICLES[:-1]:
        shutil.copy(article, corpus)
    first = build([corpus], out, progress=False)
    assert (first.cached, len(first.built)) == (0, len(ARTICLES) - 1)
    shutil.copy(ARTICLES[-1], corpus)
    second = build([corpus], out, progress=False)
    assert (second.cached, len(second.built)) == (len(ARTICLES) - 1, len(ARTICLES))
    build([corpus], scratch, cache=False, progress=False)
    assert not (scratch / CACHE_NAME).exists()
    for name in EXPORT_NAMES:
        assert (out / name).read_bytes() == (scratch / name).read_bytes()


def test_edited_article_is_extracted_again(tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    for article in ARTICLES[:2]:
        shutil.copy(article, corpus)
    build([corpus], out, formats=["ttl"], progress=False)
    assert "Hirtenberger" not in (out / "graph.ttl").read_text(encoding="utf-8")
    edited = corpus / ARTICLES[0].name
    edited.write_text(edited.read_text(encoding="utf-8")
                      + "\nHirtenberger Defence Group also acknowledged the deal.\n",
                      encoding="utf-8")
    report = build([corpus], out, formats=["ttl"], progress=False)
    assert report.cached == 1
    assert "Hirtenberger" in (out / "graph.ttl").read_text(encoding="utf-8")
