"""The ``newsgraph`` command, run as a user runs it: a separate process on real files."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "inputs" / "003_4eda478095a05fe6.txt"
GOOD_SENTENCE = "Regulators fined Ant Group."
#: A real prefix that makes the build unable to read a chmod-000 file even as root: it drops
#: the capabilities that let root ignore file permissions.
WITHOUT_ROOT_READ = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                     "--inh-caps=-dac_override,-dac_read_search", "--"]


def newsgraph(*args: str, cwd: Path = ROOT, prefix: list[str] | None = None
              ) -> subprocess.CompletedProcess:
    return subprocess.run([*(prefix or []), sys.executable, "-m", "graph.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def visible_files(folder: Path) -> list[str]:
    """The exports in a folder (the lock file and other dot files are not exports)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


@pytest.mark.parametrize("command", [[], ["build"], ["entities"], ["html"], ["query"]])
def test_help_on_every_command(command):
    result = newsgraph(*command, "--help")
    assert result.returncode == 0
    assert "usage: newsgraph" in result.stdout


def test_build_reproduces_committed_exports_byte_for_byte(tmp_path):
    result = newsgraph("build", "inputs/", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    # Hidden files are not exports: the extraction cache (graph.cache) lives there too.
    committed = visible_files(ROOT / "exports")
    assert visible_files(tmp_path) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (ROOT / "exports" / name).read_bytes(), (
            f"exports/{name} is stale: run `make run` and commit the result")
    assert "building" not in result.stderr  # no progress bar when stderr is not a terminal
    assert "built 6 document(s), " in result.stderr  # the one-line summary


def test_html_command_draws_one_entity_neighbourhood_from_the_export(tmp_path):
    shutil.copy(ROOT / "exports" / "graph.ttl", tmp_path / "graph.ttl")
    result = newsgraph("html", str(tmp_path / "graph.ttl"), "--focus", "Ant Group",
                       "--depth", "1")
    assert result.returncode == 0, result.stderr
    page = tmp_path / "graph-ant-group.html"
    assert f"newsgraph: wrote {page}" in result.stderr
    html = page.read_text(encoding="utf-8")
    assert "neighbourhood of “Ant Group” within 1 hop" in html
    # The whole view of the same export is bigger than the neighbourhood.
    whole = tmp_path / "whole.html"
    assert newsgraph("html", str(tmp_path / "graph.ttl"), "-o", str(whole)).returncode == 0
    assert len(re.findall(r'"label":', whole.read_text(encoding="utf-8"))) > len(
        re.findall(r'"label":', html))


@pytest.mark.parametrize(("args", "message"), [
    (["--focus", "Nobody Atall"], "no entity matches focus='Nobody Atall'"),
    (["--max-nodes", "0"], "max_nodes must be at least 1"),
])
def test_html_command_refuses_bad_arguments_with_a_message(tmp_path, args, message):
    result = newsgraph("html", "exports/graph.ttl", "-o", str(tmp_path / "x.html"), *args)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.html").exists()


def test_html_command_names_a_file_that_is_not_an_export(tmp_path):
    bad = tmp_path / "notes.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    result = newsgraph("html", str(bad), "-o", str(tmp_path / "x.html"))
    assert result.returncode == 1
    assert f"newsgraph: error: {bad}: is not readable" in result.stderr


# -- one test per kind of bad input: named on stderr with its reason, and the exit status ----

def _unreadable(folder: Path) -> tuple[Path, list[str]]:
    path = folder / "locked.txt"
    path.write_text(GOOD_SENTENCE, encoding="utf-8")
    path.chmod(0)
    if os.geteuid() != 0:
        return path, []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root, which reads chmod-000 files, and setpriv (util-linux) is "
                    "not installed to drop that capability")
    return path, WITHOUT_ROOT_READ


def _write(name: str, content: bytes):
    def make(folder: Path) -> tuple[Path, list[str]]:
        (folder / name).write_bytes(content)
        return folder / name, []
    return make


def _broken_link(folder: Path) -> tuple[Path, list[str]]:
    (folder / "moved.txt").symlink_to(folder / "archive" / "moved.txt")
    return folder / "moved.txt", []


def _missing(folder: Path) -> tuple[Path, list[str]]:
    return folder / "no-such-folder", []


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
       b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe"
       b"\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")

