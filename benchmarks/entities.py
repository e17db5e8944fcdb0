"""Entity benchmark: how well mentions are found and grouped into entities, against gold.

Two gold sets from ``../shared/corpora`` are scored, each against newsgraph's entities
(``graph.entities.doc_entities``, what ``newsgraph entities --json`` prints) and, in the same
run, a baseline: spaCy's named entities clustered by exact string, once with the labels of
named things only (PERSON, ORG, GPE ...) and once with every label (dates and numbers too).

* ``gum-news``: 16 Wikinews articles in which every mention (names, nominals, pronouns) and
  its coreference chain is annotated. Scored on the entities that matter to a knowledge
  graph, those with a proper-noun mention, with all their mentions; MUC, B-cubed, CEAF-e
  and their mean, the CoNLL F1.
* ``re-docred-dev``: 500 Wikipedia leads with clusters of named mentions (names, dates,
  numbers). Scored with B-cubed.

Mentions are matched by head: a mention's head is its last token after cutting it at its
first comma or opening parenthesis and dropping a trailing possessive, in the gold
tokenisation ("Jack Ma, co-founder of Alibaba" and "Ma" both have the head "Ma"). A predicted
and a gold mention match when their heads are the same token; each gold mention matches at
most one prediction (the one whose span is closest). Predicted mentions that match no gold
mention of a scored entity are left out, as the reference scorers do for mentions outside the
annotated set: gold has no unannotated entity to blame them on (re-docred annotates no
pronoun or nominal; gum-news's scored subset leaves most entities out). A missed gold mention
costs recall in every metric; a wrong merge or split costs precision or recall.

Usage::

    python -m benchmarks.entities [--corpus gum-news|re-docred-dev|all] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPORA = SHARED / "corpora"

Span = tuple[int, int]
"""A [start, end) character span."""
Clusters = list[list[Span]]
"""Entities as lists of mention spans."""

_CUT_TOKENS = {",", "("}
_POSSESSIVE_TOKENS = {"'s", "’s", "'", "’"}


@dataclass(frozen=True)
class GoldDocument:
    """One gold document: its text, gold tokens (character spans), entities and their types."""

    doc_id: str
    text: str
    tokens: tuple[Span, ...]
    entities: tuple[tuple[Span, ...], ...]
    types: tuple[str, ...]

    def subset(self, keep: Callable[[str], bool]) -> GoldDocument:
        """The document with only the entities whose type ``keep`` accepts."""
        chosen = [n for n, kind in enumerate(self.types) if keep(kind)]
        return GoldDocument(self.doc_id, self.text, self.tokens,
                            tuple(self.entities[n] for n in chosen),
                            tuple(self.types[n] for n in chosen))


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1 of one metric."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


# --------------------------------------------------------------------------------------------
# Gold data
# --------------------------------------------------------------------------------------------


def load_gum(folder: Path = CORPORA / "gum-news") -> list[GoldDocument]:
    """The gum-news documents with their entities that have a proper-noun mention."""
    documents = []
    for record in json.loads((folder / "entities.json").read_text(encoding="utf-8")):
        tokens = tuple(tuple(span) for sentence in record["sents"]
                       for span in sentence["char_spans"])
        named = [entity for entity in record["entities"]
                 if any(m["has_propn"] for m in entity["mentions"])]
        entities = tuple(tuple(tuple(m["char_span"]) for m in entity["mentions"])
                         for entity in named)
        documents.append(GoldDocument(record["doc_id"], record["text"], tokens, entities,
                                      tuple(entity["type"] for entity in named)))
    return documents


def load_redocred(folder: Path = CORPORA / "re-docred-dev") -> list[GoldDocument]:
    """The re-docred dev documents, each sentence's tokens joined by single spaces.

    Sentences are joined by one space too, so the text reads as running prose.
    """
    documents = []
    records = json.loads((folder / "dev_revised.json").read_text(encoding="utf-8"))
    for record in records:
        pieces: list[str] = []
        spans: list[list[Span]] = []
        offset = 0
        for sentence in record["sents"]:
            sentence_spans = []
            for word in sentence:
                if pieces:
                    pieces.append(" ")
                    offset += 1
                pieces.append(word)
                sentence_spans.append((offset, offset + len(word)))
                offset += len(word)
            spans.append(sentence_spans)
        entities = tuple(
            tuple((spans[m["sent_id"]][m["pos"][0]][0], spans[m["sent_id"]][m["pos"][1] - 1][1])
                  for m in entity)
            for entity in record["vertexSet"]
        )
        tokens = tuple(span for sentence in spans for span in sentence)
        types = tuple(entity[0]["type"] for entity in record["vertexSet"])
        documents.append(GoldDocument(record["title"], "".join(pieces), tokens, entities,
                                      types))
    return documents


# --------------------------------------------------------------------------------------------
# Matching mentions by head
# --------------------------------------------------------------------------------------------


def head_token(text: str, tokens: Sequence[Span], span: Span) -> int | None:
    """Index of the head token of a mention: its last token after cutting and possessive.

    >>> text = "Jack Ma, co-founder of Alibaba's unit"
    >>> tokens = [(0, 4), (5, 7), (7, 8), (9, 19), (20, 22), (23, 30), (30, 32), (33, 37)]
    >>> head_token(text, tokens, (0, 37)), head_token(text, tokens, (23, 32))
    (1, 5)
    """
    start, end = span
    covered = [i for i, (s, e) in enumerate(tokens) if s < end and e > start]
    for position, index in enumerate(covered):
        if position and text[slice(*tokens[index])] in _CUT_TOKENS:
            covered = covered[:position]
            break
    while len(covered) > 1 and text[slice(*tokens[covered[-1]])] in _POSSESSIVE_TOKENS:
        covered.pop()
    return covered[-1] if covered else None


def align(document: GoldDocument, predicted: Clusters) -> tuple[Clusters, Clusters]:
    """Key and response clusters over gold mention spans, predictions matched by head.

    Returns the gold entities and the predicted clusters rewritten to the gold spans they
    match; predicted mentions that match no scored gold mention are dropped, and so are
    clusters left empty.
    """
    by_head: dict[int, list[Span]] = {}
    for entity in document.entities:
        for span in entity:
            head = head_token(document.text, document.tokens, span)
            if head is not None:
                by_head.setdefault(head, []).append(span)
    taken: set[Span] = set()
    response: Clusters = []
    for cluster in predicted:
        matched = []
        for span in sorted(cluster):
            head = head_token(document.text, document.tokens, span)
            free = [g for g in by_head.get(head, ()) if g not in taken]
            if free:
                best = min(free, key=lambda g: (abs(g[0] - span[0]) + abs(g[1] - span[1]), g))
                taken.add(best)
                matched.append(best)
        if matched:
            response.append(matched)
    return [list(entity) for entity in document.entities], response


# --------------------------------------------------------------------------------------------
# Coreference metrics
# --------------------------------------------------------------------------------------------


def _index(clusters: Clusters) -> dict[Span, int]:
    return {mention: k for k, cluster in enumerate(clusters) for mention in cluster}


def muc(key: Clusters, response: Clusters) -> Score:
    """MUC (Vilain et al. 1995): links needed to rebuild each entity, found and correct.

    >>> muc([[(0, 1), (2, 3), (4, 5)]], [[(0, 1), (2, 3)], [(4, 5)]]).recall
    0.5
    """
    def links(gold: Clusters, other: Clusters) -> tuple[int, int]:
        where = _index(other)
        found = needed = 0
        for cluster in gold:
            parts = {where.get(m, ("missing", m)) for m in cluster}
            found += len(cluster) - len(parts)
            needed += len(cluster) - 1
        return found, needed

    recall_found, recall_needed = links(key, response)
    precision_found, precision_needed = links(response, key)
    return Score(precision_found / precision_needed if precision_needed else 0.0,
                 recall_found / recall_needed if recall_needed else 0.0)


def b_cubed(key: Clusters, response: Clusters) -> Score:
    """B-cubed (Bagga and Baldwin 1998): per-mention overlap of its gold and predicted entity.

    >>> s = b_cubed([[(0, 1), (2, 3)], [(4, 5)]], [[(0, 1), (2, 3), (4, 5)]])
    >>> round(s.precision, 4), s.recall
    (0.5556, 1.0)
    """
    def score(gold: Clusters, other: Clusters) -> float:
        total = sum(len(cluster) for cluster in gold)
        where = _index(other)
        other_sets = [set(cluster) for cluster in other]
        found = 0.0
        for cluster in gold:
            members = set(cluster)
            for mention in cluster:
                if mention in where:
                    found += len(members & other_sets[where[mention]]) / len(cluster)
        return found / total if total else 0.0

    return Score(score(response, key), score(key, response))


def ceaf_e(key: Clusters, response: Clusters) -> Score:
    """Entity-based CEAF (Luo 2005): the best one-to-one alignment of entities, by phi4.

    >>> ceaf_e([[(0, 1), (2, 3)]], [[(0, 1)], [(2, 3)]]).precision
    0.3333333333333333
    """
    graph = nx.Graph()
    response_sets = [set(cluster) for cluster in response]
    where = _index(response)
    for k, cluster in enumerate(key):
        for r in {where[m] for m in cluster if m in where}:
            shared = len(set(cluster) & response_sets[r])
            graph.add_edge(("k", k), ("r", r),
                           weight=2 * shared / (len(cluster) + len(response_sets[r])))
    similarity = 0.0
    for component in nx.connected_components(graph):
        # Entities only compete within a component; matching each alone is much faster.
        part = graph.subgraph(component)
        matching = nx.max_weight_matching(part) if len(part) > 2 else list(part.edges)
        similarity += sum(graph.edges[a, b]["weight"] for a, b in matching)
    return Score(similarity / len(response) if response else 0.0,
                 similarity / len(key) if key else 0.0)


# --------------------------------------------------------------------------------------------
# Systems
# --------------------------------------------------------------------------------------------

System = Callable[[object], Clusters]


def baseline_clusters(doc, labels: Container[str] | None = None) -> Clusters:
    """spaCy's named entities (of the given labels, or all), one cluster per distinct string."""
    clusters: dict[str, list[Span]] = {}
    for ent in doc.ents:
        if labels is None or ent.label_ in labels:
            clusters.setdefault(ent.text, []).append((ent.start_char, ent.end_char))
    return list(clusters.values())


