"""Extraction on workers, local processes or a Dask cluster, and the Turtle written in local
processes, give the exports of a build in one process, byte for byte."""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
import spacy

from benchmarks.throughput import articles, link_folder
from extractors.errors import NewsgraphError
from extractors.nlp import model_name
from graph import rdf
from graph.build import build
from graph.cache import CACHE_NAME
from graph.collector import paused
from graph.distributed import _executor, extract_texts

ROOT = Path(__file__).resolve().parents[2]
EXPORT_NAMES = ("graph.ttl", "graph.html")


@pytest.fixture(scope="module")
def one_process_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("one-process")
    build([ROOT / "inputs"], out, cache=False, progress=False)
    return out


def _same_exports(out: Path, reference: Path) -> None:
    for name in EXPORT_NAMES:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name


@pytest.fixture
def turtle_writers(monkeypatch, tmp_path):
    """The ids of the processes that write documents' Turtle, one line per document (a file:
    forked writers cannot tell this process otherwise)."""
    writers = tmp_path / "turtle-writers"
    writers.touch()
    write = rdf.document_turtle

    def recorded(*args):
        with writers.open("a") as record:
            record.write(f"{os.getpid()}\n")
        return write(*args)

    monkeypatch.setattr(rdf, "document_turtle", recorded)
    return writers


@pytest.fixture
def forked_turtle(monkeypatch, turtle_writers):
    """Documents' Turtle written in worker processes however few the documents, with workers
    forked afresh for every 8 documents. This process writes slowly (0.25 s a document), so
    that the worker of every round, which takes documents as this process does, as they
    come, surely starts on some before this process has taken them all."""
    monkeypatch.setattr(rdf, "PARALLEL_DOCUMENTS", 1)
    monkeypatch.setattr(rdf, "ROUND_DOCUMENTS", 8)
    here, write = os.getpid(), rdf.document_turtle

    def slow_here(*args):
        if os.getpid() == here:
            time.sleep(0.25)
        return write(*args)

    monkeypatch.setattr(rdf, "document_turtle", slow_here)
    return turtle_writers


def test_local_worker_processes_give_the_same_exports(tmp_path, one_process_build,
                                                      turtle_writers):
    report = build([ROOT / "inputs"], tmp_path / "out", n_process=2, cache=False,
                   progress=False)
    assert len(report.built) == 6
    _same_exports(tmp_path / "out", one_process_build)
    # six documents are too few to fork Turtle writers for
    assert turtle_writers.read_text().split() == [str(os.getpid())] * 6


@pytest.mark.parametrize("shared_bytes", [rdf.SHARED_BYTES_PER_EXTRACTION, 1])
def test_turtle_written_in_worker_processes_is_the_same_and_cached(tmp_path, one_process_build,
                                                                   forked_turtle, monkeypatch,
                                                                   shared_bytes):
    """This process and one worker write the pieces; they come back in document order, byte
    for byte, and this process keeps them in the cache: a one-process rebuild copies every
    one. The same when no piece fits the shared memory the worker puts them in, and they
    come back as text."""
    monkeypatch.setattr(rdf, "SHARED_BYTES_PER_EXTRACTION", shared_bytes)
    build([ROOT / "inputs"], tmp_path / "out", n_process=2, progress=False)
    writers = forked_turtle.read_text().split()
    assert len(writers) == 6 and len(set(writers) - {str(os.getpid())}) == 1  # one worker
    _same_exports(tmp_path / "out", one_process_build)
    assert build([ROOT / "inputs"], tmp_path / "out", progress=False).turtle_copied == 6
    _same_exports(tmp_path / "out", one_process_build)


