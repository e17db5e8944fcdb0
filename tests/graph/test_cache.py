"""The extraction cache: exact round trips, invalidation, and incremental builds that equal a
build from scratch."""

from __future__ import annotations

import dataclasses
import io
import os
import pickle
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from extractors import extract, extract_stream
from graph.build import BuildReport, build
from graph.cache import CACHE_NAME, ExtractionCache, extractor_fingerprint
from graph.distributed import extract_documents
from graph.knowledge_graph import KnowledgeGraph

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


def test_prune_compacts_a_file_left_mostly_free(tmp_path, article_triples):
    text, triples = article_triples
    path = tmp_path / CACHE_NAME
    with ExtractionCache(path, "fingerprint") as cache:
        for number in range(10):
            cache.put(f"kept {number}", text, triples)
        for number in range(50):  # entries no build uses any more, as after an upgrade
            cache.put(f"old {number}", text, triples)
    before = path.stat().st_size
    with ExtractionCache(path, "fingerprint") as cache:
        assert all(cache.get(f"kept {number}", text) == triples for number in range(10))
        assert cache.prune() == 50
    assert path.stat().st_size * 3 < before
    with ExtractionCache(path, "fingerprint") as cache:
        assert all(cache.get(f"kept {number}", text) == triples for number in range(1, 10))
        size = path.stat().st_size
        assert cache.prune() == 1  # a little dropped: the file is left as it is
        assert path.stat().st_size == size


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


# -- incremental rebuilds: the snapshot of the merged graph and the documents' Turtle ---------

FORMATS = ("ttl", "html", "nt")
ALIASES = "Ant,Ant Group,Q28154640\nFord,Ford Motor Company\n"


def _exports(out: Path, formats=FORMATS) -> dict[str, bytes]:
    from graph.build import EXPORTS

    return {name: (out / EXPORTS[name]).read_bytes() for name in formats}


@pytest.fixture(scope="module")
def cached_inputs(tmp_path_factory):
    """A cached build of every article of inputs/ (snapshot and Turtle blocks included)."""
    corpus, out = tmp_path_factory.mktemp("corpus"), tmp_path_factory.mktemp("out")
    for article in ARTICLES:
        shutil.copy(article, corpus)
    report = build([corpus], out, formats=FORMATS, progress=False)
    assert report.from_snapshot == 0 and report.turtle_copied == 0
    return corpus, out


@pytest.fixture(scope="module")
def from_scratch(tmp_path_factory):
    """The exports of a build without a cache, of a corpus folder as it is now, with options."""
    def scratch(corpus: Path, **options) -> dict[str, bytes]:
        out = tmp_path_factory.mktemp("scratch")
        options = {"formats": FORMATS, **options}
        build([corpus], out, cache=False, progress=False, **options)
        return _exports(out, options["formats"])
    return scratch


def _edit(corpus: Path) -> None:
    edited = corpus / ARTICLES[1].name
    edited.write_text(edited.read_text(encoding="utf-8")
                      + "\nHirtenberger Defence Group also acknowledged the deal.\n",
                      encoding="utf-8")


# change: (before the cached build, after it, build options after, documents the rebuild
# takes from the snapshot, documents whose Turtle it copies)
CHANGES = {
    "added at the end": (lambda c: (c / ARTICLES[-1].name).unlink(),
                         lambda c: shutil.copy(ARTICLES[-1], c), {}, 5, 5),
    "added in the middle": (lambda c: (c / ARTICLES[1].name).unlink(),
                            lambda c: shutil.copy(ARTICLES[1], c), {}, 0, 5),
    # a cached article's text under a new name: its triples are the cached ones, renamed
    "a copy added": (None, lambda c: shutil.copy(ARTICLES[0], c / "001_copy.txt"), {}, 0, 6),
    "edited": (None, _edit, {}, 0, 5),
    "removed": (None, lambda c: (c / ARTICLES[2].name).unlink(), {}, 0, 5),
    "removed at the end": (None, lambda c: (c / ARTICLES[-1].name).unlink(), {}, 0, 5),
    "alias table": (None, lambda c: None, {"aliases": "ALIASES"}, 0, 5),
    "base IRI": (None, lambda c: None, {"base_iri": "https://example.org/news/"}, 6, 0),
    "formats": (None, lambda c: None, {"formats": ("csv", "ttl", "graphml")}, 6, 6),
    "nothing": (None, lambda c: None, {}, 6, 6),
}


