"""Writing exports so that a reader never sees half a file and two builds never interleave.

Every export is written to a temporary file beside its target, flushed to disk, then renamed
over the target (``os.replace`` is atomic on POSIX). A build killed at any moment, even with
SIGKILL, leaves each export either as it was or as the new build wrote it, never half-written;
the temporary files such a kill leaves behind are removed by the next build into the folder.

A build holds an exclusive ``flock`` on :data:`LOCK_NAME` in its output folder from before it
extracts until its exports are in place, then removes the file. The kernel releases the lock
when the process ends, however it ends, so a killed build leaves at most an unlocked file,
which the next build takes over.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from extractors.errors import OutputError

#: The lock file in an output folder while a build writes to it; it holds the builder's pid.
LOCK_NAME = ".newsgraph.lock"
_TEMPORARY_SUFFIX = ".tmp"
#: Characters of a text encoded and written at a time.
_SLICE = 1 << 20


class FileRange(NamedTuple):
    """Bytes of the export that the new one replaces, as a piece of the new one
    (``write_texts_atomic``): ``size`` bytes from ``start`` of the file open as ``fd``. A
    rebuild's Turtle takes the pieces it did not change from the previous export this way
    (``graph.cache.TurtleBlocks``): the kernel copies them, and they never pass through this
    process (and leave the page cache as they are copied: ``_copy_range``)."""

    fd: int
    start: int
    size: int


#: What an export may be written from: text, or pieces of text, UTF-8 bytes (``bytes``, or a
#: ``memoryview`` of bytes elsewhere in memory) and file ranges, each written as it is taken
#: (an iterator's pieces may be made then, and let go once written).
Pieces = Iterable["str | bytes | memoryview | FileRange"]


def piece_size(piece: bytes | memoryview | FileRange) -> int:
    """The bytes a piece already encoded, or a file range, takes in the file.

    >>> piece_size("Zoë".encode()), piece_size(FileRange(0, 10, 5))
    (4, 5)
    """
    return piece.size if type(piece) is FileRange else len(piece)


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text to a temporary file beside ``path``, then rename it into place.

    A build killed at any moment leaves either the old file or the new one, never a mix.
    """
    write_texts_atomic({path: text})


def write_texts_atomic(texts: Mapping[Path, str | Pieces]) -> None:
    """Write several files, each text whole or in pieces (text, text already encoded as
    UTF-8, or a :class:`FileRange`): every temporary file first, then every rename.

    The renames follow each other within microseconds, so that a killed build leaves the
    previous set of exports or the new one; each file is whole in every case.
    """
    temporaries: dict[Path, str] = {}
    try:
        for path, text in texts.items():
            temporaries[path] = _write_temporary(path, text)
        for path, temporary in temporaries.items():
            os.replace(temporary, path)
        for folder in {path.parent for path in texts}:
            _sync_folder(folder)
    except OSError as exc:
        raise OutputError(f"{exc.filename or next(iter(texts), '')}: cannot write the export "
                          f"({exc.strerror or exc})") from exc
    finally:
        for temporary in temporaries.values():
            Path(temporary).unlink(missing_ok=True)


def _write_temporary(path: Path, text: str | Pieces) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TEMPORARY_SUFFIX,
                                         dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            # Each piece encoded on its own (a text in slices, so that a whole export is
            # never a second time in memory): a text file object joining and encoding them
            # took three times as long for the 300 MB of the BBC corpus's Turtle, and one
            # piece with a non-ASCII character would widen every slice joined with it.
            # Pieces the cache kept come encoded already, or as ranges of the previous export,
            # and those that worker processes wrote encoded, in shared memory
            # (graph.rdf.turtle_by_document).
            pieces = ((text[i:i + _SLICE] for i in range(0, len(text), _SLICE))
                      if isinstance(text, str) else _joined_ranges(text))
            write = file.write
            for piece in pieces:
                if type(piece) is FileRange:
                    file.flush()
                    _copy_range(piece, file.fileno())
                else:
                    write(piece.encode("utf-8") if type(piece) is str else piece)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _joined_ranges(pieces: Pieces) -> Iterator[str | bytes | memoryview | FileRange]:
    """``pieces``, with runs of file ranges that follow each other in one file as one range
    (the documents a rebuild left alone sit side by side in the previous export)."""
    run = None
    for piece in pieces:
        if (type(piece) is FileRange and run is not None and piece.fd == run.fd
                and piece.start == run.start + run.size):
            run = run._replace(size=run.size + piece.size)
            continue
        if run is not None:
            yield run
            run = None
        if type(piece) is FileRange:
            run = piece
        else:
            yield piece
    if run is not None:
        yield run


