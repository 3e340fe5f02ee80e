"""Times one canned query on a kg store in a process of its own, so that a query slower than its budget can be
stopped: `python -m bench.qtime STORE NAME VALUES_JSON [RUNS]` prints {"rows": N, "runs": [seconds, …]} as JSON
after one warm-up run and up to RUNS (default 5) timed runs (no new run starts after 30 s)."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any


def prepare(name: str, values: dict[str, str], store_path: str | Path) -> tuple[str, dict[str, Any]]:
    """The text kg runs for the canned query NAME with VALUES, and the terms still to bind by substitution.

    Where kg looks entity parameters (a body, a person) up before the query runs (`kg.query.prepared_text`),
    that is done here, once, and every parameter is written into the text as VALUES, so that any engine can
    run the text as it is; otherwise the text is the `.rq` file's and the parameters are bound as terms."""
    import kg.query as kq

    q = kq.load_query(name)
    terms = kq.bind_params(q, values)
    prepared_text = getattr(kq, "prepared_text", None)
    if prepared_text is None:
        return q.text, terms
    return prepared_text(q, terms, store_path), {}


def main(argv: list[str]) -> int:
    """Run the query named in ARGV and print its timings."""
    from kg.query import query_store
    from kg.rdf.store import open_store

    store_path, name, values = argv[0], argv[1], json.loads(argv[2])
    runs_wanted = int(argv[3]) if len(argv) > 3 else 5
    text, terms = prepare(name, values, store_path)
    store = open_store(store_path)
    rows = len(query_store(store, text, terms).rows or [])
    runs, start = [], time.perf_counter()
    for _ in range(runs_wanted):
        t = time.perf_counter()
        query_store(store, text, terms)
        runs.append(time.perf_counter() - t)
        if time.perf_counter() - start > 30:
            break
    print(json.dumps({"rows": rows, "runs": runs}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
