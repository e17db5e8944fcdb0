"""The ``newsgraph`` command, run as a user runs it: a separate process on real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def newsgraph(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("command", [[], ["build"], ["entities"]])
def test_help_on_every_command(command):
    result = newsgraph(*command, "--help")
    assert result.returncode == 0
    assert "usage: newsgraph" in result.stdout


def test_build_reproduces_committed_exports_byte_for_byte(tmp_path):
    result = newsgraph("build", "inputs/", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    # Hidden files are not exports: the extraction cache (graph.cache) lives there too.
    committed = sorted(p.name for p in (ROOT / "exports").iterdir() if p.name[0] != ".")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name[0] != ".") == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (ROOT / "exports" / name).read_bytes(), (
            f"exports/{name} is stale: run `make run` and commit the result")
    assert "building" not in result.stderr  # no progress bar when stderr is not a terminal
    assert "built 6 document(s): " in result.stderr  # the one-line summary


def test_missing_input_is_an_error_and_writes_nothing(tmp_path):
    result = newsgraph("build", str(tmp_path / "missing"), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"{tmp_path / 'missing'}: no such file or folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_bad_file_is_skipped_named_and_reported_in_exit_status(tmp_path):
    (tmp_path / "good.txt").write_text("Regulators fined Ant Group.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9")
    result = newsgraph("build", str(tmp_path), "--out", str(tmp_path / "out"), "--format", "ttl")
    assert result.returncode == 3
    assert f"skipped {tmp_path / 'bad.txt'}: is not valid UTF-8" in result.stderr
    assert "built 1 document(s)" in result.stderr
    assert "ent:ant_group" in (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")


def test_failed_build_keeps_previous_exports(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("previous", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = newsgraph("build", str(tmp_path / "empty.txt"), "--out", str(out))
    assert result.returncode == 1
    assert "is empty" in result.stderr
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "previous"


def test_unknown_format_is_an_error(tmp_path):
    (tmp_path / "a.txt").write_text("Regulators fined Ant Group.", encoding="utf-8")
    result = newsgraph("build", str(tmp_path), "--out", str(tmp_path), "--format", "pdf")
    assert result.returncode == 1
    assert "unknown export format(s) pdf" in result.stderr


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
