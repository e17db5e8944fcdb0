"""Interactive HTML view of a knowledge graph: one self-contained, offline, deterministic page.

The page draws with the vis-network library that pyvis bundles, given the node and edge
records of pyvis's model (``pyvis.network.Network``) made here directly, and checked against
the ones pyvis makes by ``tests/graph/test_html.py``: pyvis's own ``add_edge`` looks each end
up in a list of every node, and importing ``pyvis.network`` imports IPython, a tenth of a
second or more per process. Nor are pyvis's templates used: those load
Bootstrap and tom-select from a CDN even with ``cdn_resources="in_line"``. Our template
(``graph/templates/html_view.*``) inlines every script and style, so the file opens from
``file://`` without a single network request.

Article text is untrusted. It reaches the page only as JSON inside a non-executed
``<script type="application/json">`` block, escaped so that it cannot close the block, and the
page's script turns it into DOM text nodes, never markup. A Content-Security-Policy that
allows only the page's own inline scripts (by hash) and no network access backs this up.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import heapq
import importlib.util
import json
import math
import os
import re
import zlib
from collections import Counter, deque
from collections.abc import Iterable
from functools import cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import networkx as nx
from markupsafe import Markup

from extractors.triple import Qualifiers
from graph.files import write_text_atomic
from graph.names import normalise_name

if TYPE_CHECKING:
    from extractors.triple import Triple
    from graph.knowledge_graph import KnowledgeGraph

__all__ = ["to_html"]

#: The edges drawn: their attributes by ``(source, target, key)``, in sorted order.
_Edges = dict[tuple[str, str, str], dict[str, Any]]

_TEMPLATES = Path(__file__).parent / "templates"
_VIS_DIR = ("lib", "vis-9.1.2")

# Colours for spaCy's NER labels, chosen to stay distinguishable next to each other; labels
# outside this table get a colour from _FALLBACK_COLOURS by a stable (crc32) hash of the label.
_TYPE_COLOURS = {
    "PERSON": "#e15759",
    "ORG": "#4e79a7",
    "GPE": "#59a14f",
    "NORP": "#f28e2b",
    "LOC": "#8cd17d",
    "FAC": "#b07aa1",
    "PRODUCT": "#76b7b2",
    "EVENT": "#edc948",
    "WORK_OF_ART": "#ff9da7",
    "LAW": "#9c755f",
    "LANGUAGE": "#86bcb6",
    "MONEY": "#d4a6c8",
    "DATE": "#a0cbe8",
    "TIME": "#a0cbe8",
    "PERCENT": "#d7b5a6",
    "QUANTITY": "#d7b5a6",
    "CARDINAL": "#c9c9a0",
    "ORDINAL": "#c9c9a0",
}
_FALLBACK_COLOURS = ("#499894", "#f1ce63", "#b6992d", "#d37295", "#fabfd2", "#79706e")
_UNTYPED_COLOUR = "#bab0ac"
_TYPE_NAMES = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "country, city, state",
    "NORP": "nationality, religious or political group",
    "LOC": "location",
    "FAC": "facility",
    "PRODUCT": "product",
    "EVENT": "event",
    "WORK_OF_ART": "work of art",
    "LAW": "law",
    "LANGUAGE": "language",
    "MONEY": "money",
    "DATE": "date",
    "TIME": "time",
    "PERCENT": "percent",
    "QUANTITY": "quantity",
    "CARDINAL": "number",
    "ORDINAL": "ordinal",
}

# Characters that must not appear raw in JSON inside <script>: "<" could start "</script>" or
# "<!--", ">" and "&" are escaped for symmetry with HTML-escaping rules, and U+2028/U+2029
# are line terminators to older JavaScript parsers.
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)

# Stabilisation runs before the first frame is drawn, so its iteration budget is the wait the
# reader sees. Big graphs get fewer iterations each (every one costs more); the page also
# stops stabilising after a fixed time (html_view.js). Measured in benchmarks/html_layout.py.
_MAX_ITERATIONS = 400
_MIN_ITERATIONS = 120
_ITERATION_BUDGET = 200_000  # roughly iterations x nodes that fit in ~2 s of headless Chromium
# Starting layout (before physics), in vis-network's units: neighbours about 60 apart, a bit
# under the spring length, so the disc starts slightly compressed and opens up.
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
_SUNFLOWER_STEP = 60.0 / math.sqrt(math.pi)  # sunflower points sit ~60 apart


def to_html(
    kg: KnowledgeGraph,
    path: str | os.PathLike[str] | None = None,
    *,
    title: str = "newsgraph",
    max_nodes: int = 500,
    focus: str | None = None,
    depth: int = 2,
) -> str:
    """Render ``kg`` as a self-contained interactive HTML page; write it to ``path`` if given.

    The page shows at most ``max_nodes`` entities: the most mentioned ones, or, with
    ``focus`` (an entity label or id), the ones within ``depth`` hops of that entity, nearest
    first. It says so when it shows a subset. The same graph always gives the same bytes.

    Raises ``ValueError`` for a ``focus`` that names no entity or a bad ``max_nodes``/``depth``.
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, got {max_nodes!r}")
    if depth < 0:
        raise ValueError(f"depth must not be negative, got {depth!r}")
    graph = kg.nx
    centre = _resolve_focus(graph, focus) if focus is not None else None
    shown = _select_nodes(graph, max_nodes, centre, depth)
    payload = _payload(graph, shown, centre, depth)
    page = _render(title, payload)
    if path is not None:
        write_text_atomic(Path(path), page)
    return page


