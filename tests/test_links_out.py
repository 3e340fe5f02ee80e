"""Links out and identity counts: an authority entry with a verified Wikidata id is linked with owl:sameAs in
the graph and its exports; one IRI per organisation across documents."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from kg.build import build
from kg.resources import Resources

ROOT = Path(__file__).resolve().parent.parent
DOCS = [str(ROOT / "data" / "resolutions"), str(ROOT / "tests" / "data" / "history")]


def test_wikidata_links_travel_with_the_graph(tmp_path, resources):
    auth = resources.auth
    orgs = dict(auth.orgs)
    orgs["gnbk"] = dataclasses.replace(orgs["gnbk"], wikidata="Q4163409")  # a test value, not a claim
    res = Resources(dataclasses.replace(auth, orgs=orgs), morph=resources.morph)
    store = tmp_path / "kg"
    report = build(DOCS, str(store), resources=res)
    assert report.ok
    from kg.rdf.store import open_store

    s = open_store(store)
    q = """SELECT ?o WHERE { <https://kg.example.org/id/org/gnbk> <http://www.w3.org/2002/07/owl#sameAs> ?o }"""
    assert [r["o"].value for r in s.query(q, use_default_graph_as_union=True)] == \
        ["http://www.wikidata.org/entity/Q4163409"]


def test_one_iri_per_organisation_across_documents(tmp_path, resources):
    store = tmp_path / "kg"
    assert build(DOCS, str(store), resources=resources).ok
    from kg.rdf.store import open_store

    s = open_store(store)
    q = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX org: <http://www.w3.org/ns/org#>
    SELECT ?label (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a org:Organization ; skos:prefLabel ?label } GROUP BY ?label"""
    counts = {r["label"].value: int(r["n"].value) for r in s.query(q, use_default_graph_as_union=True)}
    assert counts and all(n == 1 for n in counts.values()), {k: v for k, v in counts.items() if v > 1}
    # the seeds name ГНБК five ways; all are one organisation
    q2 = """SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE { ?item <http://data.europa.eu/eli/ontology#refers_to>
             <https://kg.example.org/id/org/gnbk> }"""
    assert int(next(iter(s.query(q2, use_default_graph_as_union=True)))["n"].value) >= 5
