"""Building the graph: read documents, extract facts, map them to quads and swap the new store in."""
from __future__ import annotations

import datetime
import hashlib
import multiprocessing as mp
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import pyoxigraph as ox

from kg import __version__
from kg.errors import IngestError
from kg.extract.pipeline import extract
from kg.history import history_quads
from kg.identity import identity_quads
from kg.ingest import iter_documents
from kg.iris import Minter, doc_id
from kg.labels import preferred_label_quads
from kg.lexicon import data_dir
from kg.model import Document
from kg.namespaces import DEFAULT_BASE, ELI, LKG, ORG, PROV, RDF, RDFS, XSD
from kg.rdf.mapping import Emitter, N, resolution_quads
from kg.rdf.store import write_store
from kg.resources import Resources


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
    processes for extraction (default: one per core)."""
    say = progress or (lambda msg: None)
    report = BuildReport()
    mint = Minter(base)
    fp = _fingerprint(corrections)
    res = resources
    with write_store(store_path) as w:
        old = w.manifest.get("documents", {}) if w.manifest.get("base") == base else {}
        if w.manifest.get("base") not in (None, base):
            w.store.clear()
        seen: set[str] = set()
        todo: list[Document] = []
        def known(path: str, st: os.stat_result) -> Document | None:
            """An unchanged file (same path, size and modification time as built before) is not read again."""
            prev = old.get(os.path.basename(path))
            if prev and prev.get("fingerprint") == fp and prev.get("path") == path and \
                    prev.get("size") == st.st_size and prev.get("mtime_ns") == st.st_mtime_ns:
                return Document(os.path.basename(path), path, "", prev.get("lang", "ru"), sha256=prev["sha256"])
            return None

        docs = sorted(iter_documents(list(paths), known=known), key=_order)  # the same graph whatever the order
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
        if todo and res is None:
            say("loading morphology and authority data…")
            res = _resources(corrections)
        batch: list[str] = []
        for n, (doc, out) in enumerate(zip(todo, _extract_all(todo, res, mint, jobs)), 1):
            if isinstance(out, str):
                report.failed.append((doc.path, out))
                say(f"[{n}/{len(todo)}] FAILED {doc.path}: {out}")
                continue
            nquads, review, unconsumed, decisions = out
            graph = N(mint.graph(doc_id(doc.name)))
            if w.store.contains_named_graph(graph):
                w.store.remove_graph(graph)
            batch.append(nquads)
            if len(batch) >= 1000:
                w.store.bulk_load("".join(batch), format=ox.RdfFormat.N_QUADS)  # into the copy: the swap keeps it atomic
                batch = []
            report.unconsumed += [(doc.name, ln, t) for ln, t in unconsumed]
            w.manifest.setdefault("documents", {})[doc.name] = {
                "sha256": doc.sha256, "fingerprint": fp, "graph": str(graph.value), "path": doc.path,
                **_stat(doc.path),
                "lang": doc.lang, "unconsumed": [list(u) for u in unconsumed], "review": review,
            }
            report.built.append(doc.name)
            if n % 100 == 0 or n == len(todo) or len(todo) <= 50:
                say(f"[{n}/{len(todo)}] {doc.name}: {decisions} decisions")
        if batch:
            w.store.bulk_load("".join(batch), format=ox.RdfFormat.N_QUADS)  # into the copy: the swap keeps it atomic
        docs_meta = w.manifest.setdefault("documents", {})
        kept = {docs_meta[name]["graph"] for name in seen if name in docs_meta}
        for name in sorted(set(docs_meta) - seen):
            g = N(docs_meta[name]["graph"])
            if docs_meta[name]["graph"] not in kept and w.store.contains_named_graph(g):
                w.store.remove_graph(g)
            del docs_meta[name]
            report.removed.append(name)
        if res is None:
            res = _resources(corrections)
        _finish(w.store, mint, res)
        w.manifest["base"] = base
        w.manifest["fingerprint"] = fp
        w.manifest["failed"] = sorted([path, reason] for path, reason in report.failed)  # for the curator
        report.triples = len(w.store)
    return report


def _order(doc: Document | IngestError) -> tuple[int, str, str]:
    """Sort key: failures first, then documents by file name and path."""
    return (0, doc.path, "") if isinstance(doc, IngestError) else (1, doc.name, doc.path)


_WORKER: tuple | None = None  # (resources, minter) inherited by forked workers


def _one(doc: Document) -> tuple[str, list[dict], list[tuple[int, str]], int] | str:
    """Extract and map one document in a worker: N-Quads text and the notes, or the reason it failed."""
    res, mint = _WORKER
    try:
        resolution = extract(doc, res)
        quads = resolution_quads(resolution, mint, res)
    except IngestError as exc:
        return exc.reason
    except Exception as exc:  # noqa: BLE001 - one document that breaks extraction must not stop the build
        return f"could not extract ({type(exc).__name__}: {exc})"
    text = "".join(f"{q} .\n" for q in quads)
    return text, _review(resolution), list(resolution.unconsumed), len(resolution.decisions)


def _extract_all(docs: list[Document], res: Resources, mint: Minter, jobs: int | None) -> Iterator:
    """Results of `_one` for DOCS, in order; in worker processes when there are enough documents."""
    global _WORKER
    _WORKER = (res, mint)
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(docs) < 40 or "fork" not in mp.get_all_start_methods():
        yield from map(_one, docs)
        return
    with mp.get_context("fork").Pool(jobs) as pool:  # workers inherit the loaded resources
        yield from pool.imap(_one, docs, chunksize=8)


def _review(resolution) -> list[dict]:
    """Review notes for one document: every organisation not matched exactly, every guessed name."""
    notes = []
    for d in resolution.decisions:
        for o in (*d.orgs, *(p.org for p in d.people if p.org)):
            if o.method not in ("exact", "alias"):
                notes.append({"what": "organisation", "method": o.method, "label": o.label, "key": o.key,
                              "score": o.score, "quote": o.quote, "item": f"{d.list_no}.{d.number}"})
        for p in d.people:
            if p.name.guessed:
                notes.append({"what": "name", "method": "guessed", "label": p.name.full, "quote": p.quote,
                              "item": f"{d.list_no}.{d.number}"})
        if d.kind == "other":
            notes.append({"what": "decision", "method": "unknown kind", "label": d.text[:80], "quote": d.text[:200],
                          "item": f"{d.list_no}.{d.number}"})
    seen, out = set(), []
    for n in notes:
        k = (n["what"], n["label"], n["item"], n["quote"])
        if k not in seen:
            seen.add(k)
            out.append(n)
    return out


def _finish(store: ox.Store, mint: Minter, res: Resources) -> None:
    """Rewrite the authority, derived and build graphs from what the document graphs now hold."""
    for name in ("authority", "derived", "build"):
        g = N(mint.special_graph(name))
        if store.contains_named_graph(g):
            store.remove_graph(g)
    for target in (res.used_orgs, res.used_bodies, res.used_places):
        target.clear()  # what the document graphs use decides, not what extraction happened to look up
    for kind, target, table in (("org/", res.used_orgs, res.auth.orgs), ("body/", res.used_bodies, res.auth.bodies),
                                ("place/", res.used_places, res.auth.places)):
        for key in table:  # one index look-up per authority entry, however large the graph
            iri = N(mint.base + kind + key)
            if next(store.quads_for_pattern(None, None, iri, None), None) is not None or \
                    next(store.quads_for_pattern(iri, None, None, None), None) is not None:
                target.add(key)
    store.extend(res.authority_quads(mint, mint.special_graph("authority")))
    store.extend(preferred_label_quads(store, mint.base, mint.special_graph("authority")))
    store.extend(_cooperation(store, mint))
    store.extend(history_quads(store, mint.special_graph("derived")))
    store.extend(identity_quads(store, mint.special_graph("derived")))
    e = Emitter(mint.special_graph("build"))
    act = mint.base + "build/latest"
    agent = mint.base + f"agent/kg-{__version__}"
    e.add(act, RDF.type, PROV.Activity)
    e.add(act, RDF.type, LKG.Build)
    e.add(act, PROV.wasAssociatedWith, agent)
    e.add(agent, RDF.type, PROV.SoftwareAgent)
    e.lit(agent, RDFS.label, f"kg {__version__}")
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()
    e.add(act, PROV.endedAtTime, ox.Literal(now, datatype=N(XSD.dateTime)))
    store.extend(e.quads)


def _cooperation(store: ox.Store, mint: Minter) -> list[ox.Quad]:
    """Cooperation links: organisations (not bodies) named together in one decision, weighted by items."""
    q = f"""SELECT DISTINCT ?item ?org WHERE {{
      ?item <{ELI.refers_to}> ?org .
      ?org a <{ORG.Organization}> .
      FILTER NOT EXISTS {{ ?org a <{LKG.Body}> }} }}"""
    by_item: dict[str, set[str]] = defaultdict(set)
    for item, org in store.query(q, use_default_graph_as_union=True):
        by_item[item.value].add(org.value)
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in sorted(by_item):
        for a, b in combinations(sorted(by_item[item]), 2):
            pairs[(a, b)].append(item)
    e = Emitter(mint.special_graph("derived"))
    for (a, b), items in sorted(pairs.items()):
        link = mint.cooperation(a, b)
        e.add(link, RDF.type, LKG.CooperationLink)
        e.add(link, LKG.source, a)
        e.add(link, LKG.target, b)
        e.lit(link, LKG.weight, len(items))
        for it in items:
            e.add(link, LKG.evidence, it)
        e.add(a, ORG.linkedTo, b)
    return e.quads


def print_progress(msg: str) -> None:
    """Progress lines go to stderr so that stdout stays clean for data."""
    print(msg, file=sys.stderr)
