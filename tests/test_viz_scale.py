"""`kg viz` on large graphs: a view reads only what it draws, the cap is cut before the graph is finished
and gives the same graph as capping the whole one, layouts do not depend on insertion order, and reading
stays linear where the same body is typed in every document graph."""
from __future__ import annotations

import time
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from kg.build import build
from kg.cli import main
from kg.namespaces import LKG, ORG, RDF
from kg.rdf.store import open_store
from kg.viz.facts import read_facts
from kg.viz.layout import layout
from kg.viz.projection import VIEWS, annotate, cap, project

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "data" / "resolutions", ROOT / "tests" / "fixtures" / "xss"]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> Path:
    """The seeds and the payload document built into a fresh store."""
    path = tmp_path_factory.mktemp("scale") / "store"
    assert build([str(d) for d in DOCS], str(path)).ok
    return path


@pytest.fixture(scope="module")
def store(store_path):
    """That store, open read-only."""
    return open_store(store_path)


@pytest.fixture(scope="module")
def facts(store):
    """Every fact of that store."""
    return read_facts(store)


def same_graph(a: nx.Graph, b: nx.Graph) -> bool:
    """Same nodes and edges, in the same order, with the same attributes, and the same graph attributes."""
    return (list(a.nodes(data=True)) == list(b.nodes(data=True))
            and list(a.edges(data=True)) == list(b.edges(data=True)) and a.graph == b.graph)


@pytest.mark.parametrize("view", VIEWS)
def test_reading_for_one_view_draws_the_same_graph(store, facts, view):
    assert same_graph(project(read_facts(store, view), view), project(facts, view))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("limit", [1, 7, 25, 10_000])
def test_capped_projection_is_the_cap_of_the_whole(facts, view, limit):
    whole = project(facts, view)
    capped = project(facts, view, limit)
    assert same_graph(capped, cap(project(facts, view), limit))
    assert capped.number_of_nodes() == min(limit, whole.number_of_nodes())
    assert capped.graph["capped"] == (limit < whole.number_of_nodes()) and capped.graph["total"] == len(whole)
    kept = set(capped)
    assert list(capped) == [n for n in whole if n in kept]
    for n in kept:  # a kept node's filter context still counts the edges the cap dropped
        assert capped.nodes[n]["bodies"] == whole.nodes[n]["bodies"]
        assert capped.nodes[n]["years"] == whole.nodes[n]["years"]


def test_layout_does_not_depend_on_insertion_order(facts):
    g = annotate(project(facts, "full"))
    backwards = nx.Graph()
    backwards.add_nodes_from(reversed(list(g.nodes(data=True))))
    backwards.add_edges_from(reversed([(b, a, d) for a, b, d in g.edges(data=True)]))
    assert layout(backwards) == layout(g)


def test_max_nodes_caps_the_page_and_says_so(store_path, tmp_path, capsys):
    out = tmp_path / "full.html"
    assert main(["viz", "--view", "full", "--max-nodes", "12", "--store", str(store_path), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert 'id="kg-cap"' in text and "--max-nodes 12" in text
    assert "showing 12 of" in capsys.readouterr().err
    assert main(["viz", "--view", "cooperation", "--cap", "0", "--store", str(store_path), "--out", str(out)]) == 0
    assert 'id="kg-cap"' not in out.read_text(encoding="utf-8")


def test_help_documents_max_nodes(capsys):
    with pytest.raises(SystemExit):
        main(["viz", "--help"])
    assert "--max-nodes N" in capsys.readouterr().out


def _memberships_store(graphs: int, per_graph: int) -> ox.Store:
    """An in-memory store of GRAPHS document graphs, each typing the same body and adding PER_GRAPH
    memberships of it (the shape that made a joined SPARQL query quadratic)."""
    store = ox.Store()
    body = ox.NamedNode("https://kg.example.org/id/body/club")
    a, member = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(ORG.Membership))
    quads = []
    for g in range(graphs):
        graph = ox.NamedNode(f"https://kg.example.org/id/doc/{g}")
        quads.append(ox.Quad(body, a, ox.NamedNode(str(LKG.Body)), graph))
        for i in range(per_graph):
            m = ox.NamedNode(f"https://kg.example.org/id/membership/{g}-{i}")
            person = ox.NamedNode(f"https://kg.example.org/id/person/{g}-{i}")
            quads += [ox.Quad(m, a, member, graph), ox.Quad(m, ox.NamedNode(str(ORG.member)), person, graph),
                      ox.Quad(m, ox.NamedNode(str(ORG.organization)), body, graph)]
    store.extend(quads)
    return store


def test_reading_memberships_is_linear_in_the_graphs():
    timings = {}
    for graphs in (300, 1200):
        store = _memberships_store(graphs, 3)
        start = time.perf_counter()
        facts = read_facts(store, "membership")
        timings[graphs] = time.perf_counter() - start
        assert len(facts.memberships) == 3 * graphs
        assert {m.body for m in facts.memberships} == {"https://kg.example.org/id/body/club"}
    assert timings[1200] < 5.0 and timings[1200] < 12 * timings[300] + 0.5