#: kind -> (make the bad input, what stderr says after its path)
BAD_INPUTS = {
    "empty": (_write("empty.txt", b""), ": is empty"),
    "image": (_write("photo.txt", PNG), ": is a PNG image, not text"),
    "pdf": (_write("report.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n"),
            ": is a PDF document, not text"),
    "archive": (_write("articles.txt", gzip.compress(SEED.read_bytes(), mtime=0)),
                ": is a gzip archive, not text"),
    "unreadable": (_unreadable, ": cannot be read (Permission denied)"),
    "broken link": (_broken_link, ": is a broken symbolic link (its target "),
    "invalid JSON": (_write("feed.jsonl", b'{"text": "Regulators fined Ant Group.",}\n'),
                     ":1: is not valid JSON (Expecting property name enclosed in double quotes "
                     "at column 40)"),
    "JSON without text": (_write("feed.jsonl", b'{"title": "Ant Group fined", "body": "x"}\n'),
                          ':1: has no "text" field'),
    "NUL": (_write("nul.txt", b"Regulators fined\x00 Ant Group."),
            ": contains control character U+0000 at line 1, column 17; not plain text"),
    "control characters": (_write("ansi.txt", b"Regulators \x1b[1mfined\x1b[0m Ant Group."),
                           ": contains control character U+001B at line 1, column 12"),
    "missing": (_missing, ": no such file or folder"),
}


