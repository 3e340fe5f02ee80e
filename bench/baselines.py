"""The baselines kg is measured against: natasha's NER pipeline (segmenter, morphology tagger, NER tagger,
normaliser) for extraction, and rdflib's in-memory Dataset for queries; plus kg's own in-process timings."""
from __future__ import annotations

import signal
import statistics
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """Per-run wall times of one measured thing; None runs are those cut off by the time budget."""

    runs: tuple[float, ...]
    over_budget: bool = False
    error: str | None = None  # the exception that stopped a run, for an engine that cannot run the query
    rows: int | None = None  # the number of results of the warm-up run, where the result has a length

    @property
    def median(self) -> float | None:
        """The median run time in seconds, None when no run finished within the budget."""
        return statistics.median(self.runs) if self.runs else None


class OverBudget(Exception):
    """Raised inside a run that took longer than its budget."""


@contextmanager
def budget(seconds: float):
    """Interrupt the block with OverBudget after SECONDS (pure-Python code only; main thread only)."""
    def on_alarm(signum, frame):
        """Stop the block."""
        raise OverBudget()
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def timed_runs(fn: Callable[[], object], runs: int = 5, per_run: float = 10.0, total: float = 60.0) -> Timing:
    """One warm-up run (its result's length kept as the row count), then up to RUNS timed runs of FN; a run over
    PER_RUN seconds stops the measurement (reported as over budget), and no new run starts once TOTAL seconds have
    been spent."""
    spent = time.perf_counter()
    try:
        with budget(per_run):
            result = fn()
        rows = len(result) if hasattr(result, "__len__") else None
    except OverBudget:
        return Timing((), True)
    except Exception as exc:  # noqa: BLE001 - a baseline engine's own failure is a result to report
        return Timing((), False, f"{type(exc).__name__}: {str(exc)[:120]}")
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        try:
            with budget(per_run):
                fn()
        except OverBudget:
            return Timing(tuple(out), True, rows=rows)
        out.append(time.perf_counter() - t)
        if time.perf_counter() - spent > total:
            break
    return Timing(tuple(out), rows=rows)


class Natasha:
    """natasha's pipeline without the syntax parser: segment, tag morphology, tag entities, normalise them."""

    def __init__(self):
        from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

        emb = NewsEmbedding()
        self.doc_cls = Doc
        self.segmenter = Segmenter()
        self.morph = NewsMorphTagger(emb)
        self.ner = NewsNERTagger(emb)
        self.vocab = MorphVocab()

    def __call__(self, text: str) -> list[tuple[str, str]]:
        """Entities of TEXT as (type, normal form)."""
        doc = self.doc_cls(text)
        doc.segment(self.segmenter)
        doc.tag_morph(self.morph)
        doc.tag_ner(self.ner)
        for span in doc.spans:
            span.normalize(self.vocab)
        return [(s.type, s.normal) for s in doc.spans]


def per_document(fn: Callable[[object], object], items: Sequence[object]) -> list[float]:
    """Wall time of FN on each item."""
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - t)
    return out


def rdflib_dataset(nquads: bytes):
    """An rdflib Dataset (default graph = union of the named graphs) holding the N-Quads."""
    import rdflib

    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=nquads, format="nquads")
    return ds


def rdflib_term(term):
    """The rdflib term for a pyoxigraph term (for initBindings)."""
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
