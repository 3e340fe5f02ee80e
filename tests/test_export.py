"""kg export: every format parses back into the store's graph (rdflib, isomorphic), independent parsers
(Apache Jena's riot, pyoxigraph) accept it, the dataset description travels with it, and JSON-LD is
compacted with the published context."""
from __future__ import annotations

import csv
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import DCTERMS, RDF, VOID

from kg.cli import main
from kg.export import load_dataset
from kg.export.rdf import load_context
from kg.query import run_query
from kg.rdf.store import open_store

sys.path.insert(0, str(Path(__file__).parent))
import servers

QUAD_FORMATS = {"nq": "nquads", "trig": "trig", "jsonld": "json-ld"}
TRIPLE_FORMATS = {"ttl": "turtle", "nt": "nt", "xml": "xml"}
JENA_SYNTAX = {"ttl": "Turtle", "nt": "N-Triples", "nq": "N-Quads", "trig": "TriG", "jsonld": "JSONLD10",
               "xml": "RDF/XML"}
OX_FORMAT = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
             "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}


@pytest.fixture(scope="module")
def store() -> Path:
    """The seed store (with both Ukrainian apostrophes in it)."""
    return servers.seed_store("v1")


@pytest.fixture(scope="module")
def exported(store, tmp_path_factory) -> dict[str, Path]:
    """Every format exported once through the CLI."""
    out = tmp_path_factory.mktemp("export")
    files = {}
    for fmt in (*QUAD_FORMATS, *TRIPLE_FORMATS, "graphml", "gexf"):
        files[fmt] = out / f"graph.{fmt}"
        assert main(["export", "--format", fmt, "--store", str(store), "--out", str(files[fmt])]) == 0
    return files


