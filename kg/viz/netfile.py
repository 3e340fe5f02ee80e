"""A projection as a network file for Gephi and other tools: GraphML or GEXF with flat attributes."""
from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.errors import KGError

FORMATS = ("graphml", "gexf")


def _flat(value: object) -> str | int | float | bool | None:
    """A scalar attribute value: lists joined with '; ', evidence and sources as 'doc: quote' lines."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple, set)):
        parts = []
        for v in value:
            if isinstance(v, dict):
                parts.append(": ".join(str(v[k]) for k in ("doc", "number", "role", "start", "end", "quote")
                                       if v.get(k)))
            else:
                parts.append(str(v))
        return "\n".join(parts) if any(isinstance(v, dict) for v in value) else "; ".join(parts)
    return str(value)


def flatten(g: nx.Graph) -> nx.Graph:
    """A copy of G whose node, edge and graph attributes are all scalars (None dropped)."""
    out = nx.Graph()
    out.graph.update({k: _flat(v) for k, v in g.graph.items() if not isinstance(v, dict) and v is not None})
    for n, d in g.nodes(data=True):
        out.add_node(n, **{k: _flat(v) for k, v in d.items() if v is not None})
    for a, b, d in g.edges(data=True):
        out.add_edge(a, b, **{k: _flat(v) for k, v in d.items() if v is not None})
    return out


def write(g: nx.Graph, path: str | Path, fmt: str) -> Path:
    """Write G as FMT (graphml or gexf) to PATH."""
    if fmt not in FORMATS:
        raise KGError(f"unknown network format {fmt!r}; choose one of {', '.join(FORMATS)}")
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    flat = flatten(g)
    if fmt == "graphml":
        nx.write_graphml(flat, p, encoding="utf-8")
    else:
        nx.write_gexf(flat, p, encoding="utf-8")
    return p
