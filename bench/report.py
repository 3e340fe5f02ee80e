"""bench/RESULTS.md: the machine, the command, and for each corpus size the measured numbers next to the
targets, with ratios against the baselines measured in the same run."""
from __future__ import annotations

import os
import platform
import statistics
import subprocess
from pathlib import Path

TARGETS = {"build_s": 60.0, "peak_gb": 2.0, "extract_ratio": 10.0, "rebuild_s": 3.0, "query_ms": 100.0,
           "query_ratio": 20.0, "f1": 0.98}


def machine() -> dict[str, str]:
    """nproc, memory, CPU model, Python and kg versions, the repository's commit."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines()
                      if ln.startswith("MemTotal"))
        mem = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        mem = "unknown"
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=here).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                               text=True, cwd=here).stdout.strip()
        commit += " with uncommitted changes" if commit and dirty else ""
    except OSError:
        commit = ""
    from kg import __version__

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return {"nproc": str(os.cpu_count()), "memory": mem, "cpu": cpu, "python": platform.python_version(),
            "kg": __version__, "commit": commit or "unknown", "load": load}


def _ok(value: float | None, target: float, below: bool = True) -> str:
    """'yes' when VALUE meets TARGET (at most it when BELOW, else at least), 'no' otherwise."""
    if value is None:
        return "no"
    return "yes" if (value <= target if below else value >= target) else "no"


def _cell(text: str) -> str:
    """TEXT fit for a Markdown table cell."""
    return " ".join(text.replace("|", "\\|").split())


def _ms(t) -> str:
    """A timing's median in milliseconds, '> budget', or the error that stopped it."""
    if t.error:
        return f"error ({_cell(t.error)})"
    return f"{t.median * 1000:.1f}" if t.median is not None else "> budget"


def _rows(q: dict) -> str:
    """The number of rows kg returned, and rdflib's where it returned another number."""
    kg_rows, rd_rows = q["kg"].rows, q["rdflib"].rows
    out = str(kg_rows) if kg_rows is not None else "?"
    if rd_rows is not None and rd_rows != kg_rows:
        out += f" (rdflib {rd_rows})"
    return out


def _query_row(q: dict, budget: float) -> str:
    """One line of the query table."""
    kgm, rdm = q["kg"].median, q["rdflib"].median
    if kgm and rdm:
        ratio = f"{rdm / kgm:.1f}×"
    elif kgm and q["rdflib"].over_budget:
        ratio = f"> {budget / kgm:.0f}×"
    else:
        ratio = "—"
    ratio_ok = "yes" if (kgm and ((rdm and rdm / kgm >= TARGETS["query_ratio"]) or
                                  (q["rdflib"].over_budget and budget / kgm >= TARGETS["query_ratio"]))) else "no"
    return (f"| {q['name']} | {q['form']} | {_cell(q['params'])} | {_rows(q)} | {_ms(q['kg'])} ({len(q['kg'].runs)}) | "
            f"{_ms(q['rdflib'])} ({len(q['rdflib'].runs)}) | {ratio} | "
            f"{_ok(kgm and kgm * 1000, TARGETS['query_ms'])} | {ratio_ok} |")


def _extraction(ex: dict | None) -> tuple[str, list[str]]:
    """The extraction row of the size table and the paragraph under it."""
    if ex is None:
        return ("| extraction vs natasha NER | not measured (`--natasha-docs 0`) | "
                f"≥ {TARGETS['extract_ratio']:.0f}× | — |"), []
    kg_total, nat_total = sum(ex["kg"]), sum(ex["natasha"])
    ratio = nat_total / kg_total if kg_total else None
    row = (f"| extraction vs natasha NER ({ex['docs']} documents, per-document sums) | kg {kg_total:.2f} s, natasha "
           f"{nat_total:.2f} s: **{ratio or 0:.1f}×** | ≥ {TARGETS['extract_ratio']:.0f}× | "
           f"{_ok(ratio, TARGETS['extract_ratio'], below=False)} |")
    p95 = sorted(ex["kg"])[max(0, int(len(ex["kg"]) * 0.95) - 1)] if ex["kg"] else 0.0
    text = [f"Extraction per document: kg median {statistics.median(ex['kg'] or [0]) * 1000:.1f} ms "
            f"(p95 {p95 * 1000:.1f} ms), natasha median {statistics.median(ex['natasha'] or [0]) * 1000:.1f} ms; "
            f"one-off set-up: kg Resources {ex['kg_setup']:.1f} s, natasha models {ex['natasha_setup']:.1f} s (not in "
            f"the sums). {ex['chars'] / 1e6:.2f} M characters.", ""]
    return row, text