@pytest.fixture(scope="module")
def expected(store) -> Dataset:
    """The store's quads and their description, as an rdflib Dataset (read from N-Quads by rdflib)."""
    data = load_dataset(store)
    ds = Dataset()
    ds.parse(data=ox.serialize(data.all_quads, format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    return ds


def union(ds: Dataset) -> Graph:
    """Every triple of every graph of DS in one graph."""
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def assert_isomorphic(got: Graph, want: Graph, what: str) -> None:
    """GOT and WANT are isomorphic; otherwise show what differs (graph_diff)."""
    if not isomorphic(got, want):
        _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
        pytest.fail(f"{what} differs from the store:\nonly in the export:\n"
                    f"{only_got.serialize(format='nt')[:3000]}\nonly in the store:\n"
                    f"{only_want.serialize(format='nt')[:3000]}")


def named_graphs(ds: Dataset) -> dict[str, Graph]:
    """The non-empty named graphs of DS by IRI."""
    return {str(g.identifier): g for g in ds.graphs() if len(g) and str(g.identifier).startswith("http")}


def assert_same_dataset(got: Dataset, want: Dataset, what: str) -> None:
    """GOT has the graphs of WANT, each isomorphic to WANT's."""
    got_graphs, want_graphs = named_graphs(got), named_graphs(want)
    assert sorted(got_graphs) == sorted(want_graphs), what
    for iri, graph in want_graphs.items():
        assert_isomorphic(got_graphs[iri], graph, f"{what}, graph <{iri}>")


@pytest.mark.parametrize("fmt", list(QUAD_FORMATS))
def test_quad_formats_round_trip_with_one_graph_per_document(fmt, exported, expected, store):
    ds = Dataset()
    ds.parse(exported[fmt], format=QUAD_FORMATS[fmt])
    assert_same_dataset(ds, expected, fmt)
    docs = [g for g in named_graphs(ds) if not g.endswith(("/authority", "/derived", "/build"))]
    files = {str(o) for g in docs for o in named_graphs(ds)[g].objects(None, URIRef(
        "https://kg.example.org/ns#fileName"))}
    assert len(docs) == len(files) == len(list(Path(store).parent.joinpath("docs").glob("*.txt")))


@pytest.mark.parametrize("fmt", list(TRIPLE_FORMATS))
def test_triple_formats_round_trip_as_the_union_graph(fmt, exported, expected):
    g = Graph()
    g.parse(exported[fmt], format=TRIPLE_FORMATS[fmt])
    assert_isomorphic(g, union(expected), fmt)


@pytest.mark.parametrize("fmt", list(JENA_SYNTAX))
def test_jena_riot_reads_every_rdf_export(fmt, exported, expected, tmp_path):
    path = exported[fmt]
    if fmt == "jsonld":
        # Debian's Jena has no JSON-P provider for its JSON-LD 1.1 parser; its 1.0 parser reads the same
        # document once the "@version": 1.1 marker (the only 1.1 feature the context needs) is taken out.
        doc = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(doc.get("@context"), dict):
            doc["@context"].pop("@version", None)
        path = tmp_path / "graph10.jsonld"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    done = servers.riot(path, JENA_SYNTAX[fmt], "nq")
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")[-3000:]
    ds = Dataset()
    ds.parse(data=done.stdout.decode("utf-8"), format="nquads")
    if fmt in QUAD_FORMATS:
        assert_same_dataset(ds, expected, f"{fmt} read by riot")
    else:
        assert_isomorphic(union(ds), union(expected), f"{fmt} read by riot")


@pytest.mark.parametrize("fmt", list(OX_FORMAT))
def test_pyoxigraph_reads_every_rdf_export(fmt, exported, store):
    got = set(ox.parse(path=str(exported[fmt]), format=OX_FORMAT[fmt]))
    data = load_dataset(store)
    if fmt in QUAD_FORMATS:
        assert got == set(data.all_quads)
    else:
        assert {ox.Triple(q.subject, q.predicate, q.object) for q in got} == {
            ox.Triple(q.subject, q.predicate, q.object) for q in data.all_quads}


def test_jsonld_is_compacted_with_the_published_context(exported):
    doc = json.loads(exported["jsonld"].read_text(encoding="utf-8"))
    context = load_context()
    assert doc["@context"] == context
    terms = {k for k in context if not k.startswith("@")}
    prefixes = {k for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}
    keys: set[str] = set()

    def walk(value):
        if isinstance(value, dict):
            keys.update(value)
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk({k: v for k, v in doc.items() if k != "@context"})
    long_keys = [k for k in keys if "://" in k]
    assert not long_keys, f"properties left as full IRIs: {long_keys[:5]}"
    language_tag = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")  # keys of language maps
    unknown = [k for k in keys if not k.startswith("@") and k not in terms and k.split(":")[0] not in prefixes
               and not language_tag.match(k)]
    assert not unknown, unknown
    assert keys & terms, "no term of the context is used"


def test_every_export_carries_the_dataset_description(exported, store):
    g = Graph()
    g.parse(exported["ttl"], format="turtle")
    datasets = list(g.subjects(RDF.type, VOID.Dataset))
    manifest_base = "https://kg.example.org/id/"
    top = URIRef(manifest_base + "dataset")
    assert top in datasets
    assert {t.language for t in g.objects(top, DCTERMS.title)} >= {"en", "ru", "uk"}
    assert g.value(top, DCTERMS.license) is not None
    built = g.value(URIRef(manifest_base + "build/latest"), URIRef("http://www.w3.org/ns/prov#endedAtTime"))
    assert g.value(top, DCTERMS.modified) == built
    quads = list(open_store(store))
    assert int(g.value(top, VOID.triples)) == len(quads)
    resolutions = set(g.subjects(RDF.type, URIRef("https://kg.example.org/ns#Resolution")))
    assert set(g.objects(top, DCTERMS.source)) == resolutions and resolutions
    for subset in g.objects(top, VOID.subset):
        n = sum(1 for q in quads if q.graph_name.value == str(subset))
        assert g.value(subset, VOID.triples) == Literal(n), subset
    graphml = nx.read_graphml(exported["graphml"])
    assert graphml.graph["dataset"] == str(top) and graphml.graph["license"] == str(g.value(top, DCTERMS.license))
    meta = ET.parse(exported["gexf"]).getroot().find("{http://www.gexf.net/1.2draft}meta")
    assert str(top) in ET.tostring(meta, encoding="unicode")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_files_hold_the_typed_resources_and_their_links(fmt, exported, store):
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    g = read(exported[fmt])
    base = "https://kg.example.org/id/"
    quads = [q for q in open_store(store) if q.graph_name.value != base + "graph/build"]
    typed = {q.subject.value for q in quads if q.predicate.value == str(RDF.type)
             and q.subject.value.startswith(base) and not q.subject.value.startswith(base + "graph/")}
    assert set(g.nodes) == typed
    links = {(q.subject.value, q.object.value) for q in quads
             if q.subject.value in typed and q.object.value in typed and q.predicate.value != str(RDF.type)}
    assert set(g.edges) == links
    people = [n for n, d in g.nodes(data=True) if d.get("kind") == "foaf:Person"]
    assert people and all(g.nodes[p]["label"] != p.rsplit("/", 1)[-1] for p in people)


def test_csv_of_a_canned_query_with_csvw_metadata(store, tmp_path):
    out = tmp_path / "people.csv"
    assert main(["export", "--format", "csv", "--query", "people", "--store", str(store), "--out", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    result = run_query("people", {}, store)
    assert rows == [{v: d.get(v, "") for v in result.vars} for d in result.dicts()]
    meta = json.loads((tmp_path / "people.csv-metadata.json").read_text(encoding="utf-8"))
    assert meta["url"] == "people.csv"
    assert [c["name"] for c in meta["tableSchema"]["columns"]] == result.vars
    assert meta["dc:license"]["@id"].startswith("http") and meta["dc:source"]["@id"].endswith("/dataset")


def test_export_is_deterministic(store, tmp_path):
    a, b = tmp_path / "a.trig", tmp_path / "b.trig"
    for path in (a, b):
        assert main(["export", "--format", "trig", "--store", str(store), "--out", str(path)]) == 0
    assert a.read_bytes() == b.read_bytes()


def test_apostrophes_and_cyrillic_are_written_byte_exactly(exported):
    for fmt in ("ttl", "nt", "nq", "trig", "jsonld", "xml"):
        data = exported[fmt].read_bytes()
        assert "інтер’єру".encode() in data and "інтерʼєру".encode() in data, fmt


@pytest.mark.parametrize("args, message", [
    (["--format", "csv"], "--query"),
    (["--format", "ttl", "--query", "people"], "--format csv"),
    (["--format", "csv", "--query", "no_such_query"], "no canned query"),
])
def test_export_usage_errors_are_one_line(args, message, store, capsys):
    assert main(["export", *args, "--store", str(store)]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_store_is_a_clear_error(tmp_path, capsys):
    assert main(["export", "--format", "ttl", "--store", str(tmp_path / "nothing"), "--out",
                 str(tmp_path / "x.ttl")]) == 1
    assert "no store" in capsys.readouterr().err
    assert not (tmp_path / "x.ttl").exists()
