"""The ``newsgraph`` command: a thin layer over the library.

Exit status of ``newsgraph build`` (see ``docs/inputs.md``):

* 0: every input was built and the exports were written;
* 1: nothing was written: no input could be built, the output folder is unusable or another
  build holds it (with ``--no-wait``), or an export format is unknown;
* 2: the command line itself is wrong (argparse's usage error);
* 3: the exports were written, but some inputs were skipped (each named on stderr);
* 130: interrupted (Ctrl-C); the previous exports are untouched.

Everything the build has to say goes to stderr, one line per message, each starting with
``newsgraph:``; nothing is printed to stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extractors.errors import InputError, NewsgraphError
from graph.build import DEFAULT_FORMATS
from graph.query import RESULT_STYLES
from graph.vocabulary import DEFAULT_BASE_IRI

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_SKIPPED = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgraph",
        description="Build a knowledge graph (RDF Turtle + interactive HTML) from news articles, "
                    "and query it with SPARQL.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build", help="extract, merge and export every article under the given paths",
        description="Read every article under PATHS (.txt, .md, .html, .htm, .jsonl; folders "
                    "recursively), blank web boilerplate, extract triples, merge them into one "
                    "graph and write the exports to --out. Bad inputs are skipped and named on "
                    "stderr. Exit status: 0 all built, 3 some inputs skipped, 1 nothing written.",
    )
    build.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="article files or folders")
    build.add_argument("--out", "-o", type=Path, default=Path("exports"),
                       help="output folder (default: exports/)")
    build.add_argument("--format", default=",".join(DEFAULT_FORMATS),
                       help="comma-separated export formats: ttl (RDF Turtle), nt "
                            "(N-Triples), trig (TriG, a named graph per article), jsonld "
                            "(JSON-LD), graphml (Gephi, Cytoscape), csv (one row per edge), "
                            f"html (default: {','.join(DEFAULT_FORMATS)})")
    build.add_argument("--base-iri", default=None,
                       help="base IRI for entities, statements and documents in the RDF "
                            f"(default: {DEFAULT_BASE_IRI})")
    build.add_argument("--aliases", type=Path, default=None, metavar="CSV",
                       help="alias file: rows 'alias,canonical name[,IRI]' that force entity "
                            "merges, splits and external ids (owl:sameAs)")
    build.add_argument("--processes", "-j", type=int, default=1,
                       help="local processes for extraction and for the Turtle export "
                            "(default: 1)")
    build.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="extract on the workers of this Dask distributed scheduler "
                            "(tcp://host:8786); merging and exports stay on this machine")
    build.add_argument("--no-cache", dest="cache", action="store_false",
                       help="extract every document again and keep no cache: the cache in "
                            "--out (.newsgraph-cache.sqlite) is neither read nor updated")
    build.add_argument("--max-nodes", type=int, default=500, metavar="N",
                       help="entities shown in graph.html: the N most mentioned (default: "
                            "500); the page says when it shows a subset")
    build.add_argument("--quiet", "-q", action="store_true",
                       help="no progress bar (there is none either when stderr is not a "
                            "terminal)")
    build.add_argument("--no-wait", dest="wait", action="store_false",
                       help="refuse (exit 1) instead of waiting when another build is writing "
                            "to --out")
    build.set_defaults(run=_run_build)

    html = commands.add_parser(
        "html", help="write the HTML view of an RDF export, or of one entity's neighbourhood",
        description="Load a newsgraph RDF export and write its interactive HTML view: the "
                    "--max-nodes most mentioned entities, or with --focus the entities within "
                    "--depth hops of one entity, nearest first.",
    )
    html.add_argument("graph", type=Path, metavar="GRAPH",
                      help="an export of newsgraph build: .ttl, .nt, .trig or .jsonld")
    html.add_argument("--focus", default=None, metavar="ENTITY",
                      help="an entity label (any of its names) or id to centre the view on")
    html.add_argument("--depth", type=int, default=2,
                      help="hops around --focus to include (default: 2)")
    html.add_argument("--max-nodes", type=int, default=500, metavar="N",
                      help="entities shown at most (default: 500)")
    html.add_argument("--out", "-o", type=Path, default=None, metavar="HTML",
                      help="the page to write (default: beside GRAPH, named after it and the "
                           "focus, e.g. graph-ant-group.html)")
    html.set_defaults(run=_run_html)

    query = commands.add_parser(
        "query", help="run a SPARQL query over an RDF export",
        description="Run a SPARQL query (SELECT, ASK, CONSTRUCT) over a newsgraph export. The "
                    "export's prefixes (rdf, rdfs, schema, nif, prov, ng, rel, ent, stmt, doc "
                    "...) need no PREFIX lines.",
    )
    query.add_argument("graph", type=Path, metavar="GRAPH",
                       help="an export: .ttl, .nt, .trig or .jsonld")
    query.add_argument("query", metavar="QUERY",
                       help="the SPARQL query text, or @FILE to read it from a file")
    query.add_argument("--results", choices=RESULT_STYLES, default="table",
                       help="table (tab-separated, prefixed IRIs; the default) or a W3C "
                            "SPARQL results format: csv, tsv, json, xml")
    query.set_defaults(run=_run_query)

    entities = commands.add_parser(
        "entities", help="list the entities of one article and every mention of each",
        description="Find the entities of one article: names, descriptions and pronouns "
                    "grouped by coreference, with character offsets into the file's text.",
    )
    entities.add_argument("file", type=Path, metavar="FILE", help="article file (UTF-8)")
    entities.add_argument("--json", action="store_true",
                          help='print JSON: [{"id", "label", "type", "mentions": '
                               '[{"start", "end", "text"}]}]')
    entities.add_argument("--aliases", type=Path, default=None, metavar="CSV",
                          help="alias file, as for build")
    entities.set_defaults(run=_run_entities)
    return parser


def _run_build(args: argparse.Namespace) -> int:
    from graph.build import build

    def report_skip(error: InputError) -> None:
        print(f"newsgraph: skipped {error}", file=sys.stderr)

    def report_note(message: str) -> None:
        print(f"newsgraph: note: {message}", file=sys.stderr)

    report = build(
        args.paths,
        args.out,
        formats=[f.strip() for f in args.format.split(",") if f.strip()],
        base_iri=args.base_iri,
        aliases=args.aliases,
        n_process=args.processes,
        scheduler=args.scheduler,
        cache=args.cache,
        max_nodes=args.max_nodes,
        progress=not args.quiet,
        wait=args.wait,
        on_skip=report_skip,
        on_note=report_note,
    )
    print(f"newsgraph: {report.summary()}", file=sys.stderr)
    return EXIT_SKIPPED if report.skipped else EXIT_OK


def _run_html(args: argparse.Namespace) -> int:
    from graph.html import page_name
    from graph.knowledge_graph import KnowledgeGraph

    kg = KnowledgeGraph.from_rdf(args.graph)
    out = args.out or args.graph.with_name(page_name(args.graph.stem, args.focus))
    try:
        kg.to_html(out, title=f"newsgraph: {args.focus or args.graph.name}",
                   max_nodes=args.max_nodes, focus=args.focus, depth=args.depth)
    except ValueError as exc:
        raise NewsgraphError(f"{args.graph}: {exc}") from exc
    print(f"newsgraph: wrote {out}", file=sys.stderr)
    return EXIT_OK


def _run_query(args: argparse.Namespace) -> int:
    from graph.query import format_result, load_rdf, sparql

    text = args.query
    if text.startswith("@"):
        try:
            text = Path(text[1:]).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(text[1:], f"cannot be read ({exc.strerror or exc})") from exc
    graph = load_rdf(args.graph)
    sys.stdout.write(format_result(sparql(graph, text), args.results, graph))
    return EXIT_OK


def _run_entities(args: argparse.Namespace) -> int:
    import json

    from graph.entities import AliasTable, file_entities

    records = file_entities(args.file, AliasTable.read(args.aliases) if args.aliases else None)
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=1))
    else:
        for record in records:
            forms = sorted({m["text"] for m in record["mentions"]})
            print(f"{record['id']}\t{record['type']}\t{record['label']}\t"
                  f"{len(record['mentions'])} mention(s): {'; '.join(forms)}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except NewsgraphError as error:
        print(f"newsgraph: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("newsgraph: interrupted; previous exports are untouched", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
