"""Positions computed at build time for views too large for live physics.

Each connected component is laid out apart and the components are packed in rows, largest first, so
that isolated nodes do not squeeze the main component into a corner. Components under `DENSE_MAX`
nodes use networkx's Fruchterman–Reingold (dense, vectorised); larger ones use the same force model
with the repulsion computed in row blocks, which keeps memory linear and avoids networkx's sparse
variant (a Python loop per node, ~6 s for 1,000 nodes). Everything is seeded: same graph, same picture.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

SPACING = 90.0
DENSE_MAX = 500
BLOCK_CELLS = 262_144


def fruchterman_reingold(g: nx.Graph, iterations: int = 50, seed: int = 1) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold positions in [-1, 1]² with blockwise repulsion (memory O(n), time O(n²))."""
    nodes = list(g)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    pos = np.random.default_rng(seed).random((n, 2))
    src = np.array([index[a] for a, b in g.edges()], dtype=np.int64)
    dst = np.array([index[b] for a, b in g.edges()], dtype=np.int64)
    weight = np.array([float(d.get("weight", 1) or 1) for _, _, d in g.edges(data=True)])
    k = 1.0 / math.sqrt(n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    block = max(1, BLOCK_CELLS // n)
    for _ in range(iterations):
        disp = np.zeros((n, 2))
        px, py = pos[:, 0], pos[:, 1]
        for start in range(0, n, block):
            bx, by = px[start:start + block], py[start:start + block]
            dx, dy = bx[:, None] - px[None, :], by[:, None] - py[None, :]
            force = k * k / np.maximum(dx * dx + dy * dy, 1e-6)
            rows = np.arange(len(bx))
            force[rows, rows + start] = 0.0
            total = force.sum(axis=1)
            disp[start:start + block, 0] += bx * total - force @ px
            disp[start:start + block, 1] += by * total - force @ py
        if len(src):
            delta = pos[src] - pos[dst]
            dist = np.sqrt((delta ** 2).sum(axis=-1))
            pull = delta * (dist * weight / k)[:, None]
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        length = np.maximum(np.sqrt((disp ** 2).sum(axis=-1)), 1e-9)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cooling
    pos -= pos.mean(axis=0)
    pos /= max(float(np.abs(pos).max()), 1e-9)
    return {v: (float(x), float(y)) for v, (x, y) in zip(nodes, pos)}


def _component(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Positions of one connected component in [-1, 1]²."""
    n = g.number_of_nodes()
    if n <= 2:
        return {v: (float(i - (n - 1) / 2), 0.0) for i, v in enumerate(g)}
    if n < DENSE_MAX:
        pos = nx.spring_layout(g, seed=1, iterations=60, weight="weight", method="force")
        return {v: (float(x), float(y)) for v, (x, y) in pos.items()}
    return fruchterman_reingold(g, iterations=50 if n <= 3000 else 30)


def _ordered(g: nx.Graph, nodes: list[str]) -> nx.Graph:
    """The subgraph on NODES with nodes and edges in sorted order (a subgraph view iterates a set, whose
    order changes from run to run, and the layouts depend on the order)."""
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_edges_from(sorted((min(a, b), max(a, b), {"weight": w}) for a, b, w in
                              g.subgraph(nodes).edges(data="weight", default=1)))
    return sub


def layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """Pixel positions for every node: components laid out apart and packed in rows, largest first."""
    pos: dict[str, tuple[float, float]] = {}
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    width = SPACING * math.sqrt(max(g.number_of_nodes(), 1)) * 2.5
    x = y = row_height = 0.0
    for comp in comps:
        radius = SPACING * math.sqrt(len(comp)) / 2 if len(comp) > 1 else SPACING / 4
        if x > 0 and x + 2 * radius > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for v, (px, py) in _component(_ordered(g, comp)).items():
            pos[v] = (round(x + radius + px * radius, 1), round(y + radius + py * radius, 1))
        x += 2 * radius + SPACING / 2
        row_height = max(row_height, 2 * radius + SPACING / 2)
    return pos
