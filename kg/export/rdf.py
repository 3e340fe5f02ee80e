"""Linked-data serialisations of the store plus its description: Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML.

Quad formats (`nq`, `trig`, `jsonld`) keep one named graph per document; triple formats (`ttl`, `nt`,
`xml`) hold the union of all graphs. Statements are sorted, so the same store always gives the same
bytes. JSON-LD is compacted with the published context (`ontology/context.jsonld`, embedded in the
output so that no reader needs the network); without that file, with a context of kg's prefixes.
"""
from __future__ import annotations

import importlib.resources
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef

from kg.errors import KGError
from kg.formats import XSD_STRING
from kg.namespaces import PREFIXES

QUAD_FORMATS = {"nq": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
TRIPLE_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML}
RDF_FORMATS = (*TRIPLE_FORMATS, *QUAD_FORMATS, "jsonld")
MEDIA_TYPES = {"ttl": "text/turtle", "nt": "application/n-triples", "nq": "application/n-quads",
               "trig": "application/trig", "jsonld": "application/ld+json", "xml": "application/rdf+xml"}
CONTEXT_FILE = "context.jsonld"


def context_path() -> Path | None:
    """The published JSON-LD context: `kg/ontology/context.jsonld` when packaged, else `ontology/` of the project."""
    packaged = importlib.resources.files("kg").joinpath("ontology", CONTEXT_FILE)
    if packaged.is_file():
        return Path(str(packaged))
    path = Path(__file__).resolve().parent.parent.parent / "ontology" / CONTEXT_FILE
    return path if path.is_file() else None


def load_context(path: Path | None = None) -> Any:
    """The value of `@context` of the published context file, or a context of kg's prefixes when there is none."""
    path = path or context_path()
    if path is None:
        return dict(PREFIXES)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise KGError(f"cannot read the JSON-LD context {path}: {exc}") from exc
    return doc.get("@context", doc) if isinstance(doc, dict) else doc


def sort_key(term: Any) -> tuple:
    """A total order of quads or triples by their N-Triples text (rdf:type first within a subject)."""
    parts = (term.subject, term.predicate, term.object) + ((term.graph_name,) if isinstance(term, ox.Quad) else ())
    g = str(parts[3]) if len(parts) > 3 else ""
    return g, str(parts[0]), parts[1].value != "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", str(parts[1]), \
        str(parts[2])


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """QUADS without duplicates, in the export order."""
    return sorted(set(quads), key=sort_key)


def union_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The triples of every graph, merged (a statement in two graphs is written once), in the export order."""
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=sort_key)


def used_prefixes(statements: list, prefixes: dict[str, str] | None = None) -> dict[str, str]:
    """The PREFIXES (kg's by default) whose namespace some predicate, object or datatype IRI is in."""
    prefixes = PREFIXES if prefixes is None else prefixes
    iris = {t.predicate.value for t in statements}
    iris |= {t.object.value for t in statements if isinstance(t.object, ox.NamedNode)}
    iris |= {t.object.datatype.value for t in statements if isinstance(t.object, ox.Literal)}
    return {p: ns for p, ns in prefixes.items() if any(i.startswith(ns) for i in iris)}


def write_rdf(quads: list[ox.Quad], fmt: str, out: BinaryIO, context: Any = None) -> None:
    """Write QUADS to OUT in FMT (ttl, nt, nq, trig, jsonld, xml)."""
    if fmt == "jsonld":
        out.write(jsonld(quads, load_context() if context is None else context).encode("utf-8"))
    elif fmt in QUAD_FORMATS:
        data = sorted_quads(quads)
        prefixes = used_prefixes(data) if fmt == "trig" else None
        ox.serialize(data, out, QUAD_FORMATS[fmt], prefixes=prefixes)
    elif fmt in TRIPLE_FORMATS:
        triples = union_triples(quads)
        prefixes = used_prefixes(triples) if fmt != "nt" else None
        ox.serialize(triples, out, TRIPLE_FORMATS[fmt], prefixes=prefixes)
    else:
        raise KGError(f"unknown RDF format {fmt!r}; use one of: {', '.join(RDF_FORMATS)}")


def _sort_nodes(value: Any) -> Any:
    """VALUE with every `@graph` list ordered by `@id` (rdflib's order follows its hash tables)."""
    if isinstance(value, dict):
        out = {k: _sort_nodes(v) for k, v in value.items()}
        if isinstance(out.get("@graph"), list):
            out["@graph"].sort(key=lambda n: (str(n.get("@id", "")) if isinstance(n, dict) else "", json.dumps(
                n, ensure_ascii=False, sort_keys=True)))
        return out
    if isinstance(value, list):
        return [_sort_nodes(v) for v in value]
    return value


def _rdflib(term: Any) -> Any:
    """An rdflib term for a pyoxigraph one, literals with their lexical form kept exactly (not normalised)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)


def jsonld(quads: list[ox.Quad], context: Any) -> str:
    """QUADS as JSON-LD compacted with CONTEXT (one object with `@graph` per named graph), context embedded."""
    dataset = Dataset()
    for q in sorted_quads(quads):
        triple = (_rdflib(q.subject), _rdflib(q.predicate), _rdflib(q.object))
        if isinstance(q.graph_name, ox.DefaultGraph):
            dataset.add(triple)
        else:
            dataset.graph(_rdflib(q.graph_name)).add(triple)
    text = dataset.serialize(format="json-ld", context=context, auto_compact=True)
    doc = json.loads(text)
    if isinstance(doc, dict):
        doc["@context"] = context
        doc = _sort_nodes(doc)
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