def test_rebuild_in_two_processes_moves_the_numbers_of_the_documents_after_a_new_one(
        tmp_path, one_process_build, forked_turtle):
    """An article added before others: they keep their Turtle, its sequence numbers moved
    along; only the new one's is written (by the forked writers' round)."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(ROOT / "inputs", corpus)
    second = sorted(corpus.glob("*.txt"))[1]
    held = second.read_bytes()
    second.unlink()
    build([corpus], out, n_process=2, progress=False)
    forked_turtle.write_text("")
    second.write_bytes(held)
    report = build([corpus], out, n_process=2, progress=False)
    assert (report.from_snapshot, report.turtle_copied) == (0, 5)
    assert len(forked_turtle.read_text().split()) == 1
    _same_exports(out, one_process_build)


def test_bbc_articles_built_in_two_processes_give_the_same_exports(tmp_path, shared,
                                                                   forked_turtle):
    corpus = shared / "corpora" / "bbc-news"
    files = articles(corpus, 20)
    if len(files) < 20:
        pytest.skip(f"{corpus} holds fewer than 20 articles")
    folder = link_folder(files, corpus, tmp_path / "corpus")
    build([folder], tmp_path / "one", cache=False, progress=False)
    forked_turtle.write_text("")
    build([folder], tmp_path / "two", n_process=2, cache=False, progress=False)
    writers = forked_turtle.read_text().split()
    # three rounds of 7, 7 and 6 documents, each with a worker of its own
    assert len(writers) == 20 and len(set(writers) - {str(os.getpid())}) == 3
    _same_exports(tmp_path / "two", tmp_path / "one")


def test_pieces_that_do_not_fit_the_shared_memory_come_back_as_text():
    shared = rdf._SharedPieces.of(multiprocessing.get_context("fork"), 1)
    assert len(shared.buffer) == rdf.SHARED_BYTES_PER_EXTRACTION
    texts = ["a" * 5000, "Zoë " * 1000, "b" * 10]
    pieces = dict(shared.pieces([(n, shared.put(text)) for n, text in enumerate(texts)]))
    assert type(pieces[0]) is memoryview and pieces[0] == texts[0].encode()
    assert [pieces[1], pieces[2]] == texts[1:]  # over what was left, and every one after


def test_partitions_come_back_in_input_order():
    texts = [(f"doc{n}", "Regulators fined Ant Group." if n % 2 else "It rained.")
             for n in range(7)]
    found = list(extract_texts(texts, n_process=2, partition_documents=2))
    assert [doc_id for doc_id, _ in found] == [doc_id for doc_id, _ in texts]
    assert [len(triples) for _, triples in found] == [0, 1, 0, 1, 0, 1, 0]


def test_workers_collect_cycles_while_the_parent_merges_without():
    """A -j N build pauses the cycle collector while it merges (``graph.build``); the workers,
    forked then, parse, and parses make cycles: they must collect."""
    with paused(), _executor(2, None) as (pool, workers):
        assert workers == 2 and not gc.isenabled()
        assert pool.submit(gc.isenabled).result()


def test_dask_cluster_gives_the_same_exports(tmp_path, one_process_build):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        report = build([ROOT / "inputs"], tmp_path / "out", scheduler=cluster.scheduler_address,
                       cache=False, progress=False)
    assert len(report.built) == 6
    _same_exports(tmp_path / "out", one_process_build)


def test_dask_build_fills_the_cache_a_local_build_reads(tmp_path, one_process_build):
    distributed = pytest.importorskip("distributed")
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "inputs", corpus)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        build([corpus], tmp_path / "out", scheduler=cluster.scheduler_address, progress=False)
    report = build([corpus], tmp_path / "out", progress=False)
    assert report.cached == 6
    _same_exports(tmp_path / "out", one_process_build)


def test_unreachable_scheduler_is_a_clear_error(tmp_path):
    pytest.importorskip("distributed")
    with pytest.raises(NewsgraphError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        build([ROOT / "inputs"], tmp_path, scheduler="tcp://127.0.0.1:9", cache=False,
              progress=False)



def _installed_model_folder() -> str:
    """The folder of the installed model's data: the same model, named by its path."""
    package = Path(spacy.util.get_package_path(model_name()))
    return str(next(config.parent for config in package.glob("*/config.cfg")))


@pytest.mark.parametrize(("worker_model", "message"), [
    # the same model named by its path: another fingerprint, so triples could differ
    (_installed_model_folder, "Dask worker.s. {worker} would extract differently from this "
                              "machine"),
    (lambda: "no_such_model", "a Dask worker cannot load newsgraph's extractor: ModelError: "
                              "spaCy model 'no_such_model' is not installed"),
])
def test_dask_workers_with_another_extractor_are_refused(tmp_path, worker_model, message):
    """A worker that would extract differently (another newsgraph, spaCy or model) would fill
    the cache with triples this machine did not make: the build stops before sending it a
    document, naming the worker, and writes nothing."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  env={"NEWSGRAPH_MODEL": worker_model()}) as cluster:
        worker = next(iter(cluster.scheduler_info["workers"]))
        with pytest.raises(NewsgraphError, match=message.format(worker=worker)):
            build([ROOT / "inputs"], tmp_path / "out", scheduler=cluster.scheduler_address,
                  progress=False)
    assert not (tmp_path / "out" / "graph.ttl").exists()
    with sqlite3.connect(tmp_path / "out" / CACHE_NAME) as cache:
        assert cache.execute("SELECT COUNT(*) FROM extraction").fetchone() == (0,)
