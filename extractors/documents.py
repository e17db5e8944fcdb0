"""Articles on disk: find them, read them, and refuse what is not an article, clearly.

A ``Document`` is the text of one article exactly as read, with its id and metadata. Every
character offset of every triple points into ``Document.text``:

* ``.txt`` / ``.md``: the file's characters after decoding (a byte-order mark is not a
  character of the text), so ``text[start:end]`` can be checked against the file itself.
* ``.html`` / ``.htm``: the main text that trafilatura extracts from the page (navigation,
  footers and comments left out), one paragraph per line; title, date and URL come from the
  page's markup.
* ``.jsonl``: the value of each line's ``text`` field.

Reading never guesses silently: what cannot be read raises an ``InputError`` naming the file
(and line) and the problem; the encoding that was assumed is recorded on the document.
"""

from __future__ import annotations

import codecs
import email.utils
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

from extractors.errors import InputError

#: File suffixes read as plain-text articles.
TEXT_SUFFIXES = {".txt", ".md"}
#: File suffixes read as saved web pages.
HTML_SUFFIXES = {".html", ".htm"}
#: File suffixes read as one article per line of JSON.
JSONL_SUFFIXES = {".jsonl"}
#: Every suffix a folder is searched for.
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
#: Files in an input folder that document the folder rather than being articles.
NOT_ARTICLES = {"readme", "sources", "license", "licence", "changelog"}
#: Refuse text and HTML files larger than this: almost certainly not one article. JSON-lines
#: files are streamed line by line and may be of any size.
MAX_BYTES = 50_000_000
_TITLE_MAX_CHARS = 200

