"""`python -m bench run`: for each corpus size, generate a corpus, build it cold, rebuild it after changing one
document, score it against its gold, time the network views, time every canned query (its listing and, with
parameters drawn from the graph, its typical form) against rdflib on the same quads, and time kg's extractor
against natasha's NER pipeline on the same documents."""
from __future__ import annotations

import json
import random
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict
from pathlib import Path

from bench.baselines import Natasha, Timing, per_document
from bench.generate import generate
from bench.latency import measure
from bench.report import machine, write_report

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCORE = ROOT.parent / "shared" / "tools" / "score.py"  # the shared scorer, beside the repository
EDIT = {"ru": "\nРезолюция принята единогласно.\n", "uk": "\nРезолюцію ухвалено одноголосно.\n"}


def _tree_rss(proc) -> int:
    """Resident memory of a process and its descendants, in bytes."""
    import psutil

    try:
        p = psutil.Process(proc.pid)
        return sum(q.memory_info().rss for q in [p, *p.children(recursive=True)])
    except psutil.Error:
        return 0


def timed_command(cmd: list[str], log: Path, timeout: float | None = None) -> dict:
    """Run CMD; its wall time, exit code and peak memory (the process tree's, sampled every 50 ms); a command
    still running after TIMEOUT seconds is stopped (exit code 'timeout')."""
    t = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        peak = [0]

        def watch():
            """Sample the memory of the process tree until it ends."""
            while proc.poll() is None:
                peak[0] = max(peak[0], _tree_rss(proc))
                time.sleep(0.05)
        th = threading.Thread(target=watch, daemon=True)
        th.start()
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            import psutil

            for q in psutil.Process(proc.pid).children(recursive=True):
                q.kill()
            proc.kill()
            proc.wait()
            rc = "timeout"
        th.join()
    tail = log.read_text(errors="replace").strip().splitlines()
    return {"seconds": time.perf_counter() - t, "rc": rc, "peak_rss": peak[0], "summary": tail[-1] if tail else ""}


def _edit_one(files: list[Path]) -> Path:
    """Append a closing sentence to one plain UTF-8 document; the document changed."""
    for f in files:
        raw = f.read_bytes()
        if f.suffix == ".txt" and not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                continue
            lang = "uk" if ("rada" in f.name or "metodrada" in f.name or "_uk_" in f.name) else "ru"
            f.write_bytes(raw + EDIT[lang].encode("utf-8"))
            return f
    raise RuntimeError("no plain UTF-8 document to edit")


