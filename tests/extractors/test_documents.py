"""Reading article files: formats, encodings, metadata, and clear errors for what is not text."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

from extractors.documents import (
    Document,
    decode,
    find_documents,
    read_document,
    read_documents,
    read_file,
)
from extractors.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
SEED = ROOT / "inputs" / "003_4eda478095a05fe6.txt"
#: Real sentences (Wikinews 2019, CC BY 2.5) with the characters legacy encodings differ on.
WESTERN = ("Glawischnig-Piesczek sued in Austria for defamation and won. The court’s decision "
           "“cannot be appealed”, said Zürich’s café owner – a naïve reading.\n")
RUSSIAN = "Европейский суд постановил, что Facebook должен удалять незаконные публикации.\n" * 3


def test_reads_utf8_with_bom_and_keeps_text_exactly(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF8 + "Ant Group’s fine\n\nRegulators fined it.".encode())
    document = read_document(path, tmp_path)
    assert document == Document(doc_id="a", text="Ant Group’s fine\n\nRegulators fined it.",
                                title="Ant Group’s fine", source="a.txt", encoding="utf-8-sig")


@pytest.mark.parametrize(("data", "text", "encoding"), [
    (WESTERN.encode("utf-8"), WESTERN, "utf-8"),
    (codecs.BOM_UTF8 + WESTERN.encode("utf-8"), WESTERN, "utf-8-sig"),
    (WESTERN.encode("utf-16"), WESTERN, "utf-16"),
    (codecs.BOM_UTF16_BE + WESTERN.encode("utf-16-be"), WESTERN, "utf-16"),
    (WESTERN.encode("utf-32"), WESTERN, "utf-32"),
    (WESTERN.encode("utf-16-le"), WESTERN, "utf-16-le"),
    (WESTERN.encode("cp1252"), WESTERN, "cp1252"),
    (WESTERN.replace("’", "'").replace("“", '"').replace("”", '"').replace("–", "-")
     .encode("latin-1"), WESTERN.replace("’", "'").replace("“", '"').replace("”", '"')
     .replace("–", "-"), "cp1252"),
    (RUSSIAN.encode("koi8-r"), RUSSIAN, "koi8_r"),
    (RUSSIAN.encode("cp1251"), RUSSIAN, "cp1251"),
])
def test_decodes_every_encoding_and_says_which(data, text, encoding):
    assert decode(data, "a.txt") == (text, encoding)


def test_seed_article_in_cp1252_reads_as_in_utf8(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "seed.txt").write_bytes(text.encode("cp1252"))
    document = read_document(tmp_path / "seed.txt", tmp_path)
    assert (document.text, document.encoding) == (text, "cp1252")


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", "Regulators fined Ant Group.")
    return buffer.getvalue()


def _tar() -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        data = b"Regulators fined Ant Group."
        info = tarfile.TarInfo("article.txt")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "reason", "kind"), [
    (b"", "is empty", "empty"),
    (b"  \n\t\n", "is empty", "empty"),
    (codecs.BOM_UTF8, "is empty", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image, not text", "binary"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "is a JPEG image, not text", "binary"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "is a PDF document, not text", "binary"),
    (_zip(), "is a ZIP archive", "binary"),
    (gzip.compress(b"Regulators fined Ant Group."), "is a gzip archive, not text", "binary"),
    (_tar(), "is a tar archive, not text", "binary"),
    (b"\x00\x01\x02\x03\xff\xfe\xfd" * 10, "is binary (contains NUL bytes), not text", "binary"),
    (b"Regulators fined\x00 Ant Group.", "contains control character U+0000 at line 1, "
                                         "column 17", "control characters"),
    (b"Headline\nRegulators \x1b[1mfined\x1b[0m Ant Group.", "contains control character "
                                                            "U+001B at line 2, column 12",
     "control characters"),
    ("caf\u0085".encode(), "contains control character U+0085", "control characters"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8", "starts with a UTF-16 byte-order mark but is not valid "
                                        "UTF-16", "encoding"),
])
def test_bad_files_raise_input_error_naming_the_file(tmp_path, content, reason, kind):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_document(path, tmp_path)
    assert str(caught.value).startswith(f"{path}: ")
    assert reason in str(caught.value)
    assert caught.value.kind == kind


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        find_documents(tmp_path / "nope")


def test_broken_symbolic_links_are_named_with_their_target(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    with pytest.raises(InputError) as caught:
        find_documents(tmp_path / "gone.txt")
    assert str(caught.value) == (f"{tmp_path / 'gone.txt'}: is a broken symbolic link (its "
                                 f"target {tmp_path / 'deleted.txt'} does not exist)")
    assert find_documents(tmp_path) == [tmp_path / "gone.txt"]
    with pytest.raises(InputError, match="broken symbolic link"):
        read_document(tmp_path / "gone.txt", tmp_path)


def test_folders_are_searched_recursively_in_stable_order(tmp_path):
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "b.txt").write_text("B fined C.")
    (tmp_path / "a.md").write_text("# A headline\n\nA fined B.")
    (tmp_path / "README.md").write_text("About this folder.")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / "z" / "loop").symlink_to(tmp_path)
    documents = list(read_documents(tmp_path))
    assert [(d.doc_id, d.title) for d in documents] == [("a", "A headline"), ("z/b", None)]


def test_folder_without_articles_says_which_suffixes_it_looked_for(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7")
    with pytest.raises(InputError, match=r"contains no article files \(\.htm, \.html, \.jsonl, "
                                         r"\.md, \.txt\)"):
        find_documents(tmp_path)


def test_html_page_gives_main_text_title_date_and_url():
    document = read_document(DATA / "wikinews_131.html", DATA)
    assert (document.doc_id, document.source, document.encoding) == (
        "wikinews_131", "wikinews_131.html", "utf-8")
    assert document.title == ("European Court of Justice says Facebook must remove 'illegal' "
                              "posts globally")
    assert document.date == "2019-10-06"
    assert document.url == ("https://en.wikinews.org/wiki/European_Court_of_Justice_says_"
                            "Facebook_must_remove_%27illegal%27_posts_globally")
    lines = document.text.split("\n")
    for paragraph in (ROOT / "inputs" / "wikinews_131.txt").read_text().split("\n\n")[1:]:
        assert " ".join(paragraph.split()) in lines  # trafilatura normalises white space
    for chrome in ("Share this", "Related news", "Main page", "Privacy policy", "Search"):
        assert chrome not in document.text


def test_html_page_without_text_is_refused(tmp_path):
    (tmp_path / "blank.html").write_text('<html><head><title>Photo</title></head><body>'
                                         '<img src="a.png" alt=""><script>track();</script>'
                                         '</body></html>')
    with pytest.raises(InputError, match="has no article text that trafilatura could extract"):
        read_document(tmp_path / "blank.html", tmp_path)


JSONL = [
    {"id": "gt-2023-0713", "title": "China’s Internet stocks jump", "date": "2023-07-13T08:30:00Z",
     "url": "https://www.globaltimes.cn/page/202307/1294233.shtml",
     "text": "China’s Internet shares jumped on Thursday."},
    {"text": "Regulators fined Ant Group.", "date": "Thu, 13 Jul 2023 08:30:00 +0800",
     "url": "not a web address"},
    {"id": 42, "text": "Premier Li Qiang chaired a meeting.", "title": 7},
]


def test_jsonl_gives_one_document_per_line_with_metadata(tmp_path):
    lines = [json.dumps(record, ensure_ascii=False) for record in JSONL]
    (tmp_path / "news.jsonl").write_text("\n".join([lines[0], "", *lines[1:]]) + "\n")
    documents = read_file(tmp_path / "news.jsonl", tmp_path)
    assert documents == [
        Document("news/gt-2023-0713", JSONL[0]["text"], title="China’s Internet stocks jump",
                 source="news.jsonl:1", date="2023-07-13", url=JSONL[0]["url"]),
        Document("news/line-3", JSONL[1]["text"], source="news.jsonl:3", date="2023-07-13"),
        Document("news/42", JSONL[2]["text"], source="news.jsonl:4"),
    ]


@pytest.mark.parametrize(("line", "reason", "kind"), [
    ('{"text": "Regulators fined Ant Group."', "is not valid JSON (Expecting ',' delimiter at "
                                                "column 39)", "invalid JSON"),
    ("Regulators fined Ant Group.", "is not valid JSON (Expecting value at column 1)",
     "invalid JSON"),
    ('["Regulators fined Ant Group."]', "is a JSON list, not an object", "invalid JSON"),
    ('{"title": "Fines", "body": "Regulators fined Ant Group."}', 'has no "text" field',
     "no text"),
    ('{"text": null}', 'has a "text" field that is a JSON NoneType, not a string', "no text"),
    ('{"text": "  "}', "is empty", "empty"),
    ('{"text": "Regulators fined\\u0000 Ant Group."}', "contains control character U+0000",
     "control characters"),
    ('{"text": "Regulators \\ud800 fined Ant Group."}', "contains control character U+D800",
     "control characters"),
])
def test_bad_jsonl_lines_are_reported_and_the_rest_is_read(tmp_path, line, reason, kind):
    path = tmp_path / "news.jsonl"
    path.write_text(f'{{"text": "Li Qiang met executives."}}\n{line}\n')
    errors: list[InputError] = []
    documents = read_file(path, tmp_path, on_error=errors.append)
    assert [d.doc_id for d in documents] == ["news/line-1"]
    assert [(e.source, e.kind) for e in errors] == [(f"{path}:2", kind)]
    assert reason in errors[0].reason
    with pytest.raises(InputError, match=f"{path}:2"):
        read_file(path, tmp_path)


@pytest.mark.parametrize(("content", "reason", "kind"), [
    (b"", "is empty", "empty"),
    (b"\n  \n", "is empty", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is a PNG image, not text", "binary"),
    ('{"text": "Li Qiang met executives."}\n'.encode("utf-16"),
     "is UTF-16 or UTF-32; JSON lines must be UTF-8", "encoding"),
])
def test_jsonl_files_that_hold_no_line_to_read(tmp_path, content, reason, kind):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_file(path, tmp_path, on_error=pytest.fail)
    assert (str(caught.value), caught.value.kind) == (f"{path}: {reason}", kind)


def test_jsonl_is_split_at_line_feeds_only_and_decoded_per_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(codecs.BOM_UTF8
                     + '{"text": "Ant Group was fined.\u2028Alibaba split.\x0c"}\r\n'.encode()
                     + b'{"text": "caf\xe9"}\n')
    errors: list[InputError] = []
    documents = read_file(path, tmp_path, on_error=errors.append)
    assert [d.text for d in documents] == ["Ant Group was fined.\u2028Alibaba split.\x0c"]
    assert [str(e) for e in errors] == [f"{path}:2: is not valid UTF-8 (byte 13 of the line)"]