@pytest.mark.parametrize("change", CHANGES)
def test_rebuild_after_a_change_equals_a_build_from_scratch(tmp_path, cached_inputs,
                                                            from_scratch, change):
    before, after, options, snapshot, copied = CHANGES[change]
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(cached_inputs[0], corpus)
    shutil.copytree(cached_inputs[1], out)
    if before:
        before(corpus)
        build([corpus], out, formats=FORMATS, progress=False)
    after(corpus)
    if options.get("aliases"):
        (tmp_path / "aliases.csv").write_text(ALIASES, encoding="utf-8")
        options = {**options, "aliases": tmp_path / "aliases.csv"}
    report = build([corpus], out, progress=False, **{"formats": FORMATS, **options})
    assert _exports(out, options.get("formats", FORMATS)) == from_scratch(corpus, **options)
    # which shortcut each change may take (a change before the last document moves the
    # sequence numbers of the documents after it: their Turtle is copied with the numbers
    # moved; a document whose entities were renamed would be written again)
    assert (report.from_snapshot, report.turtle_copied) == (snapshot, copied)
    assert report.same_text == (change == "a copy added")


def test_rebuild_reports_the_time_of_each_stage(tmp_path, cached_inputs):
    """The Turtle's pieces and the HTML view are made as their files are written: the time
    spent making them is their export's, the rest the write's."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(cached_inputs[0], corpus)
    shutil.copytree(cached_inputs[1], out)
    (corpus / ARTICLES[1].name).unlink()  # every document's Turtle written or moved again
    seconds = build([corpus], out, formats=["ttl", "csv", "html"], progress=False).seconds
    stages = ("read", "clean", "snapshot", "extract", "merge", "export ttl+csv", "export html",
              "write")
    assert set(seconds) == {*stages, "total"}
    assert all(seconds[stage] > 0 for stage in stages)
    assert sum(seconds[stage] for stage in stages) <= seconds["total"]


def test_alias_table_changes_the_exports(cached_inputs, tmp_path):
    (tmp_path / "aliases.csv").write_text(ALIASES, encoding="utf-8")
    build([cached_inputs[0]], tmp_path, cache=False, aliases=tmp_path / "aliases.csv",
          formats=["ttl"], progress=False)
    turtle = (tmp_path / "graph.ttl").read_bytes()
    assert turtle != (cached_inputs[1] / "graph.ttl").read_bytes()
    assert b"Q28154640" in turtle


def test_snapshot_is_made_again_once_the_documents_after_it_are_many(tmp_path, cached_inputs):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(cached_inputs[0], corpus)
    shutil.copytree(cached_inputs[1], out)
    (corpus / ARTICLES[-1].name).unlink()
    build([corpus], out, formats=["ttl"], progress=False)
    shutil.copy(ARTICLES[-1], corpus)
    # one document of six is more than SNAPSHOT_TAIL: the snapshot now holds all six
    assert build([corpus], out, formats=["ttl"], progress=False).from_snapshot == 5
    assert build([corpus], out, formats=["ttl"], progress=False).from_snapshot == 6


@pytest.mark.parametrize("damage", [
    "UPDATE snapshot SET graph = x'00ff'",
    "UPDATE snapshot SET graph = x'80054e2e'",  # a readable pickle of None
    "UPDATE snapshot SET graph = substr(graph, 1, length(graph) / 2)",  # cut short
    "UPDATE snapshot SET graph = substr(graph, 1, length(graph) - 1)",
    "UPDATE snapshot SET documents = x'00ff'",
    "UPDATE turtle_block SET ends = x'00ff'",
    "UPDATE turtle_block SET start = start + 1",
    "UPDATE turtle_block SET start = -1",
    "UPDATE turtle_block SET size = size + 1000000000",
    "UPDATE turtle_block SET start = 'x'",
    "UPDATE turtle_block SET first_sequence = 'x'",
    # taken for a block written further along: its numbers, moved, are not the document's
    "UPDATE turtle_block SET first_sequence = first_sequence + 1",
    "UPDATE turtle_file SET modified = modified + 1",
    "DELETE FROM turtle_block",
    "DELETE FROM snapshot_turtle",
    "UPDATE snapshot_turtle SET subjects = x'00ff'",
    "DELETE FROM turtle_file",
    "DELETE FROM cleaning",
    "DELETE FROM extraction",
])
def test_damaged_cache_falls_back_to_the_full_path(tmp_path, cached_inputs, damage):
    corpus, out = cached_inputs[0], tmp_path / "out"
    shutil.copytree(cached_inputs[1], out)
    with sqlite3.connect(out / CACHE_NAME) as db:
        db.execute(damage)
    build([corpus], out, formats=FORMATS, progress=False)
    assert _exports(out) == _exports(cached_inputs[1])


def test_rebuild_takes_the_unchanged_entities_turtle_from_the_snapshot(tmp_path, cached_inputs):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(cached_inputs[0], corpus)
    shutil.copytree(cached_inputs[1], out)
    (corpus / ARTICLES[-1].name).unlink()
    build([corpus], out, formats=["ttl"], progress=False)  # a snapshot of the first five
    with sqlite3.connect(out / CACHE_NAME) as db:
        (data,), = db.execute("SELECT subjects FROM snapshot_turtle")
        subjects = pickle.loads(data)
        # marked, to be told apart from an entity written again
        marked = {key: (term, [pairs[0].replace(" ;\n\t", " ;\n\t# kept\n\t", 1)])
                  for key, (term, pairs) in subjects.items()}
        db.execute("UPDATE snapshot_turtle SET subjects = ?", (pickle.dumps(marked),))
    shutil.copy(ARTICLES[-1], corpus)
    report = build([corpus], out, formats=["ttl"], progress=False)
    assert report.from_snapshot == len(ARTICLES) - 1
    kept = (out / "graph.ttl").read_text(encoding="utf-8").count("# kept")
    # most entities are as the snapshot left them; those the last article named are not
    assert len(subjects) / 2 < kept < len(subjects)


def test_snapshot_of_another_layout_is_a_miss(tmp_path, cached_inputs):
    with sqlite3.connect(cached_inputs[1] / CACHE_NAME) as db:
        context, documents = db.execute("SELECT key, documents FROM snapshot").fetchone()
    merged = pickle.loads(documents)
    # an Argument of one field, and a table whose column is one value short, before a
    # readable graph
    for tables in ([("Argument", ("text",), 1, [["Ant Group"]])],
                   [("Relation", ("text", "lemma", "passive"), 2,
                     [["fined", "fined"], ["fine", "fine"], [False]])]):
        graph = io.BytesIO()
        pickler = pickle.Pickler(graph)  # one pickler: the second part indexes the first
        pickler.dump((tables, []))
        pickler.dump(KnowledgeGraph())
        with ExtractionCache(tmp_path / CACHE_NAME, "fingerprint") as cache:
            cache._db.execute("INSERT OR REPLACE INTO snapshot VALUES (?, ?, ?)",
                              (context, documents, graph.getvalue()))
            assert cache.snapshot(context, merged) is None


def test_snapshot_round_trips_the_graph_exactly(article_triples):
    text, triples = article_triples
    kg = KnowledgeGraph()
    kg.add_triples(triples, doc_id="wikinews_047", title="Ant Group")
    kg.add_triples(triples[:3], doc_id="again")  # the same triple objects twice
    documents = [("wikinews_047", "key", ()), ("again", "key", ())]
    with ExtractionCache(":memory:", "fingerprint") as cache:
        cache.save_snapshot("context", documents, kg)
        count, again = cache.snapshot("context", documents + [("later", "key", ())])
    assert count == 2
    assert again.merged == kg.merged and again.unattached == kg.unattached

    def fields(value):  # every field's type and value, held values field by field
        return (type(value), [fields(getattr(value, f.name)) if dataclasses.is_dataclass(
            getattr(value, f.name)) else (type(getattr(value, f.name)), getattr(value, f.name))
            for f in dataclasses.fields(value)])

    assert [fields(t) for t in again.merged] == [fields(t) for t in kg.merged]
    # triples keep their identity: the evidence lists and the triples merged are one set
    place = {id(triple): number for number, triple in enumerate(kg.merged)}
    place_again = {id(triple): number for number, triple in enumerate(again.merged)}
    assert len(place_again) == len(place) < len(kg.merged)
    assert ([[place_again[id(t)] for t in data["evidence"]]
             for _, _, data in again.nx.edges(data=True)]
            == [[place[id(t)] for t in data["evidence"]] for _, _, data in kg.nx.edges(data=True)])
    assert list(again.nx.nodes(data=True)) == list(kg.nx.nodes(data=True))
    assert again.nx.graph == kg.nx.graph
    assert again.entities.entities == kg.entities.entities
    assert {type(entity.names) for entity in again.entities.entities} == {Counter}


def _same_time(path: Path, change) -> None:
    """Change the file ``path`` and give it back its modification time."""
    before = path.stat()
    change(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _last_bytes_changed(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:-40] + b"#" * 37 + b" .\n")


# change to the previous Turtle export: documents whose Turtle the rebuild copies from it
EXPORT_CHANGES = {
    "removed": (lambda path: path.unlink(), 0),
    "a line added": (lambda path: path.write_bytes(path.read_bytes() + b"# added\n"), 0),
    "cut short": (lambda path: path.write_bytes(path.read_bytes()[:-100]), 0),
    "touched": (lambda path: os.utime(path, ns=(0, path.stat().st_mtime_ns + 1)), 0),
    # an edit that keeps size and time: the documents whose ends it changed are written
    "last bytes, same size and time": (
        lambda path: _same_time(path, _last_bytes_changed), len(ARTICLES) - 1),
    "unchanged, same time": (lambda path: _same_time(path, lambda p: None), len(ARTICLES)),
}


@pytest.mark.parametrize("change", EXPORT_CHANGES)
def test_changed_turtle_export_is_not_copied_from(tmp_path, cached_inputs, change):
    out = tmp_path / "out"
    shutil.copytree(cached_inputs[1], out)
    edit, copied = EXPORT_CHANGES[change]
    edit(out / "graph.ttl")
    report = build([cached_inputs[0]], out, formats=FORMATS, progress=False)
    assert _exports(out) == _exports(cached_inputs[1])
    assert report.turtle_copied == copied
    # and the places the rebuild kept serve the next one
    assert build([cached_inputs[0]], out, formats=FORMATS,
                 progress=False).turtle_copied == len(ARTICLES)


def test_cache_holds_no_copy_of_the_turtle(tmp_path, cached_inputs):
    out = tmp_path / "out"
    shutil.copytree(cached_inputs[1], out)
    with sqlite3.connect(out / CACHE_NAME) as db:  # a cache of session 11, pieces and all
        db.execute("CREATE TABLE turtle (key TEXT PRIMARY KEY, piece BLOB NOT NULL)")
        db.execute("INSERT INTO turtle VALUES ('a piece', ?)", (b"x" * 1_000_000,))
        # and the places of session 15, without the first sequence number
        db.execute("CREATE TABLE turtle_place (key TEXT PRIMARY KEY, start INTEGER NOT NULL, "
                   "size INTEGER NOT NULL, ends BLOB NOT NULL)")
    report = build([cached_inputs[0]], out, formats=FORMATS, progress=False)
    assert report.turtle_copied == len(ARTICLES)
    with sqlite3.connect(out / CACHE_NAME) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert not {"turtle", "turtle_place"} & tables and "turtle_block" in tables
    assert (out / CACHE_NAME).stat().st_size < (out / "graph.ttl").stat().st_size


def test_cache_holds_one_build(tmp_path, cached_inputs):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(cached_inputs[0], corpus)
    shutil.copytree(cached_inputs[1], out)
    _edit(corpus)
    build([corpus], out, formats=FORMATS, base_iri="https://example.org/news/", progress=False)
    with sqlite3.connect(out / CACHE_NAME) as db:
        counts = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in ("extraction", "cleaning", "turtle_block", "snapshot")}
    assert counts == {"extraction": 6, "cleaning": 6, "turtle_block": 6, "snapshot": 1}


def test_snapshot_and_blocks_depend_on_extractor_aliases_and_base(article_triples):
    from graph.entities import Alias, AliasTable

    first, second = ExtractionCache(":memory:", "one"), ExtractionCache(":memory:", "two")
    ant = AliasTable([Alias("Ant", "Ant Group")])
    contexts = {first.merge_context(None), second.merge_context(None), first.merge_context(ant)}
    assert len(contexts) == 3
    assert first.merge_context(AliasTable([Alias("Ant", "Ant Group")])) == first.merge_context(ant)
    extractions = [(triple, number, None) for number, triple in enumerate(article_triples[1])]
    assert first.turtle_blocks("https://example.org/a/").key(extractions) is None  # unknown
    first.keep("wikinews_047", "its extraction key")
    keys = {first.turtle_blocks(base).key(extractions)
            for base in ("https://example.org/a/", "https://example.org/b/")}
    assert len(keys) == 2 and None not in keys
    # the same extractions further along the merge order: the same block, its numbers moved
    blocks = first.turtle_blocks("https://example.org/a/")
    moved = [(triple, number + 7, ends) for triple, number, ends in extractions]
    assert blocks.key(moved) == blocks.key(extractions)
    # but not with one of them further apart from the others
    apart = [*extractions[:-1], (extractions[-1][0], extractions[-1][1] + 1, None)]
    assert blocks.key(apart) not in keys


def test_bbc_articles_added_at_the_end_and_in_the_middle(tmp_path, shared):
    corpus_root = shared / "corpora" / "bbc-news"
    files = sorted((corpus_root / "business").glob("*.txt"))[:7]
    if len(files) < 7:
        pytest.skip(f"{corpus_root} holds fewer than 7 business articles")
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    (corpus / "business").mkdir(parents=True)

    def link(file: Path) -> None:
        (corpus / "business" / file.name).symlink_to(file)

    for file in files[:3] + files[4:6]:
        link(file)
    build([corpus], out, progress=False)
    link(files[6])
    assert build([corpus], out, progress=False).from_snapshot == 5
    build([corpus], tmp_path / "scratch", cache=False, progress=False)
    assert _exports(out, ("ttl", "html")) == _exports(tmp_path / "scratch", ("ttl", "html"))
    link(files[3])
    report = build([corpus], out, progress=False)
    # merged again, but the Turtle of four of the six others is taken from the last export
    # (the two after the new article with their sequence numbers moved along); the new
    # article renames entities that the other two name
    assert (report.from_snapshot, report.turtle_copied) == (0, 4)
    build([corpus], tmp_path / "scratch", cache=False, progress=False)
    assert _exports(out, ("ttl", "html")) == _exports(tmp_path / "scratch", ("ttl", "html"))


def test_a_text_is_extracted_once_for_all_documents_that_have_it(monkeypatch):
    """Documents repeating an earlier text get what extracting them would give (their own id
    in the provenance), and only the first of each text is extracted."""
    import graph.build

    one, two = (article.read_text(encoding="utf-8") for article in ARTICLES[2:4])
    pairs = [("a", one), ("b", two), ("c", one), ("d", one), ("e", two)]
    extracted_ids = []

    def recording(documents, **options):
        documents = list(documents)
        extracted_ids.extend(doc_id for doc_id, _ in documents)
        return extract_documents(documents, **options)

    monkeypatch.setattr(graph.build, "extract_documents", recording)
    report = BuildReport()
    found = list(graph.build.extracted(pairs, None, report))
    assert extracted_ids == ["a", "b"] and report.same_text == 3
    assert found == list(extract_stream(pairs))
    assert {t.provenance.doc_id for doc_id, triples in found for t in triples
            if doc_id == "d"} == {"d"}