@pytest.mark.parametrize("kind", BAD_INPUTS)
def test_bad_input_alone_is_named_and_nothing_is_written(tmp_path, kind):
    make, reason = BAD_INPUTS[kind]
    inputs = tmp_path / "in"
    inputs.mkdir()
    bad, prefix = make(inputs)
    result = newsgraph("build", str(bad), "--out", str(tmp_path / "out"), prefix=prefix)
    assert result.returncode == 1
    assert f"newsgraph: skipped {bad}{reason}" in result.stderr
    assert "newsgraph: error: no document could be read; the previous exports are untouched" \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_every_bad_input_is_skipped_and_the_rest_built(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    expected = []
    prefix: list[str] = []
    for kind, (make, reason) in BAD_INPUTS.items():
        folder = inputs / kind.replace(" ", "-")
        folder.mkdir()
        bad, needs = make(folder)
        prefix = prefix or needs
        expected.append(f"newsgraph: skipped {bad}{reason}")
    shutil.copy(SEED, inputs / "seed.txt")
    missing = inputs / "missing" / "no-such-folder"
    result = newsgraph("build", str(inputs), str(missing), "--out", str(tmp_path / "out"),
                       "--format", "ttl", "--quiet", prefix=prefix)
    assert result.returncode == 3, result.stderr
    lines = result.stderr.splitlines()
    for line in expected:
        assert any(found.startswith(line) for found in lines), line
    assert lines[-1].startswith(
        "newsgraph: built 1 document(s), ")
    assert ("skipped 11 (binary: 3, broken link: 1, control characters: 2, empty: 1, "
            "invalid JSON: 1, missing: 1, no text: 1, unreadable: 1); wrote "
            f"{tmp_path / 'out' / 'graph.ttl'}") in lines[-1]
    assert visible_files(tmp_path / "out") == ["graph.ttl"]


def test_legacy_encoding_is_read_and_named(tmp_path):
    (tmp_path / "seed.txt").write_bytes(SEED.read_text(encoding="utf-8").encode("cp1252"))
    result = newsgraph("build", str(tmp_path / "seed.txt"), "--out", str(tmp_path / "out"),
                       "--format", "ttl")
    assert result.returncode == 0, result.stderr
    assert "newsgraph: note: seed.txt: not UTF-8; decoded as cp1252" in result.stderr
    assert "1 not UTF-8 (cp1252: 1)" in result.stderr
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "“These moves send a strong signal" in turtle


def test_document_metadata_reaches_the_turtle(tmp_path):
    shutil.copy(ROOT / "tests" / "data" / "wikinews_131.html", tmp_path / "ecj.html")
    record = {"id": "gt-1294233", "title": "China’s Internet stocks jump",
              "date": "2023-07-13", "url": "https://www.globaltimes.cn/page/202307/1294233.shtml",
              "text": SEED.read_text(encoding="utf-8")}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = newsgraph("build", str(tmp_path), "--out", str(tmp_path / "out"), "--format", "ttl")
    assert result.returncode == 0, result.stderr
    graph = rdflib.Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    rows = graph.query("""
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX schema: <https://schema.org/>
        SELECT ?id ?title ?date ?url ?source WHERE {
            ?doc a schema:NewsArticle ; dcterms:identifier ?id ; dcterms:title ?title ;
                 dcterms:date ?date ; schema:url ?url ; dcterms:source ?source }
        ORDER BY ?id""")
    assert [tuple(str(v) for v in row) for row in rows] == [
        ("ecj", "European Court of Justice says Facebook must remove 'illegal' posts globally",
         "2019-10-06", "https://en.wikinews.org/wiki/European_Court_of_Justice_says_Facebook_"
         "must_remove_%27illegal%27_posts_globally", "ecj.html"),
        ("feed/gt-1294233", "China’s Internet stocks jump", "2023-07-13",
         "https://www.globaltimes.cn/page/202307/1294233.shtml", "feed.jsonl:1"),
    ]


def test_duplicate_document_ids_keep_the_first(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD_SENTENCE, encoding="utf-8")
    (tmp_path / "a.md").write_text("Li Qiang met executives.", encoding="utf-8")
    result = newsgraph("build", str(tmp_path), "--out", str(tmp_path / "out"), "--format", "ttl")
    assert result.returncode == 3
    assert (f"newsgraph: skipped {tmp_path / 'a.txt'}: has the document id 'a' of "
            f"{tmp_path / 'a.md'}, which is kept") in result.stderr


def test_only_boilerplate_is_skipped(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD_SENTENCE, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Leave a Comment\n#China #Tech\nhttps://t.co/abc\n")
    result = newsgraph("build", str(tmp_path), "--out", str(tmp_path / "out"), "--format", "ttl")
    assert result.returncode == 3
    assert ("newsgraph: skipped b.txt: is only web boilerplate (3 line(s) of links, prompts or "
            "credits); no article text") in result.stderr


def test_exports_inside_an_input_folder_are_not_read_back(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD_SENTENCE, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "graph.html").write_text("<html><body><p>Li Qiang met executives "
                                                 "of Alibaba.</p></body></html>")
    result = newsgraph("build", str(tmp_path), "--out", str(tmp_path / "out"), "--format", "ttl")
    assert result.returncode == 0, result.stderr
    assert "built 1 document(s)" in result.stderr


def test_failed_build_keeps_previous_exports(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("previous", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = newsgraph("build", str(tmp_path / "empty.txt"), "--out", str(out))
    assert result.returncode == 1
    assert "is empty" in result.stderr
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "previous"


def test_output_folder_that_is_a_file_is_an_error(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD_SENTENCE, encoding="utf-8")
    (tmp_path / "out").write_text("not a folder", encoding="utf-8")
    result = newsgraph("build", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"newsgraph: error: {tmp_path / 'out'}: cannot use it as the output folder" \
        in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_format_is_an_error(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD_SENTENCE, encoding="utf-8")
    result = newsgraph("build", str(tmp_path), "--out", str(tmp_path), "--format", "pdf")
    assert result.returncode == 1
    assert "unknown export format(s) pdf" in result.stderr


def test_bad_command_line_is_exit_status_2():
    result = newsgraph("build")
    assert result.returncode == 2
    assert "the following arguments are required: PATH" in result.stderr


def test_entities_json_offsets_index_the_file_text():
    path = ROOT / "inputs" / "000_78550d0996ebba57.txt"
    result = newsgraph("entities", str(path), "--json")
    assert result.returncode == 0, result.stderr
    entities = json.loads(result.stdout)
    text = path.read_bytes().decode("utf-8")
    for entity in entities:
        assert set(entity) == {"id", "label", "type", "mentions"}
        for mention in entity["mentions"]:
            assert set(mention) == {"start", "end", "text"}
            assert text[mention["start"]:mention["end"]] == mention["text"]
    li = next(e for e in entities if e["id"] == "li qiang")
    assert (li["label"], li["type"]) == ("Li Qiang", "Person")
    assert [m["text"] for m in li["mentions"]] == ["Li Qiang", "Li Qiang", "Li", "He", "Li"]
    assert len({e["id"] for e in entities}) == len(entities)


def test_entities_with_aliases_and_plain_output(tmp_path):
    (tmp_path / "a.txt").write_text("Regulators fined Ant. Ant Group paid.", encoding="utf-8")
    (tmp_path / "aliases.csv").write_text("Ant,Ant Group,Q28154640\n", encoding="utf-8")
    result = newsgraph("entities", str(tmp_path / "a.txt"), "--aliases",
                       str(tmp_path / "aliases.csv"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ant group\tOrganization\tAnt Group\t2 mention(s): Ant; Ant Group\n"


def test_entities_of_a_missing_file_is_an_error(tmp_path):
    result = newsgraph("entities", str(tmp_path / "missing.txt"))
    assert result.returncode == 1
    assert "missing.txt: cannot be read" in result.stderr
