"""Golden files: each document → facts JSON → Turtle, compared exactly (facts) and as isomorphic graphs (RDF)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kg.extract.pipeline import extract
from kg.facts import to_json
from kg.ingest import read_document
from kg.iris import Minter
from kg.namespaces import DEFAULT_BASE, PREFIXES
from kg.rdf.mapping import resolution_quads

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CASES = sorted((ROOT / "data" / "resolutions").glob("*.txt")) + sorted(GOLDEN.glob("*.txt"))


def _turtle(quads) -> str:
    """The quads of one document graph as Turtle (the graph name dropped)."""
    g = rdflib.Graph()
    for k, v in PREFIXES.items():
        g.bind(k, v)
    data = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    g.parse(data=data, format="nt")
    return g.serialize(format="turtle")


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_golden(path, resources, update_golden):
    res = extract(read_document(str(path)), resources)
    facts_path = GOLDEN / f"{path.stem}.json"
    ttl_path = GOLDEN / f"{path.stem}.ttl"
    ttl = _turtle(resolution_quads(res, Minter(DEFAULT_BASE), resources))
    if update_golden or not facts_path.exists():
        facts_path.write_text(to_json(res), encoding="utf-8")
        ttl_path.write_text(ttl, encoding="utf-8")
        if not update_golden:
            pytest.fail(f"golden files for {path.name} were missing and have been written; review and commit them")
    assert json.loads(to_json(res)) == json.loads(facts_path.read_text(encoding="utf-8"))
    got = rdflib.Graph().parse(data=ttl, format="turtle")
    want = rdflib.Graph().parse(ttl_path, format="turtle")
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        pytest.fail("graph differs from golden:\nonly in output:\n" + only_got.serialize(format="nt") +
                    "\nonly in golden:\n" + only_want.serialize(format="nt"))