def baseline_name_clusters(doc) -> Clusters:
    """The baseline on the labels of named things only (no dates or numbers)."""
    from extractors.arguments import ENTITY_LABELS

    return baseline_clusters(doc, ENTITY_LABELS)


def newsgraph_clusters(doc) -> Clusters:
    """newsgraph's entities of the document, as ``newsgraph entities --json`` prints them."""
    from graph.entities import doc_entities

    return [[(m["start"], m["end"]) for m in entity["mentions"]] for entity in doc_entities(doc)]


SYSTEMS: dict[str, System] = {
    "baseline, NER names": baseline_name_clusters,
    "baseline, all NER": baseline_clusters,
    "newsgraph": newsgraph_clusters,
}


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """The scores of one system on one corpus, with mention recall (heads found)."""

    corpus: str
    system: str
    muc: Score
    b_cubed: Score
    ceaf_e: Score
    mention_recall: float

    @property
    def conll_f1(self) -> float:
        return (self.muc.f1 + self.b_cubed.f1 + self.ceaf_e.f1) / 3

    def as_dict(self) -> dict[str, object]:
        row: dict[str, object] = {"corpus": self.corpus, "system": self.system}
        for name in ("muc", "b_cubed", "ceaf_e"):
            score = getattr(self, name)
            row[name] = {"precision": round(score.precision, 4),
                         "recall": round(score.recall, 4), "f1": round(score.f1, 4)}
        row["conll_f1"] = round(self.conll_f1, 4)
        row["mention_recall"] = round(self.mention_recall, 4)
        return row


