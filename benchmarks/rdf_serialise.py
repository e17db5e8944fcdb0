"""How long writing Turtle takes for a large graph: rdflib's serializer against pyoxigraph's,
on the same 1,000,000-triple export.

Run with ``python benchmarks/rdf_serialise.py [--triples N]`` (default 1,000,000). It builds a
synthetic news-like knowledge graph whose export has about N RDF triples (extractions with
qualifiers, amounts and extra arguments, a few hubs), then times:

* the RDF model (:func:`graph.rdf.rdf_model`, terms as N-Triples text, what the N-Triples,
  TriG and JSON-LD exports are written from),
* Turtle as pyoxigraph writes it, from the same model in Turtle terms
  (``graph.rdf.to_rdf_text``, what ``newsgraph build`` does),
* the same triples loaded into an rdflib ``Graph`` and written with rdflib's Turtle serializer
  (the previous path),

checks that both Turtle texts parse to the same set of triples and that the pyoxigraph text is
byte-identical across two runs, and prints a table. A benchmark, not a test: it asserts only
that the graphs agree.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyoxigraph  # noqa: E402

from extractors.triple import Argument, Provenance, Qualifiers, Relation, Triple  # noqa: E402
from graph.knowledge_graph import KnowledgeGraph  # noqa: E402
from graph.rdf import rdf_model, to_rdf, to_rdf_text  # noqa: E402

TYPES = ("ORG", "PERSON", "GPE", "NORP", None)
RELATIONS = ("fine", "acquire", "sue", "meet", "invest in", "criticise", "ban", "hire")
AMOUNTS = (None, None, None, "$1 billion", "HK$349.8", "2.88%", "100 billion yuan")


def _argument(name: str, entity_type: str | None, start: int) -> Argument:
    return Argument(name, start, start + len(name), name, start, start + len(name), entity_type)


def synthetic_graph(extractions: int, seed: int = 1) -> KnowledgeGraph:
    """``extractions`` facts over ``extractions // 3`` entities, 20 per document."""
    rng = random.Random(seed)
    entities = max(2, extractions // 3)
    names = [f"Entity {i}" for i in range(entities)]
    kg = KnowledgeGraph()
    for number in range(extractions):
        i = rng.randrange(1, entities)
        j = min(int(rng.paretovariate(1.2)) - 1, i - 1) if rng.random() < 0.5 else rng.randrange(i)
        relation = rng.choice(RELATIONS)
        sentence = f"{names[i]} {relation} {names[j]} on Friday."
        start = 100 * (number % 20)
        subject = _argument(names[i], TYPES[i % len(TYPES)], start)
        obj = _argument(names[j], TYPES[j % len(TYPES)], subject.end + len(relation) + 2)
        extras = (_argument("on Friday", None, obj.end + 1),) if number % 3 == 0 else ()
        qualifiers = Qualifiers(negated=number % 11 == 0, time="Friday" if extras else None,
                                amount=rng.choice(AMOUNTS))
        kg.add_triples([Triple(
            subject, Relation(relation, relation), obj,
            Provenance(f"doc{number // 20:06d}", number % 20, start, start + len(sentence),
                       sentence, "active_clause"),
            qualifiers, confidence=round(rng.random(), 4), extras=extras,
        )], doc_id=f"doc{number // 20:06d}", title=f"Article {number // 20}", source="x.txt")
    return kg


def _count(model) -> int:
    return sum(len(item.pairs) for item in model)


def _timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def _canonical(text: str) -> set[str]:
    return {str(t) for t in pyoxigraph.parse(text.encode("utf-8"),
                                              format=pyoxigraph.RdfFormat.TURTLE)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000,
                        help="approximate number of RDF triples in the export")
    args = parser.parse_args(argv)
    probe = _count(rdf_model(synthetic_graph(200)))
    kg, build = _timed(synthetic_graph, int(200 * args.triples / probe))

    described, model = _timed(lambda: list(rdf_model(kg)))
    oxigraph_text, oxigraph = _timed(to_rdf_text, kg, "ttl")
    again = to_rdf_text(kg, "ttl")
    rdflib_graph, rdflib_load = _timed(to_rdf, kg)
    rdflib_text, rdflib_write = _timed(lambda: rdflib_graph.serialize(format="turtle"))
    same, compare = _timed(lambda: _canonical(oxigraph_text) == _canonical(rdflib_text))

    extractions = len(kg.triples()) + len(kg.unattached)
    print(f"{_count(described):,} triples from {extractions:,} extractions, "
          f"{kg.nx.number_of_nodes():,} entities (graph built in {build:.1f} s)")
    print(f"{'step':<46}{'seconds':>9}")
    rows = [
        ("RDF model as N-Triples terms (rdf_model)", model),
        ("Turtle as pyoxigraph writes it (to_rdf_text)", oxigraph),
        ("same triples into an rdflib Graph (to_rdf)", rdflib_load),
        ("Turtle with rdflib's serializer", rdflib_write),
        ("  rdflib path: model + Graph + rdflib Turtle", model + rdflib_load + rdflib_write),
    ]
    for label, seconds in rows:
        print(f"{label:<46}{seconds:>9.2f}")
    print(f"rdflib Turtle / pyoxigraph Turtle: {rdflib_write / oxigraph:.0f}x; whole path: "
          f"{(model + rdflib_load + rdflib_write) / oxigraph:.1f}x")
    print(f"Turtle sizes: pyoxigraph {len(oxigraph_text.encode()):,} bytes, rdflib "
          f"{len(rdflib_text.encode()):,} bytes; same graph: {same} (checked in {compare:.1f} s);"
          f" pyoxigraph byte-identical across runs: {oxigraph_text == again}")
    assert same, "pyoxigraph and rdflib Turtle hold different graphs"


if __name__ == "__main__":
    main()
