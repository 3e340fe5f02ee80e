"""The offline network page: pyvis holds the data and physics options, kg's own template draws them.

pyvis's stock page loads vis-network from a CDN and inserts some values unescaped, so the page is
rendered from `templates/network.html` instead: vis-network (the copy pyvis ships) inlined, Jinja
autoescape, the data as a JSON block that JavaScript turns into DOM text nodes, and a
Content-Security-Policy that allows only the page's own scripts and styles and no request at all.
Every node gets a position computed here (kg.viz.layout); views of up to PHYSICS_MAX nodes then settle
with a short forceAtlas2 run from there and stop, larger ones are drawn as laid out, physics off.
"""
from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import networkx as nx
import pyvis
from pyvis.network import Network

from kg.viz import html
from kg.viz.layout import layout

PHYSICS_MAX = 300
STABILIZATION = 150
QUOTE_MAX = 320
EVIDENCE_MAX = 8
# kind → (colour, vis shape, legend glyph)
KIND_STYLE = {
    "body": ("#d62728", "star", "★"), "library_system": ("#1f77b4", "dot", "●"),
    "library": ("#17becf", "square", "■"), "organization": ("#9467bd", "triangle", "▲"),
    "person": ("#ff7f0e", "dot", "●"), "meeting": ("#2ca02c", "hexagon", "⬢"),
    "decision": ("#8c564b", "diamond", "◆"), "place": ("#7f7f7f", "triangleDown", "▼"),
}
COMMUNITY_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                     "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173")
OTHER_COMMUNITY = "#9e9e9e"


@functools.cache
def vis_assets() -> tuple[str, str]:
    """vis-network's script and style as pyvis 0.3.2 ships them (read once)."""
    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return ((lib / "vis-network.min.js").read_text(encoding="utf-8"),
            (lib / "vis-network.css").read_text(encoding="utf-8"))


def _clip(text: str, n: int = QUOTE_MAX) -> str:
    """A quote cut to N characters, whitespace collapsed."""
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def period(t: dict, start: str, end: str) -> str:
    """A membership period in words: 'start – end', 'from start', 'to end' or ''."""
    if start and end:
        return f"{start} – {end}"
    if start:
        return t["since"].format(date=start)
    return t["until"].format(date=end) if end else ""


def _evidence_tip(evidence: list[dict]) -> tuple[list[list[str]], int]:
    """Tooltip lines for decisions: the document with number and date, and the quote."""
    lines = []
    for e in evidence[:EVIDENCE_MAX]:
        where = " ".join(x for x in (e["doc"], f"№ {e['number']}" if e["number"] else "", e["date"]) if x)
        lines.append([where, _clip(e["quote"])])
    return lines, max(0, len(evidence) - EVIDENCE_MAX)


def _edge_text(g: nx.Graph, a: str, b: str, data: dict, t: dict) -> tuple[str, dict]:
    """The drawn label and the tooltip of an edge."""
    rows, label = [], ""
    if data["kind"] == "cooperation":
        rows.append([t["weight"], str(data["weight"])])
    for r in data.get("roles", []):
        role = t["roles"].get(r["role"], r["role"])
        text = ", ".join(x for x in (role, period(t, r["start"], r["end"])) if x)
        rows.append([t["role"], text])
        label = "; ".join(x for x in (label, text) if x)
    if data.get("posts"):
        rows.append([t["post"], ", ".join(data["posts"])])
        label = label or ", ".join(data["posts"])
    src, more = _evidence_tip(data["evidence"])
    kinds = ", ".join(t["relations"].get(k, k) for k in data["kinds"])
    return label, {"h": f"{g.nodes[a]['label']} — {g.nodes[b]['label']}", "k": kinds, "rows": rows,
                   "src": src, "more": more}


def _colours(colour: str) -> dict:
    """vis-network's colour object for a fill colour."""
    return {"background": colour, "border": "#4d4d4d", "highlight": {"background": colour, "border": "#000"},
            "hover": {"background": colour, "border": "#000"}}


def page_items(g: nx.Graph, t: dict, positions: dict | None = None) -> tuple[list[dict], list[dict]]:
    """vis-network node and edge records (with the filter fields and tooltip data the page script reads)."""
    nodes = []
    for n, d in g.nodes(data=True):
        colour, shape, _ = KIND_STYLE.get(d["kind"], KIND_STYLE["organization"])
        if "community" in d:
            colour = COMMUNITY_COLOURS[d["community"] - 1] if d["community"] <= len(COMMUNITY_COLOURS) \
                else OTHER_COMMUNITY
        kind = t["kinds"].get(d["kind"], d["kind"])
        if "community" in d:
            kind += " · " + t["community"].format(n=d["community"])
        rec = {"id": n, "label": d["label"], "shape": shape, "color": _colours(colour),
               "value": round(d.get("centrality", 0.0), 6), "kind": d["kind"], "bodies": d["bodies"],
               "years": d["years"], "tip": {"h": d["label"], "k": kind, "rows": [],
                                            "src": [[s["doc"], _clip(s["quote"])] for s in d["sources"]]}}
        if "community" in d:
            rec["community"] = d["community"]
        if positions:
            rec["x"], rec["y"] = positions[n]
        nodes.append(rec)
    edges = []
    for i, (a, b, d) in enumerate(g.edges(data=True)):
        label, tip = _edge_text(g, a, b, d, t)
        rec = {"id": f"e{i}", "from": a, "to": b, "kind": d["kind"], "bodies": d["bodies"],
               "years": d["years"],
               "width": round(1 + 2 * math.log2(d["weight"]), 2), "tip": tip}
        if label:
            rec["label"] = label
        edges.append(rec)
    return nodes, edges


