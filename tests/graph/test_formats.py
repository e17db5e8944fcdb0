"""Every export format of a real build: RDF syntaxes hold the same graph as the Turtle, GraphML
is strict XML that networkx reads back, the CSV has one row per edge, and hostile text breaks
none of them."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest

from graph import KnowledgeGraph
from graph.build import EXPORTS
from graph.formats import CSV_COLUMNS, to_csv, to_graphml, write_exports
from tests.graph.factories import triple
from tests.graph.test_rdf import OXIGRAPH_FORMATS, _count_everywhere, _hostile_kg

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "exports" / "graph.ttl"
FILE_FORMATS = [name for name in EXPORTS if name != "html"]


@pytest.fixture(scope="module")
def inputs_kg() -> KnowledgeGraph:
    return KnowledgeGraph.from_rdf(EXPORT)


@pytest.fixture(scope="module")
def written(inputs_kg, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("exports")
    targets = {name: out / EXPORTS[name] for name in FILE_FORMATS}
    write_exports(inputs_kg, targets)
    return targets


def _triples(path: Path, name: str) -> set[str]:
    """The graph in a file as canonical N-Triples lines (named graphs merged)."""
    return {str(quad.triple) for quad in pyoxigraph.parse(path=path,
                                                         format=OXIGRAPH_FORMATS[name])}


@pytest.mark.parametrize("name", ["nt", "trig", "jsonld"])
def test_every_rdf_format_holds_the_turtle_graph(name, written):
    assert _triples(written[name], name) == _triples(EXPORT, "ttl")
    _count_everywhere(written[name], name)


def test_turtle_written_by_write_exports_is_the_committed_export(written):
    assert written["ttl"].read_bytes() == EXPORT.read_bytes()


def test_trig_has_a_named_graph_per_document(written):
    graphs = {quad.graph_name for quad in pyoxigraph.parse(path=written["trig"],
                                                           format=pyoxigraph.RdfFormat.TRIG)}
    documents = {f"<https://w3id.org/newsgraph/id/document/{d}>" for d in (
        "000_78550d0996ebba57", "003_4eda478095a05fe6", "wikinews_047", "wikinews_051",
        "wikinews_131", "wikinews_157")}
    assert {str(g) for g in graphs} == documents | {"DEFAULT"}


@pytest.mark.parametrize("name", ["ttl", "nt", "trig", "jsonld"])
def test_every_rdf_format_loads_back_into_the_same_graph(name, written):
    assert KnowledgeGraph.from_rdf(written[name]).to_turtle() == EXPORT.read_text(
        encoding="utf-8")


def test_graphml_reads_back_with_every_node_and_edge(written, inputs_kg):
    ET.parse(written["graphml"])  # strict XML
    view = nx.read_graphml(written["graphml"])
    assert view.number_of_nodes() == inputs_kg.nx.number_of_nodes()
    assert view.number_of_edges() == inputs_kg.nx.number_of_edges()
    labels = {data["label"] for _, data in view.nodes(data=True)}
    assert {"Ant Group", "Alibaba Group", "Facebook"} <= labels
    ant = next(n for n, data in view.nodes(data=True) if data["label"] == "Ant Group")
    assert view.nodes[ant]["iri"] == "https://w3id.org/newsgraph/id/entity/ant_group"
    assert view.nodes[ant]["type"] == "ORG"
    assert view.nodes[ant]["class"] == "https://schema.org/Organization"


def test_csv_has_one_row_per_edge(written, inputs_kg):
    rows = list(csv.DictReader(written["csv"].open(encoding="utf-8", newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == inputs_kg.nx.number_of_edges()
    assert sum(int(row["support"]) for row in rows) == sum(
        d["support"] for _, _, d in inputs_kg.nx.edges(data=True))
    cancel = next(row for row in rows if row["subject"] == "Ant Group")
    assert (cancel["relation"], cancel["object"], cancel["subject_type"]) == (
        "cancel", "plans", "ORG")
    assert cancel["example_sentence"] == (
        "This led to Ant Group canceling its plans for the largest initial public offering "
        "(IPO) ever.")


def test_exports_are_deterministic(inputs_kg, written, tmp_path):
    again = {name: tmp_path / EXPORTS[name] for name in FILE_FORMATS}
    write_exports(KnowledgeGraph.from_rdf(EXPORT), again)
    for name in FILE_FORMATS:
        assert again[name].read_bytes() == written[name].read_bytes(), name


def test_hostile_graphml_is_well_formed_xml():
    kg = _hostile_kg()
    text = to_graphml(kg)
    ET.fromstring(text.encode("utf-8"))
    view = nx.read_graphml(io.StringIO(text))
    labels = {data["label"] for _, data in view.nodes(data=True)}
    # XML cannot hold control characters even escaped: they become U+FFFD, the rest is kept
    assert "control \ufffd\ufffd\ufffd\x7f characters" in labels
    assert "emoji 🚀 name" in labels and "阿里巴巴集团" in labels
    assert view.number_of_edges() == kg.nx.number_of_edges()


def test_hostile_csv_round_trips_through_a_csv_reader():
    kg = _hostile_kg()
    rows = list(csv.DictReader(io.StringIO(to_csv(kg), newline="")))
    assert len(rows) == kg.nx.number_of_edges()
    assert sorted(row["subject"] for row in rows) == sorted(
        kg.nx.nodes[u]["label"] for u, _ in kg.nx.edges())
    sentences = {row["example_sentence"] for row in rows}
    assert "Regulators fined the \x07 company \U0001F680 on Monday." in sentences
    assert any("line\nbreak\r\nand CR" in sentence for sentence in sentences)


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x") Inc', "+44 Ltd", "@SUM(A1) Co"])
def test_csv_cells_never_start_a_formula(name):
    kg = KnowledgeGraph()
    kg.add_triples([triple(name, "fined", "x", lemma="-fine")])
    row = next(csv.DictReader(io.StringIO(to_csv(kg))))
    assert (row["subject"], row["relation"]) == ("'" + name, "'-fine")


def test_cli_writes_every_format(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Regulators fined Ant Group $1 billion on Friday.", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "graph.cli", "build", str(article), "--out", str(tmp_path / "o"),
         "--format", ",".join(FILE_FORMATS), "--base-iri", "https://example.org/kg/"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    # Dot files are not exports (the extraction cache, graph.cache).
    assert sorted(p.name for p in (tmp_path / "o").iterdir() if p.name[0] != ".") == sorted(
        EXPORTS[name] for name in FILE_FORMATS)
    assert "<https://example.org/kg/entity/regulators>" in (tmp_path / "o" / "graph.nt").read_text(
        encoding="utf-8")


def test_cli_refuses_a_bad_base_iri_before_reading(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "graph.cli", "build", str(tmp_path / "missing"), "--base-iri",
         "example.org kg"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "base IRI 'example.org kg' is not an absolute IRI" in result.stderr


@pytest.mark.parametrize("name", ["nt", "trig", "jsonld"])
def test_every_rdf_format_answers_queries_like_the_turtle(name, written):
    from graph.query import load_rdf, sparql

    query = "SELECT (COUNT(?s) AS ?n) WHERE { ?s a rdf:Statement ; ng:asserted true }"
    counts = [int(next(iter(sparql(load_rdf(path), query)))[0])
              for path in (EXPORT, written[name])]
    assert counts[0] == counts[1] > 100