#: Bytes of a file range copied at a time (:func:`_copy_range`).
_COPY_BYTES = 1 << 23


def _copy_range(piece: FileRange, target: int) -> None:
    """Append ``piece`` to the file open as ``target``: copied by the kernel where it can
    (``copy_file_range``), else read and written. A source shorter than the range is an
    error: the export would be cut.

    The range is of the export the new file replaces (:class:`FileRange`), so the source's
    pages are dropped from the page cache as they are copied: they would be freed when the
    new file takes its name anyway, and the new file's pages reuse them at once. Keeping
    them until then made a rebuild hold the 297 MB of the BBC corpus's Turtle twice, and
    fresh memory is dear on a virtual machine whose host takes back what its guest frees:
    the write of an incremental rebuild took 0.93-1.09 s on this machine, and 0.29-0.31 s
    with the pages dropped (session 15, three rebuilds each, alternating).
    """
    start, left = piece.start, piece.size
    while left:
        size = min(left, _COPY_BYTES)
        try:
            copied = os.copy_file_range(piece.fd, target, size, start)
        except (AttributeError, OSError):  # not Linux, another file system, an old kernel
            copied = os.write(target, os.pread(piece.fd, size, start))
        if not copied:
            raise OSError(f"the previous export ended {left} bytes before the piece it held")
        _drop_cached(piece.fd, start, copied)
        start += copied
        left -= copied


def read_range(piece: FileRange) -> bytes:
    """The bytes of ``piece`` (as many as the file holds), its pages then dropped from the
    page cache as :func:`_copy_range` drops those it copies, for the same reason."""
    try:
        data = os.pread(piece.fd, piece.size, piece.start)
    except OSError:
        return b""
    _drop_cached(piece.fd, piece.start, piece.size)
    return data


def _drop_cached(fd: int, start: int, size: int) -> None:
    """Ask the kernel to drop the cached pages of ``size`` bytes from ``start`` of the file
    open as ``fd`` (a hint: nothing where it cannot be given)."""
    try:
        os.posix_fadvise(fd, start, size, os.POSIX_FADV_DONTNEED)
    except (AttributeError, OSError):  # not on every system and file system
        pass


def remove_stale_temporaries(folder: Path, names: list[str]) -> list[Path]:
    """Delete the temporary files a killed build left for the exports ``names``; list them.

    Only call this while holding the folder's lock: then no other build is writing them.
    """
    stale = sorted(p for name in names for p in folder.glob(f".{name}.*{_TEMPORARY_SUFFIX}"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


@contextmanager
def output_lock(folder: Path, *, wait: bool = True,
                on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock; create the folder if needed.

    When another build holds it, wait for it (telling ``on_wait`` why) or, with
    ``wait=False``, raise ``OutputError``. The lock file is removed on release, so a folder
    holds only exports between builds.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot use it as the output folder "
                          f"({exc.strerror or exc})") from exc
    handle = _acquire(folder / LOCK_NAME, wait, on_wait)
    try:
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
        # Removed while still held: a build waiting on this file finds it gone and retries.
        (folder / LOCK_NAME).unlink(missing_ok=True)
    finally:
        os.close(handle)


def _acquire(path: Path, wait: bool, on_wait: Callable[[str], None] | None) -> int:
    """Open and lock ``path``; retry when the file was removed by its holder meanwhile."""
    told = False
    while True:
        try:
            handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666 & ~_umask())
        except OSError as exc:
            raise OutputError(f"{path.parent}: cannot use it as the output folder "
                              f"({exc.strerror or exc})") from exc
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode("ascii", "replace").strip() or "unknown"
            busy = f"{path.parent}: another build (pid {holder}) is writing to this folder"
            if not wait:
                os.close(handle)
                raise OutputError(f"{busy}; try again when it has finished") from None
            if on_wait and not told:
                on_wait(f"{busy}; waiting for it to finish")
                told = True
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            current = os.stat(path).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(handle).st_ino:
            os.ftruncate(handle, 0)
            return handle
        os.close(handle)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the renames) to disk."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _umask() -> int:
    """The process umask (read by setting and restoring it; there is no getter)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