def page_name(stem: str, focus: str | None = None) -> str:
    """The file name of a page drawn from the export ``stem``, around ``focus`` if given.

    >>> page_name("graph"), page_name("graph", "Ant Group"), page_name("g", "<Tencent>/x")
    ('graph.html', 'graph-ant-group.html', 'g-tencent-x.html')
    """
    slug = re.sub(r"\W+", "-", (focus or "").casefold()).strip("-")
    return f"{stem}-{slug}.html" if slug else f"{stem}.html"


# -- choosing what to show -----------------------------------------------------------------


def _ranked(graph: nx.MultiDiGraph, nodes: Iterable[str] | None = None,
            limit: int | None = None) -> list[str]:
    """The ids of ``nodes`` (default: every node), most important first
    (:func:`_by_importance`); with ``limit``, only the first ``limit`` of them. The degrees,
    which cost most, are then counted only for nodes mentioned as often as the ``limit``-th
    most mentioned one: no other can rank before it.
    """
    # networkx's own dicts: its views wrap every node and neighbour they hand out
    attributes, successors, predecessors = graph._node, graph._succ, graph._pred
    pairs = attributes.items() if nodes is None else ((node, attributes[node]) for node in nodes)
    mentions = {node: data.get("mentions", 0) for node, data in pairs}
    if limit is not None and limit < len(mentions):
        least = heapq.nlargest(limit, mentions.values())[-1]
        mentions = {node: count for node, count in mentions.items() if count >= least}
    degrees = ((node, sum(map(len, successors[node].values()))
                + sum(map(len, predecessors[node].values()))) for node in mentions)
    return _by_importance(mentions, degrees)[:limit]


def _ranked_within(graph: nx.MultiDiGraph, nodes: list[str],
                   edges: Iterable[tuple[str, str, str]]) -> list[str]:
    """``nodes`` most important first within the subgraph they make, whose edges are
    ``edges`` (networkx's subgraph views filter every neighbour of every node they count)."""
    degree = Counter(end for source, target, _ in edges for end in (source, target))
    mentions = {node: graph.nodes[node].get("mentions", 0) for node in nodes}
    return _by_importance(mentions, ((node, degree[node]) for node in nodes))


def _by_importance(mentions: dict[str, int], degrees: Iterable[tuple[str, int]]) -> list[str]:
    """The nodes of ``degrees`` ordered by how prominent each entity is: how often triples
    name it, then how many facts touch it, then by id so that the order is stable."""
    return [node for _, _, node in sorted((-mentions[node], -degree, node)
                                          for node, degree in degrees)]