def score_sample(names: list[str], limit: int) -> list[str]:
    """Every k-th of NAMES, at most LIMIT of them, when there are more than LIMIT (and LIMIT > 0); else none,
    meaning all."""
    if limit <= 0 or len(names) <= limit:
        return []
    return names[::-(-len(names) // limit)]


def _score(gold: Path, docs: Path, keep: Path, sample: int, timeout: float) -> dict:
    """Run the shared scorer (memoised: bench.score) on the built store, whose build is then a rebuild of
    unchanged documents; a corpus of more than SAMPLE documents is scored on every k-th one."""
    if not SCORE.is_file():
        return {"lines": [f"the shared scorer is not at {SCORE}"], "f1": None, "f1_line": "?", "scored": 0}
    names = sorted(json.loads(gold.read_text(encoding="utf-8"))["documents"])
    only = score_sample(names, sample)
    cmd = [sys.executable, "-m", "bench.score", str(SCORE), "--kg", str(BIN / "kg"), "--gold", str(gold), "--docs",
           str(docs), "--keep", str(keep), *(["--only", *only] if only else [])]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"lines": [f"the scorer did not finish in {timeout:.0f} s"], "f1": None,
                "f1_line": f"? (scorer stopped after {timeout:.0f} s)", "scored": len(only or names)}
    (keep / "score.txt").write_text(p.stdout + p.stderr)
    lines = [ln for ln in p.stdout.splitlines() if ln and not ln.startswith("  ") and ln != "details:"]
    line = next((ln for ln in lines if ln.startswith("people-facts F1")), "")
    m = re.match(r"people-facts F1 = ([\d.]+)", line)
    return {"lines": lines or (p.stderr.strip().splitlines() or ["the scorer printed nothing"])[-3:],
            "f1": float(m.group(1)) if m else None, "f1_line": line.split("=", 1)[1].strip() if m else "? (scorer failed)",
            "scored": len(only or names)}


def _extraction(files: list[Path], k: int, seed: int) -> dict | None:
    """Per-document time of kg's extractor (one Resources) and of natasha's pipeline on the same K documents;
    None when K is 0."""
    if k <= 0:
        return None
    from kg.extract.pipeline import extract
    from kg.ingest import iter_documents
    from kg.resources import Resources

    sample = sorted(random.Random(seed).sample(files, min(k, len(files))))
    docs = [d for d in iter_documents([str(f) for f in sample]) if not isinstance(d, Exception)]
    t = time.perf_counter()
    res = Resources()
    kg_setup = time.perf_counter() - t
    kg_times = per_document(lambda d: extract(d, res), docs)
    t = time.perf_counter()
    nat = Natasha()
    nat_setup = time.perf_counter() - t
    nat_times = per_document(lambda d: nat(d.text), docs)
    return {"docs": len(docs), "chars": sum(len(d.text) for d in docs), "kg": kg_times, "kg_setup": kg_setup,
            "natasha": nat_times, "natasha_setup": nat_setup}


def _views(store: Path, out: Path, views: list[str], timeout: float) -> list[dict]:
    """Time and size of each network view in VIEWS written by `kg viz`, if kg has it."""
    kg = str(BIN / "kg")
    if not views or subprocess.run([kg, "viz", "--help"], capture_output=True).returncode != 0:
        return []
    rows = []
    for view in views:
        page = out / f"{view}.html"
        r = timed_command([kg, "viz", "--view", view, "--out", str(page), "--store", str(store)],
                          out / f"viz-{view}.log", timeout)
        r.update(view=view, bytes=page.stat().st_size if page.exists() else 0)
        rows.append(r)
    return rows


def bench_size(n: int, args, work: Path) -> dict:
    """Every measurement for a corpus of N documents."""
    work.mkdir(parents=True, exist_ok=True)
    say = lambda msg: print(f"[{n}] {msg}", file=sys.stderr, flush=True)  # noqa: E731
    t = time.perf_counter()
    corpus = generate(n, args.seed, work / "corpus")
    out = {"n": n, "generate_s": time.perf_counter() - t, "mb": corpus.size / 1e6}
    say(f"generated {n} documents, {out['mb']:.1f} MB")
    store = work / "store"
    shutil.rmtree(store, ignore_errors=True)
    build = [str(BIN / "kg"), "build", str(corpus.docs), "--store", str(store), "-q"]
    out["cold"] = timed_command(build, work / "build-cold.log")
    say(f"cold build {out['cold']['seconds']:.1f} s: {out['cold']['summary']}")
    if not store.is_dir():  # nothing to rebuild, score or query; the report says why
        say("the cold build left no store: nothing more to measure")
        return out
    out["edited"] = _edit_one(sorted(corpus.files)).name
    out["incremental"] = timed_command(build, work / "build-incremental.log")
    say(f"rebuild after editing {out['edited']}: {out['incremental']['seconds']:.1f} s")
    out["score"] = _score(corpus.gold, corpus.docs, work, args.score_docs, args.score_timeout)
    say(f"people-facts F1 = {out['score']['f1_line']} on {out['score']['scored']} documents")
    out["views"] = _views(store, work, args.views, args.view_timeout)
    out["queries"], out["rdflib_load"], picks = measure(store, args)
    out["picks"] = asdict(picks)
    say("queries timed")
    out["extraction"] = _extraction(sorted(corpus.files), args.natasha_docs, args.seed)
    say("extraction timed" if out["extraction"] else "extraction not timed (--natasha-docs 0)")
    return out


def _plain(value):
    """VALUE for JSON: timings with their median."""
    if isinstance(value, Timing):
        return {**asdict(value), "median": value.median}
    return str(value)


def run(args) -> int:
    """Run the benchmark for every size in ARGS.docs; write the report, and the raw numbers to WORK/results.json;
    exit code 1 when a cold build left no store."""
    command = " ".join(["python -m bench", *map(shlex.quote, args.argv)])
    path = Path(args.results)
    raw = Path(args.work) / "results.json"
    raw.parent.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.docs:  # the report is rewritten after each size, so a stopped run keeps what it measured
        results.append(bench_size(n, args, Path(args.work) / f"n{n}"))
        write_report(path, machine(), command, results, args)
        raw.write_text(json.dumps(results, default=_plain, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"results in {path}; raw numbers in {raw}")
    return 1 if any("incremental" not in r for r in results) else 0
