"""What a new page of memory costs on this machine, fresh and copied after a fork.

The two-process Turtle export and the write stage take new memory fast (copy-on-write pages
of forked writers, the page cache of a 300 MB export), and on a virtual machine that gives
free memory back to its host (free page reporting, a balloon) a page the host must back
again costs several times what a page freed a moment ago does. This measures both, so that
figures of those stages can be read against the machine they were taken on
(docs/performance.md, "What is still in the way"):

* ``copied`` (first, as the pages freed by ``fresh`` would still be backed): a parent writes
  ``--copied`` MB, then forks a child that writes every page again (each write a
  copy-on-write fault), twice in a row; then the parent writes them while a child lives;
* ``fresh``: one byte written in each 4 KB page of new anonymous memory, in steps of
  100 MB: microseconds per page fault for each step.

Run: ``python -m benchmarks.page_cost [--copied 800] [--fresh 2000]`` (MB).
"""

from __future__ import annotations

import argparse
import mmap
import os
import resource
import time

PAGE = mmap.PAGESIZE
STEP = 100 << 20


def _faults() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def write_pages(buffer: mmap.mmap, start: int, end: int) -> float:
    """Microseconds per minor fault taken writing one byte in each page of ``[start, end)``
    (``nan`` when none was taken)."""
    faults, begun = _faults(), time.perf_counter()
    for offset in range(start, end, PAGE):
        buffer[offset] = 1
    seconds, faults = time.perf_counter() - begun, _faults() - faults
    return seconds / faults * 1e6 if faults else float("nan")


def fresh(megabytes: int) -> list[float]:
    """µs per page of new memory, for each 100 MB step of ``megabytes``."""
    size = max(STEP, megabytes << 20) // STEP * STEP
    buffer = mmap.mmap(-1, size)
    try:
        return [write_pages(buffer, start, start + STEP) for start in range(0, size, STEP)]
    finally:
        buffer.close()


def copied(megabytes: int) -> dict[str, float]:
    """µs per copy-on-write fault: two children forked one after the other, each writing
    every page its parent wrote, and the parent writing them while a child lives."""
    size = max(PAGE, megabytes << 20)
    buffer = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    write_pages(buffer, 0, size)
    found: dict[str, float] = {}
    for name in ("first child", "second child"):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through the pipe
            os.close(read)
            os.write(write, repr(write_pages(buffer, 0, size)).encode())
            os._exit(0)
        os.close(write)
        with os.fdopen(read) as pipe:
            found[name] = float(pipe.read())
        os.waitpid(pid, 0)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - a child that only lives while the parent writes
        os.close(write)
        os.read(read, 1)
        os._exit(0)
    os.close(read)
    try:
        found["parent, a child alive"] = write_pages(buffer, 0, size)
    finally:  # the child ends when the pipe closes
        os.close(write)
        os.waitpid(pid, 0)
        buffer.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fresh", type=int, default=2000, help="MB of new memory to write")
    parser.add_argument("--copied", type=int, default=800,
                        help="MB a parent writes before forking")
    args = parser.parse_args()
    # copies first: fresh pages written just before would be freed and still backed
    for name, cost in copied(args.copied).items():
        print(f"copy-on-write, {name}: {cost:.1f} µs per fault")
    print("fresh pages, µs per fault per 100 MB step:",
          " ".join(f"{cost:.1f}" for cost in fresh(args.fresh)))


if __name__ == "__main__":
    main()
