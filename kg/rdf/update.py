"""Applying a build to the store: document graphs loaded, replaced, removed or kept, the facts of each graph
recorded (kg/derived.py), and the authority and derived graphs rewritten where they changed.

The record mirrors the store's document graphs, so that a rebuild computes the derived graphs without reading
the store: FACTS_FILE holds a header line, then one line per graph (its IRI, its number of quads and its facts
as JSON), and SPECIAL_FILE the authority and derived graphs as N-Quads. A store without a valid record (written
by an older kg, or changed by another writer) has the facts of its graphs read back from it once."""
from __future__ import annotations

import json
import queue
import threading

import pyoxigraph as ox

from kg.derived import Facts, graph_facts
from kg.rdf.mapping import N
from kg.rdf.store import StoreWriter

FORMAT = 3
FACTS_FILE = "facts.jsonl"
SPECIAL_FILE = "derived.nq"
BATCH_QUADS = 300_000  # quads per bulk load at most: larger batches load faster but hold more memory
BATCHES = 8  # a build's quads go in at least this many loads, so that loading keeps up with extraction
QUADS_PER_GRAPH = 200  # about as many as a document's graph holds
SMALL_LOAD = 20_000  # fewer quads than this go in by a transaction, not by writing new database files


def record(graph: str, quads: int, facts: dict) -> str:
    """The record line of one graph."""
    return f"{graph}\t{quads}\t{json.dumps(facts, ensure_ascii=False, separators=(',', ':'))}\n"


def read_records(w: StoreWriter, base: str) -> dict[str, str] | None:
    """The previous build's record lines by graph, or None when there are none (or they are for another base)."""
    text = w.read_extra(FACTS_FILE)
    if not text:
        return None
    header, _, rest = text.partition("\n")
    try:
        if json.loads(header) != {"format": FORMAT, "base": base}:
            return None
    except ValueError:
        return None
    return {line[:line.index("\t")]: line + "\n" for line in rest.splitlines()}


def nquads(quads) -> list[str]:
    """The distinct N-Quads lines of QUADS, sorted."""
    return sorted({f"{q} .\n" for q in quads})