def evaluate(documents: Sequence[GoldDocument], views: dict[str, Callable[[str], bool]],
             systems: Iterable[str] = SYSTEMS) -> list[Result]:
    """Score each named system on each view of the documents (a corpus name and the entity
    types it keeps); counts are pooled over the corpus.

    Clusters of all documents are scored together, each document's mentions kept apart,
    which is how the CoNLL scorer pools a corpus. Each document is parsed once.
    """
    from extractors import load_model

    nlp = load_model()
    systems = list(systems)
    keys: dict[str, Clusters] = {view: [] for view in views}
    responses = {(view, name): [] for view in views for name in systems}
    for number, doc in enumerate(nlp.pipe(d.text for d in documents)):
        predicted = {name: SYSTEMS[name](doc) for name in systems}
        for view, keep in views.items():
            document = documents[number].subset(keep)
            for name in systems:
                key, response = align(document, predicted[name])
                if name == systems[0]:
                    keys[view].extend(_tagged(number, key))
                responses[view, name].extend(_tagged(number, response))
    results = []
    for view in views:
        total = sum(len(cluster) for cluster in keys[view])
        for name in systems:
            response = responses[view, name]
            found = sum(len(cluster) for cluster in response)
            results.append(Result(view, name, muc(keys[view], response),
                                  b_cubed(keys[view], response), ceaf_e(keys[view], response),
                                  found / total if total else 0.0))
    return results