def _size(r: dict) -> list[str]:
    """The section of one corpus size."""
    n, mb = r["n"], r["mb"]
    cold = r["cold"]
    if "incremental" not in r:
        return [f"## {n} documents ({mb:.1f} MB, generated in {r['generate_s']:.1f} s)", "",
                f"The cold build failed after {cold['seconds']:.1f} s (exit {cold['rc']}) and left no store, so "
                f"nothing else was measured: `{cold['summary']}`.", ""]
    inc, score = r["incremental"], r["score"]
    gb = cold["peak_rss"] / 2**30
    ex_row, ex_text = _extraction(r["extraction"])
    scored = f" ({score['scored']} of {n} documents scored)" if score["scored"] < n else ""
    out = [f"## {n} documents ({mb:.1f} MB, generated in {r['generate_s']:.1f} s)", "",
           "| measure | value | target | met |", "|---|---|---|---|",
           f"| cold build | {cold['seconds']:.1f} s = {n / cold['seconds']:.1f} docs/s, {mb / cold['seconds']:.2f} MB/s "
           f"(exit {cold['rc']}) | ≤ {TARGETS['build_s']:.0f} s at 10,000 | "
           f"{_ok(cold['seconds'], TARGETS['build_s']) if n >= 10000 else '—'} |",
           f"| peak memory of `kg build` (process tree) | {gb:.2f} GB | ≤ {TARGETS['peak_gb']:.0f} GB | "
           f"{_ok(gb, TARGETS['peak_gb'])} |",
           f"| rebuild after changing one document ({r['edited']}) | {inc['seconds']:.2f} s | "
           f"≤ {TARGETS['rebuild_s']:.0f} s | {_ok(inc['seconds'], TARGETS['rebuild_s'])} |",
           ex_row,
           f"| people-facts F1 on the generated gold{scored} | {score['f1_line']} | ≥ {TARGETS['f1']} | "
           f"{_ok(score['f1'], TARGETS['f1'], below=False)} |", "",
           f"Build summary: `{cold['summary']}`; incremental: `{inc['summary']}`.", "", *ex_text,
           "Scorer (`../shared/tools/score.py`, run by `bench/score.py` with its string matching memoised) on the "
           "generated gold:", "", "```", *score["lines"], "```", ""]
    load = r["rdflib_load"]
    out += [f"Canned queries: kg in-process (`kg.query.query_store`, median of up to {r['runs']} warm runs after one "
            f"warm-up, in a child process) against rdflib `Dataset(default_union=True)` holding the same "
            f"{load['quads']:,} quads ({load['mb']:.0f} MB of N-Quads, loaded in {load['seconds']:.1f} s), with the "
            "same text and parameters (entities named by a parameter are looked up once, before timing). "
            "*listing* asks for everything (only parameters without a default are given); *typical* gives every "
            "parameter a value drawn from the graph (`bench/params.py`).", "",
            "| query | form | parameters | rows | kg median ms (runs) | rdflib median ms (runs) | ratio | ≤ 100 ms "
            "| ≥ 20× |", "|---|---|---|---|---|---|---|---|---|"]
    out += [_query_row(q, r["budget"]) for q in r["queries"]]
    out.append("")
    if r["views"]:
        out += ["Network views (`kg viz --view V`):", "", "| view | seconds | file size | exit |", "|---|---|---|---|"]
        out += [f"| {v['view']} | {v['seconds']:.1f} | {v['bytes'] / 1e6:.2f} MB | {v['rc']} |" for v in r["views"]]
        out.append("")
    return out


def write_report(path: Path, m: dict[str, str], command: str, results: list[dict], args) -> None:
    """Write the report to PATH."""
    for r in results:
        r["budget"], r["runs"] = args.budget, args.runs
    natasha = f"natasha on {args.natasha_docs} documents per size" if args.natasha_docs > 0 else "natasha not run"
    lines = ["# Benchmark results", "",
             f"Made by `{command}` (seed {args.seed}, rdflib budget {args.budget:.0f} s per query run, "
             f"{natasha}, the scorer on up to {args.score_docs} documents per "
             f"size; a kg query whose warm-up and runs take over "
             f"{args.query_timeout:.0f} s, the scorer after {args.score_timeout:.0f} s and a view after "
             f"{args.view_timeout:.0f} s are stopped and shown as over budget).", "",
             f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} memory, Python {m['python']}, kg {m['kg']} "
             f"at commit {m['commit']}; load average at the end {m['load']} (other work on the machine adds noise "
             "to absolute times; the ratios compare runs made side by side).", "",
             "Targets are reported as measured, met or not. Throughput counts generated documents and their bytes "
             "on disk (some are Word, HTML and cp1251 files).", ""]
    for r in results:
        lines += _size(r)
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
