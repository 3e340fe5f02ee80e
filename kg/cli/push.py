"""`kg push --endpoint URL`: load the graph into a SPARQL 1.1 server, one named graph per document."""
from __future__ import annotations

import argparse
import os
import sys

from kg.export import DEFAULT_LICENSE
from kg.push import PROTOCOLS, push
from kg.push.http import AUTH_SCHEMES
from kg.query import DEFAULT_STORE
from kg.remote import PASSWORD_ENV, USER_ENV


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `push` command."""
    p = sub.add_parser(
        "push", help="load the graph into a SPARQL 1.1 server",
        description="Load the graph into a SPARQL 1.1 server: every named graph (one per document, plus the "
                    "authority, derived and build graphs with the dataset description) replaces the server's "
                    "copy whole or not at all, over the Graph Store Protocol (PUT) or SPARQL Update. Write "
                    "endpoints of Virtuoso (/sparql-auth, /sparql-graph-crud-auth, HTTP Digest), Oxigraph "
                    "(/update, /store) and Fuseki (/update, /data) are found from the query endpoint; for "
                    "other servers give --update-url or --gsp-url.")
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="the server's SPARQL query endpoint, e.g. http://localhost:8890/sparql")
    p.add_argument("--store", default=DEFAULT_STORE, help=f"the store to push (default {DEFAULT_STORE})")
    p.add_argument("--user", help=f"user name for the server (or {USER_ENV})")
    p.add_argument("--password", help=f"password for the server (or {PASSWORD_ENV})")
    p.add_argument("--auth", choices=AUTH_SCHEMES, default="auto",
                   help="HTTP authentication: whatever the server asks for (auto, default), basic or digest")
    p.add_argument("--protocol", choices=PROTOCOLS, default="auto",
                   help="gsp: Graph Store Protocol PUT per graph; update: SPARQL Update; auto (default): gsp "
                        "where the server has a known Graph Store endpoint")
    p.add_argument("--gsp-url", metavar="URL", help="the Graph Store Protocol endpoint (overrides the derived one)")
    p.add_argument("--update-url", metavar="URL", help="the SPARQL Update endpoint (overrides the derived one)")
    p.add_argument("--chunk-size", type=int, metavar="N",
                   help="triples per request; larger graphs are loaded into a staging graph and moved "
                        "(default 100000 for gsp, 10000 for update, 500 for update on Virtuoso)")
    p.add_argument("--keep-others", action="store_true",
                   help="keep graphs under the store's graph/ namespace that the store no longer has "
                        "(default: drop them, so removed documents disappear)")
    p.add_argument("--license", default=DEFAULT_LICENSE, metavar="IRI",
                   help=f"the licence the dataset description states (default {DEFAULT_LICENSE})")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                   help="seconds to wait for each request (default 120)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    p.set_defaults(func=run)


def print_progress(message: str) -> None:
    """Progress goes to stderr, so that stdout stays clean."""
    print(message, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    """Push, printing progress to stderr, and a summary."""
    user = args.user or os.environ.get(USER_ENV)
    password = args.password if args.password is not None else os.environ.get(PASSWORD_ENV)
    report = push(args.store, args.endpoint, user=user, password=password, auth=args.auth, protocol=args.protocol,
                  update_url=args.update_url, gsp_url=args.gsp_url, chunk=args.chunk_size,
                  prune=not args.keep_others, license=args.license, timeout=args.timeout,
                  progress=None if args.quiet else print_progress)
    dropped = f", dropped {len(report.dropped)} stale graph(s)" if report.dropped else ""
    print(f"kg push: {len(report.graphs)} graphs, {report.triples} triples to {report.target.server} "
          f"({report.target.protocol}) in {report.requests} requests{dropped}", file=sys.stderr)
    return 0
