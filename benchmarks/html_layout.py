"""How long the HTML view takes to reach a still layout, for synthetic graphs of growing size.

Run with ``python benchmarks/html_layout.py [SIZES...]`` (default 100 1000 5000). For each size
it renders a synthetic news-like graph (a few hubs, many small entities, preferential
attachment), opens it from file:// in headless Chromium (Debian's /usr/bin/chromium) and
reports the time from navigation start until the page switched physics off after
stabilisation, then checks that nothing moves any more. A benchmark, not a test: it prints a
table and asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.triple import Argument, Provenance, Qualifiers, Relation, Triple  # noqa: E402
from graph.html import to_html  # noqa: E402
from graph.knowledge_graph import KnowledgeGraph  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
TYPES = ("ORG", "PERSON", "GPE", "NORP", None)
RELATIONS = ("fine", "acquire", "sue", "meet", "invest in", "criticise", "ban", "hire")


def _argument(name: str, entity_type: str | None, start: int) -> Argument:
    return Argument(name, start, start + len(name), name, start, start + len(name), entity_type)


def synthetic_graph(node_count: int, seed: int = 1) -> KnowledgeGraph:
    """About 1.5 facts per entity; early entities become hubs, like big names in the news."""
    rng = random.Random(seed)
    names = [f"Entity {i}" for i in range(node_count)]
    types = [TYPES[i % len(TYPES)] for i in range(node_count)]
    triples = []
    for i in range(1, node_count):
        for _ in range(1 + (rng.random() < 0.5)):
            j = min(int(rng.paretovariate(1.2)) - 1, i - 1)  # heavy tail towards hubs
            j = rng.randrange(i) if rng.random() < 0.5 else j
            relation = rng.choice(RELATIONS)
            sentence = f"{names[i]} {relation} {names[j]}."
            where = Provenance(f"doc{i % 200}", i, 0, len(sentence), sentence, "synthetic")
            triples.append(Triple(
                _argument(names[i], types[i], 0), Relation(relation, relation),
                _argument(names[j], types[j], len(names[i]) + len(relation) + 2), where,
                Qualifiers(negated=rng.random() < 0.05), round(rng.uniform(0.3, 1.0), 2)))
    kg = KnowledgeGraph()
    kg.add_triples(triples)
    return kg


def measure(browser, path: Path) -> tuple[float, int, bool]:
    """Milliseconds from navigation start to the frozen layout, the stabilisation iterations
    run, and whether the layout then stays still."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-layout=done]", state="attached", timeout=120_000)
        layout_ms = page.evaluate("window.newsgraph.layoutMs")
        iterations = page.evaluate("window.newsgraph.layoutIterations")
        positions = "JSON.stringify(window.newsgraph.network.getPositions())"
        before = page.evaluate(positions)
        page.wait_for_timeout(500)
        still = before == page.evaluate(positions)
        return layout_ms, iterations, still
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000, 5000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; median reported")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size in args.sizes:
            kg = synthetic_graph(size)
            path = Path(folder) / f"graph-{size}.html"
            started = time.perf_counter()
            to_html(kg, path, max_nodes=size)
            render_s = time.perf_counter() - started
            runs = sorted(measure(browser, path) for _ in range(args.repeat))
            layout_ms, iterations, _ = runs[len(runs) // 2]
            still = all(ok for _, _, ok in runs)
            rows.append((size, kg.nx.number_of_edges(), path.stat().st_size, render_s,
                         iterations, layout_ms, still))
        browser.close()

    print(f"{'nodes':>6} {'edges':>6} {'file':>8} {'render':>8} {'iterations':>10} "
          f"{'still after':>12} {'still':>6}")
    for size, edges, size_bytes, render_s, iterations, layout_ms, still in rows:
        print(f"{size:>6,} {edges:>6,} {size_bytes / 1e6:>6.1f}MB {render_s:>7.2f}s "
              f"{iterations:>10} {layout_ms / 1000:>11.2f}s {'yes' if still else 'NO':>6}")


if __name__ == "__main__":
    main()
