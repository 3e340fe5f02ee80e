"""networkx projections of the RDF graph: the cooperation, membership and full views, focus and cap.

Nodes are keyed by IRI and carry `label`, `kind`, `bodies` (IRIs of the bodies whose meetings they
appear in), `years`, `sources` (document and quote) and, once annotated, `centrality` and `community`.
Edges carry `kind`, `weight`, `evidence` (the decisions behind them), `bodies`, `years` and, for body
memberships, `roles` ({role, start, end}) and, for jobs, `posts`. On a large graph `project(..., limit)`
keeps the most central nodes before it finishes any (kg.viz.network), which is much faster than `cap`.
"""
from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from kg.errors import KGError
from kg.viz.facts import Facts, read_facts
from kg.viz.network import Net, context
from kg.viz.records import gc_paused, periods

VIEWS = ("cooperation", "membership", "full")
CONTEXT_KINDS = ("meeting", "decision")


def cooperation(facts: Facts) -> Net:
    """Organisations linked where decisions name them together, weighted by the number of decisions."""
    net = Net(facts, "cooperation")
    for link in facts.links:
        net.node(link.a)
        net.node(link.b)
        ev = [net.evidence(i) for i in link.items]
        net.edge(link.a, link.b, "cooperation", ev)["weight"] = link.weight or len(ev)
        for e in ev:
            net.source(link.a, e["doc"], e["quote"])
            net.source(link.b, e["doc"], e["quote"])
    return net


def _add_memberships(net: Net) -> set[str]:
    """Person–body edges with role and dates, person–organisation edges for whom they represent."""
    facts, people = net.facts, set()
    for m in periods(facts.memberships):
        people.add(m.person)
        net.node(m.person, "person")
        net.node(m.body, "body")
        ev = [net.evidence(i) for i in (m.established, m.terminated) if i]
        start = m.start or (facts.item_date(m.established) if m.established else "")
        end = m.end or (facts.item_date(m.terminated) if m.terminated else "")
        data = net.edge(m.person, m.body, "member", ev)
        data.setdefault("roles", []).append({"role": m.role or "member", "start": start, "end": end})
        data["roles"].sort(key=lambda r: (r["start"], r["role"]))
        context(data, [m.body], [start, end])
        for e in ev:
            net.source(m.person, e["doc"], m.quote or e["quote"])
        if m.org:
            net.node(m.org)
            context(net.edge(m.person, m.org, "works_at", ev), [m.body], [start])
    return people


def _add_affiliations(net: Net, people: set[str] | None) -> None:
    """Person–organisation edges for jobs (with the post); only for PEOPLE when given."""
    for a in net.facts.affiliations:
        if people is not None and a.person not in people:
            continue
        net.node(a.person, "person")
        ev = [net.evidence(a.item)] if a.item else []
        if a.org:
            net.node(a.org)
            data = net.edge(a.person, a.org, "works_at", ev)
            if a.post and a.post not in data.setdefault("posts", []):
                data["posts"].append(a.post)
        for e in ev:
            net.source(a.person, e["doc"], a.quote or e["quote"])


def membership(facts: Facts) -> Net:
    """People, the bodies they belong to (role and dates on the edge) and the organisations they represent."""
    net = Net(facts, "membership")
    _add_affiliations(net, _add_memberships(net))
    return net


def full(facts: Facts) -> Net:
    """Meetings, decisions, people, organisations, bodies and places with every relation between them."""
    net = Net(facts, "full")
    for iri, kind in sorted(facts.kinds.items()):
        net.node(iri, kind)
    for iri, m in facts.meetings.items():
        if m.date:
            net.nodes[iri]["label"] = f"{m.date} {m.topic or facts.label(m.body)}".strip()
        if iri in net.nodes:
            net.source(iri, m.doc, m.topic)
    for iri, it in facts.items.items():
        net.nodes[iri]["label"] = f"{it.number}. {_short(it.text)}"
        net.source(iri, it.doc, it.text)
    for s, rel, o in facts.relations:
        if s in net.nodes and o in net.nodes and s != o:
            net.edge(s, o, rel, [net.evidence(s)] if net.nodes[s]["kind"] == "decision" else [])
    _add_memberships(net)
    _add_affiliations(net, None)
    for m in facts.memberships:
        for item, rel in ((m.established, "admits"), (m.terminated, "removes")):
            if item in net.nodes:
                net.edge(item, m.person, rel, [net.evidence(item)])
    for iri, data in net.nodes.items():
        if data["kind"] in CONTEXT_KINDS:
            meeting = facts.items[iri].meeting if data["kind"] == "decision" and iri in facts.items else iri
            m = facts.meetings.get(meeting)
            for edge in net.adj[iri].values():
                context(edge, [m.body] if m and m.body else [], [m.date] if m else [])
    return net


def _short(text: str, n: int = 48) -> str:
    """The first N characters of a text, with an ellipsis when cut."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


@gc_paused()
def project(source: ox.Store | Facts, view: str, limit: int = 0) -> nx.Graph:
    """The projection for VIEW (one of VIEWS) from an open store or facts already read; with LIMIT > 0, at
    most LIMIT nodes: the graph `cap(project(source, view), limit)` gives, without finishing what it drops."""
    if view not in VIEWS:
        raise KGError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    facts = source if isinstance(source, Facts) else read_facts(source, view)
    net = {"cooperation": cooperation, "membership": membership, "full": full}[view](facts)
    capped = 0 < limit < len(net.nodes)
    g = net.graph(set(_most_central(net.weighted(), limit)) if capped else None)
    g.graph["body_labels"] = {b: facts.label(b) for b in sorted(net.bodies())}
    if limit > 0:
        g.graph.update(capped=capped, cap=limit)
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


def _most_central(g: nx.Graph, limit: int) -> list[str]:
    """The LIMIT most central nodes (ties by IRI)."""
    rank = centrality(g)
    return sorted(g, key=lambda n: (-rank[n], n))[:limit]


@gc_paused()
def cap(g: nx.Graph, limit: int) -> nx.Graph:
    """At most LIMIT nodes, the most central first (ties by IRI), nodes and edges in G's order;
    `graph['capped']` says whether it cut."""
    total = g.number_of_nodes()
    if limit <= 0 or total <= limit:
        g.graph.update(capped=False, cap=limit)
        return g
    keep = set(_most_central(g, limit))
    sub = nx.Graph()
    sub.add_nodes_from((n, d) for n, d in g.nodes(data=True) if n in keep)
    sub.add_edges_from((a, b, d) for a, b, d in g.edges(data=True) if a in keep and b in keep)
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
