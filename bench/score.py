"""Runs the shared scorer (`../shared/tools/score.py`, beside the repository) with its pure string functions and
organisation matching memoised, so that scoring a large corpus takes seconds instead of hours; what it prints is
what the scorer prints. `python -m bench.score SCORE_PY ARG ...` is `python SCORE_PY ARG ...`, faster.

The scorer compares every organisation name kg returns with every name variant of every gold organisation, with
regular expressions, inside loops over pairs of rows; the same few hundred names recur, so their tokens, their
similarities and their best matches are computed once. Functions the scorer does not have are left alone."""
from __future__ import annotations

import functools
import runpy
import sys

PURE = ("norm_name", "org_tokens", "sim")  # functions of strings only
MATCHER = "Orgs"  # the class whose best() and match() depend only on their arguments and the gold's groups


def memoised(module: dict) -> None:
    """Replace the pure functions and the matcher class in a scorer's MODULE globals by memoised versions."""
    for name in PURE:
        if callable(module.get(name)):
            module[name] = functools.lru_cache(maxsize=None)(module[name])
    base = module.get(MATCHER)
    if isinstance(base, type) and callable(getattr(base, "best", None)) and callable(getattr(base, "match", None)):
        module[MATCHER] = type(MATCHER, (base,), {
            "__doc__": base.__doc__,
            "best": functools.lru_cache(maxsize=None)(base.best),
            "match": functools.lru_cache(maxsize=None)(base.match),
        })


def main(argv: list[str]) -> int:
    """Load the scorer at ARGV[0], memoise it and run its main() with the remaining arguments."""
    path, args = argv[0], argv[1:]
    module = runpy.run_path(path, run_name="shared_score")
    entry = module["main"]
    memoised(entry.__globals__)  # the functions look names up in these globals, not in run_path's copy
    sys.argv = [path, *args]
    return entry() or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
