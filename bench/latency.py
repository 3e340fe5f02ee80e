"""Latency of the canned queries: each one in its listing form and, when it takes parameters, in its typical form
(bench.params), on kg's store (in a child process stopped after a time limit) and on rdflib's in-memory Dataset
holding the same quads, with the same text and parameters (bench.qtime.prepare)."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from pathlib import Path

from bench.baselines import Timing, rdflib_dataset, rdflib_term, timed_runs
from bench.params import Form, Picks, forms, pick, shown
from bench.qtime import prepare

ROOT = Path(__file__).resolve().parent.parent


def kg_timing(store: Path, name: str, values: dict[str, str], timeout: float, runs: int = 5) -> Timing:
    """Rows and timings of one canned query on kg's store, measured in a child process stopped after TIMEOUT."""
    try:
        p = subprocess.run([sys.executable, "-m", "bench.qtime", str(store), name, json.dumps(values), str(runs)],
                           capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return Timing((), True)
    if p.returncode != 0:
        return Timing((), False, (p.stderr.strip().splitlines() or ["failed"])[-1][:120])
    out = json.loads(p.stdout)
    return Timing(tuple(out["runs"]), rows=out["rows"])


def _not_run(form: Form) -> Timing:
    """The timing of a form that could not be asked: the parameters it lacks."""
    return Timing((), False, "no value for " + ", ".join(form.missing))


def measure(store_path: Path, args) -> tuple[list[dict], dict, Picks]:
    """Timings of every canned query (or those named in ARGS.queries) in each form on both engines; how long
    rdflib took to load the quads; the values drawn from the graph."""
    import pyoxigraph as ox

    from kg.errors import KGError
    from kg.query import list_queries
    from kg.rdf.store import open_store

    logging.getLogger("rdflib").setLevel(logging.ERROR)
    store = open_store(store_path)
    picks = pick(store)
    nquads = store.dump(format=ox.RdfFormat.N_QUADS)
    del store
    wanted = set(args.queries or ())
    rows = []
    for q in list_queries():  # each query's parameters come from its `# param:` header
        if wanted and q.name not in wanted:
            continue
        for form in forms(q, picks):
            row = {"name": q.name, "form": form.kind, "params": shown(form, picks), "text": None, "terms": None}
            if form.missing:
                row["kg"] = _not_run(form)
            else:
                try:
                    row["text"], row["terms"] = prepare(q.name, form.values, store_path)
                    row["kg"] = kg_timing(store_path, q.name, form.values, args.query_timeout, args.runs)
                except KGError as exc:
                    row["kg"] = Timing((), False, str(exc)[:120])
            rows.append(row)
    t = time.perf_counter()
    ds = rdflib_dataset(nquads)
    load = {"seconds": time.perf_counter() - t, "quads": nquads.count(b"\n"), "mb": len(nquads) / 1e6}
    for r in rows:
        text, terms = r.pop("text"), r.pop("terms")
        if text is None:
            r["rdflib"] = Timing((), False, r["kg"].error)
            continue
        bindings = {k: rdflib_term(v) for k, v in terms.items()}
        r["rdflib"] = timed_runs(lambda t=text, b=bindings: list(ds.query(t, initBindings=b)), runs=args.runs,
                                 per_run=args.budget, total=max(args.budget, 60.0))
    return rows, load, picks
