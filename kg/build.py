"""Building the graph: read documents, extract facts, map them to quads and swap the new store in.

Only new and changed files are read and extracted, in worker processes (kg/batch.py); their graphs are loaded
into the new store while the workers go on, and the authority and derived graphs are computed from the facts
recorded for each graph (kg/derived.py, kg/rdf/update.py), so that a small change to a large store costs
little. Each phase reports what it did and how long it took."""
from __future__ import annotations

import datetime
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg import __version__
from kg.batch import MIN_PARALLEL, Extracted, Workers
from kg.derived import derived_graphs
from kg.errors import IngestError
from kg.ingest import iter_documents
from kg.iris import Minter, doc_id
from kg.lexicon import data_dir
from kg.model import Document
from kg.namespaces import DEFAULT_BASE, LKG, PROV, RDF, RDFS, XSD
from kg.rdf.mapping import Emitter, N
from kg.rdf.store import write_store
from kg.rdf.update import StoreUpdate
from kg.resources import Authority, Resources


@dataclass
class BuildReport:
    """What a build did: documents built, kept from before, failed, and the review notes."""

    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unconsumed: list[tuple[str, int, str]] = field(default_factory=list)
    triples: int = 0

    @property
    def ok(self) -> bool:
        """Whether every document was read."""
        return not self.failed


class _Clock:
    """Reports each phase of a build with the seconds it took."""

    def __init__(self, say: Callable[[str], None]):
        self.say, self.t = say, time.perf_counter()

    def lap(self, msg: str) -> None:
        """Report MSG with the seconds since the previous report."""
        now = time.perf_counter()
        self.say(f"{msg} ({now - self.t:.1f} s)")
        self.t = now


def _stat(path: str) -> dict:
    """Size and modification time of a file, so that the next build need not read it when unchanged."""
    try:
        st = os.stat(path)
    except OSError:
        return {}
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _resources(corrections: str | None) -> Resources:
    """Build resources, with the corrections file given (or the default one)."""
    if corrections is None:
        return Resources()
    from kg.authority import load_authorities
    from kg.corrections import load_corrections

    auth = load_authorities(data_dir() / "authorities")
    return Resources(auth, corrections=load_corrections(Path(corrections), auth.orgs))


