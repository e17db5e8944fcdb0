"""The throughput benchmark's memory figure (forked workers' shared pages counted once) and
its choice of articles."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from benchmarks.throughput import MEMORY_MEASURE, PeakMemory, _cpu, _memory, _tree, articles
from graph.collector import paused

SHARED_BYTES = 256 * 2**20


def test_pages_a_forked_worker_shares_are_counted_once():
    if MEMORY_MEASURE != "PSS":
        pytest.skip("this kernel has no /proc/PID/smaps_rollup: the benchmark sums RSS")
    # pytest's own, which the earlier tests grew, and any process of theirs still alive (the
    # peak sums every process under this one)
    before = sum(map(_memory, _tree(os.getpid())))
    shared = bytearray(b"x" * SHARED_BYTES)  # written, so resident
    worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(1.0,))
    # no cycle collection here while the worker lives: it would write to, and so copy, every
    # page of a tracked object
    with paused(), PeakMemory() as memory:
        worker.start()
        worker.join()
    assert len(shared) == SHARED_BYTES
    # summed RSS would grow by twice the buffer and pytest's own again: the worker maps them
    assert SHARED_BYTES < memory.peak - before < 1.5 * SHARED_BYTES


def test_pss_is_read_only_when_the_summed_rss_could_be_a_new_peak():
    """PSS costs a walk of every page table (a fifth of a CPU when read every 50 ms); with
    memory flat it is read about once a second, with a worker forked at once."""
    if MEMORY_MEASURE != "PSS":
        pytest.skip("this kernel has no /proc/PID/smaps_rollup: the benchmark sums RSS")
    with PeakMemory(interval=0.01) as flat:
        time.sleep(2.0)
    assert 1 <= flat.reads <= 4  # 200 ticks: once at the start, then at most once a second
    assert flat.peak > 0


def test_unique_articles_leave_out_every_listed_copy(shared):
    corpus = shared / "corpora" / "bbc-news"
    every, unique = articles(corpus, None), articles(corpus, None, unique=True)
    assert len(every) == 2225 and len(unique) == 2127
    assert len({path.read_bytes() for path in unique}) == 2127
    assert {path.read_bytes() for path in unique} == {path.read_bytes() for path in every}


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_cpu_time_counts_the_workers_that_ended():
    begun = _cpu()
    worker = multiprocessing.get_context("fork").Process(target=_spin, args=(0.4,))
    worker.start()
    worker.join()
    assert _cpu() - begun >= 0.35