def _edges_within(graph: nx.MultiDiGraph, nodes: list[str]) -> _Edges:
    """The edges between ``nodes``: their attributes by ``(source, target, key)``, sorted."""
    inside = set(nodes)
    successors = graph._succ  # networkx's own dicts: its views wrap every neighbour
    found = {(source, target, key): data for source in nodes
             for target in inside.intersection(successors[source])
             for key, data in successors[source][target].items()}
    return {edge: found[edge] for edge in sorted(found)}


def _edge_count(graph: nx.MultiDiGraph) -> int:
    """``len(graph.edges)``, counted in C: the view's own count takes a Python generator step
    per pair of neighbours."""
    return sum(map(len, chain.from_iterable(map(dict.values, graph._succ.values()))))


def _resolve_focus(graph: nx.MultiDiGraph, focus: str) -> str:
    """Find the node that ``focus`` names: an id, a name that normalises to one, or a label."""
    if focus in graph:
        return focus
    key = normalise_name(focus)
    if key in graph:
        return key
    wanted = focus.strip().casefold()
    for node in sorted(graph.nodes):
        data = graph.nodes[node]
        names = [data.get("label") or "", *data.get("aliases", [])]
        if any(name.casefold() == wanted for name in names):
            return node
    raise ValueError(f"no entity matches focus={focus!r}")


def _distances(graph: nx.MultiDiGraph, centre: str, depth: int) -> dict[str, int]:
    """Hop distance from ``centre`` to every node within ``depth``, ignoring edge direction."""
    seen = {centre: 0}
    queue = deque([centre])
    while queue:
        node = queue.popleft()
        if seen[node] == depth:
            continue
        for other in sorted({*graph.successors(node), *graph.predecessors(node)}):
            if other not in seen:
                seen[other] = seen[node] + 1
                queue.append(other)
    return seen


def _select_nodes(
    graph: nx.MultiDiGraph, max_nodes: int, centre: str | None, depth: int
) -> list[str]:
    """The ids to draw, most important (or, around a focus, nearest) first."""
    if centre is None:
        return _ranked(graph, limit=max_nodes)
    distance = _distances(graph, centre, depth)
    rank = {node: i for i, node in enumerate(_ranked(graph, distance))}
    return sorted(distance, key=lambda n: (distance[n], rank[n]))[:max_nodes]


# -- building the page's data --------------------------------------------------------------


def _type_colour(entity_type: str | None) -> str:
    if entity_type is None:
        return _UNTYPED_COLOUR
    if entity_type in _TYPE_COLOURS:
        return _TYPE_COLOURS[entity_type]
    return _FALLBACK_COLOURS[zlib.crc32(entity_type.encode("utf-8")) % len(_FALLBACK_COLOURS)]


def _darker(colour: str, factor: float = 0.7) -> str:
    """The same hue, darker: node borders and selection highlights."""
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * factor):02x}" for c in channels)


def _types(graph: nx.MultiDiGraph, shown: list[str]) -> list[dict[str, Any]]:
    """Legend entries, most common type first. ``group`` is a safe vis-network group id:
    raw NER labels could collide with vis's own option names."""
    counts = Counter(graph.nodes[n].get("type") for n in shown)
    ordered = sorted(counts, key=lambda t: (-counts[t], t is None, t or ""))
    return [
        {
            "group": f"t{i}",
            "type": entity_type,
            "name": _TYPE_NAMES.get(entity_type or "", "untyped" if entity_type is None else ""),
            "colour": _type_colour(entity_type),
            "count": counts[entity_type],
        }
        for i, entity_type in enumerate(ordered)
    ]


def _vis_groups(types: list[dict[str, Any]]) -> dict[str, Any]:
    groups = {}
    for entry in types:
        fill, border = entry["colour"], _darker(entry["colour"])
        groups[entry["group"]] = {
            "color": {
                "background": fill,
                "border": border,
                "highlight": {"background": fill, "border": "#1f2933"},
                "hover": {"background": fill, "border": "#1f2933"},
            }
        }
    return groups


