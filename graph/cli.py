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
        description="Read every article under PATHS (.txt, .md, .html, .htm, .jsonl; folders "
                    "recursively), blank web boilerplate, extract triples, merge them into one "
                    "graph and write the exports to --out. Bad inputs are skipped and named on "
                    "stderr. Exit status: 0 all built, 3 some inputs skipped, 1 nothing written.",
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
    build.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    build.add_argument("--no-wait", dest="wait", action="store_false",
                       help="refuse (exit 1) instead of waiting when another build is writing "
                            "to --out")
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

    def report_note(message: str) -> None:
        print(f"newsgraph: note: {message}", file=sys.stderr)

    report = build(
        args.paths,
        args.out,
        formats=[f.strip() for f in args.format.split(",") if f.strip()],
        base_iri=args.base_iri,
        aliases=args.aliases,
        n_process=args.processes,
        progress=not args.quiet,
        wait=args.wait,
        on_skip=report_skip,
        on_note=report_note,
    )
    print(f"newsgraph: {report.summary()}", file=sys.stderr)
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
