"""Reading article files: ids, titles, and clear errors for what is not an article."""

from __future__ import annotations

import codecs

import pytest

from extractors.documents import find_documents, read_document, read_documents
from extractors.errors import InputError


def test_reads_utf8_with_bom_and_keeps_text_exactly(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF8 + "Ant Group’s fine\n\nRegulators fined it.".encode())
    document = read_document(path, tmp_path)
    assert document.doc_id == "a"
    assert document.text == "Ant Group’s fine\n\nRegulators fined it."
    assert document.title == "Ant Group’s fine"


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "is empty"),
    (b"  \n\t\n", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is binary"),
    (b"caf\xe9 au lait", "is not valid UTF-8"),
])
def test_bad_files_raise_input_error_naming_the_file(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        read_document(path, tmp_path)
    assert str(path) in str(caught.value)
    assert reason in str(caught.value)


def test_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        find_documents(tmp_path / "nope")


def test_folders_are_searched_recursively_in_stable_order(tmp_path):
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "b.txt").write_text("B fined C.")
    (tmp_path / "a.md").write_text("A fined B.")
    (tmp_path / "README.md").write_text("About this folder.")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    assert [d.doc_id for d in read_documents(tmp_path)] == ["a", "z/b"]