def options(n: int, physics: bool) -> dict:
    """vis-network options: pyvis's forceAtlas2 settings, tuned to settle fast, or no physics at all."""
    net = Network(height="100%", width="100%", cdn_resources="in_line")
    net.force_atlas_2based(gravity=-60, central_gravity=0.012, spring_length=110, spring_strength=0.08,
                           damping=0.5, overlap=0.3)
    net.toggle_physics(physics)
    opts = json.loads(net.options.to_json())
    opts["physics"]["stabilization"].update(iterations=STABILIZATION, updateInterval=50, fit=True)
    opts["physics"]["minVelocity"] = 1.0
    opts["edges"] = {"smooth": False, "color": {"color": "#9aa5b1", "highlight": "#333", "hover": "#555"},
                     "font": {"size": 10, "align": "middle", "strokeWidth": 3}, "selectionWidth": 2}
    labels = {"enabled": True, "min": 11, "max": 22, "drawThreshold": 9 if n > PHYSICS_MAX else 4}
    opts["nodes"] = {"font": {"size": 13, "color": "#1a1a1a", "strokeWidth": 3, "strokeColor": "#fff"},
                     "borderWidth": 1, "scaling": {"min": 8, "max": 40, "label": labels}}
    opts["interaction"].update(hover=True, tooltipDelay=120, hideEdgesOnDrag=n > PHYSICS_MAX,
                               navigationButtons=False, keyboard=False)
    opts["layout"] = {"improvedLayout": False, "randomSeed": 7}
    return opts


def _css() -> str:
    """The page's own style with one colour class per kind and per community (for the legend)."""
    rules = [f".kg-k-{k} {{ color: {c}; }}" for k, (c, _, _) in KIND_STYLE.items()]
    rules += [f".kg-c-{i + 1} {{ color: {c}; }}" for i, c in enumerate(COMMUNITY_COLOURS)]
    return html.template_text("network.css") + "\n".join(rules) + "\n"


def notes(g: nx.Graph, t: dict) -> tuple[str, str]:
    """The focus and cap messages for the page header ('' when they do not apply)."""
    focus = ""
    if g.graph.get("focus") and g.graph["focus"] in g:
        focus = t["focus"].format(label=g.nodes[g.graph["focus"]]["label"], depth=g.graph.get("depth", ""))
    cap = ""
    if g.graph.get("capped"):
        cap = t["cap"].format(shown=g.number_of_nodes(), total=g.graph["total"], cap=g.graph["cap"])
    return focus, cap


def render(g: nx.Graph, lang: str = "ru") -> str:
    """The self-contained HTML page of an annotated projection."""
    t = html.messages(lang)
    n = g.number_of_nodes()
    physics = n <= PHYSICS_MAX
    net = Network(height="100%", width="100%", cdn_resources="in_line")
    net.nodes, net.edges = page_items(g, t, layout(g))
    net.options = options(n, physics)
    nodes, edges, _, _, _, opts = net.get_network_data()
    years = sorted({y for _, ys in g.nodes(data="years") for y in ys})
    data = {"nodes": nodes, "edges": edges, "options": json.loads(opts), "physics": physics,
            "yearMin": years[0] if years else None, "yearMax": years[-1] if years else None,
            "messages": {k: t[k] for k in ("found", "shown", "more")}}
    counts: dict[str, int] = {}
    for _, kind in g.nodes(data="kind"):
        counts[kind] = counts.get(kind, 0) + 1
    kinds = [(k, t["kinds"].get(k, k), counts[k], KIND_STYLE.get(k, KIND_STYLE["organization"])[2])
             for k in KIND_STYLE if k in counts]
    comm: dict[int, int] = {}
    for _, c in g.nodes(data="community"):
        if c is not None:
            comm[c] = comm.get(c, 0) + 1
    communities = [(c, t["community"].format(n=c), comm[c]) for c in sorted(comm)]
    vis_js, vis_css = vis_assets()
    css, app_js = _css(), html.template_text("network.js")
    focus_message, cap_message = notes(g, t)
    view = g.graph.get("view", "")
    return html.environment().get_template("network.html").render(
        lang=lang, view=view, title=t["titles"].get(view, view), t=t,
        subtitle=t["subtitle"].format(nodes=n, edges=g.number_of_edges()),
        focus_message=focus_message, cap_message=cap_message,
        bodies=sorted(g.graph.get("body_labels", {}).items(), key=lambda kv: kv[1]),
        year_min=data["yearMin"], year_max=data["yearMax"], kinds=kinds, communities=communities,
        csp=html.csp([vis_js, app_js], [vis_css, css]), vis_css=html.inline(vis_css), css=html.inline(css),
        vis_js=html.inline(vis_js), app_js=html.inline(app_js), data=html.json_block(data))


def write(g: nx.Graph, path: str | Path, lang: str = "ru") -> Path:
    """Write the page of an annotated projection to PATH."""
    return html.write_text(path, render(g, lang))
