"""The parallel part of a build: documents are read, extracted and mapped to quads in worker processes, forked
after the resources are loaded so that they share them."""
from __future__ import annotations

import json
import multiprocessing as mp
import os
from collections.abc import Iterator
from dataclasses import dataclass

from kg.derived import graph_facts
from kg.errors import IngestError
from kg.extract.pipeline import extract
from kg.ingest import read_document
from kg.iris import Minter
from kg.model import Document
from kg.rdf.mapping import resolution_quads
from kg.resources import Resources

MIN_PARALLEL = 40  # fewer documents than this are not worth starting worker processes for


@dataclass
class Extracted:
    """One document's graph as N-Quads (UTF-8), its facts for the whole-graph steps (kg/derived.py) and notes."""

    nquads: bytes
    quads: int
    facts: str  # JSON
    review: list[dict]
    unconsumed: list[tuple[int, str]]
    decisions: int


_WORKER: tuple[Resources | None, Minter] | None = None  # inherited by forked workers


class Workers:
    """Reading and extraction of many documents: in forked worker processes, which share the resources loaded
    before, or in this process when there are too few documents to pay for them (or no way to fork)."""

    def __init__(self, res: Resources | None, mint: Minter, jobs: int | None, n: int):
        global _WORKER
        _WORKER = (res, mint)
        jobs = jobs or os.cpu_count() or 1
        use = jobs > 1 and n >= MIN_PARALLEL and "fork" in mp.get_all_start_methods()
        self.pool = mp.get_context("fork").Pool(min(jobs, n)) if use else None

    def read(self, paths: list[str]) -> Iterator[Document | IngestError]:
        """`read_document` of each of PATHS, in order (an IngestError for one that cannot be read)."""
        results = map(_read, paths) if self.pool is None else self.pool.imap(_read, paths, chunksize=16)
        for r in results:
            yield IngestError(*r) if isinstance(r, tuple) else r

    def extract(self, docs: list[Document], res: Resources) -> Iterator[Extracted | str]:
        """`_extract` of each of DOCS, in order (workers use the resources they were started with)."""
        global _WORKER
        if self.pool is None:
            _WORKER = (res, _WORKER[1])
            return map(_extract, docs)
        return self.pool.imap(_extract, docs, chunksize=4)

    def close(self) -> None:
        """Stop the workers."""
        global _WORKER
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
        _WORKER = None


def _read(path: str) -> Document | tuple[str, str]:
    """One document, or (path, reason) when it cannot be read (an IngestError does not pickle)."""
    try:
        return read_document(path)
    except IngestError as exc:
        return exc.path, exc.reason


def _extract(doc: Document) -> Extracted | str:
    """Extract and map one document: its graph and notes, or the reason it failed."""
    res, mint = _WORKER
    try:
        resolution = extract(doc, res)
        quads = resolution_quads(resolution, mint, res)
    except IngestError as exc:
        return exc.reason
    except Exception as exc:  # noqa: BLE001 - one document that breaks extraction must not stop the build
        return f"could not extract ({type(exc).__name__}: {exc})"
    lines = dict.fromkeys(f"{q} .\n" for q in quads)  # the store keeps each quad once
    facts = json.dumps(graph_facts(quads, mint.base), ensure_ascii=False, separators=(",", ":"))
    return Extracted("".join(lines).encode("utf-8"), len(lines), facts, review_notes(resolution),
                     list(resolution.unconsumed), len(resolution.decisions))


def review_notes(resolution) -> list[dict]:
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
