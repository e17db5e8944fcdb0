"""Throughput of a whole build against the parser's own, on the BBC News corpus.

The floor of a build's cost is spaCy parsing the text; everything newsgraph adds (rules,
coreference, merging, exports) should be small beside it. For each process count this runs,
each in a fresh process so that memory figures are not mixed up:

* ``parse``: raw ``nlp.pipe`` over the texts, with the pipeline of
  ``extractors.load_model()``, the batch size of ``extractors.extract_stream`` and the same
  number of processes;
* ``parse (spaCy's components)``: the same with ``load_model(tables=False)``: spaCy's own
  attribute ruler and lemmatizer in place of the build's table-driven stand-ins
  (``extractors.annotation_tables``, the same annotations), that is the model's pipeline as
  spaCy ships it;
* ``build``: ``graph.build.build`` from the files to the exports (Turtle and HTML), from
  scratch (no cache), with the time split by stage;
* ``stages`` (one process only): parse, rules, entity resolution (coreference and resolving
  arguments), merge and each export timed apart on the same documents;
* ``incremental`` (one process only): a cached build of every article but the last, then
  the last article added and the build run again (from the cache's snapshot of the merged
  graph and its documents' Turtle), three times from the same state (the fastest is
  reported, every time listed); the exports must be byte-identical to the from-scratch
  build;
* ``incremental_middle``: the same with the article in the middle of the sorted list held
  back instead (an article added to one of the corpus's topic folders but the last): the
  merge order is the documents' id order, so the rebuild merges every document again from
  the cached triples, and takes the Turtle of the others from the previous export with
  their sequence numbers moved.

Words are counted by whitespace split. Beside the wall-clock times (what the targets are
about), each parse and build reports its CPU time, its own and its joined workers' (less
moved by the machine's noise than wall time). Peak memory is the largest sum over the process and
all its worker processes of their PSS (proportional set size: each page shared by n processes
counts 1/n in each, so forked workers' pages shared copy-on-write with the parent are counted
once, where summing RSS would count them once per process), from ``/proc/PID/smaps_rollup``,
read whenever the summed RSS could be a new peak (:class:`PeakMemory`: reading PSS is not
free). Where the kernel has no ``smaps_rollup`` (Linux before 4.14) it is the sum
of RSS, which overstates forked workers; the output names the measure used. The corpus is
read in place (symbolic links in a temporary folder give every article a unique id,
``business/001``), never copied.

Run: ``python -m benchmarks.throughput [--subset 200] [--processes 1,2] [--repeat 3]
[--unique]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from importlib.metadata import version
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bbc-news"
BATCH_SIZE = 16  # extractors.extract_stream's default
#: Incremental rebuilds measured (each takes seconds; the fastest is reported).
INCREMENTAL_RUNS = 3


def articles(corpus: Path, subset: int | None, unique: bool = False) -> list[Path]:
    """The corpus's article files, sorted; ``subset`` picks that many spread over all topics.
    With ``unique``, the files the corpus's ``DUPLICATES.txt`` lists after the first of their
    group are left out (98 in the BBC corpus: byte-identical copies of another article, which
    a build extracts once, see ``graph.build.extracted``, and the raw parse parses again)."""
    files = sorted(corpus.glob("*/*.txt"))
    if unique and (corpus / "DUPLICATES.txt").is_file():
        copies = {corpus / name for line in (corpus / "DUPLICATES.txt").read_text().splitlines()
                  for name in line.split()[1:]}
        files = [file for file in files if file not in copies]
    if subset and subset < len(files):
        step = len(files) / subset
        files = [files[int(i * step)] for i in range(subset)]
    return files


def link_folder(files: list[Path], corpus: Path, folder: Path) -> Path:
    """A folder of symbolic links ``topic/NNN.txt`` to ``files``: a build reads the corpus
    in place, and the README and the duplicates list are not taken for articles."""
    for file in files:
        link = folder / file.relative_to(corpus)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(file)
    return folder


#: What :class:`PeakMemory` sums: ``"PSS"``, or ``"RSS"`` where the kernel has no
#: ``/proc/PID/smaps_rollup``.
MEMORY_MEASURE = "PSS" if Path("/proc/self/smaps_rollup").exists() else "RSS"


class PeakMemory:
    """The peak summed :data:`MEMORY_MEASURE` of this process and its descendants, sampled in a
    thread.

    Reading a process's PSS makes the kernel walk its page tables: 5 ms of CPU for a 260 MB
    process on this machine, 21 ms for 1.5 GB. Read for every process every 50 ms, as until
    session 10, that was a fifth of a CPU taken from what it measured (a 600-article build
    with two processes: 29.4-30.3 s with it, 24.4-26.6 s without). RSS is a counter
    (``/proc/PID/statm``) and no process's PSS exceeds its RSS, so the RSS is summed every
    ``interval`` and the PSS read only when the sum could be a new peak: while it is above the
    peak so far, at once when it grew by :attr:`GROWTH` since the last reading, else once every
    :attr:`EVERY` seconds. ``reads`` counts the PSS readings.
    """

    #: Growth of the summed RSS since the last PSS reading that calls for another at once.
    GROWTH = 0.01
    #: Seconds between PSS readings while the summed RSS stays above the peak without growing.
    EVERY = 1.0

    def __init__(self, interval: float = 0.1) -> None:
        self.peak = 0
        self.reads = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self, interval: float) -> None:
        read_at, read_rss = -self.EVERY, 0
        while not self._stop.is_set():
            processes = _tree(os.getpid())
            rss = sum(map(_resident, processes))
            now = time.monotonic()
            if MEMORY_MEASURE == "RSS":
                self.peak = max(self.peak, rss)
            elif rss > self.peak and (rss > read_rss * (1 + self.GROWTH)
                                      or now - read_at >= self.EVERY):
                self.peak = max(self.peak, sum(map(_memory, processes)))
                self.reads += 1
                read_at, read_rss = now, rss
            time.sleep(interval)


def _tree(pid: int) -> list[int]:
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            found.extend(_tree(int(child)))
    return found


def _resident(pid: int) -> int:
    """The RSS of a process in bytes (a counter the kernel keeps); 0 once it has exited."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