class Loader:
    """Loads N-Quads into STORE in batches from a background thread while the caller goes on, and removes the
    previous content of graphs before their new quads come. `close()` waits and re-raises what went wrong."""

    def __init__(self, store: ox.Store, batch: int = BATCH_QUADS):
        self.store, self.batch = store, batch
        self.parts: list[bytes] = []
        self.pending = 0
        self.error: BaseException | None = None
        self.tasks: queue.Queue = queue.Queue(maxsize=2)
        self.thread = threading.Thread(target=self._run, name="kg-loader", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (task := self.tasks.get()) is not None:
            if self.error is not None:
                continue
            kind, arg = task
            try:
                if kind == "remove":
                    if self.store.contains_named_graph(arg):
                        self.store.remove_graph(arg)
                elif arg[0] < SMALL_LOAD:
                    self.store.load(arg[1], ox.RdfFormat.N_QUADS)
                else:
                    self.store.bulk_load(arg[1], ox.RdfFormat.N_QUADS, lenient=True)  # IRIs were checked when made
            except BaseException as exc:  # noqa: BLE001 - handed to the caller by close()
                self.error = exc

    def _put(self, task) -> None:
        if self.error is not None:
            raise self.error
        self.tasks.put(task)

    def remove(self, graph: ox.NamedNode) -> None:
        """Remove the previous content of GRAPH; call it before adding the graph's new quads."""
        self._put(("remove", graph))

    def add(self, data: bytes, n: int) -> None:
        """Add N quads written as N-Quads (UTF-8)."""
        self.parts.append(data)
        self.pending += n
        if self.pending >= self.batch:
            self._send()

    def _send(self) -> None:
        if self.parts:
            self._put(("load", (self.pending, b"".join(self.parts))))
            self.parts, self.pending = [], 0

    def close(self) -> None:
        """Load what is left, wait for the thread, and raise what went wrong in it."""
        try:
            self._send()
        finally:
            self.tasks.put(None)
            self.thread.join()
        if self.error is not None:
            raise self.error


class StoreUpdate:
    """The document graphs of the store being built and their records. FRESH starts from an empty database (the
    graphs kept are copied from the previous store), else from a copy of the previous one that holds GRAPHS;
    about EXPECTED graphs are to be loaded."""

    def __init__(self, w: StoreWriter, base: str, fresh: bool, graphs: set[str], expected: int = 0):
        self.w, self.base, self.fresh = w, base, fresh
        self.batch = max(SMALL_LOAD, min(BATCH_QUADS, expected * QUADS_PER_GRAPH // BATCHES))
        self.store = w.start(keep=not fresh)
        self.known = read_records(w, base) or {}  # the previous build's records
        special = w.read_extra(SPECIAL_FILE) if self.known else None
        self.special_before = None if fresh or special is None else set(special.splitlines(keepends=True))
        self.exact = fresh or bool(self.known)  # whether the quads can be counted from the records
        self.records: dict[str, str | None] = {} if fresh else {g: self.known.get(g) for g in graphs}
        self.same_facts = self.special_before is not None and None not in self.records.values()
        self.changed = 0
        self._loader: Loader | None = None
        self._prev: ox.Store | None = None

    @property
    def loader(self) -> Loader:
        """The background loader (started when first needed: after the workers have been forked)."""
        if self._loader is None:
            self._loader = Loader(self.store, self.batch)
        return self._loader

    def put(self, graph: str, data: bytes, quads: int, facts: str) -> None:
        """Replace GRAPH by the N-Quads DATA (QUADS of them), whose facts are FACTS (JSON)."""
        before = self.records.get(graph)
        if not self.fresh and graph in self.records:
            self.loader.remove(N(graph))
        self.loader.add(data, quads)
        self.records[graph] = f"{graph}\t{quads}\t{facts}\n"
        self.same_facts = self.same_facts and before is not None and before.split("\t", 2)[2] == facts + "\n"
        self.changed += 1

    def drop(self, graph: str) -> None:
        """Remove GRAPH."""
        if graph in self.records:
            if not self.fresh:
                self.loader.remove(N(graph))
            del self.records[graph]
            self.same_facts = False
            self.changed += 1

    def keep(self, graph: str) -> None:
        """Keep GRAPH as the previous store holds it (copied into a fresh database)."""
        if graph in self.records:
            return
        if self._prev is None:
            self._prev = self.w.previous()
        quads = list(self._prev.quads_for_pattern(None, None, None, N(graph))) if self._prev is not None else []
        if quads:
            lines = nquads(quads)
            self.loader.add("".join(lines).encode("utf-8"), len(lines))
            self.records[graph] = self.known.get(graph) or record(graph, len(lines), graph_facts(quads, self.base))
            self.same_facts = False

    def close(self, quiet: bool = False) -> None:
        """Wait for the loads still under way and raise what went wrong in them (unless QUIET)."""
        if self._loader is not None:
            loader, self._loader = self._loader, None
            try:
                loader.close()
            except Exception:
                if not quiet:
                    raise

    def facts(self) -> Facts:
        """The union of the facts of every document graph (reading back from the store those not recorded)."""
        out = Facts()
        loads = json.loads
        for g, line in self.records.items():
            if line is None:
                quads = list(self.store.quads_for_pattern(None, None, None, N(g)))
                line = self.records[g] = record(g, len(nquads(quads)), graph_facts(quads, self.base))
            out.add(loads(line[line.index("\t", len(g) + 1) + 1:]))
        return out

    def write_special(self, graphs: dict[str, list[str]] | None, build: tuple[str, list[ox.Quad]]) -> int:
        """Write the authority and derived GRAPHS (N-Quads lines; only those that changed, where the record
        tells; None keeps them as they are) and the BUILD graph; keep the records; the number of quads the
        store holds."""
        store = self.store
        lines = self.special_before if graphs is None else set().union(*graphs.values())
        if graphs is None:
            new = set()
        elif self.special_before is None:
            for g in graphs:
                if not self.fresh and store.contains_named_graph(N(g)):
                    store.remove_graph(N(g))
            new = lines
        else:
            for q in ox.parse("".join(self.special_before - lines), ox.RdfFormat.N_QUADS):
                store.remove(q)
            new = lines - self.special_before
        if len(new) >= SMALL_LOAD:
            store.bulk_load("".join(new).encode("utf-8"), ox.RdfFormat.N_QUADS, lenient=True)
        elif new:
            store.load("".join(new), ox.RdfFormat.N_QUADS)
        g, quads = build
        if not self.fresh and store.contains_named_graph(N(g)):
            store.remove_graph(N(g))
        store.extend(quads)
        self.w.extra[FACTS_FILE] = json.dumps({"format": FORMAT, "base": self.base}) + "\n" + \
            "".join(self.records[g] for g in sorted(self.records))
        self.w.extra[SPECIAL_FILE] = "".join(sorted(lines))
        self.w.compact = self.fresh or self.changed * 5 >= max(len(self.records), 1)
        if not self.exact:
            return len(store)
        return sum(int(line.split("\t", 2)[1]) for line in self.records.values()) + len(lines) + len(set(quads))
