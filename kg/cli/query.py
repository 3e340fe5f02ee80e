"""`kg query NAME`: run a canned query (queries/NAME.rq) on the store or an endpoint; `--list` shows them."""
from __future__ import annotations

import argparse
import io
import sys
from typing import TextIO

from kg.errors import QueryError
from kg.formats import FORMATS, QueryResult, terminal_width, write_result
from kg.query import DEFAULT_STORE, list_queries, run_query
from kg.remote import DEFAULT_TIMEOUT, PASSWORD_ENV, USER_ENV


def add_query_options(p: argparse.ArgumentParser) -> None:
    """The options `kg query` and `kg sparql` share: parameters, where to run, output format, credentials."""
    p.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE",
                   help="bind the query's parameter KEY to VALUE (repeatable); values are bound as RDF terms")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--store", default=DEFAULT_STORE, help=f"the store to query (default {DEFAULT_STORE})")
    where.add_argument("--endpoint", metavar="URL",
                       help="query this SPARQL 1.1 endpoint instead (its default graph must be the union of graphs)")
    p.add_argument("--format", "-f", default="table", choices=FORMATS,
                   help="table (default, for people); csv, tsv, json, xml: the W3C SPARQL result formats; "
                        "CONSTRUCT/DESCRIBE results: ttl, nt, xml, json (JSON-LD)")
    p.add_argument("--user", help=f"user name for the endpoint (or {USER_ENV})")
    p.add_argument("--password", help=f"password for the endpoint (or {PASSWORD_ENV})")
    p.add_argument("--auth", choices=("basic", "digest"), default="basic", help="HTTP authentication scheme")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"seconds to wait for the endpoint (default {DEFAULT_TIMEOUT:g})")


def parse_params(pairs: list[str]) -> dict[str, str]:
    """{KEY: VALUE} from KEY=VALUE strings; anything else is a QueryError."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param wants KEY=VALUE, got {pair!r}")
        params[key.strip()] = value
    return params


def remote_options(args: argparse.Namespace) -> dict:
    """The keyword arguments of `run_query`/`run_sparql` for where to run the query."""
    return {"store_path": args.store, "endpoint": args.endpoint, "user": args.user, "password": args.password,
            "timeout": args.timeout, "auth": args.auth}


def emit(result: QueryResult, fmt: str, out: TextIO | None = None) -> None:
    """Write RESULT to OUT (standard output as UTF-8 by default) in FMT."""
    out = out or sys.stdout
    if hasattr(out, "reconfigure") and (getattr(out, "encoding", "") or "").lower().replace("-", "") != "utf8":
        out.reconfigure(encoding="utf-8")
    buffer = io.StringIO()
    write_result(result, fmt, buffer, width=terminal_width(out))
    out.write(buffer.getvalue())
    out.flush()


def print_list(out: TextIO) -> None:
    """The canned queries with their titles and parameters."""
    queries = list_queries()
    width = max((len(q.name) for q in queries), default=0)
    for q in queries:
        out.write(f"{q.name.ljust(width)}  {q.title}\n")
        for p in q.params:
            default = f" (default {p.default})" if p.default is not None else ""
            out.write(f"{'':{width}}    --param {p.name}=…  {p.description}{default}\n")
        out.write(f"{'':{width}}    returns: {', '.join(q.returns)}\n")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `query` command."""
    p = sub.add_parser("query", help="run a canned query (kg query --list shows them)",
                       description="Run the canned query queries/NAME.rq on the store or on a SPARQL endpoint.")
    p.add_argument("name", nargs="?", metavar="NAME", help="the query's name (or the path of a .rq file)")
    p.add_argument("--list", action="store_true", help="list the canned queries with their parameters")
    add_query_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run `kg query`."""
    if args.list:
        print_list(sys.stdout)
        return 0
    if not args.name:
        raise QueryError("name a query to run (kg query --list shows them)")
    result = run_query(args.name, parse_params(args.param), **remote_options(args))
    emit(result, args.format)
    return 0
