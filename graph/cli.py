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
    build.add_argument("--processes", "-j", type=int, default=1,
                       help="spaCy worker processes (default: 1)")
    build.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    build.set_defaults(run=_run_build)
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
        n_process=args.processes,
        progress=not args.quiet,
        on_skip=report_skip,
    )
    written = ", ".join(str(p) for p in report.written)
    print(f"newsgraph: built {len(report.built)} document(s), {report.triples} triples, "
          f"skipped {len(report.skipped)}; wrote {written}", file=sys.stderr)
    return EXIT_SKIPPED if report.skipped else EXIT_OK


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
