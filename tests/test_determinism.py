"""Same input, same graph: a build run twice, with the paths in reverse order, in worker processes or in one,
or after a document changed and changed back, gives byte-identical sorted N-Quads and isomorphic graphs.
Only the build graph ({base}graph/build, which holds the build's time) may differ."""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.build import build
from kg.namespaces import DEFAULT_BASE
from kg.rdf.store import open_store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "docs"
SEEDS = ROOT / "data" / "resolutions"
BUILD_GRAPH = f"<{DEFAULT_BASE}graph/build>"
PARALLEL_AT = 40  # kg.build extracts in worker processes from this many documents on


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> list[str]:
    """The corpus, the sample documents and altered copies of corpus documents: enough for worker processes."""
    extra = tmp_path_factory.mktemp("copies")
    docs = sorted([*CORPUS.iterdir(), *SEEDS.iterdir()])
    texts = [p for p in sorted(CORPUS.iterdir()) if p.suffix == ".txt"]
    for k in range(PARALLEL_AT - len(docs)):
        src = texts[k % len(texts)]
        (extra / f"copy{k:02d}_{src.name}").write_bytes(src.read_bytes() + b"\n" * (k + 1))
    return [str(p) for p in [*docs, *sorted(extra.iterdir())]]


def quads(store: Path) -> list[str]:
    """The store's quads as sorted N-Quads lines, the build graph left out."""
    text = open_store(store).dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    return sorted(line for line in text.splitlines() if line and not line.endswith(f" {BUILD_GRAPH} ."))


def assert_same(a: list[str], b: list[str], what: str) -> None:
    """Equal N-Quads, or a failure that shows the first differences."""
    if a != b:
        diff = list(difflib.unified_diff(a, b, lineterm="", n=0))
        pytest.fail(f"{what}: {len(diff)} lines differ:\n" + "\n".join(diff[:40]))


def assert_isomorphic(a: list[str], b: list[str]) -> None:
    """Every named graph of A isomorphic to the same graph of B (rdflib's canonical comparison)."""
    ds_a, ds_b = Dataset(), Dataset()
    ds_a.parse(data="\n".join(a), format="nquads")
    ds_b.parse(data="\n".join(b), format="nquads")
    names_a = {g.identifier for g in ds_a.graphs() if len(g)}
    names_b = {g.identifier for g in ds_b.graphs() if len(g)}
    assert names_a == names_b
    for name in sorted(names_a):
        ga, gb = ds_a.graph(URIRef(name)), ds_b.graph(URIRef(name))
        if not isomorphic(ga, gb):
            _, only_a, only_b = graph_diff(to_isomorphic(ga), to_isomorphic(gb))
            pytest.fail(f"graph {name} differs:\n- " + only_a.serialize(format="nt") + "\n+ " +
                        only_b.serialize(format="nt"))


@pytest.fixture(scope="module")
def first(paths, tmp_path_factory, resources) -> tuple[Path, list[str]]:
    """A build of the documents in worker processes, and its quads."""
    store = tmp_path_factory.mktemp("first") / "kg"
    report = build(paths, str(store), resources=resources, jobs=2)
    assert report.ok and len(report.built) == len(paths) >= PARALLEL_AT
    return store, quads(store)


def test_a_second_build_of_the_same_store_changes_nothing(first, paths, resources):
    store, before = first
    report = build(paths, str(store), resources=resources, jobs=2)
    assert report.built == [] and len(report.unchanged) == len(paths)
    assert_same(before, quads(store), "rebuilt store")


def test_reverse_order_in_one_process_gives_the_same_graph(first, paths, tmp_path, resources):
    store = tmp_path / "kg"
    report = build(list(reversed(paths)), str(store), resources=resources, jobs=1)
    assert report.ok
    again = quads(store)
    assert_same(first[1], again, "reversed, one process")
    assert_isomorphic(first[1], again)


def test_a_document_changed_and_changed_back_gives_the_same_graph(first, paths, tmp_path, resources):
    store = tmp_path / "kg"
    shutil.copytree(first[0], store)
    docs = tmp_path / "docs"
    docs.mkdir()
    for p in paths:
        shutil.copy(p, docs / Path(p).name)
    changed = docs / "02_sovet_2021.txt"
    original = changed.read_bytes()
    changed.write_bytes(original.replace("Совет".encode(), "Клуб".encode(), 1))
    assert build([str(docs)], str(store), resources=resources).built == [changed.name]
    assert quads(store) != first[1]
    changed.write_bytes(original)
    (docs / "01_sovet_2019.txt").unlink()
    report = build([str(docs)], str(store), resources=resources)
    assert (report.built, report.removed) == ([changed.name], ["01_sovet_2019.txt"])
    shutil.copy(CORPUS / "01_sovet_2019.txt", docs)
    assert build([str(docs)], str(store), resources=resources).built == ["01_sovet_2019.txt"]
    assert_same(first[1], quads(store), "changed and restored")


def test_only_the_build_graph_holds_a_time(first):
    text = open_store(first[0]).dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    timed = {line.rsplit(" ", 2)[-2] for line in text.splitlines() if "XMLSchema#dateTime>" in line}
    assert timed == {BUILD_GRAPH}
