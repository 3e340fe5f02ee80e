"""`kg validate`: check the graph against ontology/shapes.ttl (SHACL) and list what fails."""
from __future__ import annotations

import argparse

from kg.rdf.convert import store_to_rdflib
from kg.rdf.store import open_store
from kg.rdf.validate import validate

DEFAULT_STORE = "out/kg"


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `validate` subcommand."""
    parser = sub.add_parser(
        "validate",
        help="check the graph against the SHACL shapes",
        description="Checks the graph (all named graphs together) against ontology/shapes.ttl and prints "
                    "one line per result, 'severity: <focus> path: message', then a summary. "
                    "Exits 1 when any result is a violation; warnings do not fail.",
    )
    parser.add_argument("--store", default=DEFAULT_STORE,
                        help=f"the store to check (default {DEFAULT_STORE})")
    parser.add_argument("--shapes", default=None, help="a SHACL shapes file (default ontology/shapes.ttl)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate the store; 1 when any sh:Violation is found, 0 otherwise."""
    dataset = store_to_rdflib(open_store(args.store))
    report = validate(dataset, shapes_path=args.shapes)
    print(report.text)
    return 0 if report.conforms else 1
