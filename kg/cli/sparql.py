"""`kg sparql QUERY_OR_FILE`: run any SPARQL 1.1 query on the store or an endpoint ('-' reads standard input)."""
from __future__ import annotations

import argparse
import sys

from kg.cli.query import add_query_options, emit, parse_params, remote_options
from kg.errors import QueryError
from kg.query import run_sparql


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `sparql` command."""
    p = sub.add_parser("sparql", help="run any SPARQL 1.1 query",
                       description="Run a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT, DESCRIBE) given as text, "
                                   "as a file, or on standard input ('-'), over the union of the store's graphs.")
    p.add_argument("query", metavar="QUERY_OR_FILE", help="the query text, a file holding it, or '-' for stdin")
    add_query_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run `kg sparql`."""
    text = sys.stdin.read() if args.query == "-" else args.query
    if not text.strip():
        raise QueryError("the query is empty")
    result = run_sparql(text, parse_params(args.param), **remote_options(args))
    emit(result, args.format)
    return 0
