"""Articles on disk: find them, read them, and refuse what is not an article, clearly.

A ``Document`` is the text of one article exactly as read (offsets of every triple point into
it) with its id and metadata. Reading never guesses silently: what cannot be read raises an
``InputError`` naming the file and the problem.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from extractors.errors import InputError

#: File suffixes read as plain-text articles.
TEXT_SUFFIXES = {".txt", ".md"}
#: Files in an input folder that document the folder rather than being articles.
NOT_ARTICLES = {"readme", "sources", "license", "licence", "changelog"}
#: Refuse single files larger than this: almost certainly not one article.
MAX_BYTES = 50_000_000
_TITLE_MAX_CHARS = 200


@dataclass(frozen=True, slots=True)
class Document:
    """One article: id, full text, and metadata where known."""

    doc_id: str
    text: str
    title: str | None = None
    source: str | None = None


def find_documents(path: Path) -> list[Path]:
    """The article files under ``path`` (a file or a folder, searched recursively), sorted."""
    if not path.exists():
        raise InputError(str(path), "no such file or folder")
    if path.is_file():
        return [path]
    return sorted(
        p for p in path.rglob("*")
        if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and p.stem.lower() not in NOT_ARTICLES
    )


def read_document(path: Path, root: Path | None = None) -> Document:
    """Read one article file as UTF-8 (a byte-order mark is dropped).

    The document id is the path relative to ``root`` without its suffix, so ids are stable
    wherever the build runs.
    """
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror or exc})") from exc
    if len(data) > MAX_BYTES:
        raise InputError(name, f"is {len(data):,} bytes, more than the limit of {MAX_BYTES:,}")
    if b"\x00" in data[:8192]:
        raise InputError(name, "is binary (contains NUL bytes), not text")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(name, f"is not valid UTF-8 (byte {exc.start})") from exc
    if not text.strip():
        raise InputError(name, "is empty")
    relative = path.relative_to(root) if root and path != root else Path(path.name)
    return Document(
        doc_id=relative.with_suffix("").as_posix(),
        text=text,
        title=_headline(text),
        source=relative.as_posix(),
    )


def _headline(text: str) -> str | None:
    """The first line when it reads as a headline: short and without final punctuation."""
    first = text.lstrip().split("\n", 1)[0].strip()
    if first and len(first) <= _TITLE_MAX_CHARS and first[-1] not in ".!?:;,\"”'’":
        return first
    return None


def read_documents(path: Path) -> Iterator[Document]:
    """Every article under ``path``, in a stable order."""
    root = path if path.is_dir() else path.parent
    for file in find_documents(path):
        yield read_document(file, root)
