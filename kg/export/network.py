"""The graph as a network for Gephi and friends: GraphML and GEXF written by networkx.

Nodes are the typed resources minted under the store's base (people, organisations, bodies, meetings,
decisions, memberships, …; the build graph is left out); each carries its IRI, a label and a kind
(its most specific class as a prefixed name). An edge joins two nodes linked by one or more statements;
it carries the predicates as `label` and their number as `weight`. The dataset description rides along
as graph attributes (GraphML) or in `<meta>` (GEXF).
"""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import BinaryIO

import networkx as nx
import pyoxigraph as ox

from kg import __version__
from kg.namespaces import DCTERMS, FOAF, LKG, PREFIXES, RDF, RDFS, SKOS, VOID

LABELS = (FOAF.name, SKOS.prefLabel, DCTERMS.title, RDFS.label)
GEXF_NS = "http://www.gexf.net/1.2draft"


def compact(iri: str) -> str:
    """IRI as a prefixed name when it is in a namespace kg knows, else the IRI."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _kind(classes: set[str]) -> str:
    """The most telling class: kg's own first, then the others, alphabetically."""
    ours = sorted(c for c in classes if c.startswith(str(LKG._NS)))
    return compact((ours or sorted(classes))[0])


def _label(iri: str, values: dict[str, list[ox.Literal]]) -> str:
    """A node's label: its name, preferred label, title or rdfs:label (Russian first), else the IRI's last part."""
    for prop in LABELS:
        lits = values.get(str(prop), [])
        if lits:
            return min(lits, key=lambda t: (t.language not in ("ru", None), t.language or "", t.value)).value
    return iri.rstrip("/").rsplit("/", 1)[-1]


def to_networkx(quads: list[ox.Quad], base: str) -> nx.DiGraph:
    """The network of resources under BASE (build graph excluded), with labels, kinds and weighted edges."""
    build = base + "graph/build"
    data = [q for q in quads if q.graph_name.value != build]
    classes: dict[str, set[str]] = defaultdict(set)
    literals: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for q in data:
        s = q.subject.value
        if q.predicate.value == str(RDF.type):
            classes[s].add(q.object.value)
        elif isinstance(q.object, ox.Literal):
            literals[s][q.predicate.value].append(q.object)
    nodes = {s for s in classes if s.startswith(base) and not s.startswith(base + "graph/")}
    g = nx.DiGraph()
    for s in sorted(nodes):
        g.add_node(s, label=_label(s, literals.get(s, {})), kind=_kind(classes[s]), iri=s)
    links: dict[tuple[str, str], set[str]] = defaultdict(set)
    for q in data:
        if q.subject.value in nodes and isinstance(q.object, ox.NamedNode) and q.object.value in nodes:
            links[(q.subject.value, q.object.value)].add(compact(q.predicate.value))
    for (s, o), preds in sorted(links.items()):
        g.add_edge(s, o, label=" ".join(sorted(preds)), weight=len(preds))
    return g


def summary(description: list[ox.Quad], dataset: str) -> dict[str, str]:
    """Title, licence, build time, size and sources of the dataset, from its description, as strings."""
    out: dict[str, list[str]] = defaultdict(list)
    names = {str(DCTERMS.title): "title", str(DCTERMS.license): "license", str(DCTERMS.modified): "modified",
             str(VOID.triples): "triples", str(DCTERMS.source): "source"}
    for q in description:
        if q.subject.value == dataset and q.predicate.value in names:
            key = names[q.predicate.value]
            if key != "title" or getattr(q.object, "language", None) == "en":
                out[key].append(q.object.value)
    info = {k: " ".join(sorted(v)) for k, v in out.items()}
    info["dataset"] = dataset
    info["creator"] = f"kg {__version__}"
    return info


def write_graphml(g: nx.DiGraph, info: dict[str, str], out: BinaryIO) -> None:
    """G as GraphML with the dataset description as graph attributes."""
    g.graph.update(info)
    nx.write_graphml(g, out, encoding="utf-8", prettyprint=True)


def write_gexf(g: nx.DiGraph, info: dict[str, str], out: BinaryIO) -> None:
    """G as GEXF 1.2 with the dataset description in `<meta>` (creator, description, build date)."""
    buffer = io.BytesIO()
    nx.write_gexf(g, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    ET.register_namespace("", GEXF_NS)
    ET.register_namespace("viz", "http://www.gexf.net/1.2draft/viz")
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root = ET.fromstring(buffer.getvalue())
    meta = root.find(f"{{{GEXF_NS}}}meta")
    if meta is None:
        meta = ET.Element(f"{{{GEXF_NS}}}meta")
        root.insert(0, meta)
    for child in list(meta):
        meta.remove(child)
    if info.get("modified"):
        meta.set("lastmodifieddate", info["modified"][:10])
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = info["creator"]
    ET.SubElement(meta, f"{{{GEXF_NS}}}keywords").text = info["dataset"]
    text = "; ".join(f"{k}: {info[k]}" for k in ("title", "license", "triples", "modified", "source") if k in info)
    ET.SubElement(meta, f"{{{GEXF_NS}}}description").text = text
    ET.indent(root)
    out.write(ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")
