"""Nothing is lost: builds killed with SIGKILL, builds racing for one folder, determinism.

Every test runs the real command in separate processes on copies of the sample articles.
"""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import rdflib

from graph.files import LOCK_NAME

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ROOT / "inputs"
ARTICLES = sorted(INPUTS.glob("*.txt"))
#: Export formats this checkout can write (the HTML view lives in graph/html.py).
FORMATS = "ttl,html" if (ROOT / "graph" / "html.py").exists() else "ttl"
COPIES = 5


class Build:
    """A ``newsgraph build`` running in the background, its stderr collected as it comes.

    Its stderr is a pseudo-terminal, as for a person at a shell, so that it shows the
    progress bar the tests use to know how far it has got.
    """

    def __init__(self, *args: str) -> None:
        self._controller, terminal = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graph.cli", "build", *args, "--format", FORMATS],
            cwd=ROOT, stdin=subprocess.DEVNULL, stderr=terminal, stdout=subprocess.DEVNULL)
        os.close(terminal)
        self._stderr = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        try:
            while chunk := os.read(self._controller, 4096):
                self._stderr.extend(chunk)
        except OSError:  # the terminal closed: the build has exited
            pass
        finally:
            os.close(self._controller)

    @property
    def stderr(self) -> str:
        return self._stderr.decode("utf-8", "replace")

    def wait_for(self, text: str, timeout: float = 120) -> None:
        """Wait until stderr shows ``text`` (a regular expression)."""
        deadline = time.monotonic() + timeout
        while not re.search(text, self.stderr):
            assert self.process.poll() is None, f"build ended before {text!r}: {self.stderr}"
            assert time.monotonic() < deadline, f"no {text!r} in {self.stderr}"
            time.sleep(0.005)

    def finish(self) -> int:
        code = self.process.wait(timeout=600)
        self._reader.join(timeout=10)
        return code


def run_build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph.cli", "build", *args, "--format",
                           FORMATS, "--quiet"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def exports(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if not p.name.startswith(".")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The sample articles, five times over in five folders: a build of a few seconds. Each
    copy ends with a line of its own, since a build extracts a repeated text only once."""
    folder = tmp_path_factory.mktemp("corpus")
    for copy in range(COPIES):
        (folder / f"copy{copy}").mkdir()
        for article in ARTICLES:
            text = article.read_text(encoding="utf-8")
            (folder / f"copy{copy}" / article.name).write_text(
                f"{text}\n\nThis is copy {copy} of the article.\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> dict[str, bytes]:
    """The exports of an earlier, smaller build: what a killed build must leave in place."""
    out = tmp_path_factory.mktemp("previous")
    result = run_build(str(ARTICLES[0]), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return exports(out)


@pytest.fixture(scope="module")
def complete(tmp_path_factory, corpus) -> dict[str, bytes]:
    """The exports of an uninterrupted build of ``corpus``."""
    out = tmp_path_factory.mktemp("complete")
    result = run_build(str(corpus), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return exports(out)


def _valid(folder: Path) -> None:
    rdflib.Graph().parse(folder / "graph.ttl", format="turtle")


def _kill_when(point: str, build: Build, out: Path) -> None:
    total = COPIES * len(ARTICLES)
    if point == "starting":
        time.sleep(0.2)
    elif point == "extracting":
        build.wait_for(rf"\| [1-9]\d*/{total}")
        assert f"{total}/{total}" not in build.stderr
    elif point == "exporting":
        build.wait_for(rf"\| {total}/{total}")
    elif point == "renaming":
        build.wait_for(rf"\| {total}/{total}")
        while build.process.poll() is None and not any(
                name.endswith(".tmp") for name in os.listdir(out)):
            pass
    build.process.send_signal(signal.SIGKILL)


@pytest.mark.parametrize("point", ["starting", "extracting", "exporting", "renaming"])
def test_sigkill_leaves_previous_exports_intact(tmp_path, corpus, previous, complete, point):
    out = tmp_path / "out"
    out.mkdir()
    for name, data in previous.items():
        (out / name).write_bytes(data)
    build = Build(str(corpus), "--out", str(out))
    _kill_when(point, build, out)
    code = build.finish()
    left = exports(out)
    if point in ("starting", "extracting"):
        assert left == previous
    else:
        # Killed after its renames, the build has replaced every export; never a mix of files
        # or a half-written one.
        assert code == -signal.SIGKILL or left == complete
        assert left in (previous, complete)
    _valid(out)
    stale = [name for name in os.listdir(out) if name.endswith(".tmp")]
    if point != "renaming":
        return
    # Killed while a temporary file existed: it is still there (or was just renamed, which
    # makes ``left == complete`` above), and the next build clears it and writes everything.
    assert stale or left == complete
    again = run_build(str(corpus), "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert exports(out) == complete
    assert not [name for name in os.listdir(out) if name.endswith(".tmp")]
    for name in stale:
        assert f"newsgraph: note: removed {out / name}, left by a build that was killed" \
            in again.stderr


def test_second_build_refuses_or_waits_never_interleaves(tmp_path, corpus, complete):
    out = tmp_path / "out"
    first = Build(str(corpus), "--out", str(out))
    first.wait_for("building")  # the lock is taken before extraction starts
    assert (out / LOCK_NAME).read_text().strip() == str(first.process.pid)

    refused = run_build(str(ARTICLES[0]), "--out", str(out), "--no-wait")
    assert refused.returncode == 1
    assert (f"newsgraph: error: {out}: another build (pid {first.process.pid}) is writing to "
            "this folder; try again when it has finished") in refused.stderr

    waiting = Build(str(INPUTS), "--out", str(out), "--quiet")
    waiting.wait_for(re.escape(f"newsgraph: note: {out}: another build (pid "
                               f"{first.process.pid}) is writing to this folder; waiting for "
                               "it to finish"))
    assert first.finish() == 0
    assert exports(out) == complete  # the first build's exports, whole
    assert waiting.finish() == 0, waiting.stderr
    reference = tmp_path / "reference"
    assert run_build(str(INPUTS), "--out", str(reference)).returncode == 0
    assert exports(out) == exports(reference)
    assert not (out / LOCK_NAME).exists()  # removed by the last build out


def test_exports_are_identical_across_runs_input_order_and_processes(tmp_path):
    builds = {
        "one process": [str(INPUTS), "-j", "1"],
        "again": [str(INPUTS), "-j", "1"],
        "two processes": [str(INPUTS), "-j", "2"],
        "files in reverse order": [*map(str, reversed(ARTICLES)), "-j", "1"],
    }
    results = {}
    for name, args in builds.items():
        out = tmp_path / name.replace(" ", "-")
        result = run_build(*args, "--out", str(out))
        assert result.returncode == 0, result.stderr
        results[name] = exports(out)
    reference = results.pop("one process")
    for name, found in results.items():
        assert found == reference, name
