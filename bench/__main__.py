"""`python -m bench generate` writes a corpus with gold; `python -m bench run` runs the benchmark."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

VIEWS = ("cooperation", "membership", "full")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="write N generated resolutions and their gold facts")
    g.add_argument("--docs", type=int, default=200, help="how many documents (default 200)")
    g.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    g.add_argument("--out", default="out/bench/corpus", help="output folder (docs/ and gold.json inside)")
    r = sub.add_parser("run", help="generate corpora and measure kg against the baselines")
    r.add_argument("--docs", type=int, nargs="+", default=[1000, 10000], help="corpus sizes (default 1000 10000)")
    r.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    r.add_argument("--work", default="out/bench", help="working folder for corpora, stores and results.json")
    r.add_argument("--results", default="bench/RESULTS.md", help="where to write the report")
    r.add_argument("--queries", nargs="+", metavar="NAME", help="time only these canned queries (default all)")
    r.add_argument("--views", nargs="*", choices=VIEWS, default=list(VIEWS),
                   help="network views to time (default all; none when given without names)")
    r.add_argument("--runs", type=int, default=5, help="timed runs per query and engine after a warm-up (default 5)")
    r.add_argument("--budget", type=float, default=10.0, help="seconds rdflib may take per query run (default 10)")
    r.add_argument("--natasha-docs", type=int, default=300,
                   help="documents timed through kg's extractor and natasha (default 300; 0 skips this, and natasha "
                        "need not be installed)")
    r.add_argument("--query-timeout", type=float, default=90.0,
                   help="seconds one kg query's measurement may take before it is stopped (default 90)")
    r.add_argument("--score-docs", type=int, default=1000,
                   help="documents the scorer compares with the gold: every k-th of a larger corpus (default 1000)")
    r.add_argument("--score-timeout", type=float, default=900.0,
                   help="seconds the scorer may take (default 900)")
    r.add_argument("--view-timeout", type=float, default=300.0, help="seconds one `kg viz` may take (default 300)")
    a = ap.parse_args(argv)
    if a.command == "generate":
        from bench.generate import generate

        c = generate(a.docs, a.seed, Path(a.out))
        print(f"{len(c.files)} documents ({c.size / 1e6:.1f} MB) in {c.docs}; gold in {c.gold}")
        return 0
    from bench.run import run

    a.argv = argv
    return run(a)


if __name__ == "__main__":
    sys.exit(main())
