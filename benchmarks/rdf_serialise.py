"""How long writing Turtle takes for a large graph: newsgraph's own Turtle writer against
pyoxigraph's and rdflib's serializers, on the same 1,000,000-triple export.

Run with ``python benchmarks/rdf_serialise.py [--triples N]`` (default 1,000,000). It builds a
synthetic news-like knowledge graph whose export has about N RDF triples (extractions with
qualifiers, amounts and extra arguments, a few hubs), then times:

* Turtle as ``newsgraph build`` writes it (``graph.rdf.to_rdf_text``, that is
  :func:`graph.rdf.turtle_by_document`: the text pyoxigraph would write, made directly),
* the RDF model (:func:`graph.rdf.rdf_model`, terms as N-Triples text, what the N-Triples,
  TriG and JSON-LD exports are written from) and Turtle written from it by pyoxigraph
  (:func:`graph.rdf.serialise`, the path before the direct writer),
* the same triples loaded into an rdflib ``Graph`` and written with rdflib's Turtle serializer
  (the path before that),

checks that the direct text is byte-identical to pyoxigraph's and across two runs, that
rdflib's Turtle parses to the same set of triples, and prints a table. A benchmark, not a
test: it asserts only that the texts and graphs agree.
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
from graph.rdf import rdf_model, serialise, to_rdf, to_rdf_text  # noqa: E402
from graph.vocabulary import Vocabulary  # noqa: E402

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
    """RDF triples in the model: each item's pairs are predicates and objects, alternating."""
    return sum(len(item.pairs) for item in model) // 2


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

    direct_text, direct = _timed(to_rdf_text, kg, "ttl")
    again = to_rdf_text(kg, "ttl")
    prefixes = Vocabulary().prefixes
    described, model = _timed(lambda: list(rdf_model(kg)))
    oxigraph_text, oxigraph = _timed(serialise, described, "ttl", prefixes)
    rdflib_graph, rdflib_load = _timed(to_rdf, kg)
    rdflib_text, rdflib_write = _timed(lambda: rdflib_graph.serialize(format="turtle"))
    same, compare = _timed(lambda: _canonical(direct_text) == _canonical(rdflib_text))

    extractions = len(kg.triples()) + len(kg.unattached)
    print(f"{_count(described):,} triples from {extractions:,} extractions, "
          f"{kg.nx.number_of_nodes():,} entities (graph built in {build:.1f} s)")
    print(f"{'step':<52}{'seconds':>9}")
    rows = [
        ("newsgraph's Turtle writer (to_rdf_text)", direct),
        ("RDF model as N-Triples terms (rdf_model)", model),
        ("Turtle with pyoxigraph from the model (serialise)", oxigraph),
        ("  pyoxigraph path: model + pyoxigraph Turtle", model + oxigraph),
        ("same triples into an rdflib Graph (to_rdf)", rdflib_load),
        ("Turtle with rdflib's serializer", rdflib_write),
        ("  rdflib path: model + Graph + rdflib Turtle", model + rdflib_load + rdflib_write),
    ]
    for label, seconds in rows:
        print(f"{label:<52}{seconds:>9.2f}")
    print(f"pyoxigraph path / direct writer: {(model + oxigraph) / direct:.1f}x; rdflib path / "
          f"direct writer: {(model + rdflib_load + rdflib_write) / direct:.0f}x")
    print(f"Turtle sizes: direct {len(direct_text.encode()):,} bytes, rdflib "
          f"{len(rdflib_text.encode()):,} bytes; direct text byte-identical to pyoxigraph's: "
          f"{direct_text == oxigraph_text}, across runs: {direct_text == again}; same graph as "
          f"rdflib's: {same} (checked in {compare:.1f} s)")
    assert direct_text == oxigraph_text, "the direct Turtle differs from pyoxigraph's"
    assert same, "newsgraph's and rdflib's Turtle hold different graphs"

if __name__ == "__main__":
    main()
