"""Exports written from pieces: text, UTF-8 bytes and ranges of another file."""

from __future__ import annotations

import errno
import os

import pytest

from extractors.errors import OutputError
from graph import files
from graph.files import FileRange, write_texts_atomic

SOURCE = "".join(f"line {number}: Zoë\n" for number in range(5000)).encode("utf-8")


@pytest.fixture
def source(tmp_path):
    path = tmp_path / "previous.ttl"
    path.write_bytes(SOURCE)
    fd = os.open(path, os.O_RDONLY)
    yield fd
    os.close(fd)


def _pieces(fd: int) -> tuple[list, bytes]:
    """Pieces of every kind, ranges side by side and apart, and the bytes they make."""
    ranges = [(0, 10), (10, 5000), (5010, 7), (60000, 100), (20, 3)]
    pieces: list = ["prefix é\n", b"bytes\n"]
    expected = b"prefix \xc3\xa9\nbytes\n"
    for start, size in ranges:
        pieces.append(FileRange(fd, start, size))
        expected += SOURCE[start:start + size]
    pieces.append("end\n")
    return pieces, expected + b"end\n"


def test_pieces_of_every_kind_are_written_in_order(tmp_path, source):
    pieces, expected = _pieces(source)
    write_texts_atomic({tmp_path / "graph.ttl": pieces})
    assert (tmp_path / "graph.ttl").read_bytes() == expected


def test_ranges_are_copied_a_chunk_at_a_time_and_leave_the_page_cache(tmp_path, source,
                                                                     monkeypatch):
    """The previous export's pages are dropped from the page cache as they are copied
    (``files._copy_range``): the new file replaces it."""
    monkeypatch.setattr(files, "_COPY_BYTES", 4096)
    dropped = []

    def recorded(fd, start, size, advice):
        dropped.append((fd, start, size, advice))

    monkeypatch.setattr(os, "posix_fadvise", recorded)
    pieces, expected = _pieces(source)
    write_texts_atomic({tmp_path / "graph.ttl": pieces})
    assert (tmp_path / "graph.ttl").read_bytes() == expected
    assert dropped == [(source, start, size, os.POSIX_FADV_DONTNEED) for start, size in
                       [(0, 4096), (4096, 921), (60000, 100), (20, 3)]]


def test_a_range_read_leaves_the_page_cache(source, monkeypatch):
    dropped = []
    monkeypatch.setattr(os, "posix_fadvise", lambda *advice: dropped.append(advice))
    assert files.read_range(FileRange(source, 10, 5000)) == SOURCE[10:5010]
    assert dropped == [(source, 10, 5000, os.POSIX_FADV_DONTNEED)]
    # as much as the file holds; nothing from a file that cannot be read
    assert files.read_range(FileRange(source, len(SOURCE) - 4, 100)) == SOURCE[-4:]
    assert files.read_range(FileRange(-1, 0, 10)) == b""


def test_ranges_side_by_side_are_copied_as_one():
    pieces = [FileRange(3, 0, 10), FileRange(3, 10, 5), b"x", FileRange(3, 15, 1),
              FileRange(4, 16, 1), FileRange(4, 17, 2)]
    assert list(files._joined_ranges(pieces)) == [
        FileRange(3, 0, 15), b"x", FileRange(3, 15, 1), FileRange(4, 16, 3)]


@pytest.mark.parametrize("failure", ["missing", "other file system"])
def test_ranges_are_read_and_written_where_the_kernel_cannot_copy(tmp_path, source,
                                                                   monkeypatch, failure):
    if failure == "missing":  # not Linux
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    else:
        def refused(*args, **kwargs):
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        monkeypatch.setattr(os, "copy_file_range", refused)
    pieces, expected = _pieces(source)
    write_texts_atomic({tmp_path / "graph.ttl": pieces})
    assert (tmp_path / "graph.ttl").read_bytes() == expected


def test_range_past_the_end_of_its_file_leaves_the_export_as_it_was(tmp_path, source):
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"the previous export\n")
    with pytest.raises(OutputError, match="cannot write the export"):
        write_texts_atomic({target: [b"a", FileRange(source, len(SOURCE) - 5, 10)]})
    assert target.read_bytes() == b"the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl", "previous.ttl"]


def test_pieces_that_fail_while_made_leave_every_file_as_it_was(tmp_path):
    """Pieces made as they are written (the Turtle export's): a failure half-way through
    leaves the previous exports, all of them, and no temporary file."""
    turtle, view = tmp_path / "graph.ttl", tmp_path / "graph.html"
    turtle.write_text("previous graph", encoding="utf-8")
    view.write_text("previous view", encoding="utf-8")

    def pieces():
        yield "the default graph\n"
        yield b"a document\n"
        raise RuntimeError("the writer of the next document failed")

    with pytest.raises(RuntimeError, match="next document"):
        write_texts_atomic({turtle: pieces(), view: "new view"})
    assert turtle.read_text(encoding="utf-8") == "previous graph"
    assert view.read_text(encoding="utf-8") == "previous view"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["graph.html", "graph.ttl"]
