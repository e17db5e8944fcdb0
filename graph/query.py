"""SPARQL over newsgraph exports (rdflib), with the export's prefixes predeclared.

>>> from graph import KnowledgeGraph
>>> kg = KnowledgeGraph()
>>> _ = kg.add_document("Regulators fined Ant Group.", doc_id="example")
>>> result = kg.sparql('SELECT ?label WHERE { ?s rel:fine ?o . ?o rdfs:label ?label }')
>>> print(format_result(result), end="")
label
Ant Group
"""

from __future__ import annotations

from pathlib import Path

from pyparsing import ParseException
from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result

from extractors.errors import InputError, NewsgraphError
from graph.vocabulary import Vocabulary

#: rdflib parser names by file suffix.
PARSERS = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".jsonld": "json-ld",
           ".nq": "nquads"}
#: Result styles of :func:`format_result`: ``table`` for people, the rest W3C result formats.
RESULT_STYLES = ("table", "csv", "tsv", "json", "xml")


def load_rdf(path: str | Path) -> Graph:
    """Parse an RDF file (format from its suffix) into an rdflib graph; named graphs of TriG
    and N-Quads are queried as one."""
    path = Path(path)
    parser = PARSERS.get(path.suffix.lower())
    if parser is None:
        raise InputError(str(path), f"has an unknown RDF suffix {path.suffix!r}; expected one "
                                    f"of {', '.join(PARSERS)}")
    if not path.is_file():
        raise InputError(str(path), "no such file")
    graph = Dataset(default_union=True) if parser in {"trig", "nquads"} else Graph()
    try:
        graph.parse(path, format=parser)
    except Exception as exc:  # rdflib raises many unrelated types for bad input
        raise InputError(str(path), f"is not valid {parser}: {exc}") from exc
    return graph


def sparql(graph: Graph, query: str) -> Result:
    """Run a SPARQL query; the prefixes of a newsgraph export and every prefix bound in
    ``graph`` may be used without declaring them (a file without prefixes, like JSON-LD, gets
    ``ent:``, ``stmt:`` and ``doc:`` of the default base IRI)."""
    try:
        return graph.query(query, initNs=_prefixes(graph))
    except ParseException as exc:
        raise NewsgraphError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: "
                             f"{exc.msg}") from exc


def format_result(result: Result, style: str = "table", graph: Graph | None = None) -> str:
    """Text of a query result: ``table`` is one tab-separated line per row (IRIs shortened
    with the export's prefixes and those of ``graph``, tabs and line breaks in values
    escaped); the other styles
    are the W3C SPARQL result formats. ASK gives ``true``/``false``, CONSTRUCT Turtle."""
    if style not in RESULT_STYLES:
        raise NewsgraphError(f"unknown result style {style!r}; choose from "
                             f"{', '.join(RESULT_STYLES)}")
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        return result.graph.serialize(format="turtle")
    if result.type == "ASK":
        return "true\n" if result.askAnswer else "false\n"
    if style != "table":
        return result.serialize(format=style).decode("utf-8")
    namespaces = sorted(((str(ns), prefix) for prefix, ns in _prefixes(graph).items()),
                        key=lambda item: -len(item[0]))
    lines = ["\t".join(str(v) for v in result.vars)]
    for row in result:
        lines.append("\t".join(_cell(value, namespaces) for value in row))
    return "\n".join(lines) + "\n"


def _prefixes(graph: Graph | None) -> dict[str, str]:
    """The prefixes of a newsgraph export, overridden by those bound in ``graph``."""
    bound = {prefix: str(ns) for prefix, ns in graph.namespaces()} if graph is not None else {}
    return {**Vocabulary().prefixes, **bound}


def _cell(value: object, namespaces: list[tuple[str, str]]) -> str:
    if value is None:
        return ""
    if isinstance(value, URIRef):
        for namespace, prefix in namespaces:
            rest = value[len(namespace):]
            if value.startswith(namespace) and rest and not any(c in rest for c in "/#"):
                return f"{prefix}:{rest}"
        return f"<{value}>"
    text = str(value)
    return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))