def _fingerprint(corrections: str | None = None) -> str:
    """A hash of what extraction depends on besides the document: kg's code and its data files."""
    h = hashlib.sha256(__version__.encode())
    for p in sorted(Path(__file__).resolve().parent.rglob("*.py")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    for p in sorted((data_dir()).rglob("*")):
        if p.is_file() and p.suffix in (".tsv", ".yaml", ".yml"):
            h.update(p.name.encode())
            h.update(p.read_bytes())
    if corrections and Path(corrections).is_file():
        h.update(Path(corrections).read_bytes())
    return h.hexdigest()[:16]


def build(paths: Iterable[str], store_path: str, base: str = DEFAULT_BASE,
          progress: Callable[[str], None] | None = None, resources: Resources | None = None,
          corrections: str | None = None, jobs: int | None = None) -> BuildReport:
    """(Re)build the graph in STORE_PATH from the documents under PATHS; failures are reported, not fatal.

    CORRECTIONS is a curator's corrections file (default data/corrections.yaml); JOBS the number of worker
    processes for reading and extraction (default: one per core)."""
    say = progress or (lambda msg: None)
    clock = _Clock(say)
    report = BuildReport()
    mint = Minter(base)
    fp = _fingerprint(corrections)
    res = resources
    with write_store(store_path) as w:
        same_base = w.manifest.get("base") in (None, base)
        old = w.manifest.get("documents", {}) if w.manifest.get("base") == base else {}
        entries, pending = _scan(paths, old, fp)
        clock.lap(f"found {len(entries)} file(s): {len(pending)} to read, {len(entries) - len(pending)} unchanged "
                  "or unreadable")
        if res is None and len(pending) >= MIN_PARALLEL:  # loaded before the workers start, which share it
            say("loading morphology and authority data…")
            res = _resources(corrections)
            clock.lap("loaded morphology and authority data")
        workers = Workers(res, mint, jobs, len(pending))
        update: StoreUpdate | None = None
        try:
            read = dict(zip(map(id, pending), workers.read([d.path for d in pending])))
            docs = sorted((read.get(id(d), d) for d in entries), key=_order)  # the same graph whatever the order
            if pending:
                clock.lap(f"read {len(pending)} document(s)")
            todo, seen = _select(docs, old, fp, report, say)
            if todo and res is None:
                say("loading morphology and authority data…")
                res = _resources(corrections)
                clock.lap("loaded morphology and authority data")
            update = _update(w, base, old, todo, seen, same_base)
            for n, (doc, out) in enumerate(zip(todo, workers.extract(todo, res)), 1):
                _record(w, update, report, mint, fp, doc, out)
                if isinstance(out, str):
                    say(f"[{n}/{len(todo)}] FAILED {doc.path}: {out}")
                elif n % 100 == 0 or n == len(todo) or len(todo) <= 50:
                    say(f"[{n}/{len(todo)}] {doc.name}: {out.decisions} decisions")
            workers.close()
            if todo:
                clock.lap(f"extracted {len(report.built)} document(s), {len(todo) - len(report.built)} failed")
            _finish(w, update, report, seen, mint, res, clock, w.manifest.get("fingerprint") == fp)
            w.manifest["base"] = base
            w.manifest["fingerprint"] = fp
            w.manifest["failed"] = sorted([path, reason] for path, reason in report.failed)  # for the curator
        except BaseException:
            if update is not None:
                update.close(quiet=True)  # the loads stop before the copy is thrown away
            raise
        finally:
            workers.close()
        del update
    clock.lap("committed the new store" + (" (compacted)" if w.compact else ""))
    return report


def _finish(w, update: StoreUpdate, report: BuildReport, seen: set[str], mint: Minter, res: Resources | None,
            clock: _Clock, same_code: bool) -> None:
    """Remove the graphs of documents gone, keep those of the others, and write the authority, derived and build
    graphs (SAME_CODE: kg and its data are those of the previous build)."""
    docs_meta = w.manifest.setdefault("documents", {})
    kept = {docs_meta[name]["graph"] for name in seen if name in docs_meta}
    for name in sorted(set(docs_meta) - seen):
        if docs_meta[name]["graph"] not in kept:
            update.drop(docs_meta[name]["graph"])
        del docs_meta[name]
        report.removed.append(name)
    for g in sorted(kept):
        update.keep(g)
    if same_code and update.same_facts:  # the derived graphs depend on nothing else
        special = None
        clock.lap("derived graphs unchanged: no graph's facts changed")
    else:  # computed while the last loads run (they release the interpreter)
        special = derived_graphs(update.facts(), mint, res if res is not None else Authority())
        clock.lap("derived " + ", ".join(f"{len(set(q))} {g.rsplit('/', 1)[-1]}" for g, q in special.items()) +
                  " quads")
    update.close()
    report.triples = update.write_special(special, _build_graph(mint))
    clock.lap(f"stored {len(update.records)} document graph(s) and the derived ones")


def _scan(paths: Iterable[str], old: dict, fp: str) -> tuple[list, list[Document]]:
    """Every file under PATHS: a Document (the manifest's record of an unchanged file), an IngestError, or a
    placeholder Document still to be read; and the placeholders."""
    pending: list[Document] = []

    def known(path: str, st: os.stat_result) -> Document:
        """An unchanged file (same path, size and modification time as built before) is not read again."""
        prev = old.get(os.path.basename(path))
        if prev and prev.get("fingerprint") == fp and prev.get("path") == path and \
                prev.get("size") == st.st_size and prev.get("mtime_ns") == st.st_mtime_ns:
            return Document(os.path.basename(path), path, "", prev.get("lang", "ru"), sha256=prev["sha256"])
        pending.append(Document(os.path.basename(path), path, ""))
        return pending[-1]

    return list(iter_documents(list(paths), known=known)), pending


def _select(docs: list, old: dict, fp: str, report: BuildReport, say) -> tuple[list[Document], set[str]]:
    """The documents to extract, and the names of every document the store keeps (failures are reported)."""
    seen: set[str] = set()
    todo: list[Document] = []
    by_content: dict[str, Document] = {}
    by_id: dict[str, str] = {}
    for doc in docs:
        if isinstance(doc, IngestError):
            report.failed.append((doc.path, doc.reason))
            name = Path(doc.path).name
            if name in old:
                seen.add(name)  # keep what was built from it before
            say(f"FAILED {doc}")
            continue
        if doc.name in seen:
            report.failed.append((doc.path, f"another document named {doc.name} is already in this build"))
            continue
        other = by_id.setdefault(doc_id(doc.name), doc.name)
        if other != doc.name:
            report.failed.append((doc.path, f"its graph would be that of {other} (the same name before the "
                                            "extension): rename one of them"))
            continue
        first = by_content.setdefault(doc.sha256, doc)
        if first is not doc:
            report.failed.append((doc.path, f"same content as {first.path}: a duplicate, not built"))
            continue
        seen.add(doc.name)
        prev = old.get(doc.name)
        if prev and prev.get("sha256") == doc.sha256 and prev.get("fingerprint") == fp:
            report.unchanged.append(doc.name)
            report.unconsumed += [(doc.name, ln, t) for ln, t in prev.get("unconsumed", [])]
            continue
        todo.append(doc)
    return todo, seen


def _update(w, base: str, old: dict, todo: list[Document], seen: set[str], same_base: bool) -> StoreUpdate:
    """How to make the new store: from an empty database when little of the old one stays (copying a graph is
    dearer than removing one, but most graphs would have to be removed), else from a copy of the old one."""
    names = {d.name for d in todo}
    stays = sum(1 for name in old if name in seen and name not in names)
    fresh = not same_base or not old or 3 * stays < len(old) - stays
    return StoreUpdate(w, base, fresh, {meta["graph"] for meta in old.values()}, len(todo) + stays * fresh)


def _record(w, update: StoreUpdate, report: BuildReport, mint: Minter, fp: str, doc: Document,
            out: Extracted | str) -> None:
    """Put one extracted document's graph into the store and the manifest (a failure keeps what was there)."""
    if isinstance(out, str):
        report.failed.append((doc.path, out))
        return
    graph = mint.graph(doc_id(doc.name))
    update.put(graph, out.nquads, out.quads, out.facts)
    report.unconsumed += [(doc.name, ln, t) for ln, t in out.unconsumed]
    w.manifest.setdefault("documents", {})[doc.name] = {
        "sha256": doc.sha256, "fingerprint": fp, "graph": graph, "path": doc.path, **_stat(doc.path),
        "lang": doc.lang, "unconsumed": [list(u) for u in out.unconsumed], "review": out.review,
    }
    report.built.append(doc.name)


def _build_graph(mint: Minter) -> tuple[str, list[ox.Quad]]:
    """The build graph: this build as a PROV activity of kg's version, with the time it ended."""
    g = mint.special_graph("build")
    e = Emitter(g)
    act = mint.base + "build/latest"
    agent = mint.base + f"agent/kg-{__version__}"
    e.add(act, RDF.type, PROV.Activity)
    e.add(act, RDF.type, LKG.Build)
    e.add(act, PROV.wasAssociatedWith, agent)
    e.add(agent, RDF.type, PROV.SoftwareAgent)
    e.lit(agent, RDFS.label, f"kg {__version__}")
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    e.add(act, PROV.endedAtTime, ox.Literal(now, datatype=N(XSD.dateTime)))
    return g, e.quads


def _order(doc: Document | IngestError) -> tuple[int, str, str]:
    """Sort key: failures first, then documents by file name and path."""
    return (0, doc.path, "") if isinstance(doc, IngestError) else (1, doc.name, doc.path)


def print_progress(msg: str) -> None:
    """Progress lines go to stderr so that stdout stays clean for data."""
    print(msg, file=sys.stderr)
