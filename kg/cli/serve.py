"""`kg serve`: serve the graph read-only over HTTP (SPARQL 1.1 Protocol and dereferenceable IRIs)."""
from __future__ import annotations

import argparse

from kg.query import DEFAULT_STORE
from kg.serve import DEFAULT_PORT, DEFAULT_TIMEOUT, announce, serve


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `serve` command."""
    p = sub.add_parser(
        "serve", help="serve the graph read-only: SPARQL endpoint and entity pages",
        description="Serve the graph read-only: the SPARQL 1.1 Protocol at /sparql (GET and POST; results as "
                    "JSON, XML, CSV or TSV by content negotiation; updates are refused) and every IRI under the "
                    "base at its path, as an HTML page for browsers or Turtle/JSON-LD/N-Triples/RDF-XML for "
                    "machines. Queries that run longer than --timeout are stopped.")
    p.add_argument("--store", default=DEFAULT_STORE, help=f"the store to serve (default {DEFAULT_STORE})")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"the port (default {DEFAULT_PORT}; 0 picks a free one and prints it)")
    p.add_argument("--base", metavar="IRI",
                   help="the IRI base whose IRIs this server answers at their paths (default: the base the store "
                        "was built with, see kg build --base)")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"stop a query after SECONDS (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--workers", type=int, default=2, help="worker processes answering queries (default 2)")
    p.add_argument("-q", "--quiet", action="store_true", help="do not log requests")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted (Ctrl-C ends with exit code 130)."""
    serve(args.store, args.host, args.port, args.base, args.timeout, args.workers, args.quiet, ready=announce)
    return 0
