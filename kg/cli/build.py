"""`kg build`: read resolution documents and (re)build the knowledge graph in the store."""
from __future__ import annotations

import sys

from kg.namespaces import DEFAULT_BASE

DEFAULT_DOCS = "data/resolutions"
DEFAULT_STORE = "out/kg"


def register(sub) -> None:
    """Add the `build` command."""
    p = sub.add_parser("build", help="read documents and (re)build the graph",
                       description="Read resolution documents (files, or folders read recursively) and "
                                   "(re)build the knowledge graph in STORE. Documents that cannot be read are "
                                   "reported by name; the others are built; the exit code is 1 if any failed.")
    p.add_argument("paths", nargs="*", metavar="PATH", help=f"files or folders (default {DEFAULT_DOCS})")
    p.add_argument("--store", default=DEFAULT_STORE, help=f"the store directory (default {DEFAULT_STORE})")
    p.add_argument("--base", default=DEFAULT_BASE, help=f"the base of minted IRIs (default {DEFAULT_BASE})")
    p.add_argument("--corrections", metavar="FILE",
                   help="a curator's corrections file (default data/corrections.yaml)")
    p.add_argument("-j", "--jobs", type=int, default=None,
                   help="worker processes for extraction (default: one per core)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only failures and the summary")
    p.set_defaults(func=run)


def run(args) -> int:
    """Build, print one line per failed document and a summary; exit 1 when any document failed."""
    from kg.build import build, print_progress

    paths = args.paths or [DEFAULT_DOCS]
    check_base(args.base)
    report = build(paths, args.store, base=args.base, progress=None if args.quiet else print_progress,
                   corrections=args.corrections, jobs=args.jobs)
    for path, reason in report.failed:
        print(f"kg build: {one_line(path)}: {one_line(reason)}", file=sys.stderr)
    for name, line, text in report.unconsumed:
        if not args.quiet:
            print(f"kg build: note: {one_line(name)}:{line}: not understood: {one_line(text[:120])}",
                  file=sys.stderr)
    print(f"built {len(report.built)}, unchanged {len(report.unchanged)}, failed {len(report.failed)}, "
          f"removed {len(report.removed)} document(s); {report.triples} quads in {args.store}",
          file=sys.stderr)
    return 0 if report.ok else 1


def one_line(text: str) -> str:
    """TEXT with line breaks and other unprintable characters escaped, so that a message stays on one line.

    >>> one_line("a\\nb\\tc\\x1b[0m d")
    'a\\\\nb\\\\tc\\\\x1b[0m d'
    """
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def check_base(base: str) -> None:
    """Refuse a --base that cannot start IRIs (every IRI of the graph is minted under it)."""
    from kg.errors import KGError
    from kg.formats import check_iri

    try:
        check_iri(base)
    except KGError:
        raise KGError(f"--base must be an absolute IRI such as {DEFAULT_BASE}, not {base!r}") from None
