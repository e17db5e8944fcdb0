"""Memory and time of building one very large article, against a small one in the same run.

The article is the sample articles' paragraphs repeated to the requested size, one file, one
document. Each size is built in a fresh process (``graph.build.build``: read, clean, chunked
extraction, merge; ``--with-exports`` also writes the Turtle) and its peak resident memory is
read from the kernel (``ru_maxrss``). What matters is the ratio: with chunked parsing the peak
should hardly grow with the article's size, apart from the triples and graph themselves.

Usage::

    python -m benchmarks.large_document                  # 0.25 MB baseline vs 2 MB
    python -m benchmarks.large_document --mb 20          # the 20 MB target (tens of minutes)
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def write_article(path: Path, megabytes: float) -> int:
    """Write an article of about ``megabytes`` MB of the sample paragraphs; return its size."""
    paragraphs = [p for f in sorted((ROOT / "inputs").glob("*.txt"))
                  for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    target = int(megabytes * 1_000_000)
    parts, size = [], 0
    while size < target:
        paragraph = paragraphs[len(parts) % len(paragraphs)]
        parts.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
    path.write_text("\n\n".join(parts), encoding="utf-8")
    return path.stat().st_size


def _measure(article: str, out: str, with_exports: bool) -> None:
    """Run in the child process: build, then print the figures as JSON."""
    from graph.build import BuildReport, build, collect_documents, merge_documents

    start = time.perf_counter()
    if with_exports:
        report = build([article], out, formats=["ttl"], progress=False)
    else:
        report = BuildReport()
        documents = collect_documents([Path(article)], report)
        merge_documents(documents, report)
    print(json.dumps({"seconds": round(time.perf_counter() - start, 1),
                      "triples": report.triples,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


def run(megabytes: float, with_exports: bool) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / "large.txt"
        size = write_article(article, megabytes)
        child = subprocess.run(
            [sys.executable, "-c", "import sys; from benchmarks.large_document import _measure; "
             "_measure(sys.argv[1], sys.argv[2], sys.argv[3] == '1')",
             str(article), str(Path(folder) / "out"), "1" if with_exports else "0"],
            cwd=ROOT, capture_output=True, text=True, check=True)
        return {"bytes": size, **json.loads(child.stdout.splitlines()[-1])}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.large_document",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-mb", type=float, default=0.25)
    parser.add_argument("--mb", type=float, default=2.0)
    parser.add_argument("--with-exports", action="store_true",
                        help="also write the Turtle export (rdflib holds every statement)")
    args = parser.parse_args(argv)
    baseline = run(args.baseline_mb, args.with_exports)
    large = run(args.mb, args.with_exports)
    for name, figures in (("baseline", baseline), ("large", large)):
        print(f"{name:8} {figures['bytes'] / 1e6:6.2f} MB  {figures['seconds']:7.1f} s  "
              f"{figures['triples']:7} triples  peak {figures['peak_mb']:5} MB")
    print(f"size x{large['bytes'] / baseline['bytes']:.1f}: time "
          f"x{large['seconds'] / baseline['seconds']:.1f}, peak memory "
          f"x{large['peak_mb'] / baseline['peak_mb']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
