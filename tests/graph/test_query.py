"""SPARQL over exports: the documented example queries give the documented rows on the real
export of inputs/, from the library and from the command line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from extractors.errors import InputError, NewsgraphError
from graph import KnowledgeGraph
from graph.query import format_result, load_rdf, sparql
from tests.graph.factories import triple

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ROOT / "exports" / "graph.ttl"
DOC = ROOT / "docs" / "rdf-model.md"
#: (title, query, documented output) of every example in docs/rdf-model.md.
EXAMPLES = re.findall(r"### (.+?)\n\n```sparql\n(.*?)```.*?```text\n(.*?)```",
                      DOC.read_text(encoding="utf-8"), re.S)


def newsgraph(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def export_graph():
    return load_rdf(EXPORT)


def test_the_documentation_has_the_example_queries():
    assert [title for title, _, _ in EXAMPLES] == [
        "Who did regulators fine or penalise?",
        "Every fact about Ant Group, with its source sentence",
        "What do the articles deny?",
        "Sums of money, with their currency",
    ]


@pytest.mark.parametrize(("title", "query", "documented"), EXAMPLES,
                         ids=[title for title, _, _ in EXAMPLES])
def test_documented_rows_are_in_the_result(title, query, documented, export_graph):
    result = format_result(sparql(export_graph, query), "table", export_graph).splitlines()
    header, *rows = documented.splitlines()
    assert result[0] == header
    missing = [row for row in rows if row not in result[1:]]
    assert not missing, f"{title}: documented rows no longer found (update docs/rdf-model.md)"
    assert rows


def test_regulators_query_finds_the_fined_organisations(export_graph):
    _, query, _ = EXAMPLES[0]
    rows = {(str(row.target), str(row["class"])) for row in sparql(export_graph, query)}
    organisations = {target for target, kind in rows if kind == "https://schema.org/Organization"}
    assert organisations == {"Alibaba Group", "Tencent"}


def test_ant_group_query_gives_each_fact_with_its_sentence(export_graph):
    _, query, _ = EXAMPLES[1]
    rows = {(str(r.subject), str(r.relation), str(r.object)): str(r.sentence)
            for r in sparql(export_graph, query)}
    assert rows[("Ant Group", "canceling",
                 "its plans for the largest initial public offering (IPO) ever")] == (
        "This led to Ant Group canceling its plans for the largest initial public offering "
        "(IPO) ever.")


def test_negated_facts_are_never_direct_triples(export_graph):
    query = """ASK { ?fact ng:negated true ; ng:asserted true }"""
    assert format_result(sparql(export_graph, query)) == "false\n"
    # the example the documentation gives: denied, so only a statement node
    assert sparql(export_graph, """ASK { ?fact rdf:subject ent:orders ; rdf:predicate rel:leave ;
                                         rdf:object ent:capacity ; ng:negated true }""").askAnswer
    assert not sparql(export_graph, "ASK { ent:orders rel:leave ent:capacity }").askAnswer
    direct = """SELECT ?s WHERE { ?fact ng:negated true ; rdf:subject ?s ; rdf:predicate ?p ;
                rdf:object ?o . ?s ?p ?o .
                FILTER NOT EXISTS { ?other rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
                                    ng:asserted true } }"""
    assert list(sparql(export_graph, direct)) == []


def test_cli_query_prints_the_documented_table():
    _, query, documented = EXAMPLES[0]
    result = newsgraph("query", "exports/graph.ttl", query)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == documented.splitlines()[0]
    assert all(row in result.stdout.splitlines() for row in documented.splitlines())


def test_cli_query_reads_a_query_file_and_writes_w3c_formats(tmp_path):
    query = tmp_path / "labels.rq"
    query.write_text("SELECT ?label WHERE { ent:ant_group rdfs:label ?label }", encoding="utf-8")
    result = newsgraph("query", "exports/graph.ttl", f"@{query}", "--results", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["label", "Ant Group"]
    result = newsgraph("query", "exports/graph.ttl", f"@{query}", "--results", "json")
    assert '"value": "Ant Group"' in result.stdout.replace('":"', '": "')


def test_cli_query_errors_name_the_problem(tmp_path):
    result = newsgraph("query", "exports/graph.ttl", "SELECT ?x WHERE { ?x ?y }")
    assert result.returncode == 1
    assert "SPARQL syntax error" in result.stderr and "Traceback" not in result.stderr
    result = newsgraph("query", str(tmp_path / "missing.ttl"), "ASK {}")
    assert result.returncode == 1
    assert f"{tmp_path / 'missing.ttl'}: no such file" in result.stderr
    result = newsgraph("query", "exports/graph.ttl", f"@{tmp_path / 'missing.rq'}")
    assert result.returncode == 1
    assert "missing.rq: cannot be read" in result.stderr


def test_kg_sparql_select_ask_and_construct():
    kg = KnowledgeGraph()
    kg.add_triples([triple("Regulators", "fined", "Ant Group", lemma="fine", object_type="ORG"),
                    triple("Regulators", "fined", "Tencent", lemma="fine", object_type="ORG")])
    result = kg.sparql("SELECT ?name WHERE { ent:regulators rel:fine ?o . ?o rdfs:label ?name }"
                       " ORDER BY ?name")
    assert [str(row.name) for row in result] == ["Ant Group", "Tencent"]
    assert kg.sparql("ASK { ent:tencent a schema:Organization }").askAnswer is True
    constructed = kg.sparql("CONSTRUCT { ?o a schema:Organization } WHERE "
                            "{ ?o a schema:Organization }")
    assert format_result(constructed).count("schema:Organization") == 2
    assert kg.sparql("SELECT ?s WHERE { ?s rel:approve ?o }", base_iri="https://x.org/").vars


def test_load_rdf_refuses_unknown_suffixes(tmp_path):
    with pytest.raises(InputError, match="unknown RDF suffix '.owl'"):
        load_rdf(tmp_path / "graph.owl")
    with pytest.raises(NewsgraphError, match="unknown result style 'yaml'"):
        format_result(sparql(load_rdf(EXPORT), "ASK {}"), "yaml")


def test_query_help_names_the_result_styles():
    result = newsgraph("query", "--help")
    assert result.returncode == 0
    assert "usage: newsgraph query" in result.stdout
    assert "csv, tsv, json, xml" in result.stdout
