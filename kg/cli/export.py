"""`kg export`: write the graph as linked data, as a network for Gephi, or a canned query as CSV."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from kg.cli.query import parse_params
from kg.errors import KGError
from kg.export import DEFAULT_LICENSE, FORMATS, export
from kg.export.table import csvw_metadata, metadata_path
from kg.query import DEFAULT_STORE


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `export` command."""
    p = sub.add_parser("export", help="write the graph as linked data, a network file or CSV",
                       description="Write the graph with its dataset description (VoID/DCAT) as Turtle (ttl), "
                                   "N-Triples (nt), N-Quads (nq), TriG (trig), JSON-LD (jsonld), RDF/XML (xml), "
                                   "GraphML or GEXF (for Gephi), or a canned query's rows as CSV "
                                   "(--format csv --query NAME, with a CSVW metadata file beside --out). "
                                   "nq, trig and jsonld keep one named graph per document; ttl, nt and xml "
                                   "hold the union of the graphs.")
    p.add_argument("--format", "-f", required=True, choices=FORMATS, help="the output format")
    p.add_argument("--out", "-o", metavar="FILE", help="write to FILE (default: standard output)")
    p.add_argument("--store", default=DEFAULT_STORE, help=f"the store to export (default {DEFAULT_STORE})")
    p.add_argument("--query", metavar="NAME", help="with --format csv: the canned query to run")
    p.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE",
                   help="with --query: bind the query's parameter KEY to VALUE (repeatable)")
    p.add_argument("--license", default=DEFAULT_LICENSE, metavar="IRI",
                   help=f"the licence the dataset description states (default {DEFAULT_LICENSE})")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run `kg export`: write to a temporary file beside --out and rename it, so a failure leaves no half file."""
    params = parse_params(args.param)
    if not args.out:
        data = export(args.store, args.format, sys.stdout.buffer, license=args.license, query=args.query,
                      params=params)
        sys.stdout.buffer.flush()
        return 0
    out = Path(args.out)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            data = export(args.store, args.format, fh, license=args.license, query=args.query, params=params)
        os.replace(tmp, out)
    except OSError as exc:
        raise KGError(f"cannot write {out}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    if args.format == "csv":
        meta = csvw_metadata(out.name, args.query, params, data.columns, data.info, data.modified)
        metadata_path(out).write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"kg export: wrote {out} ({args.format}, {len(data.quads)} quads in the store)", file=sys.stderr)
    return 0
