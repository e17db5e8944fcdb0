"""What a build says while it runs: a progress bar on a terminal, nothing otherwise, and a
one-line summary."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from graph.build import _progress

ROOT = Path(__file__).resolve().parents[2]


def _build_with_stderr_on_a_terminal(*args: str) -> str:
    """Run ``newsgraph build`` with stderr on a pseudo-terminal; return what it showed."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-m", "graph.cli", "build", *args],
                                   cwd=ROOT, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=terminal)
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closed: the build has exited
                break
            if not chunk:
                break
            shown += chunk
        assert process.wait(timeout=600) == 0, shown.decode(errors="replace")
    finally:
        os.close(controller)
    return shown.decode("utf-8", errors="replace")


@pytest.mark.parametrize(("quiet", "bar"), [([], True), (["--quiet"], False)])
def test_progress_bar_on_a_terminal_unless_quiet(tmp_path, quiet, bar):
    shown = _build_with_stderr_on_a_terminal("inputs/", "--out", str(tmp_path), "--no-cache",
                                             *quiet)
    assert ("building: 100%" in shown and "6/6 documents" in shown
            and "words/s" in shown) is bar
    assert "newsgraph: built 6 document(s), " in shown
    assert " entities, " in shown and " facts in " in shown


def test_progress_bar_leaves_no_thread_behind(monkeypatch):
    """The Turtle export forks its writers after the bar is gone: no thread of the bar may
    still run then (tqdm's monitor thread outlives its bars)."""
    before = set(threading.enumerate())
    controller, terminal = pty.openpty()
    try:
        with open(terminal, "w", encoding="utf-8") as stderr:
            monkeypatch.setattr(sys, "stderr", stderr)
            stream = [("a", []), ("b", [])]
            assert list(_progress(iter(stream), [("a", "It rained."), ("b", "It snowed.")],
                                  show=True)) == stream
    finally:
        os.close(controller)
    assert set(threading.enumerate()) == before
