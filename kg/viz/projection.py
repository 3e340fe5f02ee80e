"""networkx projections of the RDF graph: the cooperation, membership and full views, focus and cap.

Nodes are keyed by IRI and carry `label`, `kind`, `bodies` (IRIs of the bodies whose meetings they
appear in), `years`, `sources` (document and quote) and, once annotated, `centrality` and `community`.
Edges carry `kind`, `weight`, `evidence` (the decisions behind them), `bodies`, `years` and, for body
memberships, `roles` ({role, start, end}) and, for jobs, `posts`.
"""
from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from kg.errors import KGError
from kg.viz.facts import Facts, periods, read_facts, year_of

VIEWS = ("cooperation", "membership", "full")
MAX_SOURCES = 5
CONTEXT_KINDS = ("meeting", "decision")


def _evidence(facts: Facts, item: str) -> dict:
    """One decision as evidence: document, number, date, body and text."""
    it = facts.items.get(item)
    if it is None:
        return {"item": item, "doc": "", "number": "", "date": "", "body": "", "quote": ""}
    return {"item": item, "doc": it.doc, "number": it.number, "date": facts.item_date(item),
            "body": facts.item_body(item), "quote": it.text}


def _node(g: nx.Graph, facts: Facts, iri: str, kind: str | None = None) -> None:
    """Add a node with its label and kind unless it is there already."""
    if iri not in g:
        g.add_node(iri, label=facts.label(iri), kind=kind or facts.kinds.get(iri, "organization"),
                   bodies=set(), years=set(), sources=[])


def _edge(g: nx.Graph, a: str, b: str, kind: str, evidence: list[dict] = (), **attrs) -> dict:
    """Add or extend the edge a–b: kinds and evidence accumulate, other attributes are set."""
    if g.has_edge(a, b):
        data = g.edges[a, b]
        if kind not in data["kinds"]:
            data["kinds"].append(kind)
    else:
        g.add_edge(a, b, kind=kind, kinds=[kind], weight=0, evidence=[], bodies=set(), years=set())
        data = g.edges[a, b]
    seen = {e["item"] for e in data["evidence"]}
    data["evidence"].extend(e for e in evidence if e["item"] not in seen)
    data.update(attrs)
    data["weight"] = max(data["weight"], len(data["evidence"]), 1)
    return data


def _source(g: nx.Graph, node: str, doc: str, quote: str) -> None:
    """Remember a quote about a node (a few per node, no repeats)."""
    src = g.nodes[node]["sources"]
    if (doc or quote) and len(src) < MAX_SOURCES and {"doc": doc, "quote": quote} not in src:
        src.append({"doc": doc, "quote": quote})


def cooperation(facts: Facts) -> nx.Graph:
    """Organisations linked where decisions name them together, weighted by the number of decisions."""
    g = nx.Graph(view="cooperation")
    for link in facts.links:
        _node(g, facts, link.a)
        _node(g, facts, link.b)
        ev = [_evidence(facts, i) for i in link.items]
        _edge(g, link.a, link.b, "cooperation", ev)["weight"] = link.weight or len(ev)
        for e in ev:
            _source(g, link.a, e["doc"], e["quote"])
            _source(g, link.b, e["doc"], e["quote"])
    return _finish(g)


def _add_memberships(g: nx.Graph, facts: Facts) -> set[str]:
    """Person–body edges with role and dates, person–organisation edges for whom they represent."""
    people = set()
    for m in periods(facts.memberships):
        people.add(m.person)
        _node(g, facts, m.person, "person")
        _node(g, facts, m.body, "body")
        ev = [_evidence(facts, i) for i in (m.established, m.terminated) if i]
        start = m.start or (facts.item_date(m.established) if m.established else "")
        end = m.end or (facts.item_date(m.terminated) if m.terminated else "")
        data = _edge(g, m.person, m.body, "member", ev)
        data.setdefault("roles", []).append({"role": m.role or "member", "start": start, "end": end})
        data["roles"].sort(key=lambda r: (r["start"], r["role"]))
        _context(data, [m.body], [start, end])
        for e in ev:
            _source(g, m.person, e["doc"], m.quote or e["quote"])
        if m.org:
            _node(g, facts, m.org)
            _context(_edge(g, m.person, m.org, "works_at", ev), [m.body], [start])
    return people


def _add_affiliations(g: nx.Graph, facts: Facts, people: set[str] | None) -> None:
    """Person–organisation edges for jobs (with the post); only for PEOPLE when given."""
    for a in facts.affiliations:
        if people is not None and a.person not in people:
            continue
        _node(g, facts, a.person, "person")
        ev = [_evidence(facts, a.item)] if a.item else []
        if a.org:
            _node(g, facts, a.org)
            data = _edge(g, a.person, a.org, "works_at", ev)
            if a.post and a.post not in data.setdefault("posts", []):
                data["posts"].append(a.post)
        for e in ev:
            _source(g, a.person, e["doc"], a.quote or e["quote"])


def membership(facts: Facts) -> nx.Graph:
    """People, the bodies they belong to (role and dates on the edge) and the organisations they represent."""
    g = nx.Graph(view="membership")
    people = _add_memberships(g, facts)
    _add_affiliations(g, facts, people)
    return _finish(g)


