"""A projection while it is built: nodes and edges in plain dicts, turned into a networkx graph at the end.

networkx's views cost more than the work itself on graphs of a hundred thousand edges, so the views add
nodes and edges here. `graph()` finishes what is drawn (filter contexts from the evidence, spread to the
nodes, as sorted lists) and hands it to networkx in the order it was added; given the nodes a cap keeps,
it finishes only those and the edges between them, and the result is the graph `projection.cap` would
cut from the whole one.
"""
from __future__ import annotations

import functools

import networkx as nx

from kg.viz.records import Facts, year_of

MAX_SOURCES = 5


@functools.lru_cache(maxsize=65536)
def _year(date: str) -> int | None:
    """The year of a date (cached: a few thousand dates recur across a large graph)."""
    return year_of(date)


def context(data: dict, bodies: list[str], dates: list[str]) -> None:
    """Add bodies and the years of dates to an edge's filter context."""
    for b in bodies:
        if b:
            data["bodies"].add(b)
    for d in dates:
        y = _year(d)
        if y:
            data["years"].add(y)


class Net:
    """The nodes and edges of one view as they are added."""

    def __init__(self, facts: Facts, view: str) -> None:
        self.facts, self.view = facts, view
        self.nodes: dict[str, dict] = {}
        self.adj: dict[str, dict[str, dict]] = {}
        self.order: list[tuple[str, str]] = []
        self._evidence: dict[str, dict] = {}

    def evidence(self, item: str) -> dict:
        """One decision as evidence: document, number, date, body and text (one record per item, shared)."""
        if item not in self._evidence:
            it = self.facts.items.get(item)
            self._evidence[item] = ({"item": item, "doc": "", "number": "", "date": "", "body": "", "quote": ""}
                                    if it is None else
                                    {"item": item, "doc": it.doc, "number": it.number,
                                     "date": self.facts.item_date(item), "body": self.facts.item_body(item),
                                     "quote": it.text})
        return self._evidence[item]

    def node(self, iri: str, kind: str | None = None) -> None:
        """Add a node with its label and kind unless it is there already."""
        if iri not in self.nodes:
            self.nodes[iri] = {"label": self.facts.label(iri),
                               "kind": kind or self.facts.kinds.get(iri, "organization"),
                               "bodies": set(), "years": set(), "sources": []}
            self.adj[iri] = {}

    def edge(self, a: str, b: str, kind: str, evidence: list[dict] = (), **attrs) -> dict:
        """Add or extend the edge a–b: kinds and evidence accumulate, other attributes are set."""
        data = self.adj[a].get(b)
        if data is None:
            data = {"kind": kind, "kinds": [kind], "weight": 0, "evidence": [], "bodies": set(), "years": set()}
            self.adj[a][b] = self.adj[b][a] = data
            self.order.append((a, b))
        elif kind not in data["kinds"]:
            data["kinds"].append(kind)
        if evidence:
            seen = {e["item"] for e in data["evidence"]}
            data["evidence"].extend(e for e in evidence if e["item"] not in seen)
        if attrs:
            data.update(attrs)
        data["weight"] = max(data["weight"], len(data["evidence"]), 1)
        return data

    def source(self, node: str, doc: str, quote: str) -> None:
        """Remember a quote about a node (a few per node, no repeats)."""
        src = self.nodes[node]["sources"]
        if (doc or quote) and len(src) < MAX_SOURCES and {"doc": doc, "quote": quote} not in src:
            src.append({"doc": doc, "quote": quote})

    def bodies(self) -> set[str]:
        """Every body in some node's filter context: the body nodes and those of every edge."""
        out = {n for n, data in self.nodes.items() if data["kind"] == "body"}
        for a, b in self.order:
            data = self.adj[a][b]
            out.update(data["bodies"])
            out.update(e["body"] for e in data["evidence"] if e["body"])
        return out

    def weighted(self) -> nx.Graph:
        """The bare graph (weights only), node for node and edge for edge as `graph()` would give it."""
        g = nx.Graph()
        g.add_nodes_from(self.nodes)
        g.add_edges_from((a, b, {"weight": self.adj[a][b]["weight"]}) for a, b in self.order)
        return g

    def _edges_among(self, nodes: dict[str, dict]) -> list[tuple[str, str]]:
        """The edges between NODES in the order networkx lists the whole graph's edges."""
        out, seen = [], set()
        for n in nodes:
            out.extend((n, m) for m in self.adj[n] if m in nodes and m not in seen)
            seen.add(n)
        return out

    def graph(self, keep: set[str] | None = None) -> nx.Graph:
        """The networkx graph, or only its nodes in KEEP and the edges between them (node contexts still
        come from all their edges); `graph['total']` is the number of nodes before the cut."""
        nodes = self.nodes if keep is None else {n: d for n, d in self.nodes.items() if n in keep}
        for a, b in self.order:
            if a in nodes or b in nodes:
                data = self.adj[a][b]
                context(data, [e["body"] for e in data["evidence"]], [e["date"] for e in data["evidence"]])
                for n in (a, b):
                    if n in nodes:
                        nodes[n]["bodies"].update(data["bodies"])
                        nodes[n]["years"].update(data["years"])
        for n, data in nodes.items():
            if data["kind"] == "body":
                data["bodies"].add(n)
            data["bodies"], data["years"] = sorted(data["bodies"]), sorted(data["years"])
        edges = self.order if keep is None else self._edges_among(nodes)
        for a, b in edges:
            data = self.adj[a][b]
            data["bodies"], data["years"] = sorted(data["bodies"]), sorted(data["years"])
        g = nx.Graph(view=self.view)
        g.add_nodes_from(nodes.items())
        g.add_edges_from((a, b, self.adj[a][b]) for a, b in edges)
        g.graph["total"] = len(self.nodes)
        return g