def _stabilisation_iterations(node_count: int) -> int:
    """Enough iterations to untangle small graphs, bounded so big ones appear within seconds."""
    budget = _ITERATION_BUDGET // max(node_count, 1)
    return max(_MIN_ITERATIONS, min(_MAX_ITERATIONS, budget))


def _vis_options(node_count: int, types: list[dict[str, Any]]) -> dict[str, Any]:
    """vis-network options: physics that settles fast, then is switched off by the page."""
    spread = math.log10(max(node_count, 1))
    return {
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -70,
                "centralGravity": 0.012,
                "springLength": 90,
                "springConstant": 0.08,
                "damping": 0.6,
                "avoidOverlap": 0.3,
                # Coarser Barnes-Hut approximation than the default 0.5: repulsion is most
                # of an iteration's cost (75 ms at 5,000 nodes), about half of it at 0.8-0.9,
                # with no visible loss.
                "theta": 0.8,
            },
            "maxVelocity": 60,
            "minVelocity": 1,
            "timestep": 0.5,
            "adaptiveTimestep": True,
            "stabilization": {
                "enabled": True,
                "iterations": _stabilisation_iterations(node_count),
                "updateInterval": 10,  # also how often the page checks its time limit
                "fit": True,
            },
        },
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "borderWidthSelected": 3,
            "font": {"size": 13, "color": "#1f2933", "strokeWidth": 3, "strokeColor": "#ffffff"},
            # Importance drives both dot and label size. Labels vanish once drawn smaller
            # than drawThreshold, so zooming out leaves only the prominent entities named.
            # Big graphs are seen from further away: their top sizes grow with them.
            "scaling": {
                "min": 7,
                "max": round(20 + 4 * spread),
                "label": {"enabled": True, "min": 11, "max": round(16 + 6 * spread),
                          "drawThreshold": 7, "maxVisible": 30},
            },
        },
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "arrowStrikethrough": False,
            "color": {"color": "#9aa5b1", "highlight": "#323f4b", "hover": "#323f4b",
                      "inherit": False},
            # Relation labels only appear once zoomed in far enough to read them; the hover
            # tooltip and the side panel show them at any zoom.
            "font": {"size": 10, "color": "#52606d", "strokeWidth": 3, "strokeColor": "#ffffff",
                     "align": "middle"},
            "scaling": {"label": {"drawThreshold": 10}},
            "selectionWidth": 2,
            "hoverWidth": 1,
        },
        "groups": _vis_groups(types),
        "interaction": {
            "hover": True,
            "hideEdgesOnDrag": node_count > 1500,
            "tooltipDelay": 100,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": False,
        },
    }


def _node_value(mentions: int) -> float:
    """Dot size input: logarithmic, so that one hub does not shrink every other entity."""
    return round(1 + math.log2(1 + max(mentions, 0)), 3)


@cache  # a few distinct supports across thousands of edges
def _edge_width(support: int) -> float:
    return round(1 + min(4.0, math.log2(max(support, 1))), 3)


def _parallel_smoothing(edges: Iterable[tuple[str, str, str]]) -> list[dict[str, Any] | None]:
    """Curve the 2nd, 3rd... edge between the same two entities so they do not overlap."""
    seen: dict[tuple[str, str], int] = {}
    shapes: list[dict[str, Any] | None] = []
    for u, v, _ in edges:
        pair = (u, v) if u <= v else (v, u)
        index = seen.get(pair, 0)
        seen[pair] = index + 1
        shapes.append(
            None if index == 0 or u == v
            else {"enabled": True, "type": "curvedCW", "roundness": round(0.2 * index, 2)}
        )
    return shapes


def _neighbours(nodes: list[str], edges: Iterable[tuple[str, str, str]]) -> dict[str, list[str]]:
    """Undirected adjacency within ``nodes``, whose edges are ``edges``, each list in the
    order of ``nodes``."""
    order = {node: i for i, node in enumerate(nodes)}
    adjacent: dict[str, set[str]] = {node: set() for node in nodes}
    for source, target, _ in edges:
        if source != target:
            adjacent[source].add(target)
            adjacent[target].add(source)
    return {node: sorted(others, key=order.__getitem__) for node, others in adjacent.items()}