_PAGE = os.sysconf("SC_PAGE_SIZE")


def _memory(pid: int) -> int:
    """The PSS of a process in bytes (a walk of its page tables); 0 once it has exited."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


# -- the measurements, each run in a process of its own ----------------------------------------


def measure_parse(folder: Path, processes: int, tables: bool = True) -> dict:
    from extractors.nlp import load_model

    texts = [path.read_text(encoding="utf-8") for path in sorted(folder.rglob("*.txt"))]
    nlp = load_model(tables=tables)
    with PeakMemory() as memory:
        begun, cpu = time.perf_counter(), _cpu()
        for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=processes):
            pass
        seconds, cpu = time.perf_counter() - begun, _cpu() - cpu
    return {"seconds": seconds, "cpu": cpu, "peak_memory": memory.peak}


def measure_build(folder: Path, processes: int, out: Path, cache: bool = False) -> dict:
    from extractors.nlp import load_model
    from graph.build import build

    load_model()  # as for the parse: model loading is not throughput
    with PeakMemory() as memory:
        begun, cpu = time.perf_counter(), _cpu()
        report = build([folder], out, n_process=processes, cache=cache, progress=False)
        seconds, cpu = time.perf_counter() - begun, _cpu() - cpu
    return {"seconds": seconds, "cpu": cpu, "peak_memory": memory.peak, "stages": report.seconds,
            "documents": len(report.built), "entities": report.entities,
            "facts": report.facts, "cached": report.cached, "same_text": report.same_text,
            "from_snapshot": report.from_snapshot, "turtle_copied": report.turtle_copied}


def _cpu() -> float:
    """CPU seconds (user and system) of this process and of its children that have ended:
    the workers of ``nlp.pipe`` and of a build are joined before either returns. The
    wall-clock ratio is the target's; the CPU ratio beside it moves less with the machine's
    noise (steal and other load stretch wall time, and CPU time less)."""
    own, children = (resource.getrusage(who)
                     for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure_stages(folder: Path) -> dict:
    """Each stage of a one-process build timed apart, on documents parsed one at a time,
    with the cycle collector set as a build sets it."""
    from extractors.coreference import resolve_triples
    from extractors.nlp import load_model
    from extractors.parse_table import kept_table
    from extractors.pipeline import rule_triples
    from graph.collector import infrequent, paused
    from graph.knowledge_graph import KnowledgeGraph

    files = sorted(folder.rglob("*.txt"))
    nlp = load_model()
    seconds = dict.fromkeys(("parse", "rules", "entity resolution", "merge",
                             "export ttl", "export html"), 0.0)
    kg = KnowledgeGraph()
    pairs = ((path.read_text(encoding="utf-8"), path.relative_to(folder).with_suffix("")
              .as_posix()) for path in files)
    stream = iter(nlp.pipe(pairs, as_tuples=True, batch_size=BATCH_SIZE))
    with infrequent():  # as in a build: see graph.collector
        while True:
            begun = time.perf_counter()
            item = next(stream, None)
            seconds["parse"] += time.perf_counter() - begun
            if item is None:
                break
            doc, doc_id = item
            begun = time.perf_counter()
            with kept_table(doc) as table:  # as extractors.pipeline.extract_doc does
                triples = rule_triples(doc, table, doc_id)
                ruled = time.perf_counter()
                triples = resolve_triples(triples, doc)
            resolved = time.perf_counter()
            kg.add_triples(triples, doc_id=doc_id)
            seconds["rules"] += ruled - begun
            seconds["entity resolution"] += resolved - ruled
            seconds["merge"] += time.perf_counter() - resolved
    with paused():
        for name, export in (("export ttl", kg.to_turtle), ("export html", kg.to_html)):
            begun = time.perf_counter()
            export()
            seconds[name] = time.perf_counter() - begun
    return {"stages": seconds}


def held_article(folder: Path, where: str) -> Path:
    """The article an incremental run holds back: the ``"last"`` or the ``"middle"`` one of
    the folder's, in id order (the merge order)."""
    files = sorted(folder.rglob("*.txt"))
    return files[-1] if where == "last" else files[len(files) // 2]


def measure_held_build(folder: Path, out: Path, where: str = "last") -> dict:
    """A cached build of every article but one (what an incremental rebuild adds to)."""
    article = held_article(folder, where)
    held = article.with_name(article.name + ".held")
    article.rename(held)
    try:
        return measure_build(folder, 1, out, cache=True)
    finally:
        held.rename(article)


def incremental(folder: Path, root: Path, reference: Path, runs: int,
                where: str = "last") -> dict:
    """The ``where`` article (:func:`held_article`) added to a cached build of the others,
    and the build run again ``runs`` times, each in a fresh process from the same state of
    the output folder (written out to disk first); ``after`` is the fastest (the rest is the
    machine's noise, as for the other builds). ``identical`` says whether every rebuild's
    exports equal the from-scratch build's."""
    out, kept = root / "incremental", root / "incremental-before"
    before = _in_subprocess("held-build", str(folder), str(out), where)
    shutil.copytree(out, kept)
    rebuilds, identical = [], True
    for _ in range(runs):
        shutil.rmtree(out)
        shutil.copytree(kept, out)
        # On disk before the rebuild starts, as a previous build's files are, so that the
        # rebuild's fsync of its exports does not also wait for this 700 MB copy.
        os.sync()
        rebuilds.append(_in_subprocess("build", str(folder), "1", str(out), "cache"))
        identical &= all((out / name).read_bytes() == (reference / name).read_bytes()
                         for name in ("graph.ttl", "graph.html"))
    shutil.rmtree(kept)
    shutil.rmtree(out)
    return {"article": held_article(folder, where).relative_to(folder).as_posix(),
            "before": before, "after": min(rebuilds, key=lambda figures: figures["seconds"]),
            "runs": [figures["seconds"] for figures in rebuilds], "identical": identical}


# -- the run ----------------------------------------------------------------------------------


def _in_subprocess(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "benchmarks.throughput", "--measure", *args],
                            capture_output=True, text=True, check=False,
                            cwd=Path(__file__).resolve().parents[1])
    if result.returncode:
        raise RuntimeError(f"measurement {args} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(corpus: Path, subset: int | None, processes: list[int], stages: bool = True,
        repeat: int = 1, unique: bool = False) -> dict:
    files = articles(corpus, subset, unique)
    words = sum(len(path.read_text(encoding="utf-8").split()) for path in files)
    results: dict = {"documents": len(files), "words": words, "runs": {}}
    with tempfile.TemporaryDirectory(prefix="newsgraph-throughput-") as temporary:
        root = Path(temporary)
        folder = link_folder(files, corpus, root / "corpus")
        for count in processes:
            # Parse and build alternate, so that a slow spell of the machine weighs on both;
            # the fastest of each is what the code can do (the rest is the machine's noise).
            parses, spacy_parses, builds = [], [], []
            for _ in range(repeat):
                parses.append(_in_subprocess("parse", str(folder), str(count)))
                spacy_parses.append(_in_subprocess("parse-spacy", str(folder), str(count)))
                builds.append(_in_subprocess("build", str(folder), str(count),
                                             str(root / f"out{count}")))
            parse, spacy_parse, build = (
                min(runs, key=lambda figures: figures["seconds"])
                for runs in (parses, spacy_parses, builds))
            if repeat > 1:
                print(f"-j {count}: " + "; ".join(
                    f"{name} runs " + ", ".join(f"{figures['seconds']:.1f}" for figures in runs)
                    for name, runs in (("parse", parses), ("spaCy's parse", spacy_parses),
                                       ("build", builds))) + " s; the fastest of each below")
            results["runs"][count] = {
                "parse": parse, "parse_spacy": spacy_parse, "build": build,
                "ratio": parse["seconds"] / build["seconds"],
                "ratio_spacy": spacy_parse["seconds"] / build["seconds"],
                "cpu_ratio": parse["cpu"] / build["cpu"]}
            _print_run(count, words, parse, spacy_parse, build)
        if 1 in processes and stages:
            results["stages"] = _in_subprocess("stages", str(folder))["stages"]
            _print_stages(results["stages"])
        if 1 in processes:
            for name, where in (("incremental", "last"), ("incremental_middle", "middle")):
                results[name] = incremental(folder, root, root / "out1",
                                            max(INCREMENTAL_RUNS, repeat), where)
                _print_incremental(results[name], results["runs"][1]["build"])
        if 1 in processes and 2 in processes:
            runs = results["runs"]
            speedup = runs[1]["build"]["seconds"] / runs[2]["build"]["seconds"]
            results["speedup_2_vs_1"] = speedup
            print(f"build speed-up, 2 processes vs 1: {speedup:.3f}x")
    return results


