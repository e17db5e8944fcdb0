"""The HTML view: offline, safe with hostile text, deterministic, and usable in a real browser."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from extractors.triple import Argument, Provenance, Qualifiers, Relation, Triple
from graph.html import _edges_within, _network, _ranked_within, _script_json, _types, to_html
from graph.knowledge_graph import KnowledgeGraph
from graph.names import display_name

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "javascript:alert(3)",
    "\"quoted\" 'single' `tick`",
    "{{ 7*7 }} {% raw %}",
]


def fact(subject: str, relation: str, obj: str, sentence: str, *, doc: str = "d1",
         index: int = 0, subject_type: str | None = None, object_type: str | None = None,
         qualifiers: Qualifiers | None = None, confidence: float = 0.7) -> Triple:
    """A triple whose argument offsets point into ``sentence`` (or 0 when absent from it)."""
    def argument(text: str, entity_type: str | None) -> Argument:
        start = max(sentence.find(text), 0)
        return Argument(text, start, start + len(text), text, start, start + len(text),
                        entity_type)

    return Triple(argument(subject, subject_type), Relation(relation, relation),
                  argument(obj, object_type),
                  Provenance(doc, index, 0, len(sentence), sentence, "active_clause"),
                  qualifiers or Qualifiers(), confidence)


def news_graph() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    kg.add_triples([
        fact("Regulators", "fined", "Ant Group", "Regulators fined Ant Group $1bn on Monday.",
             object_type="ORG", qualifiers=Qualifiers(time="on Monday", amount="$1bn")),
        fact("Ant Group", "owns", "Alipay", "Ant Group owns Alipay, a payment app.", index=1,
             subject_type="ORG", object_type="PRODUCT"),
        fact("Jack Ma", "founded", "Ant Group", "Jack Ma founded Ant Group, Reuters said.",
             index=2, subject_type="PERSON", object_type="ORG",
             qualifiers=Qualifiers(attribution="Reuters")),
    ], doc_id="d1", title="Ant Group fined", source="https://example.com/ant")
    kg.add_triples([
        fact("China", "did not ban", "Alipay", "China did not ban Alipay.", doc="d2",
             subject_type="GPE", object_type="PRODUCT", qualifiers=Qualifiers(negated=True)),
    ], doc_id="d2", title="No ban for Alipay", source=None)
    return kg


def hostile_graph() -> KnowledgeGraph:
    kg = KnowledgeGraph()
    triples = []
    for i, text in enumerate(HOSTILE):
        sentence = f"{text} attacked Victim {i} while {HOSTILE[(i + 1) % len(HOSTILE)]} watched."
        triples.append(fact(text, "attacked", f"Victim {i}", sentence, index=i,
                            subject_type=text, qualifiers=Qualifiers(attribution=text, time=text)))
    kg.add_triples(triples, doc_id="d1", title=HOSTILE[0] + HOSTILE[1], source=HOSTILE[2])
    return kg


def chain_graph(length: int) -> KnowledgeGraph:
    """Entity 0 -> Entity 1 -> ...; fact i is stated i+1 times, so later entities are
    mentioned more."""
    kg = KnowledgeGraph()
    for i in range(length - 1):
        sentence = f"Entity {i} met Entity {i + 1}."
        kg.add_triples([fact(f"Entity {i}", "met", f"Entity {i + 1}", sentence, index=i)] * (i + 1))
    return kg


def node_id(page: Any, label: str) -> int:
    return page.evaluate(
        "label => window.newsgraph.data.entities.findIndex(e => e.label === label)", label)


def node_screen_position(page: Any, node: int) -> tuple[float, float]:
    point = page.evaluate("""node => {
        const network = window.newsgraph.network;
        const dom = network.canvasToDOM(network.getPositions([node])[node]);
        const box = document.getElementById("graph").getBoundingClientRect();
        return [box.left + dom.x, box.top + dom.y];
    }""", node)
    return point[0], point[1]


# -- the page in a browser -----------------------------------------------------------------


def test_page_draws_every_node_offline_without_errors(tmp_path: Path, open_page) -> None:
    kg = news_graph()
    path = tmp_path / "graph.html"
    kg.to_html(path, title="Ant Group")
    opened = open_page(path)
    page = opened.page
    assert page.locator("#graph canvas").count() == 1
    assert page.evaluate("window.newsgraph.nodes.length") == len(kg) == 5
    assert page.evaluate("window.newsgraph.edges.length") == kg.nx.number_of_edges() == 4
    assert page.evaluate("window.newsgraph.network.body.nodeIndices.length") == 5
    assert "Showing all 5 entities and 4 facts" in page.inner_text("#summary")
    legend = page.inner_text("#legend")
    assert "organisation (ORG)" in legend and "person (PERSON)" in legend
    sentences = page.evaluate("""() => {
        const view = window.newsgraph, shown = [];
        const grab = () => shown.push(...Array.from(document.querySelectorAll("#panel .sentence"),
                                                    q => q.textContent));
        view.data.nodes.forEach(node => { view.showNode(node.id); grab(); });
        view.data.edges.forEach(edge => { view.showEdge(edge.id); grab(); });
        return [...new Set(shown)].sort();
    }""")
    assert sentences == sorted(t.provenance.sentence for t in kg.triples())
    assert opened.errors == []
    assert opened.requests == []


def test_markup_references_nothing_remote() -> None:
    class Collect(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.references: list[tuple[str, str, str]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            for name, value in attrs:
                if name in {"src", "href", "action", "srcset", "data"}:
                    self.references.append((tag, name, value or ""))

    parser = Collect()
    parser.feed(to_html(news_graph()))
    assert parser.references == [("link", "href", "data:,")]


def test_layout_freezes_after_stabilising(tmp_path: Path, open_page) -> None:
    path = tmp_path / "graph.html"
    to_html(news_graph(), path)
    page = open_page(path).page
    positions = "JSON.stringify(window.newsgraph.network.getPositions())"
    before = page.evaluate(positions)
    page.wait_for_timeout(400)
    assert page.evaluate(positions) == before
    assert page.evaluate("window.newsgraph.network.physics.physicsEnabled") is False
    page.click("#physics")
    assert page.get_attribute("#physics", "aria-pressed") == "true"
    assert page.evaluate("window.newsgraph.network.physics.physicsEnabled") is True


def test_search_centres_on_label_and_click_shows_sentence(tmp_path: Path, open_page) -> None:
    path = tmp_path / "graph.html"
    to_html(news_graph(), path)
    opened = open_page(path)
    page = opened.page
    target = node_id(page, "Jack Ma")
    page.fill("#search", "jack m")  # a label prefix, in another case
    page.press("#search", "Enter")
    assert page.inner_text("#search-status") == "1 match"
    assert page.evaluate("window.newsgraph.network.getSelectedNodes()") == [target]
    x, y = node_screen_position(page, target)
    box = page.locator("#graph").bounding_box()
    assert abs(x - (box["x"] + box["width"] / 2)) < 2
    assert abs(y - (box["y"] + box["height"] / 2)) < 2

    page.click("#panel-close")
    assert page.locator("#panel").is_hidden()
    page.mouse.click(x, y)
    panel = page.locator("#panel")
    assert panel.is_visible()
    assert page.inner_text("#panel h2") == "Jack Ma"
    sentences = page.locator("#panel .sentence").all_inner_texts()
    assert "Jack Ma founded Ant Group, Reuters said." in sentences
    text = panel.inner_text()
    assert "Ant Group fined" in text  # document title
    assert "reported by: Reuters" in text
    assert opened.errors == []


def test_clicking_an_edge_shows_its_qualifiers(tmp_path: Path, open_page) -> None:
    path = tmp_path / "graph.html"
    to_html(news_graph(), path)
    page = open_page(path).page
    china, alipay = node_id(page, "China"), node_id(page, "Alipay")
    (x1, y1), (x2, y2) = node_screen_position(page, china), node_screen_position(page, alipay)
    page.mouse.click((x1 + x2) / 2, (y1 + y2) / 2)
    text = page.inner_text("#panel")
    assert "China did not ban Alipay." in text
    assert "negated" in text
    assert "No ban for Alipay" in text
    edge = page.evaluate("window.newsgraph.network.getSelectedEdges()")
    assert len(edge) == 1


def test_unknown_search_reports_no_match(tmp_path: Path, open_page) -> None:
    path = tmp_path / "graph.html"
    to_html(news_graph(), path)
    page = open_page(path).page
    page.fill("#search", "ant group")  # the id; matches the label too, case-insensitively
    page.press("#search", "Enter")
    assert page.inner_text("#search-status") == "1 match"
    page.fill("#search", "nobody at all")
    page.press("#search", "Enter")
    assert page.inner_text("#search-status") == "no match"
    assert page.evaluate("window.newsgraph.network.getSelectedNodes()") == []


def test_filters_hide_types_relations_and_weak_facts(tmp_path: Path, open_page) -> None:
    path = tmp_path / "graph.html"
    to_html(news_graph(), path)
    page = open_page(path).page
    hidden_nodes = "window.newsgraph.nodes.get({filter: n => n.hidden}).map(n => n.label).sort()"
    hidden_edges = "window.newsgraph.edges.get({filter: e => e.hidden}).map(e => e.label).sort()"

    page.locator("#legend label", has_text="person").locator("input").uncheck()
    assert page.evaluate(hidden_nodes) == ["Jack Ma"]
    assert page.evaluate(hidden_edges) == ["founded"]
    page.locator("#legend label", has_text="person").locator("input").check()

    page.locator("#relations label", has_text="owns").locator("input").uncheck()
    assert page.evaluate(hidden_edges) == ["owns"]
    page.click("#relations-all")
    assert page.evaluate(hidden_edges) == []

    page.eval_on_selector("#min-confidence", """input => {
        input.value = "0.8";
        input.dispatchEvent(new Event("input"));
    }""")
    assert page.evaluate(hidden_nodes) == ["Alipay", "Ant Group", "China", "Jack Ma",
                                           "Regulators"]
    assert "0 entities and 0 facts visible" in page.inner_text("#visible-count")


def test_hostile_text_stays_text(tmp_path: Path, open_page) -> None:
    path = tmp_path / "hostile.html"
    title = HOSTILE[1] + HOSTILE[0]
    html = to_html(hostile_graph(), path, title=title)
    # Our three <script> elements only: data, vis-network and the view.
    assert html.lower().count("</script") == 3
    assert HOSTILE[1] not in html and HOSTILE[0] not in html

    opened = open_page(path)
    page = opened.page
    assert page.title() == title
    assert page.inner_text("h1") == title
    for i, text in enumerate(HOSTILE):
        node = node_id(page, display_name(text))  # the label drops edge punctuation
        assert node >= 0
        page.evaluate("id => window.newsgraph.showNode(id)", node)
        panel = page.inner_text("#panel")
        assert page.inner_text("#panel h2") == display_name(text)
        assert f"reported by: {text}" in panel
        assert f"{text} attacked Victim {i} while" in panel
    for edge in range(len(HOSTILE)):
        page.evaluate("id => window.newsgraph.showEdge(id)", edge)
        ends = page.evaluate("id => [window.newsgraph.data.edges[id].from, "
                             "window.newsgraph.data.edges[id].to]", edge)
        (x1, y1), (x2, y2) = (node_screen_position(page, end) for end in ends)
        page.mouse.move(x1, y1)  # node tooltip
        page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2)  # edge tooltip
    page.fill("#search", HOSTILE[0])
    page.press("#search", "Enter")
    page.wait_for_timeout(300)
    assert opened.dialogs == []
    assert opened.errors == []
    assert opened.requests == []
    assert page.locator("img").count() == 0
    assert page.locator("script").count() == 3
    assert page.locator("a[href^='javascript']").count() == 0
    assert HOSTILE[2] in page.inner_text("#panel")  # the source, shown as plain text
    legend = page.inner_text("#legend")
    assert HOSTILE[0] in legend and "{{ 7*7 }}" in legend


def test_a_thousand_nodes_are_drawn_and_laid_out(tmp_path: Path, open_page) -> None:
    # How fast the layout settles is measured in benchmarks/html_layout.py, not here.
    from benchmarks.html_layout import synthetic_graph

    path = tmp_path / "big.html"
    to_html(synthetic_graph(1000), path, max_nodes=1000)
    opened = open_page(path)
    page = opened.page
    assert page.evaluate("window.newsgraph.nodes.length") == 1000
    assert page.get_attribute("body", "data-layout") == "done"
    assert opened.errors == []


# -- choosing what to show -----------------------------------------------------------------


def test_capped_graph_shows_most_mentioned_and_says_so(tmp_path: Path, open_page) -> None:
    kg = chain_graph(30)
    path = tmp_path / "capped.html"
    html = to_html(kg, path, max_nodes=10)
    assert "Showing 10 of 30 entities and 9 of 29 facts (the most mentioned entities)." in html
    page = open_page(path).page
    assert "Showing 10 of 30 entities" in page.inner_text("#summary")
    labels = page.evaluate("window.newsgraph.data.entities.map(e => e.label)")
    # mentions: 2i+1 for entity i < 29 (subject i+1 times, object i times), 29 for the last
    assert sorted(labels) == sorted(f"Entity {i}" for i in range(19, 29))


def test_thousands_separators_in_subset_message() -> None:
    kg = KnowledgeGraph()
    kg.add_triples([fact(f"Person {i}", "met", f"Person {i + 1}", "They met.", index=i)
                    for i in range(1200)])
    html = to_html(kg, max_nodes=500)
    assert "Showing 500 of 1,201 entities" in html


def test_focus_renders_the_neighbourhood(tmp_path: Path, open_page) -> None:
    kg = chain_graph(9)
    html = to_html(kg, focus="Entity 4", depth=2)
    labels = re.findall(r'"label":"(Entity \d)"', html)
    assert sorted(set(labels)) == [f"Entity {i}" for i in range(2, 7)]
    assert "neighbourhood of “Entity 4” within 2 hops: 5 of 9 entities" in html
    assert to_html(kg, focus="entity 4", depth=2) == html  # the id works as well

    path = tmp_path / "focus.html"
    to_html(kg, path, focus="Entity 4", depth=1)
    page = open_page(path).page
    assert page.evaluate("window.newsgraph.nodes.length") == 3
    assert page.inner_text("#panel h2") == "Entity 4"  # the focus opens with its facts


def test_focus_with_cap_keeps_the_nearest() -> None:
    html = to_html(chain_graph(9), focus="Entity 4", depth=3, max_nodes=3)
    labels = sorted(set(re.findall(r'"label":"(Entity \d)"', html)))
    assert labels == ["Entity 3", "Entity 4", "Entity 5"]


def test_bad_arguments_are_refused() -> None:
    kg = news_graph()
    with pytest.raises(ValueError, match="no entity matches"):
        to_html(kg, focus="Nobody")
    with pytest.raises(ValueError, match="max_nodes"):
        to_html(kg, max_nodes=0)
    with pytest.raises(ValueError, match="depth"):
        to_html(kg, focus="Alipay", depth=-1)


def test_empty_graph_renders(tmp_path: Path, open_page) -> None:
    path = tmp_path / "empty.html"
    to_html(KnowledgeGraph(), path)
    opened = open_page(path)
    assert opened.page.evaluate("window.newsgraph.nodes.length") == 0
    assert opened.errors == []


# -- output --------------------------------------------------------------------------------


def test_same_graph_gives_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    to_html(news_graph(), first)
    to_html(news_graph(), second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == to_html(news_graph()).encode("utf-8")


def test_output_does_not_depend_on_hash_seed() -> None:
    script = ("import hashlib, sys; sys.path.insert(0, 'tests/graph'); "
              "from test_html import news_graph, hostile_graph; from graph.html import to_html; "
              "print(hashlib.sha256((to_html(news_graph()) + to_html(hostile_graph()))"
              ".encode()).hexdigest())")
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                                capture_output=True, text=True, check=True)
        digests.add(result.stdout.strip())
    local = to_html(news_graph()) + to_html(hostile_graph())
    assert digests == {hashlib.sha256(local.encode()).hexdigest()}


def test_rendering_imports_neither_pyvis_nor_ipython() -> None:
    # Only pyvis's bundled vis-network files are read; its package imports IPython, a tenth
    # of a second or more in every process that builds a page.
    script = ("import sys; sys.path.insert(0, 'tests/graph'); from test_html import news_graph; "
              "from graph.html import to_html; to_html(news_graph()); "
              "print([name for name in ('pyvis', 'IPython') if name in sys.modules])")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("graph", [news_graph, hostile_graph, lambda: chain_graph(40)],
                         ids=["news", "hostile", "chain"])
def test_vis_records_are_what_pyvis_makes(graph) -> None:
    """The page's node and edge records equal those pyvis's own model makes from the same
    nodes and edges (they are made directly only to skip its costs: see graph.html)."""
    from pyvis.network import Network

    view = graph().nx
    shown = list(view)
    edges = _edges_within(view, shown)
    ranked = _ranked_within(view, shown, edges)
    nodes, links = _network(view, ranked, edges, _types(view, shown))
    net = Network(directed=True)
    for node in nodes:  # what pyvis is told; it adds the rest ("shape", "arrows")
        net.add_node(node["id"], **{key: node[key] for key in ("label", "group", "value", "x",
                                                               "y")})
    for link in links:
        net.add_edge(link["from"], link["to"],
                     **{key: link[key] for key in ("id", "label", "width", "smooth", "dashes")
                        if key in link})
    assert (net.nodes, net.edges) == (nodes, links)
    assert links, "a graph without edges would check nothing"


def test_write_is_atomic_and_utf8(tmp_path: Path) -> None:
    kg = KnowledgeGraph()
    sentence = "Zürich hosted Société Générale."
    kg.add_triples([fact("Zürich", "hosted", "Société Générale", sentence)])
    path = tmp_path / "out.html"
    path.write_text("old")
    returned = to_html(kg, path)
    assert path.read_bytes() == returned.encode("utf-8")
    assert "Société Générale" in path.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]  # no temp file left


def test_script_json_cannot_end_the_script() -> None:
    encoded = _script_json(["</script>", "<!--", "a&b", "\u2028\u2029"])
    assert encoded == r'["\u003c/script\u003e","\u003c!--","a\u0026b","\u2028\u2029"]'