def _bfs_order(root: str, neighbours: dict[str, list[str]], seen: set[str]) -> list[str]:
    """Breadth-first order of the nodes of ``root``'s component; marks them seen."""
    seen.add(root)
    order = [root]
    for node in order:  # grows while iterating: a queue without pops
        for other in neighbours[node]:
            if other not in seen:
                seen.add(other)
                order.append(other)
    return order


def _initial_positions(nodes: list[str],
                       edges: Iterable[tuple[str, str, str]]) -> dict[str, list[float]]:
    """Starting positions for the physics: one compact sunflower (phyllotaxis) disc, filled
    from the centre in breadth-first order from the most important entity of each connected
    component, so that hubs start central and neighbours start near each other.

    vis-network's own start (improvedLayout off) puts every node on the rim of one big
    circle, which takes hundreds of iterations to pull in; from a disc the physics converges
    sooner and still looks sensible when the page cuts stabilisation short. ``nodes`` must
    be ordered by importance; ``edges`` are the edges between them. Rounded, so that the
    page's bytes do not depend on float noise.
    """
    neighbours = _neighbours(nodes, edges)
    seen: set[str] = set()
    order: list[str] = []
    for root in nodes:
        if root not in seen:
            order += _bfs_order(root, neighbours, seen)
    positions = {}
    for k, node in enumerate(order):
        radius, angle = _SUNFLOWER_STEP * math.sqrt(k + 0.5), k * _GOLDEN_ANGLE
        positions[node] = [round(radius * math.cos(angle), 1), round(radius * math.sin(angle), 1)]
    return positions


def _evidence_order(triple: Triple) -> tuple:
    p = triple.provenance
    return (p.doc_id, p.sentence_index, triple.subject.start, triple.relation.text,
            triple.object.start, p.rule)


class _Tables:
    """Documents and sentences, each stored once and referred to by index from evidence."""

    def __init__(self, documents: dict[str, dict[str, Any]]) -> None:
        self.doc_ids = sorted(documents)
        self.documents = [
            {"id": d, "title": documents[d].get("title"), "source": documents[d].get("source")}
            for d in self.doc_ids
        ]
        self._doc_index = {d: i for i, d in enumerate(self.doc_ids)}
        self._sentences: dict[tuple[str, int, str], int] = {}
        self.sentences: list[dict[str, Any]] = []

    def doc(self, doc_id: str) -> int:
        if doc_id not in self._doc_index:  # evidence from a document without metadata
            self._doc_index[doc_id] = len(self.documents)
            self.documents.append({"id": doc_id, "title": None, "source": None})
        return self._doc_index[doc_id]

    def sentence(self, triple: Triple) -> int:
        p = triple.provenance
        key = (p.doc_id, p.sentence_index, p.sentence)
        if key not in self._sentences:
            self._sentences[key] = len(self.sentences)
            self.sentences.append(
                {"doc": self.doc(p.doc_id), "index": p.sentence_index, "text": p.sentence}
            )
        return self._sentences[key]


#: The qualifiers of a triple that its evidence shows, by their field names.
_QUALIFIERS = tuple(field.name for field in dataclasses.fields(Qualifiers))


def _span(start: int, end: int, offset: int, length: int) -> list[int] | None:
    """An argument's character span relative to its sentence, or None when it falls outside."""
    begin, stop = start - offset, end - offset
    return [begin, stop] if 0 <= begin < stop <= length else None


def _evidence(triple: Triple, tables: _Tables) -> dict[str, Any]:
    p, q = triple.provenance, triple.qualifiers
    item: dict[str, Any] = {
        "sentence": tables.sentence(triple), "confidence": triple.confidence, "rule": p.rule,
    }
    # What is absent is left out: most evidence has no qualifiers, and the page treats a
    # missing key like null/false/[]. (Identity, not falsiness: "" is a value.)
    length = len(p.sentence)
    span = _span(triple.subject.start, triple.subject.end, p.sentence_start, length)
    if span is not None:
        item["subjectSpan"] = span
    span = _span(triple.object.start, triple.object.end, p.sentence_start, length)
    if span is not None:
        item["objectSpan"] = span
    for name in _QUALIFIERS:
        value = getattr(q, name)
        if value is not None and value is not False:
            item[name] = value
    if triple.extras:
        item["extras"] = list(triple.extra_args)
    return item