def _print_run(count: int, words: int, parse: dict, spacy_parse: dict, build: dict) -> None:
    stages = ", ".join(f"{name} {value:.1f} s" for name, value in build["stages"].items())
    parse_peak, build_peak = parse["peak_memory"] / 2**20, build["peak_memory"] / 2**20
    print(f"-j {count}: parse {parse['seconds']:.1f} s = {words / parse['seconds']:,.0f} words/s "
          f"(peak {MEMORY_MEASURE} {parse_peak:,.0f} MiB); parse with spaCy's components "
          f"{spacy_parse['seconds']:.1f} s = {words / spacy_parse['seconds']:,.0f} words/s; "
          f"build {build['seconds']:.1f} s = {words / build['seconds']:,.0f} words/s (peak "
          f"{MEMORY_MEASURE} {build_peak:,.0f} MiB; {stages}; {build['same_text']} documents "
          f"repeating an earlier text, not extracted again); build/parse throughput "
          f"{parse['seconds'] / build['seconds']:.3f}, against spaCy's components "
          f"{spacy_parse['seconds'] / build['seconds']:.3f}; CPU time parse "
          f"{parse['cpu']:.1f} s, build {build['cpu']:.1f} s, ratio "
          f"{parse['cpu'] / build['cpu']:.3f}")