def _tagged(number: int, clusters: Clusters) -> Clusters:
    """Make spans unique across documents by prefixing the document number."""
    return [[(number, span) for span in cluster] for cluster in clusters]  # type: ignore[misc]


def _every_type(kind: str) -> bool:
    return True


def _named_type(kind: str) -> bool:
    return kind not in {"TIME", "NUM"}


LOADERS: dict[str, Callable[[], list[GoldDocument]]] = {
    "gum-news": load_gum, "re-docred-dev": load_redocred,
}
#: The scored views of each corpus: re-docred is also scored without its dates and numbers,
#: which the name-only baseline cannot find, so that the comparison with it is fair.
VIEWS: dict[str, dict[str, Callable[[str], bool]]] = {
    "gum-news": {"gum-news": _every_type},
    "re-docred-dev": {"re-docred-dev": _every_type, "re-docred-dev, names": _named_type},
}


def run(corpora: Iterable[str] = LOADERS, limit: int | None = None) -> list[Result]:
    """Evaluate every system on the named corpora (the first ``limit`` documents of each)."""
    results = []
    for corpus in corpora:
        results.extend(evaluate(LOADERS[corpus]()[:limit], VIEWS[corpus]))
    return results


def table(results: Sequence[Result]) -> str:
    """A Markdown table of results."""
    lines = ["| corpus | system | mention recall | MUC F1 | B³ P | B³ R | B³ F1 | CEAF-e F1 "
             "| CoNLL F1 |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r.corpus} | {r.system} | {r.mention_recall:.3f} | {r.muc.f1:.3f} "
                     f"| {r.b_cubed.precision:.3f} | {r.b_cubed.recall:.3f} "
                     f"| {r.b_cubed.f1:.3f} | {r.ceaf_e.f1:.3f} | {r.conll_f1:.3f} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=[*LOADERS, "all"], default="all")
    parser.add_argument("--limit", type=int, default=None, help="first N documents only")
    parser.add_argument("--json", action="store_true", help="print JSON rows")
    args = parser.parse_args(argv)
    if not CORPORA.is_dir():
        print(f"entities benchmark: {CORPORA} is absent", file=sys.stderr)
        return 1
    corpora = list(LOADERS) if args.corpus == "all" else [args.corpus]
    results = run(corpora, args.limit)
    if args.json:
        print(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