def _network(
    graph: nx.MultiDiGraph, ranked: list[str], edges: _Edges, types: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The vis-network nodes and edges of the drawn subgraph (``ranked``: its nodes, most
    important first; ``edges``: its edges), as pyvis's ``Network(directed=True)`` makes
    them. Node ids are positions in ``sorted(ranked)`` and edge ids positions in ``edges``,
    so the page carries no random ids."""
    group_of = {entry["type"]: entry["group"] for entry in types}
    nodes = sorted(ranked)
    index = {node: i for i, node in enumerate(nodes)}
    start = _initial_positions(ranked, edges)
    attributes = graph._node  # networkx's own dicts: its views check every look-up
    vis_nodes = []
    for node in nodes:
        data = attributes[node]
        x, y = start[node]
        vis_nodes.append({"id": index[node], "label": data.get("label") or node or "(unnamed)",
                          "shape": "dot", "group": group_of[data.get("type")],
                          "value": _node_value(data.get("mentions", 0)), "x": x, "y": y})
    vis_edges = []
    for i, (((u, v, key), data), smooth) in enumerate(
            zip(edges.items(), _parallel_smoothing(edges), strict=True)):
        edge = {"id": i, "from": index[u], "to": index[v], "arrows": "to",
                "label": data.get("label") or key, "width": _edge_width(data.get("support", 0))}
        if smooth:
            edge["smooth"] = smooth
        if data.get("asserted", 0) == 0:
            edge["dashes"] = True  # only negated, hedged or reported evidence
        vis_edges.append(edge)
    return vis_nodes, vis_edges


def _entities(graph: nx.MultiDiGraph, ranked: list[str], tables: _Tables) -> list[dict]:
    rank = {node: i for i, node in enumerate(ranked)}
    entities = []
    for node in sorted(ranked):
        data = graph.nodes[node]
        entities.append({
            "key": node,
            "label": data.get("label") or node,
            "type": data.get("type"),
            "aliases": list(data.get("aliases", [])),
            "mentions": data.get("mentions", 0),
            "documents": [tables.doc(d) for d in data.get("documents", [])],
            "rank": rank[node],
        })
    return entities


def _facts(edges: _Edges, tables: _Tables) -> list:
    facts = []
    for (_, _, key), data in edges.items():
        evidence = data.get("evidence", [])
        if len(evidence) > 1:  # most facts have one
            evidence = sorted(evidence, key=_evidence_order)
        facts.append({
            "relation": data.get("relation", key),
            "label": data.get("label") or key,
            "support": data.get("support", len(evidence)),
            "asserted": data.get("asserted", 0),
            "confidence": data.get("confidence", 0.0),
            "evidence": [_evidence(t, tables) for t in evidence],
        })
    return facts


def _summary(
    graph: nx.MultiDiGraph, shown: list[str], edge_count: int, total_edges: int,
    centre: str | None, depth: int
) -> str:
    """One sentence that tells the reader whether, and how much of, the graph is left out."""
    total_nodes = graph.number_of_nodes()
    counts = (f"{len(shown):,} of {total_nodes:,} entities and "
              f"{edge_count:,} of {total_edges:,} facts")
    if centre is not None:
        label = graph.nodes[centre].get("label") or centre
        hops = "hop" if depth == 1 else "hops"
        return f"Showing the neighbourhood of “{label}” within {depth} {hops}: {counts}."
    if len(shown) < total_nodes:
        return f"Showing {counts} (the most mentioned entities)."
    return f"Showing all {total_nodes:,} entities and {total_edges:,} facts."


def _payload(
    graph: nx.MultiDiGraph, shown: list[str], centre: str | None, depth: int
) -> dict[str, Any]:
    types = _types(graph, shown)
    edges = _edges_within(graph, shown)
    ranked = _ranked_within(graph, shown, edges)
    vis_nodes, vis_edges = _network(graph, ranked, edges, types)
    tables = _Tables(graph.graph.get("documents", {}))
    entities = _entities(graph, ranked, tables)
    facts = _facts(edges, tables)
    relations = Counter(fact["relation"] for fact in facts)
    nodes = sorted(shown)
    total_edges = _edge_count(graph)
    return {
        "nodes": vis_nodes,
        "edges": vis_edges,
        "options": _vis_options(len(shown), types),
        "entities": entities,
        "facts": facts,
        "types": types,
        "relations": [[r, n] for r, n in sorted(relations.items(), key=lambda rn: (-rn[1], rn[0]))],
        "documents": tables.documents,
        "sentences": tables.sentences,
        "view": {
            "summary": _summary(graph, shown, len(edges), total_edges, centre, depth),
            "shownEntities": len(shown),
            "totalEntities": graph.number_of_nodes(),
            "shownFacts": len(edges),
            "totalFacts": total_edges,
            "focus": nodes.index(centre) if centre is not None else None,
            "depth": depth,
        },
    }


# -- rendering and writing -----------------------------------------------------------------


def _script_json(value: Any) -> str:
    r"""Serialise ``value`` as JSON that is safe inside an HTML ``<script>`` element.

    >>> print(_script_json({"x": "</script> & <!--"}))
    {"x":"\u003c/script\u003e \u0026 \u003c!--"}
    """
    # No cycle check: every payload is a tree made for the page.
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False, check_circular=False)
    # One replace per character present: they are rare, and a translate table looks up
    # every character of a page of megabytes (``in`` scans for one faster than replace
    # counts it). No escape holds a character escaped after it.
    for character, escape in _SCRIPT_ESCAPES.items():
        if character in text:
            text = text.replace(character, escape)
    return text


def _normalise_newlines(text: str) -> str:
    # The HTML parser turns CR and CRLF into LF before a script runs, so a script's CSP hash
    # must be computed over the LF form.
    return text.replace("\r\n", "\n").replace("\r", "\n")


@cache
def _assets() -> dict[str, str]:
    """vis-network (from pyvis) and the page's own script and style, read once per process."""
    # Found without importing pyvis, whose package imports IPython.
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed: the page needs its vis-network library")
    vis = Path(spec.submodule_search_locations[0]).joinpath(*_VIS_DIR)
    assets = {
        "vis_js": (vis / "vis-network.min.js").read_text(encoding="utf-8"),
        "vis_css": (vis / "vis-network.css").read_text(encoding="utf-8"),
        "app_js": (_TEMPLATES / "html_view.js").read_text(encoding="utf-8"),
        "app_css": (_TEMPLATES / "html_view.css").read_text(encoding="utf-8"),
    }
    # The source map is not shipped; its comment would only make DevTools try to fetch it.
    assets["vis_js"] = _SOURCE_MAP.sub("", assets["vis_js"])
    assets = {name: _normalise_newlines(text) for name, text in assets.items()}
    for name, text in assets.items():
        # They are inlined verbatim; a closing tag inside would end the element early.
        closing = "</script" if name.endswith("js") else "</style"
        if closing in text.lower():
            raise RuntimeError(f"asset {name} contains {closing!r} and cannot be inlined")
    return assets


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _content_security_policy(assets: dict[str, str]) -> str:
    """Only our own inline scripts and styles run; nothing may be fetched but data: images
    (vis-network's stylesheet embeds its icons)."""
    scripts = " ".join(_csp_hash(assets[name]) for name in ("vis_js", "app_js"))
    styles = " ".join(_csp_hash(assets[name]) for name in ("vis_css", "app_css"))
    return (f"default-src 'none'; script-src {scripts}; style-src {styles}; img-src data:; "
            "base-uri 'none'; form-action 'none'")


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(_TEMPLATES),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("html_view.html")


def _render(title: str, payload: dict[str, Any]) -> str:
    assets = _assets()
    return _template().render(
        title=title,
        summary=payload["view"]["summary"],
        csp=_content_security_policy(assets),
        data_json=Markup(_script_json(payload)),
        **{name: Markup(text) for name, text in assets.items()},
    )