def _print_stages(stages: dict) -> None:
    total = sum(stages.values())
    print("stages, one process: " + ", ".join(
        f"{name} {value:.1f} s ({value / total:.0%})" for name, value in stages.items()))


def _print_incremental(incremental: dict, full: dict) -> None:
    before, after = incremental["before"], incremental["after"]
    # what the default command costs the first time: a build that fills the cache
    print(f"cached build of all articles but {incremental['article']} (the default command "
          f"into an empty folder): {before['seconds']:.1f} s, "
          f"{before['seconds'] / full['seconds']:.1%} of the time of the full build without a "
          f"cache; "
          + ", ".join(f"{name} {value:.2f} s" for name, value in before["stages"].items()))
    stages = ", ".join(f"{name} {value:.2f} s" for name, value in after["stages"].items())
    runs = ", ".join(f"{seconds:.1f}" for seconds in incremental["runs"])
    print(f"incremental: {incremental['article']} added, rebuild {after['seconds']:.1f} s "
          f"(runs {runs} s; "
          f"{after['seconds'] / full['seconds']:.1%} of the full build; "
          f"{after['cached']} documents from the cache, {after['from_snapshot']} merged from "
          f"its snapshot, {after['turtle_copied']} documents' Turtle copied; peak "
          f"{MEMORY_MEASURE} {after['peak_memory'] / 2**20:,.0f} MiB; {stages}); exports "
          f"identical to a full build: {incremental['identical']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--subset", type=int, default=None,
                        help="use this many articles spread over the topics (quick run: 200)")
    parser.add_argument("--processes", default="1,2", help="process counts, comma-separated")
    parser.add_argument("--no-stages", dest="stages", action="store_false",
                        help="skip the stage-by-stage run (the build's own split remains)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run parse and build this many times each, alternating, and "
                             "keep the fastest (the machine's noise is about 10%%)")
    parser.add_argument("--unique", action="store_true",
                        help="leave out the articles DUPLICATES.txt lists as copies of another")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--measure", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        kind, *rest = args.measure
        if kind in ("parse", "parse-spacy"):
            figures = measure_parse(Path(rest[0]), int(rest[1]), tables=kind == "parse")
        elif kind == "build":
            figures = measure_build(Path(rest[0]), int(rest[1]), Path(rest[2]),
                                    cache=rest[3:] == ["cache"])
        elif kind == "stages":
            figures = measure_stages(Path(rest[0]))
        else:
            figures = measure_held_build(Path(rest[0]), Path(rest[1]), *rest[2:])
        print(json.dumps(figures))
        return 0
    if not (args.corpus / "business").is_dir():
        print(f"the BBC corpus is not at {args.corpus}; pass --corpus", file=sys.stderr)
        return 1
    processes = [int(n) for n in args.processes.split(",")]
    spacy_version = version("spacy")
    print(f"corpus {args.corpus}, subset {args.subset or 'all'}"
          f"{', without the copies DUPLICATES.txt lists' * args.unique}, processes {processes}, "
          f"spaCy {spacy_version}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}; peak memory is the "
          f"summed {MEMORY_MEASURE} of the process and its workers")
    results = run(args.corpus, args.subset, processes, args.stages, max(1, args.repeat),
                  args.unique)
    results["spacy"] = spacy_version
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
