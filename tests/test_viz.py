"""Network projections, pages and files on the seed documents: sizes checked against SPARQL counts."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from html import unescape
from pathlib import Path

import networkx as nx
import pytest

from kg.build import build
from kg.cli import main
from kg.errors import KGError, StoreError
from kg.namespaces import PREFIXES
from kg.rdf.store import open_store
from kg.viz import html, netfile, page, timeline
from kg.viz.facts import BodyMembership, periods, read_facts
from kg.viz.projection import VIEWS, annotate, cap, focus, project, resolve

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "data" / "resolutions"
XSS_DOCS = ROOT / "tests" / "fixtures" / "xss"
PAYLOADS = ('<img src=x onerror="window.__xss=1">', "<script>window.__xss=2</script>")
HEADER = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    """The seed documents built into a fresh store."""
    path = tmp_path_factory.mktemp("viz") / "store"
    assert build([str(SEEDS)], str(path)).ok
    return path


@pytest.fixture(scope="module")
def store(seed_store):
    """The seed store, open read-only."""
    return open_store(seed_store)


@pytest.fixture(scope="module")
def facts(store):
    """What the views read from the seed store."""
    return read_facts(store)


@pytest.fixture(scope="module")
def xss_facts(tmp_path_factory):
    """Facts of the seeds plus the document whose names and quotes carry script payloads."""
    path = tmp_path_factory.mktemp("xss") / "store"
    assert build([str(SEEDS), str(XSS_DOCS)], str(path)).ok
    return read_facts(open_store(path))


def count(store, where: str, var: str = "x") -> int:
    """COUNT(DISTINCT ?var) over the union of graphs."""
    q = f"{HEADER}SELECT (COUNT(DISTINCT ?{var}) AS ?n) WHERE {{ {where} }}"
    return int(next(iter(store.query(q, use_default_graph_as_union=True)))["n"].value)


def test_cooperation_counts_match_the_links(store, facts):
    g = project(facts, "cooperation")
    assert g.number_of_nodes() == count(store, "?l a lkg:CooperationLink ; lkg:source|lkg:target ?x")
    assert g.number_of_edges() == count(store, "?l a lkg:CooperationLink", "l") > 0
    q = HEADER + "SELECT DISTINCT ?l ?w { ?l a lkg:CooperationLink ; lkg:weight ?w }"
    total = sum(int(r["w"].value) for r in store.query(q, use_default_graph_as_union=True))
    assert sum(w for _, _, w in g.edges(data="weight")) == total
    for _, _, d in g.edges(data=True):
        assert len(d["evidence"]) == d["weight"]
        assert all(e["doc"].endswith(".txt") and e["quote"] for e in d["evidence"])


def test_membership_counts_match_the_memberships(store, facts):
    g = project(facts, "membership")
    kinds = nx.get_node_attributes(g, "kind")
    where = "?m a org:Membership ; org:member ?p ; org:organization ?b . ?b a lkg:Body ."
    assert sum(k == "person" for k in kinds.values()) == count(store, where.replace("?p", "?x"))
    assert sum(k == "body" for k in kinds.values()) == count(store, where.replace("?b", "?x"))
    members = [d for _, _, d in g.edges(data=True) if "member" in d["kinds"]]
    pairs = count(store, where + " BIND(CONCAT(STR(?p), STR(?b)) AS ?x)")
    assert len(members) == pairs > 0
    assert all(d["roles"] and d["roles"][0]["role"] for d in members)


def test_full_view_has_every_typed_resource(store, facts):
    g = project(facts, "full")
    types = "lkg:Meeting lkg:ResolutionItem foaf:Person org:Organization lkg:Place"
    assert g.number_of_nodes() == count(store, f"VALUES ?t {{ {types} }} ?x a ?t")
    kinds = nx.get_node_attributes(g, "kind")
    assert sum(k == "meeting" for k in kinds.values()) == count(store, "?x a lkg:Meeting")
    assert sum(k == "decision" for k in kinds.values()) == count(store, "?x a lkg:ResolutionItem")
    decided = count(store, "?r prov:wasGeneratedBy ?m ; eli:has_part ?x . ?m a lkg:Meeting")
    assert sum("decided_at" in d["kinds"] for _, _, d in g.edges(data=True)) == decided


@pytest.mark.parametrize("view", VIEWS)
def test_filter_context_comes_from_bodies_and_dates(facts, view):
    g = project(facts, view)
    known_bodies = set(g.graph["body_labels"])
    for _, d in g.nodes(data=True):
        assert set(d["bodies"]) <= known_bodies and d["years"] == sorted(d["years"])
    assert any(d["years"] for _, d in g.nodes(data=True))


def test_focus_on_a_body_by_label_in_any_case(store, facts):
    g = project(facts, "membership")
    club = resolve(g, "КЛУБ ДЕЛОВЫХ встреч методистов кузбасса")
    sub = focus(g, "клуб деловых", depth=1)
    members = count(store, f"?m org:member ?x ; org:organization <{club}>")
    assert sub.number_of_nodes() == 1 + members and sub.graph["focus"] == club


@pytest.mark.parametrize("key, message", [("ЦБС", "matches"), ("нет такого органа", "nothing called")])
def test_focus_names_what_is_wrong(facts, key, message):
    with pytest.raises(KGError, match=message):
        focus(project(facts, "cooperation"), key)


def test_cap_keeps_the_most_central(facts):
    g = project(facts, "full")
    small = cap(g, 10)
    assert small.number_of_nodes() == 10 and small.graph["capped"] and small.graph["total"] == len(g)
    rank = nx.pagerank(g, weight="weight")
    assert min(rank[n] for n in small) >= max(rank[n] for n in g if n not in small)
    assert not cap(g, 0).graph["capped"] and len(cap(g, 0)) == len(g)


def test_communities_cover_every_node_and_are_stable(facts):
    a = annotate(project(facts, "cooperation"), communities=True)
    b = annotate(project(facts, "cooperation"), communities=True)
    assert nx.get_node_attributes(a, "community") == nx.get_node_attributes(b, "community")
    assert len(nx.get_node_attributes(a, "community")) == len(a)
    assert all(d["centrality"] > 0 for _, d in a.nodes(data=True))


def page_data(text: str) -> dict:
    """The JSON data block of a page."""
    return json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', text,
                                re.DOTALL).group(1))


def _inline(text: str, tag: str) -> list[str]:
    """The contents of every inline element TAG without attributes."""
    return re.findall(rf"<{tag}>(.*?)</{tag}>", text, flags=re.DOTALL)


@pytest.mark.parametrize("view", VIEWS)
def test_page_is_self_contained_and_hashed(xss_facts, view):
    g = annotate(project(xss_facts, view), communities=view == "cooperation")
    text = page.render(g, "ru")
    markup = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", "", text, flags=re.DOTALL)
    assert not re.search(r"\b(src|href)\s*=", markup) and "<link" not in markup and "<iframe" not in markup
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1))
    for tag, directive in (("script", "script-src"), ("style", "style-src")):
        hashes = re.search(rf"{directive} ([^;]+)", csp).group(1).split()
        for body in _inline(text, tag):
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in hashes
    assert "connect-src" not in csp and "default-src 'none'" in csp
    data = page_data(text)
    assert len(data["nodes"]) == g.number_of_nodes() and len(data["edges"]) == g.number_of_edges()
    for payload in PAYLOADS:
        assert payload not in text
    assert any(PAYLOADS[0] in n["label"] or PAYLOADS[0] in json.dumps(n["tip"], ensure_ascii=False)
               for n in data["nodes"])


def test_large_views_get_positions_and_no_physics(facts):
    g = annotate(project(facts, "full"))
    g.add_nodes_from((f"urn:x:{i}", {"label": f"узел {i}", "kind": "place", "bodies": [], "years": [],
                                     "sources": []}) for i in range(page.PHYSICS_MAX))
    data = page_data(page.render(annotate(g), "en"))
    assert not data["physics"] and not data["options"]["physics"]["enabled"]
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])


def test_timeline_has_a_row_per_membership(store, facts, xss_facts):
    rows = timeline.rows(facts)
    all_ = count(store, "?x a org:Membership ; org:organization ?b . ?b a lkg:Body")
    joined = count(store, "?x lkg:terminatedBy ?t ; org:member ?p ; org:organization ?b . ?b a lkg:Body . "
                          "FILTER NOT EXISTS { ?x org:memberDuring/dcat:startDate ?s } "
                          "FILTER EXISTS { ?a lkg:establishedBy ?e ; org:member ?p ; org:organization ?b }")
    assert sum(len(r) for r in rows.values()) == all_ - joined > 0
    text = timeline.render(xss_facts, "en")
    assert "<script" not in text and text.count('class="kg-member"') == sum(map(len, timeline.rows(xss_facts)
                                                                                .values()))
    for payload in PAYLOADS:
        assert payload not in text
    assert html.csp([], []).startswith("default-src 'none'")


def M(key: str, start: str = "", end: str = "") -> BodyMembership:
    """A membership of one person in one body: admitted on START or removed on END."""
    return BodyMembership(key, "p", "b", "member", start, end, established="e" if start else "",
                          terminated="t" if end else "")


@pytest.mark.parametrize("records, spans", [
    ([M("a", "2019"), M("r", end="2021-11-25")], [("2019", "2021-11-25")]),
    ([M("r", end="2018"), M("a", "2019")], [("", "2018"), ("2019", "")]),
    ([M("a1", "2015"), M("a2", "2019-02"), M("r", end="2020")], [("2015", ""), ("2019-02", "2020")]),
    ([M("a", "2019"), M("r1", end="2020"), M("r2", end="2022")], [("", "2022"), ("2019", "2020")]),
    ([M("x", "2019", "2020")], [("2019", "2020")]),
])
def test_removals_close_the_admission_they_end(records, spans):
    assert sorted((m.start, m.end) for m in periods(records)) == sorted(spans)


@pytest.mark.parametrize("date, year", [("2022-06-08", 2022.4), ("2023", 2023.0), ("2021-07", 2021.5),
                                        ("", None)])
def test_timeline_positions(date, year):
    got = timeline.position(date)
    assert (got is None) if year is None else abs(got - year) < 0.05


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_network_files_round_trip(tmp_path, facts, fmt, read):
    g = annotate(project(facts, "membership"))
    back = read(netfile.write(g, tmp_path / f"m.{fmt}", fmt))
    assert back.number_of_nodes() == g.number_of_nodes() and back.number_of_edges() == g.number_of_edges()
    some = next(iter(g))
    assert back.nodes[some]["label"] == g.nodes[some]["label"]


def test_messages_have_the_same_keys_in_every_language():
    def keys(d, prefix=""):
        nested = {x for k, v in d.items() if isinstance(v, dict) for x in keys(v, k + ".")}
        return {prefix + k for k in d} | nested
    assert keys(html.messages("ru")) == keys(html.messages("en"))


@pytest.mark.parametrize("view, fmt", [("cooperation", "html"), ("membership", "gexf"), ("full", "graphml"),
                                       ("timeline", "html")])
def test_cli_writes_each_view(seed_store, tmp_path, view, fmt, capsys):
    out = tmp_path / f"{view}.{fmt}"
    assert main(["viz", "--view", view, "--format", fmt, "--store", str(seed_store), "--out", str(out)]) == 0
    assert out.stat().st_size > 0 and "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["--view", "timeline", "--format", "gexf"], "timeline is a page"),
    (["--focus", "никто такой"], "nothing called"),
])
def test_cli_errors_are_one_line(seed_store, tmp_path, args, message, capsys):
    assert main(["viz", "--store", str(seed_store), "--out", str(tmp_path / "x"), *args]) == 1
    assert message in capsys.readouterr().err


def test_missing_store_is_a_store_error(tmp_path):
    with pytest.raises(StoreError):
        open_store(tmp_path / "nothing")
    assert main(["viz", "--store", str(tmp_path / "nothing"), "--out", str(tmp_path / "x.html")]) == 1
