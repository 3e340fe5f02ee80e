"""Incremental builds: after documents are changed, added, removed, renamed or made unreadable, a rebuild over
the previous store gives the graph a cold build of the same folder gives (the build graph aside), whether it
works on a copy of the old store, starts from an empty one, or finds no record of the graphs' facts; and the
quads it reports are those the store holds."""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.build import build
from kg.namespaces import DEFAULT_BASE
from kg.rdf.store import open_store
from kg.rdf.update import FACTS_FILE

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "docs"
BUILD_GRAPH = f"<{DEFAULT_BASE}graph/build>"
TEXTS = sorted(p.name for p in CORPUS.iterdir() if p.suffix == ".txt")


def quads(store: Path) -> list[str]:
    """The store's quads as sorted N-Quads lines, the build graph left out."""
    text = open_store(store).dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    return sorted(line for line in text.splitlines() if line and not line.endswith(f" {BUILD_GRAPH} ."))


def change(folder: Path, name: str) -> None:
    """Give one document another sentence (its graph changes: the sentence is a note)."""
    with open(folder / name, "ab") as fh:
        fh.write("\nРезолюция принята единогласно.\n".encode())


def swap_names(folder: Path, name: str) -> None:
    """Give the Ivanovs of a document another surname, in every case form (people, memberships and links
    change)."""
    try:
        text = (folder / name).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return  # a document in another encoding stays as it is
    (folder / name).write_text(text.replace("Иванов", "Кузнецов").replace("Іванов", "Кузнецов"), encoding="utf-8")


EDITS = {
    "one changed": lambda d: change(d, TEXTS[0]),
    "names changed": lambda d: [swap_names(d, n) for n in TEXTS],
    "one removed": lambda d: (d / TEXTS[1]).unlink(),
    "one added": lambda d: (d / f"new_{TEXTS[2]}").write_bytes((d / TEXTS[2]).read_bytes() + b"\n\n"),
    "renamed": lambda d: (d / TEXTS[3]).rename(d / f"renamed_{TEXTS[3]}"),
    "same name, other extension": lambda d: (d / TEXTS[4]).rename(d / (Path(TEXTS[4]).stem + ".md")),
    "most changed": lambda d: [change(d, n) for n in TEXTS[1:]],
    "all removed but one": lambda d: [(d / n).unlink() for n in sorted(p.name for p in d.iterdir())[1:]],
}


@pytest.fixture(scope="module")
def before(tmp_path_factory, resources) -> Path:
    """A store built from the genre corpus."""
    store = tmp_path_factory.mktemp("before") / "kg"
    assert build([str(CORPUS)], str(store), resources=resources).ok
    return store


@pytest.mark.parametrize("record", [True, False], ids=["with record", "without record"])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_rebuild_gives_the_graph_of_a_cold_build(before, tmp_path, resources, edit, record):
    docs, store, cold = tmp_path / "docs", tmp_path / "kg", tmp_path / "cold"
    shutil.copytree(CORPUS, docs)
    shutil.copytree(before, store)
    assert build([str(docs)], str(store), resources=resources).ok  # the same files at a new path: only re-read
    if not record:
        (store / FACTS_FILE).unlink()  # as a store written by another writer (or an older kg) would be
    EDITS[edit](docs)
    again = build([str(docs)], str(store), resources=resources)
    fresh = build([str(docs)], str(cold), resources=resources)
    assert sorted(again.built + again.unchanged) == sorted(fresh.built)
    assert again.failed == fresh.failed
    got, want = quads(store), quads(cold)
    if got != want:
        diff = list(difflib.unified_diff(want, got, lineterm="", n=0))
        pytest.fail(f"{edit}: {len(diff)} lines differ:\n" + "\n".join(diff[:40]))
    assert again.triples == len(open_store(store)) == fresh.triples


def test_an_unreadable_document_keeps_its_graph(before, tmp_path, resources):
    docs, store = tmp_path / "docs", tmp_path / "kg"
    shutil.copytree(CORPUS, docs)
    assert build([str(docs)], str(store), resources=resources).ok
    kept = quads(store)
    (docs / TEXTS[0]).write_bytes(b"\x00\x01\x02" * 100)  # not text any more
    report = build([str(docs)], str(store), resources=resources)
    assert [Path(p).name for p, _ in report.failed] == [TEXTS[0]]
    assert quads(store) == kept
    assert report.triples == len(open_store(store))


def test_a_rebuild_of_unchanged_documents_reads_none_and_changes_nothing(before, tmp_path, resources):
    store = tmp_path / "kg"
    shutil.copytree(before, store)
    lines: list[str] = []
    report = build([str(CORPUS)], str(store), resources=resources, progress=lines.append)
    assert report.built == [] and len(report.unchanged) == len(list(CORPUS.iterdir()))
    assert lines[0].startswith(f"found {len(report.unchanged)} file(s): 0 to read")
    assert quads(store) == quads(before)


@pytest.mark.parametrize("edit, derived_again", [("one changed", False), ("names changed", True),
                                                 ("one removed", True)])
def test_the_derived_graphs_are_computed_again_only_when_facts_change(before, tmp_path, resources, edit,
                                                                      derived_again):
    docs, store = tmp_path / "docs", tmp_path / "kg"
    shutil.copytree(CORPUS, docs)
    shutil.copytree(before, store)
    assert build([str(docs)], str(store), resources=resources).ok
    EDITS[edit](docs)
    lines: list[str] = []
    build([str(docs)], str(store), resources=resources, progress=lines.append)
    assert any(ln.startswith("derived graphs unchanged") for ln in lines) is not derived_again
