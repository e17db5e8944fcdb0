"""The ``newsgraph`` command: a thin layer over the library.

Exit status: 0 success; 1 error (nothing could be built, bad arguments); 3 the build
finished but skipped some inputs (each named on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extractors.errors import InputError, NewsgraphError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_SKIPPED = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgraph",
        description="Build a knowledge graph (RDF Turtle + interactive HTML) from news articles.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser(
        "build", help="extract, merge and export every article under the given paths",
        description="Read every .txt/.md article under PATHS (folders recursively), extract "
                    "triples, merge them into one graph and write the exports to --out.",
    )
    build.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                       help="article files or folders")
    build.add_argument("--out", "-o", type=Path, default=Path("exports"),
                       help="output folder (default: exports/)")
    build.add_argument("--format", default="ttl,html",
                       help="comma-separated export formats: ttl, html (default: ttl,html)")
    build.add_argument("--base-iri", default=None,
                       help="base IRI for entities, statements and documents in the RDF")
    build.add_argument("--aliases", type=Path, default=None, metavar="CSV",
                       help="alias file: rows 'alias,canonical name[,IRI]' that force entity "
                            "merges, splits and external ids (owl:sameAs)")
    build.add_argument("--processes", "-j", type=int, default=1,
                       help="spaCy worker processes (default: 1)")
    build.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="extract on the workers of this Dask distributed scheduler "
                            "(tcp://host:8786); merging and exports stay on this machine")
    build.add_argument("--no-cache", dest="cache", action="store_false",
                       help="extract every document again, ignoring and replacing the "
                            "extraction cache kept in --out")
    build.add_argument("--quiet", "-q", action="store_true",
                       help="no progress bar (there is none either when stderr is not a "
                            "terminal)")
    build.set_defaults(run=_run_build)

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

    report = build(
        args.paths,
        args.out,
        formats=[f.strip() for f in args.format.split(",") if f.strip()],
        base_iri=args.base_iri,
        aliases=args.aliases,
        n_process=args.processes,
        scheduler=args.scheduler,
        cache=args.cache,
        progress=not args.quiet,
        on_skip=report_skip,
    )
    written = ", ".join(str(p) for p in report.written)
    print(f"newsgraph: {report.summary()}; skipped {len(report.skipped)}; wrote {written}",
          file=sys.stderr)
    return EXIT_SKIPPED if report.skipped else EXIT_OK


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