#: File signatures of the binary formats people most often drop into an article folder.
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"%PDF-", 0, "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"II*\x00", 0, "a TIFF image"),
    (b"MM\x00*", 0, "a TIFF image"),
    (b"RIFF", 0, "a RIFF media file (WebP, WAV or AVI)"),
    (b"ftyp", 4, "an MP4/MOV/HEIC media file"),
    (b"PK\x03\x04", 0, "a ZIP archive (or a .docx/.epub, which are ZIP archives)"),
    (b"PK\x05\x06", 0, "an empty ZIP archive"),
    (b"\x1f\x8b", 0, "a gzip archive"),
    (b"BZh", 0, "a bzip2 archive"),
    (b"\xfd7zXZ\x00", 0, "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "a RAR archive"),
    (b"ustar", 257, "a tar archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "a legacy Microsoft Office document"),
    (b"{\\rtf", 0, "an RTF document"),
    (b"\x7fELF", 0, "an executable program"),
)
#: Byte-order marks, longest first (the UTF-32 LE mark begins with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: The legacy encoding English news files are most often in; preferred among the detector's
#: least messy guesses (it otherwise picks e.g. cp1250 and turns "naïve" into "naďve").
_WESTERN_LEGACY = "cp1252"
#: Legacy single-byte encodings considered when a file is not UTF-8. Multi-byte legacy codecs
#: (Shift-JIS, Big5, GB18030) are left out: they "decode" any Western text with a few accents.
_SINGLE_BYTE = [
    "cp1252", "latin_1", "iso8859_15", "cp1250", "iso8859_2", "cp1251", "koi8_r", "koi8_u",
    "iso8859_5", "cp1253", "iso8859_7", "cp1254", "iso8859_9", "cp1257", "iso8859_13",
    "mac_roman", "cp437", "cp850",
]
#: A well-formed multi-byte UTF-8 character; unlikely by chance in a legacy single-byte file.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                            rb"|[\xf0-\xf4][\x80-\xbf]{3}")
#: Characters no article text contains: C0 controls other than tab, line feed, vertical tab,
#: form feed and carriage return; DEL; C1 controls; unpaired surrogates (from JSON escapes).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Document:
    """One article: id, full text, and metadata where known.

    ``source`` is the file the article came from, relative to the folder that was read
    (``file.jsonl:3`` for line 3 of a JSON-lines file); ``date`` is ISO 8601 (``2023-07-13``)
    when the input's date could be read as one, else as given; ``url`` is an absolute http(s)
    address, percent-encoded where the input had characters an IRI may not hold; ``encoding``
    is the Python codec the bytes were decoded with.
    """

    doc_id: str
    text: str
    title: str | None = None
    source: str | None = None
    date: str | None = None
    url: str | None = None
    encoding: str = "utf-8"

    def metadata(self) -> dict[str, str | None]:
        """What the graph and its exports keep about the document (the encoding is a detail
        of reading, reported by the build).

        >>> Document("a", "Text.", title="A", source="a.txt").metadata()
        {'title': 'A', 'source': 'a.txt', 'date': None, 'url': None}
        """
        return {"title": self.title, "source": self.source, "date": self.date, "url": self.url}


def find_documents(path: Path) -> list[Path]:
    """The article files under ``path`` (a file or a folder, searched recursively), sorted.

    A file named explicitly is always returned, whatever its suffix; in a folder only files
    with an article suffix are, including broken symbolic links (so that reading reports them).
    Symbolic links to folders are not followed, so a link loop cannot hang the search.
    """
    if not path.exists():
        if path.is_symlink():
            raise InputError(str(path), _broken_link_reason(path), kind="broken link")
        raise InputError(str(path), "no such file or folder", kind="missing")
    if not path.is_dir():
        return [path]
    found = []
    for folder, subfolders, files in os.walk(path):
        subfolders.sort()
        for name in files:
            candidate = Path(folder, name)
            if (candidate.suffix.lower() in ARTICLE_SUFFIXES
                    and candidate.stem.lower() not in NOT_ARTICLES):
                found.append(candidate)
    if not found:
        suffixes = ", ".join(sorted(ARTICLE_SUFFIXES))
        raise InputError(str(path), f"contains no article files ({suffixes})",
                         kind="no articles")
    return sorted(found)


def read_file(
    path: Path, root: Path | None = None, *, on_error: Callable[[InputError], None] | None = None
) -> list[Document]:
    """The articles of one file: one for text and HTML files, one per line for JSON lines.

    Raises ``InputError`` when the file as a whole cannot be read. A bad line of a JSON-lines
    file is passed to ``on_error`` (raised when there is none) and the other lines are read.
    """
    if path.suffix.lower() in JSONL_SUFFIXES:
        return list(_read_jsonl(path, root, on_error))
    return [read_document(path, root)]


def read_document(path: Path, root: Path | None = None) -> Document:
    """Read one text or HTML article file.

    The document id is the path relative to ``root`` without its suffix, so ids are stable
    wherever the build runs.
    """
    text, encoding = _read_text(path)
    relative = _relative(path, root)
    common = {"doc_id": relative.with_suffix("").as_posix(), "source": relative.as_posix(),
              "encoding": encoding}
    if path.suffix.lower() in HTML_SUFFIXES:
        return _from_html(text, str(path), **common)
    return Document(text=text, title=_headline(text, markdown=path.suffix.lower() == ".md"),
                    **common)


def read_documents(path: Path) -> Iterator[Document]:
    """Every article under ``path``, in a stable order; the first bad input raises."""
    root = path if path.is_dir() else path.parent
    for file in find_documents(path):
        yield from read_file(file, root)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode the bytes of a text file; return the text and the codec assumed.

    A byte-order mark decides (UTF-8, UTF-16, UTF-32); without one, UTF-8 is tried first and
    then legacy encodings are detected with charset-normalizer.

    >>> decode("naïve".encode("utf-16"), "a.txt")
    ('naïve', 'utf-16')
    >>> decode("The café’s owner said.".encode("cp1252"), "a.txt")
    ('The café’s owner said.', 'cp1252')
    """
    if not data:
        raise InputError(name, "is empty", kind="empty")
    _check_signature(data, name)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise InputError(name, f"starts with a {codec.upper()} byte-order mark but is "
                                       f"not valid {codec.upper()} (byte {exc.start})",
                                 kind="encoding") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if b"\x00" in data:
        return _decode_utf16_without_bom(data, name)
    return _detect_legacy(data, name, utf8_error)


def _decode_utf16_without_bom(data: bytes, name: str) -> tuple[str, str]:
    """UTF-16 text saved without a mark has a NUL in every other byte; anything else is binary."""
    half = len(data) // 2
    for codec, zeros in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if len(data) % 2 == 0 and zeros.count(0) > half * 0.9:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                break
    raise InputError(name, "is binary (contains NUL bytes), not text", kind="binary")


def _detect_legacy(data: bytes, name: str, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    if _UTF8_SEQUENCE.search(data):
        raise InputError(name, f"is not valid UTF-8 at byte {utf8_error.start}, yet holds UTF-8 "
                               "characters elsewhere (mixed encodings); save it as UTF-8",
                         kind="encoding")
    matches = from_bytes(data, cp_isolation=_SINGLE_BYTE)
    best = matches.best()
    if best is None:
        raise InputError(name, f"is neither UTF-8 (byte {utf8_error.start}) nor text in any "
                               "encoding charset-normalizer knows", kind="encoding")
    # Coherence (a language guess) is unreliable on a short article; mess is not.
    least_mess = min(m.chaos for m in matches)
    codec = best.encoding
    if any(_WESTERN_LEGACY in m.could_be_from_charset for m in matches if m.chaos == least_mess):
        codec = _WESTERN_LEGACY
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        return data.decode(best.encoding), best.encoding


def check_text(text: str, name: str) -> str:
    """Refuse text that is blank or holds control characters; return it unchanged otherwise.

    >>> check_text("Regulators fined\\x07 Ant Group.", "a.txt")
    Traceback (most recent call last):
    ...
    extractors.errors.InputError: a.txt: contains control character U+0007 at line 1, \
column 17; not plain text
    """
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise InputError(name, f"contains control character U+{ord(bad.group()):04X} at line "
                               f"{line}, column {column}; not plain text",
                         kind="control characters")
    if not text.strip():
        raise InputError(name, "is empty", kind="empty")
    return text


def _read_text(path: Path) -> tuple[str, str]:
    name = _check_file(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(name, f"is {size:,} bytes, more than the limit of {MAX_BYTES:,}",
                             kind="too large")
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(name, exc) from exc
    text, encoding = decode(data, name)
    return check_text(text, name), encoding


def _check_file(path: Path) -> str:
    """Refuse what is not a regular file before opening it; return the name to report."""
    name = str(path)
    if path.is_symlink() and not path.exists():
        raise InputError(name, _broken_link_reason(path), kind="broken link")
    if path.is_dir():
        raise InputError(name, "is a folder where a file was expected", kind="unreadable")
    if path.exists() and not path.is_file():
        raise InputError(name, "is not a regular file (a device, pipe or socket)",
                         kind="unreadable")
    return name


def _unreadable(name: str, exc: OSError) -> InputError:
    return InputError(name, f"cannot be read ({exc.strerror or exc})", kind="unreadable")


def _check_signature(data: bytes, name: str) -> None:
    for signature, offset, what in _SIGNATURES:
        if data[offset:offset + len(signature)] == signature:
            raise InputError(name, f"is {what}, not text", kind="binary")


def _broken_link_reason(path: Path) -> str:
    return f"is a broken symbolic link (its target {os.readlink(path)} does not exist)"


def _relative(path: Path, root: Path | None) -> Path:
    if root and path != root and path.is_relative_to(root):
        return path.relative_to(root)
    return Path(path.name)


def _headline(text: str, *, markdown: bool = False) -> str | None:
    """The first line when it reads as a headline: short and without final punctuation."""
    first = text.lstrip().split("\n", 1)[0].strip()
    if markdown:
        first = first.lstrip("#").strip()
    if first and len(first) <= _TITLE_MAX_CHARS and first[-1] not in ".!?:;,\"”'’":
        return first
    return None


def _from_html(page: str, name: str, **common: str) -> Document:
    import trafilatura

    # Only dates the page's markup states (no guessing from the text), and no upper bound set
    # to today's date, so that the same page always gives the same metadata.
    dates = {"extensive_search": False, "original_date": True, "max_date": "9999-12-31"}
    try:
        extracted = trafilatura.bare_extraction(
            page, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params=dates)
    except Exception as exc:  # trafilatura and lxml raise many types on malformed pages
        raise InputError(name, f"is not an HTML page trafilatura can read ({exc})",
                         kind="unreadable") from exc
    text = (extracted.text or "") if extracted is not None else ""
    if not text.strip():
        raise InputError(name, "has no article text that trafilatura could extract",
                         kind="empty")
    return Document(text=check_text(text, name), title=_field(extracted.title),
                    date=iso_date(extracted.date), url=web_address(extracted.url), **common)


def _read_jsonl(path: Path, root: Path | None,
                on_error: Callable[[InputError], None] | None) -> Iterator[Document]:
    """Stream a JSON-lines file: UTF-8 as JSON requires (RFC 8259), any size, line by line.

    Lines are split at line feeds only: a JSON string may hold U+2028 or a form feed.
    """
    name = _check_file(path)
    relative = _relative(path, root)
    stem = relative.with_suffix("").as_posix()
    found = False
    try:
        with path.open("rb") as file:
            head = file.read(512)
            _check_signature(head, name)
            if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise InputError(name, "is UTF-16 or UTF-32; JSON lines must be UTF-8",
                                 kind="encoding")
            file.seek(len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0)
            for number, raw in enumerate(file, start=1):
                if not raw.strip():
                    continue
                found = True
                try:
                    yield _from_json_line(raw, f"{path}:{number}", stem, number,
                                          f"{relative.as_posix()}:{number}")
                except InputError as error:
                    if on_error is None:
                        raise
                    on_error(error)
    except OSError as exc:
        raise _unreadable(name, exc) from exc
    if not found:
        raise InputError(name, "is empty", kind="empty")


def _from_json_line(raw: bytes, name: str, stem: str, number: int, source: str) -> Document:
    try:
        # Lenient on raw tabs and line breaks inside strings, as many exporters write them;
        # control characters are refused on the text itself.
        record = json.loads(raw.rstrip(b"\r\n").decode("utf-8"), strict=False)
    except UnicodeDecodeError as exc:
        raise InputError(name, f"is not valid UTF-8 (byte {exc.start} of the line)",
                         kind="encoding") from exc
    except json.JSONDecodeError as exc:
        raise InputError(name, f"is not valid JSON ({exc.msg} at column {exc.colno})",
                         kind="invalid JSON") from exc
    if not isinstance(record, dict):
        raise InputError(name, f"is a JSON {type(record).__name__}, not an object with a "
                               '"text" field', kind="invalid JSON")
    if "text" not in record:
        raise InputError(name, 'has no "text" field', kind="no text")
    if not isinstance(record["text"], str):
        raise InputError(name, f'has a "text" field that is a JSON '
                               f"{type(record['text']).__name__}, not a string", kind="no text")
    identifier = record.get("id")
    if isinstance(identifier, bool) or not isinstance(identifier, str | int):
        identifier = None
    identifier = _field(str(identifier)) if identifier is not None else None
    return Document(
        doc_id=f"{stem}/{identifier or f'line-{number}'}",
        text=check_text(record["text"], name),
        title=_field(record.get("title")),
        source=source,
        date=iso_date(_field(record.get("date"))),
        url=web_address(_field(record.get("url"))),
    )


def _field(value: object) -> str | None:
    """A metadata string as kept: stripped, control characters replaced, ``None`` if blank."""
    if not isinstance(value, str):
        return None
    value = _CONTROL.sub("\ufffd", value).strip()
    return value or None


def iso_date(value: str | None) -> str | None:
    """An ISO 8601 day for a date given as ISO or as an e-mail/RSS date; other text as given.

    >>> iso_date("2023-07-13T08:30:00Z"), iso_date("Thu, 13 Jul 2023 08:30:00 +0800")
    ('2023-07-13', '2023-07-13')
    >>> iso_date("mid-July")
    'mid-July'
    """
    if not value:
        return None
    if _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return value
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return value


def web_address(value: str | None) -> str | None:
    """An absolute http(s) address, percent-encoded so that it is a valid IRI; else ``None``.

    >>> web_address("https://example.com/a b?q=<x>")
    'https://example.com/a%20b?q=%3Cx%3E'
    >>> web_address("javascript:alert(1)") is None
    True
    """
    if not value or not _WEB_ADDRESS.match(value):
        return None
    return quote(value, safe=":/?#[]@!$&'()*+,;=%~-._")
