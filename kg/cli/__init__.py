"""The `kg` command line: thin commands over the library; each command lives in its own module."""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from kg import __version__
from kg.errors import KGError

COMMANDS = ["build", "query", "sparql", "export", "viz", "push", "serve", "review", "validate"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered command."""
    parser = argparse.ArgumentParser(
        prog="kg",
        description="A knowledge graph of library councils, their people and their decisions.",
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"kg.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"kg.cli.{name}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `kg` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KGError as exc:
        print(f"kg {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"kg {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: one line, the traceback only on request
        if os.environ.get("KG_DEBUG"):
            raise
        print(f"kg {args.command}: internal error: {type(exc).__name__}: {exc} "
              "(set KG_DEBUG=1 to see the traceback)", file=sys.stderr)
        return 70


if __name__ == "__main__":
    sys.exit(main())
