"""The dataset description that travels with every export: VoID and DCAT terms in the build graph.

`{base}dataset` is a `void:Dataset` and `dcat:Dataset` with a title (en, ru, uk), a licence, the
resolutions it was read from (`dct:source`), counts (`void:triples`, `void:entities`, `void:classes`,
`void:properties`, a `void:classPartition` per class) and the build time (`dct:modified`, taken from the
build graph's `prov:Activity`, so the same store always gives the same description). Each document's
named graph is a `void:subset` with its own triple count and its resolution as `dct:source`. The counts
describe the data: the description's own statements are not counted.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kg import __version__
from kg.iris import digest
from kg.namespaces import DCAT, DCTERMS, LKG, PREFIXES, PROV, RDF, VOID, XSD

DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
TITLES = {
    "en": "Library councils: meetings, members and decisions",
    "ru": "Библиотечные советы: заседания, участники и решения",
    "uk": "Бібліотечні ради: засідання, учасники та рішення",
}
SPECIAL_GRAPHS = ("authority", "derived", "build")


@dataclass(frozen=True)
class DatasetInfo:
    """Where the description goes and what it says about the publication."""

    base: str
    license: str = DEFAULT_LICENSE
    endpoint: str | None = None

    @property
    def dataset(self) -> str:
        """The dataset's IRI."""
        return self.base + "dataset"

    @property
    def graph(self) -> str:
        """The graph that holds the description (the build graph)."""
        return self.base + "graph/build"


def _n(iri: str) -> ox.NamedNode:
    """A named node."""
    return ox.NamedNode(str(iri))


def _int(n: int) -> ox.Literal:
    """An xsd:integer literal."""
    return ox.Literal(str(n), datatype=_n(XSD.integer))


def _rows(store: ox.Store, query: str) -> list[tuple]:
    """The rows of a SELECT over the store's named graphs, as tuples of terms."""
    answer = store.query(query)
    names = [v.value for v in answer.variables]
    return [tuple(s[n] for n in names) for s in answer]


def _count(store: ox.Store, what: str) -> int:
    """COUNT(DISTINCT WHAT) over the named graphs, e.g. '?s'."""
    (row,) = _rows(store, f"SELECT (COUNT(DISTINCT {what}) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    return int(row[0].value)


def describe(store: ox.Store, info: DatasetInfo) -> list[ox.Quad]:
    """The description of the dataset in STORE as quads of the build graph."""
    g = _n(info.graph)
    ds = _n(info.dataset)
    quads: list[ox.Quad] = []

    def add(s: ox.NamedNode, p: str, o) -> None:
        quads.append(ox.Quad(s, _n(p), o, g))

    add(ds, RDF.type, _n(VOID.Dataset))
    add(ds, RDF.type, _n(DCAT.Dataset))
    for lang, title in TITLES.items():
        add(ds, DCTERMS.title, ox.Literal(title, language=lang))
    add(ds, DCTERMS.license, _n(info.license))
    add(ds, VOID.uriSpace, ox.Literal(info.base))
    add(ds, DCTERMS.creator, _n(f"{info.base}agent/kg-{__version__}"))
    if info.endpoint:
        add(ds, VOID.sparqlEndpoint, _n(info.endpoint))
    for (ended,) in _rows(store, f"SELECT ?t WHERE {{ GRAPH ?g {{ ?a a <{LKG.Build}> ; <{PROV.endedAtTime}> ?t }} }}"):
        add(ds, DCTERMS.modified, ended)
    for (act,) in _rows(store, f"SELECT ?a WHERE {{ GRAPH ?g {{ ?a a <{LKG.Build}> }} }}"):
        add(ds, PROV.wasGeneratedBy, act)
    sizes = {gr.value: int(n.value) for gr, n in _rows(
        store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")}
    add(ds, VOID.triples, _int(sum(sizes.values())))
    add(ds, VOID.entities, _int(_count(store, "?s")))
    add(ds, VOID.properties, _int(_count(store, "?p")))
    classes = _rows(store, f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{RDF.type}> ?c }} }} "
                           "GROUP BY ?c")
    add(ds, VOID.classes, _int(len(classes)))
    for cls, n in classes:
        part = _n(f"{info.dataset}/class/{digest(cls.value, n=12)}")
        add(ds, VOID.classPartition, part)
        add(part, VOID["class"], cls)
        add(part, VOID.entities, _int(int(n.value)))
    vocabularies = {ns for ns in PREFIXES.values()
                    if any(c.value.startswith(ns) for c, _ in classes)} | _used_namespaces(store)
    for ns in sorted(vocabularies):
        add(ds, VOID.vocabulary, _n(ns))
    sources = _rows(store, f"SELECT ?g ?r WHERE {{ GRAPH ?g {{ ?r a <{LKG.Resolution}> }} }}")
    for graph, resolution in sources:
        add(ds, DCTERMS.source, resolution)
        add(ds, VOID.subset, graph)
        add(graph, RDF.type, _n(VOID.Dataset))
        add(graph, DCTERMS.source, resolution)
        add(graph, VOID.triples, _int(sizes.get(graph.value, 0)))
    for name in SPECIAL_GRAPHS:
        graph = _n(f"{info.base}graph/{name}")
        if graph.value in sizes:
            add(ds, VOID.subset, graph)
            add(graph, RDF.type, _n(VOID.Dataset))
            add(graph, VOID.triples, _int(sizes[graph.value]))
    return sorted(set(quads), key=str)


def _used_namespaces(store: ox.Store) -> set[str]:
    """The namespaces of PREFIXES that some predicate of the store is in."""
    predicates = [p.value for (p,) in _rows(store, "SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } }")]
    return {ns for ns in PREFIXES.values() if any(p.startswith(ns) for p in predicates)}