def full(facts: Facts) -> nx.Graph:
    """Meetings, decisions, people, organisations, bodies and places with every relation between them."""
    g = nx.Graph(view="full")
    for iri, kind in sorted(facts.kinds.items()):
        _node(g, facts, iri, kind)
    for iri, m in facts.meetings.items():
        if m.date:
            g.nodes[iri]["label"] = f"{m.date} {m.topic or facts.label(m.body)}".strip()
        if iri in g:
            _source(g, iri, m.doc, m.topic)
    for iri, it in facts.items.items():
        g.nodes[iri]["label"] = f"{it.number}. {_short(it.text)}"
        _source(g, iri, it.doc, it.text)
    for s, rel, o in facts.relations:
        if s in g and o in g and s != o:
            ev = [_evidence(facts, s)] if g.nodes[s]["kind"] == "decision" else []
            _edge(g, s, o, rel, ev)
    _add_memberships(g, facts)
    _add_affiliations(g, facts, None)
    for m in facts.memberships:
        for item, rel in ((m.established, "admits"), (m.terminated, "removes")):
            if item in g:
                _edge(g, item, m.person, rel, [_evidence(facts, item)])
    for iri, kind in list(g.nodes(data="kind")):
        if kind in CONTEXT_KINDS:
            meeting = facts.items[iri].meeting if kind == "decision" and iri in facts.items else iri
            m = facts.meetings.get(meeting)
            for n in g.neighbors(iri):
                _context(g.edges[iri, n], [m.body] if m and m.body else [], [m.date] if m else [])
    return _finish(g)


def _short(text: str, n: int = 48) -> str:
    """The first N characters of a text, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _context(data: dict, bodies: list[str], dates: list[str]) -> None:
    """Add bodies and the years of dates to an edge's filter context."""
    data["bodies"].update(b for b in bodies if b)
    data["years"].update(y for y in map(year_of, dates) if y)


def _finish(g: nx.Graph) -> nx.Graph:
    """Derive filter contexts from evidence, spread them to nodes, and make them sorted lists."""
    for a, b, data in g.edges(data=True):
        _context(data, [e["body"] for e in data["evidence"]], [e["date"] for e in data["evidence"]])
        for n in (a, b):
            g.nodes[n]["bodies"].update(data["bodies"])
            g.nodes[n]["years"].update(data["years"])
    for n, data in g.nodes(data=True):
        if data["kind"] == "body":
            data["bodies"].add(n)
        data["bodies"], data["years"] = sorted(data["bodies"]), sorted(data["years"])
    for _, _, data in g.edges(data=True):
        data["bodies"], data["years"] = sorted(data["bodies"]), sorted(data["years"])
    g.graph["total"] = g.number_of_nodes()
    return g


def project(source: ox.Store | Facts, view: str) -> nx.Graph:
    """The projection for VIEW (one of VIEWS) from an open store or facts already read."""
    if view not in VIEWS:
        raise KGError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    facts = source if isinstance(source, Facts) else read_facts(source)
    g = {"cooperation": cooperation, "membership": membership, "full": full}[view](facts)
    bodies = {b for _, bs in g.nodes(data="bodies") for b in bs}
    g.graph["body_labels"] = {b: facts.label(b) for b in sorted(bodies)}
    return g


def _fold(text: str) -> str:
    """Case- and ё-insensitive form of a label for matching."""
    return " ".join(text.casefold().replace("ё", "е").split())


def resolve(g: nx.Graph, key: str) -> str:
    """The node KEY names: an IRI, else a label (exactly, else as a unique part); KGError otherwise."""
    if key in g:
        return key
    want = _fold(key)
    for test in (lambda lab: lab == want, lambda lab: want in lab):
        hits = sorted(n for n, lab in g.nodes(data="label") if test(_fold(lab)))
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            names = "; ".join(f"{g.nodes[n]['label']} <{n}>" for n in hits[:5])
            raise KGError(f"{key!r} matches {len(hits)} nodes in the {g.graph.get('view')} view: {names}"
                          + (" …" if len(hits) > 5 else "") + "; give the IRI")
    raise KGError(f"nothing called {key!r} in the {g.graph.get('view')} view (try --view full or an IRI)")


def focus(g: nx.Graph, key: str, depth: int = 2) -> nx.Graph:
    """The neighbourhood of the node KEY names, up to DEPTH steps away."""
    if depth < 0:
        raise KGError("--depth must be 0 or more")
    centre = resolve(g, key)
    sub = nx.ego_graph(g, centre, radius=depth).copy()
    sub.graph.update(g.graph, focus=centre, depth=depth, total=sub.number_of_nodes())
    return sub


def centrality(g: nx.Graph) -> dict[str, float]:
    """PageRank over edge weights (0 for an empty graph)."""
    if g.number_of_nodes() == 0:
        return {}
    if g.number_of_edges() == 0:
        return {n: 1.0 / g.number_of_nodes() for n in g}
    return nx.pagerank(g, weight="weight")


def cap(g: nx.Graph, limit: int) -> nx.Graph:
    """At most LIMIT nodes, the most central first (ties by IRI); `graph['capped']` says whether it cut."""
    total = g.number_of_nodes()
    if limit <= 0 or total <= limit:
        g.graph.update(capped=False, cap=limit)
        return g
    rank = centrality(g)
    keep = sorted(g, key=lambda n: (-rank[n], n))[:limit]
    sub = g.subgraph(keep).copy()
    sub.graph.update(g.graph, capped=True, cap=limit, total=total)
    return sub


def annotate(g: nx.Graph, communities: bool = False) -> nx.Graph:
    """Set each node's `centrality` and, when asked, its `community` (Louvain, largest first)."""
    for n, c in centrality(g).items():
        g.nodes[n]["centrality"] = c
    if communities and g.number_of_nodes():
        groups = nx.community.louvain_communities(g, weight="weight", seed=1)
        groups = sorted(groups, key=lambda s: (-len(s), min(s)))
        for i, members in enumerate(groups):
            for n in members:
                g.nodes[n]["community"] = i + 1
        g.graph["communities"] = len(groups)
    return g
